/**
 * Durable timers are jobs. `scheduleTimer` becomes a job of kind `timer` due at `dueAt` (key
 * `timer:<instance>:<timer key>:<dueAt ms>`, so each firing of a cycle is its own job and a replayed
 * step cannot schedule one twice); the timer key is in the payload (`payload.timer`), where
 * `cancelTimer` finds the instance's pending timer jobs (index `jobs_timer_ready`) and marks them
 * done with `last_error = 'cancelled'`. A timer that fell due while no server ran is simply a due
 * job at the next start. The job kind (`job-kinds/timer.ts`) sends `timerFired`.
 */
import { sql } from 'kysely';
import type { EffectHandler } from './types';

/** The job key of one firing of a timer. */
export const timerJobKey = (instanceId: number, key: string, dueAt: number) => `timer:${instanceId}:${key}:${dueAt}`;

export const scheduleTimer: EffectHandler<'scheduleTimer'> = async (ctx, e) => {
  const key = timerJobKey(ctx.inst.id, e.key, e.dueAt);
  // The same firing scheduled again after it was cancelled (a retried task with a fixed date): the
  // finished job must not swallow the new one.
  await ctx.trx.deleteFrom('jobs').where('key', '=', key).where('status', 'in', ['done', 'failed']).execute();
  const dueAt = new Date(e.dueAt);
  ctx.jobs.push({
    kind: 'timer',
    instance_id: ctx.inst.id,
    key,
    payload: JSON.stringify({ timer: e.key, dueAt: e.dueAt, token: e.token, nodeId: e.nodeId, ...(e.attachedTo ? { attachedTo: e.attachedTo } : {}), spec: e.spec }),
    run_at: dueAt,
    created_at: ctx.now,
  });
  ctx.rows.push({
    kind: 'timerScheduled',
    node: e.nodeId,
    message: `Timer "${e.nodeId}" (${e.spec}) due at ${dueAt.toISOString()}.`,
    data: { timer: e.key, dueAt: e.dueAt, ...(e.attachedTo ? { attachedTo: e.attachedTo } : {}) },
    actor: null,
  });
};

export const cancelTimer: EffectHandler<'cancelTimer'> = async (ctx, e) => {
  // Scheduled earlier in this very step: not inserted yet.
  const pending = ctx.jobs.filter((j) => j.kind === 'timer' && j.instance_id === ctx.inst.id && timerOf(j.payload) === e.key);
  for (const j of pending) ctx.jobs.splice(ctx.jobs.indexOf(j), 1);
  await ctx.trx
    .updateTable('jobs')
    .set({ status: 'done', finished_at: ctx.now, last_error: 'cancelled', lease_until: null })
    .where('instance_id', '=', ctx.inst.id)
    .where('kind', '=', 'timer')
    .where('status', '=', 'ready')
    .where(sql<string>`payload->>'timer'`, '=', e.key)
    .execute();
};

function timerOf(payload: unknown): string | undefined {
  try {
    const p = (typeof payload === 'string' ? JSON.parse(payload) : payload) as { timer?: unknown };
    return typeof p?.timer === 'string' ? p.timer : undefined;
  } catch {
    return undefined;
  }
}
