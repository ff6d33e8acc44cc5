/**
 * Ticket history: one row per change, with OTRS's history types. Every change to a ticket goes
 * through `writeHistory` in the same transaction as the change itself, so nothing in a ticket
 * changes without a row saying who changed what, when, from what to what. The same call recomputes
 * the ticket's escalation deadlines (server/sla), so they move in the transaction of every change.
 */
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor';
import type { DB } from '../db/schema';
import { announceTicketChanges } from '../live/notify';
import { recomputeEscalations } from '../sla/recompute';
import { syncTicketAppointments } from '../calendars/ticket-rules';

/** The OTRS history types this helpdesk writes. */
export type HistoryType =
  | 'NewTicket'
  | 'TitleUpdate'
  | 'Move'
  | 'StateUpdate'
  | 'SetPendingTime'
  | 'PriorityUpdate'
  | 'TypeUpdate'
  | 'ServiceUpdate'
  | 'SLAUpdate'
  | 'OwnerUpdate'
  | 'ResponsibleUpdate'
  | 'CustomerUpdate'
  | 'ArchiveFlagUpdate'
  | 'TicketDynamicFieldUpdate'
  | 'Lock'
  | 'Unlock'
  | 'Subscribe'
  | 'Unsubscribe'
  | 'Merged'
  | 'TicketLinkAdd'
  | 'TicketLinkDelete'
  | 'TimeAccounting'
  | 'AddNote'
  | 'SendAnswer'
  | 'EmailAgent'
  | 'EmailCustomer'
  | 'PhoneCallAgent'
  | 'PhoneCallCustomer'
  | 'WebRequestCustomer'
  | 'FollowUp'
  | 'ChatExternal'
  | 'ChatInternal'
  | 'ArticleDynamicFieldUpdate'
  | 'Misc';

/** Who made a change: an agent, a customer user, or the system (engine, scheduler). */
export interface HistoryActor {
  kind: 'agent' | 'customer' | 'system';
  id: number | null;
}

export interface HistoryEntry {
  ticketId: number;
  type: HistoryType;
  /** The article the entry is about, if any. */
  articleId?: number | null;
  /** The changed field (`queue`, `state`, `DynamicField_Name` …). */
  field?: string | null;
  old?: string | null;
  new?: string | null;
  /** A sentence for people; the structured parts are `field`, `old`, `new`. */
  message?: string;
  /** Extra structured detail (ids behind the names, link ids …). */
  data?: unknown;
}

/** The history actor of an API caller. */
export function historyActor(actor: Actor | undefined): HistoryActor {
  if (!actor) return { kind: 'system', id: null };
  return { kind: actor.kind === 'agent' ? 'agent' : 'customer', id: actor.id };
}

/**
 * Writes history rows, all with the same actor and time. Call it with the transaction that makes
 * the change.
 *
 * @example
 * await writeHistory(trx, [{ ticketId, type: 'StateUpdate', field: 'state', old: 'new', new: 'open',
 *   message: 'Changed state from "new" to "open".' }], { kind: 'agent', id: 3 }, now);
 */
export async function writeHistory(db: Kysely<DB>, entries: HistoryEntry[], by: HistoryActor, at: Date): Promise<void> {
  if (!entries.length) return;
  await db
    .insertInto('ticket_history')
    .values(
      entries.map((e) => ({
        ticket_id: e.ticketId,
        article_id: e.articleId ?? null,
        type: e.type,
        field: e.field ?? null,
        old_value: e.old ?? null,
        new_value: e.new ?? null,
        message: e.message ?? '',
        data: e.data === undefined ? null : JSON.stringify(e.data),
        actor_kind: by.kind,
        actor_id: by.id,
        created_at: at,
      })),
    )
    .execute();
  // Escalation deadlines follow every change, in the same transaction (server/sla/recompute.ts).
  await recomputeEscalations(db, entries.map((e) => e.ticketId), at);
  // Ticket appointments follow the ticket in the same transaction (calendars/ticket-rules.ts).
  await syncTicketAppointments(db, entries.map((e) => e.ticketId), at);
  // Live updates: NOTIFY in this transaction, so listeners hear of it when (and only if) it commits.
  await announceTicketChanges(db, entries.map((e) => e.ticketId));
}

/** `"a" → "b"` in history messages, with `-` for nothing. */
export function quoted(v: string | null | undefined): string {
  return v === null || v === undefined || v === '' ? '-' : `"${v}"`;
}

/** A field change as a history entry with OTRS wording: `Changed <what> from "a" to "b".` */
export function changeEntry(
  ticketId: number,
  type: HistoryType,
  field: string,
  old: string | null,
  now: string | null,
  data?: unknown,
): HistoryEntry {
  return { ticketId, type, field, old, new: now, message: `Changed ${field} from ${quoted(old)} to ${quoted(now)}.`, data };
}
