/**
 * Script task: scripts run outside the step's transaction, so the token waits for the result. Entry
 * emits `runScript` with a fresh run id and the params resolved; `scriptFinished` (handled in
 * `step.ts`) merges the variables, turns the dynamic fields into an `applyActions`, and leaves.
 */
import type { JsonValue, ScriptTask } from '../../model/types';
import { resolveValue, templateContext } from '../resolve';
import { emit, nextId, wait } from '../run';
import type { NodeBehaviour } from './behaviour';

export const scriptTask: NodeBehaviour<ScriptTask> = {
  enter(run, token, node) {
    wait(token, 'script');
    token.run = nextId(run, 'r');
    const ctx = templateContext(run.snapshot, run.state.vars, run.def.process);
    const params = resolveValue((node.params ?? {}) as JsonValue, ctx, true) as Record<string, JsonValue>;
    emit(run, {
      type: 'runScript',
      token: token.id,
      nodeId: node.id,
      run: token.run,
      script: node.script,
      params,
      vars: { ...run.state.vars },
      ...(node.timeoutMs ? { timeoutMs: node.timeoutMs } : {}),
    });
  },
};
