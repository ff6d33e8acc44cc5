/**
 * Script jobs: run the script in the sandbox pool with a fresh ticket snapshot; the result is
 * `scriptFinished` / `scriptFailed`. A run the host failed (its worker never started it or died,
 * the pool was closed or full: not the script's own doing) is tried again with the job's backoff
 * while attempts are left; only then does it become a failure of the task.
 */
import type { RunScriptEffect } from '../../../engine/runtime/index';
import { scriptSource, ScriptMissing } from '../../scripts/resolve';
import { backoffMs } from '../jobs';
import type { EventInput } from '../runner';
import { ticketSnapshot } from '../snapshot';
import { RetryJob, type JobKind } from './types';

type Payload = RunScriptEffect & { ticketId: number };

export const scriptJob: JobKind = {
  async run(job, payload, { services, engine }) {
    const p = payload as Payload;
    const base = { tokenId: p.token, nodeId: p.nodeId, run: p.run };
    try {
      const db = services.database.db;
      const { source, filename } = await scriptSource(db, p.script);
      const snapshot = await ticketSnapshot(db, p.ticketId);
      const r = await engine.pool().run({
        source,
        filename,
        input: { ticket: snapshot.ticket as never, params: p.params, vars: p.vars },
        now: services.now().getTime(),
        ...(p.timeoutMs ? { timeoutMs: p.timeoutMs } : {}),
      });
      if (!r.ok && r.error.host && job.attempts < job.max_attempts) throw new RetryJob(r.error.message, backoffMs(job.attempts));
      return r.ok
        ? { type: 'scriptFinished', ...base, result: { vars: r.vars, dynamicFields: r.dynamicFields }, durationMs: r.durationMs }
        : {
            type: 'scriptFailed', ...base, kind: r.error.kind,
            message: r.error.host ? `${r.error.message} (after ${job.attempts} attempts)` : r.error.message,
            ...(r.error.line !== undefined ? { line: r.error.line } : {}), ...(r.error.code ? { errorCode: r.error.code } : {}),
          } satisfies EventInput;
    } catch (e) {
      if (!(e instanceof ScriptMissing)) throw e;
      return { type: 'scriptFailed', ...base, kind: 'script', message: e.message };
    }
  },
  givenUp(job, payload, message) {
    const p = payload as Payload;
    return { type: 'scriptFailed', tokenId: p.token, nodeId: p.nodeId, run: p.run, kind: 'script', message: `the job failed after ${job.attempts} attempts: ${message}` };
  },
};
