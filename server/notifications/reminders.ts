/**
 * Pending times: a ticket set to a pending state gets a job (kind `pending-reminder`) due at its
 * pending time. When it runs and the ticket still waits for that very time:
 * - `pending reminder`: the `pendingReminder` event is raised (to the owner of a locked ticket, else
 *   to the queue's agents);
 * - `pending auto close+` / `pending auto close-` (state type `pending auto`): the ticket is closed
 *   (`closed successful` / `closed unsuccessful`, OTOBO's StateAfterPending), unlocked, with
 *   history, and the usual state-change notification.
 * A changed or cleared pending time leaves the old job to find nothing to do.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { writeHistory } from '../history/history';
import { raiseNotification } from './raise';

/** OTOBO's Ticket::StateAfterPending. */
export const STATE_AFTER_PENDING: Record<string, string> = {
  'pending auto close+': 'closed successful',
  'pending auto close-': 'closed unsuccessful',
};

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
      .select(['t.id', 't.pending_until', 't.locked', 's.name as state', 'st.name as state_type'])
      .where('t.id', '=', payload.ticketId)
      .forUpdate('t')
      .executeTakeFirst();
    if (!t || !t.pending_until || t.pending_until.toISOString() !== payload.at) return false;
    if (t.state_type === 'pending auto') return autoClose(trx, t, now);
    if (t.state_type !== 'pending reminder') return false;
    await raiseNotification(trx, { type: 'pendingReminder', ticketId: t.id, actor: { kind: 'system', id: null } }, now);
    return true;
  });
}

/** Closes a `pending auto` ticket whose pending time is reached. */
async function autoClose(trx: Kysely<DB>, t: { id: number; state: string; locked: boolean }, now: Date): Promise<boolean> {
  const target = await trx.selectFrom('states').select(['id', 'name']).where('name', '=', STATE_AFTER_PENDING[t.state] ?? 'closed successful').executeTakeFirst();
  if (!target) return false;
  await trx.updateTable('tickets').set({ state_id: target.id, pending_until: null, locked: false, changed_at: now }).where('id', '=', t.id).execute();
  const by = { kind: 'system', id: null } as const;
  await writeHistory(
    trx,
    [
      { ticketId: t.id, type: 'StateUpdate', field: 'state', old: t.state, new: target.name, message: `Changed state from "${t.state}" to "${target.name}" (pending time reached).` },
      ...(t.locked ? [{ ticketId: t.id, type: 'Unlock' as const, field: 'lock', old: 'lock', new: 'unlock', message: 'Ticket unlocked because it was closed.' }] : []),
    ],
    by,
    now,
  );
  await raiseNotification(trx, { type: 'stateChanged', ticketId: t.id, actor: by, data: { oldState: t.state } }, now);
  return true;
}
