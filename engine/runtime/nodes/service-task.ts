/**
 * Service task: the call runs outside the step's transaction (a server job with retries), so the
 * token waits for its result. Entry emits `callService` with a fresh run id, the params resolved and
 * an idempotency key stable across the job's retries, and schedules the task's boundary timers.
 * Results (`serviceFinished` / `serviceFailed`) are handled in `step.ts`.
 */
import type { JsonValue, ServiceTask } from '../../model/types';
import { resolveValue, templateContext } from '../resolve';
import { emit, nextId, wait } from '../run';
import type { NodeBehaviour } from './behaviour';
import { cancelBoundaryTimers, scheduleBoundaryTimers } from './timers';

export const serviceTask: NodeBehaviour<ServiceTask> = {
  enter(run, token, node) {
    wait(token, 'service');
    token.run = nextId(run, 'r');
    const ctx = templateContext(run.snapshot, run.state.vars, run.def.process);
    const params = resolveValue((node.params ?? {}) as JsonValue, ctx, true) as Record<string, JsonValue>;
    emit(run, {
      type: 'callService',
      token: token.id,
      nodeId: node.id,
      run: token.run,
      webservice: node.service.webservice,
      operation: node.service.operation,
      params,
      vars: { ...run.state.vars },
      ...(node.timeoutMs ? { timeoutMs: node.timeoutMs } : {}),
      ...(node.retries !== undefined ? { retries: node.retries } : {}),
      idempotencyKey: `${token.id}:${token.run}`,
    });
    scheduleBoundaryTimers(run, token, node.id);
  },
  exit(run, token, node) {
    cancelBoundaryTimers(run, token, node.id);
  },
};
