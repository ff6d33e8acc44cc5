/**
 * Announcing ticket changes to live listeners. `announceTicketChanges` runs inside the transaction
 * that changed the tickets (the history writer calls it): on PostgreSQL it sends
 * `NOTIFY helpdesk_ticket_changes` — delivered to every server process's listener only when the
 * transaction commits, never when it rolls back — and it also tells this process's own emitter,
 * which PGlite (one process, no LISTEN across processes) uses instead.
 */
import { EventEmitter } from 'node:events';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema';

/** The PostgreSQL channel; payload `{"schema": "<current_schema>", "tickets": [ids]}`. */
export const TICKET_CHANNEL = 'helpdesk_ticket_changes';

/** In-process announcements (`change` with the ticket ids), listened to by hubs on PGlite. */
export const localTicketChanges = new EventEmitter();
localTicketChanges.setMaxListeners(0);

/**
 * Tells listeners in every server process that these tickets changed. Call it with the
 * transaction that makes the change.
 *
 * @example
 * await announceTicketChanges(trx, [ticketId]);
 */
export async function announceTicketChanges(db: Kysely<DB>, ticketIds: number[]): Promise<void> {
  const ids = [...new Set(ticketIds)];
  if (!ids.length) return;
  await sql`select pg_notify(${TICKET_CHANNEL}, json_build_object('schema', current_schema(), 'tickets', ${JSON.stringify(ids)}::jsonb)::text)`.execute(db);
  localTicketChanges.emit('change', ids);
}

/** The PostgreSQL channel of new web notifications; payload `{"schema": "<current_schema>", "notifications": [ids]}`. */
export const NOTIFICATION_CHANNEL = 'helpdesk_notifications';

/** In-process announcements of new web notifications (`new` with their ids), for hubs on PGlite. */
export const localNotifications = new EventEmitter();
localNotifications.setMaxListeners(0);

/**
 * Tells listeners in every server process that these web notifications were written. Call it with
 * the transaction that writes them: the hubs read them back per stream, so a rolled-back one is
 * never sent.
 *
 * @example
 * await announceNotifications(trx, [41, 42]);
 */
export async function announceNotifications(db: Kysely<DB>, ids: number[]): Promise<void> {
  if (!ids.length) return;
  await sql`select pg_notify(${NOTIFICATION_CHANNEL}, json_build_object('schema', current_schema(), 'notifications', ${JSON.stringify(ids)}::jsonb)::text)`.execute(db);
  localNotifications.emit('new', ids);
}
