/**
 * Pending reminders: a ticket set to a `pending reminder` state gets a job (kind
 * `pending-reminder`) due at its pending time; when it runs and the ticket still waits for that
 * very time, the `pendingReminder` event is raised (to the owner of a locked ticket, else to the
 * queue's agents). A changed or cleared pending time leaves the old job to find nothing to do.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { raiseNotification } from './raise';

export const PENDING_REMINDER_JOB = 'pending-reminder';

export interface PendingReminderPayload {
  ticketId: number;
  /** The pending time it was scheduled for (ISO). */
  at: string;
}

/**
 * Schedules the reminder of `ticketId` for `at`, in the transaction that set the pending time.
 *
 * @example
 * await schedulePendingReminder(trx, 42, new Date('2026-05-01T08:00:00Z'), now);
 */
export async function schedulePendingReminder(db: Kysely<DB>, ticketId: number, at: Date, now: Date): Promise<void> {
  const payload: PendingReminderPayload = { ticketId, at: at.toISOString() };
  await db
    .insertInto('jobs')
    .values({ kind: PENDING_REMINDER_JOB, instance_id: null, key: `${PENDING_REMINDER_JOB}:${ticketId}:${payload.at}`, payload: JSON.stringify(payload), run_at: at, created_at: now })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}

/**
 * Raises the reminder when the ticket still waits in a `pending reminder` state for `payload.at`
 * (resolves to whether it did). Runs in its own transaction.
 */
export async function remindIfDue(db: Kysely<DB>, payload: PendingReminderPayload, now: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const t = await trx
      .selectFrom('tickets as t')
      .innerJoin('states as s', 's.id', 't.state_id')
      .innerJoin('state_types as st', 'st.id', 's.type_id')
      .select(['t.id', 't.pending_until', 'st.name as state_type'])
      .where('t.id', '=', payload.ticketId)
      .forUpdate('t')
      .executeTakeFirst();
    if (!t || t.state_type !== 'pending reminder' || !t.pending_until || t.pending_until.toISOString() !== payload.at) return false;
    await raiseNotification(trx, { type: 'pendingReminder', ticketId: t.id, actor: { kind: 'system', id: null } }, now);
    return true;
  });
}
