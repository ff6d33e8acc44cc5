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

/** The PostgreSQL channel of chat events; payload `{"schema": "<current_schema>", "chat": {...}}`. */
export const CHAT_CHANNEL = 'helpdesk_chat';

/** A chat event: a message was written (`message` names its id), the chat changed (state, participants), someone types, or read. */
export interface ChatSignal {
  chat: number;
  type: 'message' | 'state' | 'typing';
  message?: number;
  /** Typing: who types (`agent:3`, `customer:5`, `visitor`) and their name. */
  who?: string;
  name?: string;
}

/** In-process chat events (`chat` with the signal), for hubs on PGlite. */
export const localChat = new EventEmitter();
localChat.setMaxListeners(0);

/**
 * Tells listeners in every server process of a chat event. Call it with the transaction that
 * writes the message or change (a typing signal needs none): a rolled-back message is never sent.
 *
 * @example
 * await announceChat(trx, { chat: 7, type: 'message', message: 120 });
 */
export async function announceChat(db: Kysely<DB>, signal: ChatSignal): Promise<void> {
  await sql`select pg_notify(${CHAT_CHANNEL}, json_build_object('schema', current_schema(), 'chat', ${JSON.stringify(signal)}::jsonb)::text)`.execute(db);
  localChat.emit('chat', signal);
}
