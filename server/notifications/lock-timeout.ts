/**
 * Lock timeouts (OTRS's queue "unlock timeout"): locking a ticket in a queue with `unlock_timeout`
 * minutes schedules a job (kind `lock-timeout`) for then. When it runs and the ticket is still
 * locked by the same owner and nobody changed it for that long, the ticket is unlocked (history
 * `Unlock`) and the `lockTimeout` event tells the owner; a ticket changed meanwhile gets a new job
 * counted from its last change.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { writeHistory } from '../history/history';
import { raiseNotification } from './raise';

export const LOCK_TIMEOUT_JOB = 'lock-timeout';

export interface LockTimeoutPayload {
  ticketId: number;
  ownerId: number;
}

async function schedule(db: Kysely<DB>, payload: LockTimeoutPayload, at: Date, now: Date): Promise<void> {
  await db
    .insertInto('jobs')
    .values({ kind: LOCK_TIMEOUT_JOB, instance_id: null, key: `${LOCK_TIMEOUT_JOB}:${payload.ticketId}:${at.toISOString()}`, payload: JSON.stringify(payload), run_at: at, created_at: now })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}

/**
 * Schedules the unlock of a ticket just locked by `ownerId`, when its queue has an unlock timeout.
 *
 * @example
 * await scheduleLockTimeout(trx, { ticketId: 42, ownerId: 3 }, now);
 */
export async function scheduleLockTimeout(db: Kysely<DB>, payload: LockTimeoutPayload, now: Date): Promise<void> {
  const q = await db
    .selectFrom('tickets as t')
    .innerJoin('queues as q', 'q.id', 't.queue_id')
    .select('q.unlock_timeout')
    .where('t.id', '=', payload.ticketId)
    .executeTakeFirst();
  if (!q?.unlock_timeout) return;
  await schedule(db, payload, new Date(now.getTime() + q.unlock_timeout * 60_000), now);
}

/** Unlocks the ticket when its lock timed out (resolves to whether it did). Runs in its own transaction. */
export async function unlockIfTimedOut(db: Kysely<DB>, payload: LockTimeoutPayload, now: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const t = await trx
      .selectFrom('tickets as t')
      .innerJoin('queues as q', 'q.id', 't.queue_id')
      .select(['t.id', 't.locked', 't.owner_id', 't.changed_at', 'q.unlock_timeout'])
      .where('t.id', '=', payload.ticketId)
      .forUpdate('t')
      .executeTakeFirst();
    if (!t || !t.locked || t.owner_id !== payload.ownerId || !t.unlock_timeout) return false;
    const due = new Date(t.changed_at.getTime() + t.unlock_timeout * 60_000);
    if (due > now) {
      await schedule(trx, payload, due, now);
      return false;
    }
    await trx.updateTable('tickets').set({ locked: false, changed_at: now }).where('id', '=', t.id).execute();
    await writeHistory(trx, [{ ticketId: t.id, type: 'Unlock', field: 'lock', old: 'lock', new: 'unlock', message: `Ticket unlocked: the lock timed out after ${t.unlock_timeout} minute(s).` }], { kind: 'system', id: null }, now);
    await raiseNotification(trx, { type: 'lockTimeout', ticketId: t.id, actor: { kind: 'system', id: null } }, now);
    return true;
  });
}
