/**
 * Boundary events (timer or error), entered when their trigger caught a token on the task they are
 * attached to: the token leaves by the event's transition.
 */
import type { BoundaryError, BoundaryTimer } from '../../model/types';
import { leave } from '../flow';
import type { NodeBehaviour } from './behaviour';

export const boundaryEvent: NodeBehaviour<BoundaryTimer | BoundaryError> = {
  enter: (run, token) => void leave(run, token),
};
