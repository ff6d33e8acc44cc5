/**
 * Service jobs: one web-service call through the outbound invoker, with a fresh ticket snapshot for
 * the templates and the idempotency key `<instance>:<token>:<run>` on every attempt. A retriable
 * failure (5xx, 429, timeout, network) with attempts left is tried again after an exponential
 * backoff with full jitter (`SERVICE_RETRY_BASE_MS`, default 1000, doubling, at most 5 min).
 *
 * - Service tasks (`mode: 'task'`): success → `serviceFinished` (mapped vars and dynamic fields,
 *   status, duration); a final failure → `serviceFailed` with the error code, status and attempts.
 *   Before each attempt the job checks that the token still waits for this run; when it does not
 *   (cancelled, left by an interrupting timer, skipped) nothing is called and the job is done.
 * - ExecuteInvoker actions (`mode: 'invoker'`, no instance): the mapped dynamic fields are written to
 *   the ticket and the outcome (or the failure) is recorded in its history.
 */
import { sql } from 'kysely';
import type { DynamicFieldSet } from '../../../engine/model/actions';
import type { CallServiceEffect } from '../../../engine/runtime/index';
import { writeHistory } from '../../history/history';
import { invoke, type InvokeResult } from '../../outbound/invoker';
import type { InvokerJobPayload } from '../../outbound/jobs';
import { loadServiceConfig } from '../../outbound/service';
import { contextFor } from '../../tickets/context';
import { ActionFailed, applyActions } from '../actions';
import type { JobRow } from '../jobs';
import type { EventInput } from '../runner';
import { ticketSnapshot } from '../snapshot';
import { parseState } from '../view';
import { RetryJob, type JobEnv, type JobKind } from './types';

type TaskPayload = CallServiceEffect & { mode?: 'task'; ticketId: number; instanceId: number };
type Payload = TaskPayload | InvokerJobPayload;

const RETRY_CAP_MS = 300_000;

/** The base of the retry backoff (`SERVICE_RETRY_BASE_MS`, default 1000 ms). */
function retryBaseMs(): number {
  const raw = process.env.SERVICE_RETRY_BASE_MS;
  const n = Number(raw);
  return raw && Number.isFinite(n) && n >= 0 ? n : 1000;
}

/**
 * The wait before the next attempt after attempt `attempt` failed: a random time up to
 * `base · 2^(attempt-1)`, at most 5 minutes ("full jitter", so many failing calls do not retry in step).
 *
 * @example
 * serviceRetryDelay(1); // 0 … 1000 ms
 * serviceRetryDelay(3); // 0 … 4000 ms
 */
export function serviceRetryDelay(attempt: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(RETRY_CAP_MS, retryBaseMs() * 2 ** Math.max(0, attempt - 1)));
}

async function call(env: JobEnv, p: { ticketId: number; webservice: string; operation: string; params: Record<string, unknown>; vars?: Record<string, unknown>; timeoutMs?: number }, idempotencyKey: string): Promise<InvokeResult> {
  const db = env.services.database.db;
  const svc = await loadServiceConfig(env.services, db, p.webservice);
  if (!svc) {
    return { ok: false, code: 'CONFIG', message: `there is no outbound service "${p.webservice}" (create it at /api/v1/outbound-services)`, retriable: false, durationMs: 0 };
  }
  const snapshot = await ticketSnapshot(db, p.ticketId);
  return invoke(svc, p.operation, { ticket: snapshot.ticket as Record<string, unknown>, customer: snapshot.customer as Record<string, unknown> | undefined, owner: snapshot.owner as Record<string, unknown> | undefined, responsible: snapshot.responsible as Record<string, unknown> | undefined, vars: p.vars ?? {}, params: p.params }, { idempotencyKey, ...(p.timeoutMs ? { timeoutMs: p.timeoutMs } : {}) });
}

/** Throws `RetryJob` when the failure is retriable and attempts are left. */
function retryIfAllowed(job: JobRow, r: Extract<InvokeResult, { ok: false }>): void {
  if (r.retriable && job.attempts < job.max_attempts) throw new RetryJob(`${r.code}: ${r.message}`, serviceRetryDelay(job.attempts));
}

/** True while the task's token still waits for this call (not cancelled, interrupted by a timer, skipped). */
async function stillWaiting(env: JobEnv, p: TaskPayload): Promise<boolean> {
  const row = await env.services.database.db.selectFrom('process_instances').select('state').where('id', '=', p.instanceId).executeTakeFirst();
  if (!row) return false;
  const state = parseState(row.state);
  return state.tokens.some((t) => t.id === p.token && t.nodeId === p.nodeId && t.run === p.run && t.wait === 'service');
}

async function runTask(job: JobRow, p: TaskPayload, env: JobEnv): Promise<EventInput | null> {
  // A call nobody waits for any more is not made (again): the job is just done.
  if (!(await stillWaiting(env, p))) return null;
  const base = { tokenId: p.token, nodeId: p.nodeId, run: p.run };
  const r = await call(env, p, `${p.instanceId}:${p.idempotencyKey}`);
  if (r.ok) return { type: 'serviceFinished', ...base, result: r.result, status: r.status, durationMs: r.durationMs };
  retryIfAllowed(job, r);
  return { type: 'serviceFailed', ...base, errorCode: r.code, message: r.message, ...(r.status !== undefined ? { status: r.status } : {}), attempts: job.attempts };
}

async function runInvoker(job: JobRow, p: InvokerJobPayload, env: JobEnv): Promise<null> {
  const { services, engine } = env;
  const r = await call(env, p, p.idempotencyKey);
  if (!r.ok) retryIfAllowed(job, r);
  const what = `${p.webservice}/${p.operation}`;
  const by = { kind: 'system' as const, id: null };
  await services.database.db.transaction().execute(async (trx) => {
    const exists = await trx.selectFrom('tickets').select('id').where('id', '=', p.ticketId).executeTakeFirst();
    if (!exists) return;
    const now = services.now();
    if (!r.ok) {
      await writeHistory(trx, [{ ticketId: p.ticketId, type: 'Misc', field: 'ExecuteInvoker', message: `Web service call ${what} failed after ${job.attempts} attempt(s): ${r.code}${r.status ? ` (HTTP ${r.status})` : ''}: ${r.message}`, data: { webservice: p.webservice, operation: p.operation, errorCode: r.code, status: r.status ?? null, attempts: job.attempts } }], by, now);
      return;
    }
    let applied = '';
    const fields = r.result.dynamicFields;
    if (Object.keys(fields).length) {
      await sql`savepoint invoker_fields`.execute(trx);
      try {
        await applyActions(contextFor(trx, await engine.runner.systemAccess(trx), services, by), p.ticketId, [{ type: 'DynamicFieldSet', fields: fields as DynamicFieldSet['fields'] }]);
        applied = `; set ${Object.keys(fields).join(', ')}`;
      } catch (e) {
        if (!(e instanceof ActionFailed)) throw e;
        await sql`rollback to savepoint invoker_fields`.execute(trx);
        applied = `; its answer could not be stored: ${e.message}`;
      }
    }
    await writeHistory(trx, [{ ticketId: p.ticketId, type: 'Misc', field: 'ExecuteInvoker', message: `Web service call ${what} answered HTTP ${r.status}${applied}.`, data: { webservice: p.webservice, operation: p.operation, status: r.status, durationMs: r.durationMs, vars: r.result.vars, dynamicFields: fields } }], by, now);
  });
  return null;
}

export const serviceJob: JobKind = {
  async run(job, payload, env) {
    const p = payload as Payload;
    return p.mode === 'invoker' ? runInvoker(job, p, env) : runTask(job, p, env);
  },
  givenUp(job, payload, message) {
    const p = payload as Payload;
    if (p.mode === 'invoker') return null;
    return { type: 'serviceFailed', tokenId: p.token, nodeId: p.nodeId, run: p.run, errorCode: 'NETWORK', message: `the call failed after ${job.attempts} attempts: ${message}`, attempts: job.attempts };
  },
};
