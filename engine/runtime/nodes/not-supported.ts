/**
 * Node types that issue 7 brings to life (service task, intermediate timer, call activity): for now
 * a token that reaches one stops with a visible `NOT_SUPPORTED_YET` incident (phase enter, so a
 * retry after an upgrade runs the node), never silently.
 */
import type { CallActivity, IntermediateTimer, ServiceTask } from '../../model/types';
import { raise } from '../run';
import type { NodeBehaviour } from './behaviour';

export const notSupportedYet: NodeBehaviour<ServiceTask | IntermediateTimer | CallActivity> = {
  enter(run, token, node) {
    raise(run, token, 'NOT_SUPPORTED_YET', `"${node.id}" is a ${node.type}, which this engine version cannot run yet.`, 'enter', { nodeType: node.type });
  },
};
