/**
 * Exclusive gateway: transitions in evaluation order, the first whose condition holds wins, else the
 * default; with neither, or a condition that cannot be evaluated, an incident (never a silent stop).
 */
import type { ExclusiveGateway } from '../../model/types';
import { leave } from '../flow';
import type { NodeBehaviour } from './behaviour';

export const exclusiveGateway: NodeBehaviour<ExclusiveGateway> = {
  enter: (run, token, node) => void leave(run, token, 'submitted', undefined, node.default),
};
