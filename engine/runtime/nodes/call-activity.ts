/**
 * Call activity: starts the called process (`startChild` with the `inputs` resolved against this
 * instance) and waits for it (`childCompleted`, handled in `step.ts`, sets the `outputs`). Left any
 * other way (an interrupting timer, a skip, a cancel), it cancels the child (`cancelChild`).
 */
import type { CallActivity, JsonValue } from '../../model/types';
import { resolveValue, templateContext } from '../resolve';
import { emit, nextId, wait } from '../run';
import type { NodeBehaviour } from './behaviour';
import { cancelBoundaryTimers, scheduleBoundaryTimers } from './timers';

export const callActivity: NodeBehaviour<CallActivity> = {
  enter(run, token, node) {
    wait(token, 'child');
    token.run = nextId(run, 'r');
    const ctx = templateContext(run.snapshot, run.state.vars, run.def.process);
    const vars = resolveValue((node.inputs ?? {}) as JsonValue, ctx, true) as Record<string, JsonValue>;
    emit(run, { type: 'startChild', token: token.id, nodeId: node.id, run: token.run, process: node.process, version: node.version, binding: node.binding, vars });
    scheduleBoundaryTimers(run, token, node.id);
  },
  exit(run, token, node) {
    if (token.wait === 'child' && token.run) emit(run, { type: 'cancelChild', token: token.id, nodeId: node.id, run: token.run });
    cancelBoundaryTimers(run, token, node.id);
  },
};
