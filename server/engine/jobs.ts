/**
 * The job table's queries: claim due jobs (and jobs whose lease ran out: their process died) with
 * `FOR UPDATE SKIP LOCKED` under a lease, give a job back with exponential backoff, or fail it for
 * good after its last attempt.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB, JobsTable } from '../db/schema';

export type JobRow = Selectable<JobsTable>;

/**
 * Claims up to `limit` due jobs for `workerId` until `now + leaseMs`.
 *
 * @example
 * const jobs = await claimJobs(db, 'host:123', 10, new Date(), 30_000);
 */
export async function claimJobs(db: Kysely<DB>, workerId: string, limit: number, now: Date, leaseMs: number): Promise<JobRow[]> {
  const lease = new Date(now.getTime() + leaseMs);
  const r = await sql<JobRow>`
    update jobs set status = 'running', attempts = attempts + 1, lease_until = ${lease}, locked_by = ${workerId}
    where id in (
      select id from jobs
      where (status = 'ready' and run_at <= ${now}) or (status = 'running' and lease_until < ${now} and attempts < max_attempts)
      order by run_at, id
      limit ${limit}
      for update skip locked)
    returning *`.execute(db);
  return r.rows;
}

/**
 * Extends the lease of a job `workerId` is still running to `now + leaseMs` (its heartbeat); a job
 * another worker has taken over, or that ended, is left alone.
 *
 * @example
 * await renewLease(db, job.id, 'host:123', new Date(), 30_000);
 */
export async function renewLease(db: Kysely<DB>, jobId: string, workerId: string, now: Date, leaseMs: number): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ lease_until: new Date(now.getTime() + leaseMs) })
    .where('id', '=', jobId)
    .where('locked_by', '=', workerId)
    .where('status', '=', 'running')
    .execute();
}

/**
 * Fails jobs whose lease ran out on their last attempt (their process died every time); resolves
 * to them, so their instances can be told.
 */
export async function failAbandonedJobs(db: Kysely<DB>, now: Date): Promise<JobRow[]> {
  const r = await sql<JobRow>`
    update jobs set status = 'failed', finished_at = ${now}, last_error = coalesce(last_error, 'the worker running it stopped answering'), lease_until = null
    where status = 'running' and lease_until < ${now} and attempts >= max_attempts
    returning *`.execute(db);
  return r.rows;
}

/** Backoff before attempt `attempts + 1`: 1 s, 2 s, 4 s ... at most 5 min. */
export function backoffMs(attempts: number): number {
  return Math.min(300_000, 1000 * 2 ** Math.max(0, attempts - 1));
}

/** Gives a job back after a failure (of the machinery, or one its kind retries): retried after `delayMs`, or failed for good (resolves to true then). */
export async function releaseJob(db: Kysely<DB>, job: JobRow, error: string, now: Date, delayMs = backoffMs(job.attempts)): Promise<boolean> {
  const last = job.attempts >= job.max_attempts;
  await db
    .updateTable('jobs')
    .set({ status: last ? 'failed' : 'ready', last_error: error.slice(0, 2000), run_at: new Date(now.getTime() + delayMs), lease_until: null, locked_by: null, ...(last ? { finished_at: now } : {}) })
    .where('id', '=', job.id)
    .where('locked_by', '=', job.locked_by)
    .execute();
  return last;
}

/** Marks a job done on its own (its event was refused as stale: the step happened already). */
export async function finishJob(db: Kysely<DB>, id: string, now: Date): Promise<void> {
  await db.updateTable('jobs').set({ status: 'done', finished_at: now, lease_until: null }).where('id', '=', id).execute();
}
