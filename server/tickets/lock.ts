/**
 * Lock, unlock, watch and unwatch. Locking (needs `owner`, which `rw` implies) makes the caller the
 * owner, as in OTRS; a ticket locked by someone else is a 409. Unlocking is for the owner, or for
 * an agent with `rw` (a supervisor freeing a ticket); the owner stays. Watching needs `ro`.
 * Each writes history (Lock/Unlock, OwnerUpdate, Subscribe/Unsubscribe) — no-ops write none. A
 * lock in a queue with an unlock timeout schedules its timeout (notifications/lock-timeout.ts).
 */
import { Conflict, Forbidden } from '../errors';
import { changeEntry, writeHistory, type HistoryEntry } from '../history/history';
import { scheduleLockTimeout } from '../notifications/lock-timeout';
import type { WriteContext } from './context';
import type { TicketDetails } from './repo';

function agentOf(ctx: WriteContext) {
  if (ctx.actor.kind !== 'agent') throw new Forbidden('this needs an agent account', 'AGENT_REQUIRED');
  return ctx.actor;
}

/** Locks `t` (locked row) for the caller. Resolves to whether anything changed. */
export async function lockFor(ctx: WriteContext, t: TicketDetails): Promise<boolean> {
  await ctx.access.assertTicket(t, 'ro');
  const me = agentOf(ctx);
  if (t.locked) {
    if (t.owner_id === me.id) return false;
    throw new Conflict(`the ticket is locked by ${t.owner_login ?? 'another agent'}`, undefined, 'TICKET_LOCKED');
  }
  await ctx.access.assertTicket(t, 'owner');
  const history: HistoryEntry[] = [{ ticketId: t.id, type: 'Lock', field: 'lock', old: 'unlock', new: 'lock', message: 'Ticket locked.' }];
  if (t.owner_id !== me.id) history.push(changeEntry(t.id, 'OwnerUpdate', 'owner', t.owner_login, me.login, { oldOwnerId: t.owner_id, newOwnerId: me.id }));
  await ctx.db.updateTable('tickets').set({ locked: true, owner_id: me.id, changed_at: ctx.now }).where('id', '=', t.id).execute();
  await writeHistory(ctx.db, history, ctx.by, ctx.now);
  await scheduleLockTimeout(ctx.db, { ticketId: t.id, ownerId: me.id }, ctx.now);
  return true;
}

/** Unlocks `t` (locked row). Resolves to whether anything changed. */
export async function unlock(ctx: WriteContext, t: TicketDetails): Promise<boolean> {
  await ctx.access.assertTicket(t, 'ro');
  const me = agentOf(ctx);
  if (!t.locked) return false;
  if (t.owner_id !== me.id) await ctx.access.assertTicket(t, 'rw');
  await ctx.db.updateTable('tickets').set({ locked: false, changed_at: ctx.now }).where('id', '=', t.id).execute();
  await writeHistory(ctx.db, [{ ticketId: t.id, type: 'Unlock', field: 'lock', old: 'lock', new: 'unlock', message: 'Ticket unlocked.' }], ctx.by, ctx.now);
  return true;
}

/** Starts (`on`) or stops watching `t` for the caller. Resolves to whether anything changed. */
export async function setWatching(ctx: WriteContext, t: TicketDetails, on: boolean): Promise<boolean> {
  await ctx.access.assertTicket(t, 'ro');
  const me = agentOf(ctx);
  const changed = on
    ? (await ctx.db
        .insertInto('ticket_watchers')
        .values({ ticket_id: t.id, agent_id: me.id, created_at: ctx.now })
        .onConflict((oc) => oc.columns(['ticket_id', 'agent_id']).doNothing())
        .executeTakeFirst()).numInsertedOrUpdatedRows
    : (await ctx.db.deleteFrom('ticket_watchers').where('ticket_id', '=', t.id).where('agent_id', '=', me.id).executeTakeFirst()).numDeletedRows;
  if (!changed) return false;
  await writeHistory(
    ctx.db,
    [{ ticketId: t.id, type: on ? 'Subscribe' : 'Unsubscribe', field: 'watcher', ...(on ? { new: me.login } : { old: me.login }), message: `${on ? 'Added' : 'Removed'} watcher ${me.login}.` }],
    ctx.by,
    ctx.now,
  );
  return true;
}
