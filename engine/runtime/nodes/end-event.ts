/** End event: the token ends; when it was the last one, the instance is complete. */
import type { EndEvent } from '../../model/types';
import { emit, record, removeToken } from '../run';
import type { NodeBehaviour } from './behaviour';

export const endEvent: NodeBehaviour<EndEvent> = {
  enter(run, token, node) {
    removeToken(run, token);
    record(run, { ev: 'end', node: node.id, tok: token.id });
    if (run.state.tokens.length === 0) {
      run.state.status = 'completed';
      record(run, { ev: 'complete', node: node.id });
      emit(run, { type: 'complete', nodeId: node.id });
    }
  },
};
