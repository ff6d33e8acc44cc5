/**
 * Typed queries of the chat tables: one chat, its messages (after an id, for a client that
 * reconnects), the views the API answers, and unread counts.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema';
import type { ChatOrigin, ChatSender, ChatState } from '../db/tables-chat';
import { NotFound } from '../errors';

export interface ChatMessageView {
  id: number;
  chatId: number;
  sender: ChatSender;
  agentId: number | null;
  senderName: string;
  html: string;
  text: string;
  createdAt: string;
}

export interface ChatParticipantView {
  agentId: number;
  login: string;
  name: string;
  state: 'invited' | 'joined' | 'left';
}

export interface ChatView {
  id: number;
  channelId: number | null;
  channelName: string | null;
  origin: ChatOrigin;
  state: ChatState;
  topic: string;
  /** Who is on the other side: the customer user's or the visitor's name (agent chats: the starter). */
  requester: string;
  customerUserId: number | null;
  visitorName: string | null;
  visitorEmail: string | null;
  participants: ChatParticipantView[];
  ticketId: number | null;
  createdAt: string;
  acceptedAt: string | null;
  closedAt: string | null;
  lastMessageId: number;
  /** Messages of others the caller has not read. */
  unread: number;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** The chat row, or 404 "chat not found". */
export async function chatRow(db: Kysely<DB>, id: number) {
  const row = await db.selectFrom('chats').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFound('chat');
  return row;
}
export type ChatRow = Awaited<ReturnType<typeof chatRow>>;

function messageView(r: { id: number; chat_id: number; sender: ChatSender; agent_id: number | null; sender_name: string; body_html: string; body_text: string; created_at: Date }): ChatMessageView {
  return { id: r.id, chatId: r.chat_id, sender: r.sender, agentId: r.agent_id, senderName: r.sender_name, html: r.body_html, text: r.body_text, createdAt: new Date(r.created_at).toISOString() };
}

/** Messages by id (the live hub reads back what was announced). */
export async function chatMessagesByIds(db: Kysely<DB>, ids: number[]): Promise<ChatMessageView[]> {
  if (!ids.length) return [];
  const rows = await db.selectFrom('chat_messages').selectAll().where('id', 'in', ids).orderBy('id').execute();
  return rows.map(messageView);
}

/** The messages of a chat after `afterId` (0: from the start), oldest first, at most `limit`. */
export async function chatMessagesAfter(db: Kysely<DB>, chatId: number, afterId: number, limit: number): Promise<ChatMessageView[]> {
  const rows = await db.selectFrom('chat_messages').selectAll().where('chat_id', '=', chatId).where('id', '>', afterId).orderBy('id').limit(limit).execute();
  return rows.map(messageView);
}

/** Every message of a chat, oldest first (transcripts). */
export function allChatMessages(db: Kysely<DB>, chatId: number): Promise<ChatMessageView[]> {
  return chatMessagesAfter(db, chatId, 0, 100_000);
}

/** Inserts a message; resolves to its id. */
export async function insertChatMessage(
  db: Kysely<DB>,
  m: { chatId: number; sender: ChatSender; agentId?: number | null; senderName: string; html: string; text: string; now: Date },
): Promise<number> {
  const r = await db
    .insertInto('chat_messages')
    .values({ chat_id: m.chatId, sender: m.sender, agent_id: m.agentId ?? null, sender_name: m.senderName, body_html: m.html, body_text: m.text, created_at: m.now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

/** How many messages a sender wrote in a chat since `since` (flood limit). */
export async function countRecentMessages(db: Kysely<DB>, chatId: number, sender: { kind: ChatSender; agentId?: number }, since: Date): Promise<number> {
  let q = db.selectFrom('chat_messages').select((eb) => eb.fn.countAll<string>().as('n')).where('chat_id', '=', chatId).where('sender', '=', sender.kind).where('created_at', '>=', since);
  if (sender.agentId) q = q.where('agent_id', '=', sender.agentId);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/**
 * The views of these chats for a reader: `agentId` for an agent's unread counts, else the
 * customer's read position (a customer or visitor reads the others' messages: agents and system).
 */
export async function chatViews(db: Kysely<DB>, ids: number[], reader: { agentId?: number; customer?: boolean }): Promise<ChatView[]> {
  if (!ids.length) return [];
  const rows = await db
    .selectFrom('chats as c')
    .leftJoin('chat_channels as ch', 'ch.id', 'c.channel_id')
    .leftJoin('customer_users as cu', 'cu.id', 'c.customer_user_id')
    .leftJoin('agents as ca', 'ca.id', 'c.created_by_agent_id')
    .select([
      'c.id', 'c.channel_id', 'ch.name as channel_name', 'c.origin', 'c.state', 'c.topic', 'c.customer_user_id', 'c.visitor_name', 'c.visitor_email', 'c.ticket_id',
      'c.created_at', 'c.accepted_at', 'c.closed_at', 'c.customer_last_read_id', 'cu.first_name as cu_first', 'cu.last_name as cu_last', 'cu.login as cu_login',
      'ca.first_name as ca_first', 'ca.last_name as ca_last',
      (eb) => eb.selectFrom('chat_messages as m').select((e) => e.fn.coalesce(e.fn.max('m.id'), sql<number>`0`).as('x')).whereRef('m.chat_id', '=', 'c.id').as('last_id'),
    ])
    .where('c.id', 'in', ids)
    .execute();
  const parts = await db
    .selectFrom('chat_participants as p')
    .innerJoin('agents as a', 'a.id', 'p.agent_id')
    .select(['p.chat_id', 'p.agent_id', 'p.state', 'p.last_read_id', 'a.login', 'a.first_name', 'a.last_name'])
    .where('p.chat_id', 'in', ids)
    .orderBy('p.joined_at')
    .execute();
  // Unread: messages of others after the reader's position.
  const unread = new Map<number, number>();
  if (reader.agentId || reader.customer) {
    const counts = await db
      .selectFrom('chat_messages as m')
      .innerJoin('chats as c', 'c.id', 'm.chat_id')
      .leftJoin('chat_participants as p', (j) => j.onRef('p.chat_id', '=', 'm.chat_id').on('p.agent_id', '=', reader.agentId ?? 0))
      .select(['m.chat_id', (eb) => eb.fn.countAll<string>().as('n')])
      .where('m.chat_id', 'in', ids)
      .where((eb) =>
        reader.agentId
          ? eb.and([eb('m.id', '>', eb.fn.coalesce('p.last_read_id', sql<number>`0`)), eb.or([eb('m.agent_id', 'is', null), eb('m.agent_id', '!=', reader.agentId)])])
          : eb.and([eb('m.id', '>', eb.ref('c.customer_last_read_id')), eb('m.sender', 'in', ['agent', 'system'])]),
      )
      .groupBy('m.chat_id')
      .execute();
    for (const r of counts) unread.set(r.chat_id, Number(r.n));
  }
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids
    .map((id) => byId.get(id))
    .filter((r) => !!r)
    .map((r) => ({
      id: r.id,
      channelId: r.channel_id,
      channelName: r.channel_name ?? null,
      origin: r.origin,
      state: r.state,
      topic: r.topic,
      requester:
        r.origin === 'public' ? (r.visitor_name ?? '') : r.origin === 'customer' || r.customer_user_id ? `${r.cu_first ?? ''} ${r.cu_last ?? ''}`.trim() || (r.cu_login ?? '') : `${r.ca_first ?? ''} ${r.ca_last ?? ''}`.trim(),
      customerUserId: r.customer_user_id,
      visitorName: r.visitor_name,
      visitorEmail: r.visitor_email,
      participants: parts.filter((p) => p.chat_id === r.id).map((p) => ({ agentId: p.agent_id, login: p.login, name: `${p.first_name} ${p.last_name}`.trim(), state: p.state })),
      ticketId: r.ticket_id,
      createdAt: iso(r.created_at)!,
      acceptedAt: iso(r.accepted_at),
      closedAt: iso(r.closed_at),
      lastMessageId: Number(r.last_id ?? 0),
      unread: unread.get(r.id) ?? 0,
    }));
}
