/**
 * The chat rules (knows no HTTP): channels and availability, starting chats (agent ↔ agent, agent →
 * customer user, customer user → agent, public visitor → agent), the request list, accept, invite,
 * transfer, close, messages (sanitised, bounded, flood-limited), typing, read positions, and the
 * way into tickets (a new ticket, an article on one, the transcript mailed after close, a PDF).
 * Every change is one transaction that also announces itself on the live channel.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { agentsWithGroupPermission, type Access } from '../access/access';
import { assertChat, chatFilter } from '../access/chat';
import { ArticleService } from '../articles/service';
import { htmlToText, sanitizeArticleHtml } from '../articles/sanitize';
import type { DB } from '../db/schema';
import type { ChatAvailability, ChatSender, ChatStatus } from '../db/tables-chat';
import { BadRequest, Conflict, FieldTooLarge, NotFound, TooManyRequests } from '../errors';
import { announceChat } from '../live/notify';
import { queueMail } from '../mail/queue';
import type { Services } from '../services';
import { TicketService } from '../tickets/service';
import type { TicketView } from '../tickets/view';
import { allChatMessages, chatMessagesAfter, chatRow, chatViews, countRecentMessages, insertChatMessage, type ChatMessageView, type ChatRow, type ChatView } from './repo';
import { chatTexts } from './texts';
import { transcriptHtml, transcriptPdf, transcriptText } from './transcript';

/** Longest message, in characters of what the client sent. */
export const MAX_MESSAGE_CHARS = 4000;
const FLOOD_WINDOW_MS = 10_000;
const START_WINDOW_MS = 10 * 60_000;

/** Who writes: an agent, a customer user or the visitor of a public chat. */
export interface Party {
  kind: Exclude<ChatSender, 'system'>;
  agentId?: number;
  customerUserId?: number;
  name: string;
}

export interface MessageInput {
  body: string;
  /** `text` (default): line breaks kept, any markup shown as text; `html`: sanitised rich text. */
  format?: 'text' | 'html';
}

export interface AvailabilityView {
  availability: ChatAvailability;
  status: ChatStatus;
  channelIds: number[];
}

export interface ChannelView {
  id: number;
  name: string;
  groupId: number;
  isDefault: boolean;
  valid: boolean;
  /** Agents available (for customers, or also for the public) in the channel right now. */
  agentsAvailable: number;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
const hashToken = (t: string) => createHash('sha256').update(t).digest('hex');

/** Turns what a client sent into stored HTML and text: 413 over the limit, 400 when nothing is left. */
export function renderMessage(input: MessageInput, path = '/body'): { html: string; text: string } {
  if (input.body.length > MAX_MESSAGE_CHARS) throw new FieldTooLarge(`the message is longer than ${MAX_MESSAGE_CHARS} characters`, path, 'MESSAGE_TOO_LONG');
  const html = input.format === 'html' ? sanitizeArticleHtml(input.body) : escapeHtml(input.body.trim()).replace(/\r?\n/g, '<br>');
  const text = htmlToText(html);
  if (!text.trim() && !/<img\b/i.test(html)) throw new BadRequest('the message is empty', path, undefined, 'MESSAGE_EMPTY');
  return { html, text };
}

export class ChatService {
  constructor(private readonly services: Services) {}

  private get db(): Kysely<DB> {
    return this.services.database.db;
  }
  private now(): Date {
    return this.services.now();
  }

  // ---- channels and availability -----------------------------------------------------------

  /** The channels the caller may use: agents those of their groups (administrators all); customers and the public the valid ones. */
  async channels(access: Access): Promise<ChannelView[]> {
    let q = this.db.selectFrom('chat_channels').selectAll().orderBy('is_default', 'desc').orderBy('name');
    const a = access.actor;
    if (a?.kind === 'agent') {
      if (!(await access.isAdmin())) {
        const groups = await access.groupIds('ro');
        if (!groups.length) return [];
        q = q.where('group_id', 'in', groups);
      }
    } else q = q.where('valid', '=', true);
    const rows = await q.execute();
    const avail = await this.db.selectFrom('chat_availability').select(['agent_id', 'availability', 'channel_ids']).where('availability', '!=', 'unavailable').where('status', '=', 'online').execute();
    const out: ChannelView[] = [];
    for (const r of rows) {
      const wanted = a?.kind === 'agent' ? avail : avail.filter((x) => (a ? true : x.availability === 'external'));
      let n = 0;
      for (const x of wanted) if ((!x.channel_ids.length || x.channel_ids.includes(r.id)) && (await this.agentSees(x.agent_id, r.group_id))) n++;
      out.push({ id: r.id, name: r.name, groupId: r.group_id, isDefault: r.is_default, valid: r.valid, agentsAvailable: n });
    }
    return out;
  }

  private async agentSees(agentId: number, groupId: number): Promise<boolean> {
    return (await agentsWithGroupPermission(this.db, groupId, 'ro', [agentId])).length > 0;
  }

  /** Adds a channel (administrators); `isDefault` moves the default to it. */
  async createChannel(input: { name: string; groupId: number; isDefault?: boolean }): Promise<ChannelView> {
    const name = input.name.trim();
    if (!name) throw new BadRequest('the name is empty', '/name');
    const g = await this.db.selectFrom('groups').select('id').where('id', '=', input.groupId).executeTakeFirst();
    if (!g) throw new BadRequest(`unknown group ${input.groupId}`, '/groupId', undefined, 'UNKNOWN_REFERENCE');
    const id = await this.db.transaction().execute(async (trx) => {
      if (await trx.selectFrom('chat_channels').select('id').where('name', '=', name).executeTakeFirst()) throw new Conflict(`a channel named "${name}" exists`, '/name');
      if (input.isDefault) await trx.updateTable('chat_channels').set({ is_default: false }).where('is_default', '=', true).execute();
      return (await trx.insertInto('chat_channels').values({ name, group_id: input.groupId, is_default: !!input.isDefault }).returning('id').executeTakeFirstOrThrow()).id;
    });
    const r = await this.db.selectFrom('chat_channels').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return { id: r.id, name: r.name, groupId: r.group_id, isDefault: r.is_default, valid: r.valid, agentsAvailable: 0 };
  }

  /** The agent's availability, status and "my chat channels". */
  async availability(access: Access): Promise<AvailabilityView> {
    const me = access.requireAgent();
    const r = await this.db.selectFrom('chat_availability').selectAll().where('agent_id', '=', me.id).executeTakeFirst();
    return r ? { availability: r.availability, status: r.status, channelIds: r.channel_ids } : { availability: 'unavailable', status: 'online', channelIds: [] };
  }

  async setAvailability(access: Access, input: Partial<AvailabilityView>): Promise<AvailabilityView> {
    const me = access.requireAgent();
    const cur = await this.availability(access);
    const next = { ...cur, ...input };
    if (input.channelIds?.length) {
      const visible = new Set((await this.channels(access)).map((c) => c.id));
      input.channelIds.forEach((id, i) => {
        if (!visible.has(id)) throw new BadRequest(`unknown chat channel ${id}`, `/channelIds/${i}`, undefined, 'UNKNOWN_REFERENCE');
      });
    }
    const values = { availability: next.availability, status: next.status, channel_ids: JSON.stringify(next.channelIds), changed_at: this.now() };
    await this.db
      .insertInto('chat_availability')
      .values({ agent_id: me.id, ...values })
      .onConflict((oc) => oc.column('agent_id').doUpdateSet(values))
      .execute();
    return next;
  }

  private async channelFor(channelId: number | undefined, path: string): Promise<{ id: number; name: string }> {
    let q = this.db.selectFrom('chat_channels').select(['id', 'name']).where('valid', '=', true);
    q = channelId ? q.where('id', '=', channelId) : q.where('is_default', '=', true);
    const ch = await q.executeTakeFirst();
    if (!ch) throw new BadRequest(channelId ? `unknown chat channel ${channelId}` : 'there is no default chat channel', path, undefined, 'UNKNOWN_REFERENCE');
    return ch;
  }

  private async agentParty(agentId: number): Promise<Party> {
    const a = await this.db.selectFrom('agents').select(['first_name', 'last_name', 'login']).where('id', '=', agentId).executeTakeFirstOrThrow();
    return { kind: 'agent', agentId, name: `${a.first_name} ${a.last_name}`.trim() || a.login };
  }

  /** The caller as a chat party (an agent or a customer user). */
  async party(access: Access): Promise<Party> {
    const a = access.requireActor();
    if (a.kind === 'agent') return this.agentParty(a.id);
    const c = await this.db.selectFrom('customer_users').select(['first_name', 'last_name', 'login']).where('id', '=', a.id).executeTakeFirstOrThrow();
    return { kind: 'customer', customerUserId: a.id, name: `${c.first_name} ${c.last_name}`.trim() || c.login };
  }

  // ---- starting chats -------------------------------------------------------------------------

  /**
   * An agent starts a chat: with another agent (`agentId`: a request to them, no channel), with a
   * customer user (`customerUserId`: active at once, in the channel), or a request to any agent of a
   * channel (`channelId` alone).
   */
  async startAsAgent(access: Access, input: { agentId?: number; customerUserId?: number; channelId?: number; topic?: string; message?: MessageInput }): Promise<ChatView> {
    const me = await this.agentParty(access.requireAgent().id);
    const first = input.message ? renderMessage(input.message, '/message/body') : undefined;
    if (input.agentId !== undefined && input.customerUserId !== undefined) throw new BadRequest('name either an agent or a customer user', '/customerUserId');
    if (input.agentId !== undefined) {
      if (input.agentId === me.agentId) throw new BadRequest('you cannot chat with yourself', '/agentId');
      const other = await this.db.selectFrom('agents').select('id').where('id', '=', input.agentId).where('valid', '=', true).executeTakeFirst();
      if (!other) throw new BadRequest(`unknown agent ${input.agentId}`, '/agentId', undefined, 'UNKNOWN_REFERENCE');
    }
    if (input.customerUserId !== undefined) {
      const cu = await this.db.selectFrom('customer_users').select('id').where('id', '=', input.customerUserId).executeTakeFirst();
      if (!cu) throw new BadRequest(`unknown customer user ${input.customerUserId}`, '/customerUserId', undefined, 'UNKNOWN_REFERENCE');
    }
    const channel = input.agentId !== undefined ? undefined : await this.channelFor(input.channelId, '/channelId');
    const id = await this.db.transaction().execute(async (trx) => {
      const now = this.now();
      const toCustomer = input.customerUserId !== undefined;
      const chat = await trx
        .insertInto('chats')
        .values({
          channel_id: channel?.id ?? null, origin: 'agent', state: toCustomer ? 'active' : 'request', topic: input.topic?.trim() ?? '', created_by_agent_id: me.agentId!,
          customer_user_id: input.customerUserId ?? null, created_at: now, accepted_at: toCustomer ? now : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.insertInto('chat_participants').values({ chat_id: chat.id, agent_id: me.agentId!, state: 'joined', joined_at: now }).execute();
      if (input.agentId !== undefined) await trx.insertInto('chat_participants').values({ chat_id: chat.id, agent_id: input.agentId, state: 'invited', joined_at: now }).execute();
      if (first) await this.write(trx, chat.id, me, first, now);
      await announceChat(trx, { chat: chat.id, type: 'state' });
      return chat.id;
    });
    return this.view(access, id);
  }

  /** A customer user asks for a chat (portal): a request in the channel (default: the default channel). */
  async startAsCustomer(access: Access, input: { channelId?: number; topic?: string; message: MessageInput }): Promise<ChatView> {
    const me = await this.party(access);
    if (me.kind !== 'customer') throw new BadRequest('this is for customer users; agents start chats with POST /chat/chats', undefined, undefined, 'CUSTOMER_REQUIRED');
    const first = renderMessage(input.message, '/message/body');
    const channel = await this.channelFor(input.channelId, '/channelId');
    const id = await this.db.transaction().execute(async (trx) => {
      const now = this.now();
      const chat = await trx
        .insertInto('chats')
        .values({ channel_id: channel.id, origin: 'customer', state: 'request', topic: input.topic?.trim() ?? '', customer_user_id: me.customerUserId!, created_by_agent_id: null, created_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await this.write(trx, chat.id, me, first, now);
      await announceChat(trx, { chat: chat.id, type: 'state' });
      return chat.id;
    });
    return this.view(access, id);
  }

  /**
   * A public visitor asks for a chat from the website widget: name and email required, at most
   * `chatStartsPerAddress` chats per client address in 10 minutes (429). Answers the chat and the
   * token that is the visitor's only credential for it (sent as `X-Chat-Token`).
   */
  async startPublic(
    input: { name: string; email: string; channelId?: number; topic?: string; message: MessageInput },
    meta: { remoteAddr: string; language: string },
  ): Promise<{ chat: ChatView; token: string }> {
    const name = input.name.trim();
    const email = input.email.trim().toLowerCase();
    if (!name) throw new BadRequest('your name is needed', '/name', undefined, 'VALIDATION_FAILED');
    if (!/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/.test(email)) throw new BadRequest('a valid email address is needed', '/email', undefined, 'VALIDATION_FAILED');
    const first = renderMessage(input.message, '/message/body');
    const channel = await this.channelFor(input.channelId, '/channelId');
    const max = this.services.config.chatStartsPerAddress;
    const token = randomBytes(24).toString('base64url');
    const id = await this.db.transaction().execute(async (trx) => {
      const now = this.now();
      if (max > 0) {
        // Serialise the starts of one address so two parallel requests cannot both pass the count.
        await sql`select pg_advisory_xact_lock(hashtext(${'chat-start:' + meta.remoteAddr}))`.execute(trx);
        const since = new Date(now.getTime() - START_WINDOW_MS);
        const n = await trx.selectFrom('chats').select((eb) => eb.fn.countAll<string>().as('n')).where('origin', '=', 'public').where('remote_addr', '=', meta.remoteAddr).where('created_at', '>=', since).executeTakeFirstOrThrow();
        if (Number(n.n) >= max) throw new TooManyRequests(`too many chats started from your address; at most ${max} in 10 minutes, try again later`, 600, 'CHAT_FLOOD');
      }
      const chat = await trx
        .insertInto('chats')
        .values({
          channel_id: channel.id, origin: 'public', state: 'request', topic: input.topic?.trim() ?? '', visitor_name: name, visitor_email: email, visitor_token_hash: hashToken(token),
          remote_addr: meta.remoteAddr, language: meta.language === 'de' ? 'de' : 'en', created_by_agent_id: null, customer_user_id: null, created_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await this.write(trx, chat.id, { kind: 'visitor', name }, first, now);
      await announceChat(trx, { chat: chat.id, type: 'state' });
      return chat.id;
    });
    return { chat: (await chatViews(this.db, [id], { customer: true }))[0]!, token };
  }

  /** The public chat whose token this is (404 for a wrong token, as for a chat that does not exist). */
  async visitorChat(chatId: number, token: string | undefined): Promise<ChatRow> {
    const chat = await this.db.selectFrom('chats').selectAll().where('id', '=', chatId).where('origin', '=', 'public').executeTakeFirst();
    if (!chat?.visitor_token_hash || !token) throw new NotFound('chat');
    const a = Buffer.from(chat.visitor_token_hash, 'hex');
    const b = Buffer.from(hashToken(token), 'hex');
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw new NotFound('chat');
    return chat;
  }

  visitorParty(chat: ChatRow): Party {
    return { kind: 'visitor', name: chat.visitor_name ?? '' };
  }

  // ---- reading ----------------------------------------------------------------------------------

  private async readable(access: Access, id: number): Promise<ChatRow> {
    const chat = await chatRow(this.db, id);
    await assertChat(this.db, access, chat, 'read');
    return chat;
  }

  private reader(access: Access) {
    const a = access.requireActor();
    return a.kind === 'agent' ? { agentId: a.id } : { customer: true };
  }

  /** One chat (404 when the caller may not see it). */
  async view(access: Access, id: number): Promise<ChatView> {
    await this.readable(access, id);
    const v = (await chatViews(this.db, [id], this.reader(access)))[0]!;
    return access.actor?.kind === 'customer' ? { ...v, visitorEmail: null } : v;
  }

  /** A visitor's view of their chat. */
  async visitorView(chat: ChatRow): Promise<ChatView> {
    return (await chatViews(this.db, [chat.id], { customer: true }))[0]!;
  }

  /**
   * The caller's conversations: an agent's chats they take part in (not left), a customer user's
   * own chats; `state` narrows them. Newest first, with unread counts.
   */
  async list(access: Access, state?: 'request' | 'active' | 'closed'): Promise<ChatView[]> {
    const a = access.requireActor();
    const where = await chatFilter(this.db, access);
    let q = this.db.selectFrom('chats as c').select('c.id').where(where).orderBy('c.id', 'desc').limit(200);
    if (a.kind === 'agent') q = q.where('c.id', 'in', this.db.selectFrom('chat_participants').select('chat_id').where('agent_id', '=', a.id).where('state', '!=', 'left'));
    if (state) q = q.where('c.state', '=', state);
    const ids = (await q.execute()).map((r) => r.id);
    return chatViews(this.db, ids, this.reader(access));
  }

  /**
   * The request list of an agent: requests in the channels they may see (narrowed to "my chat
   * channels" when set), as far as their availability allows (customer users need internal,
   * public visitors internal and external), plus the chats they are invited to.
   */
  async requests(access: Access): Promise<ChatView[]> {
    const me = access.requireAgent();
    const where = await chatFilter(this.db, access);
    const avail = await this.availability(access);
    const origins: Array<'agent' | 'customer' | 'public'> = avail.availability === 'external' ? ['agent', 'customer', 'public'] : avail.availability === 'internal' ? ['agent', 'customer'] : ['agent'];
    const rows = await this.db
      .selectFrom('chats as c')
      .select('c.id')
      .where(where)
      .where('c.state', 'in', ['request', 'active'])
      .where((eb) =>
        eb.or([
          eb('c.id', 'in', eb.selectFrom('chat_participants as p').select('p.chat_id').where('p.agent_id', '=', me.id).where('p.state', '=', 'invited')),
          eb.and([
            eb('c.state', '=', 'request'),
            eb('c.origin', 'in', origins),
            eb('c.id', 'not in', eb.selectFrom('chat_participants as p').select('p.chat_id').where('p.agent_id', '=', me.id)),
            ...(avail.channelIds.length ? [eb('c.channel_id', 'in', avail.channelIds)] : []),
          ]),
        ]),
      )
      .orderBy('c.id')
      .limit(200)
      .execute();
    return chatViews(this.db, rows.map((r) => r.id), { agentId: me.id });
  }

  /** Messages after `after` (a client that reconnects asks for what it missed). */
  async messages(access: Access, id: number, after: number, limit: number): Promise<ChatMessageView[]> {
    await this.readable(access, id);
    return chatMessagesAfter(this.db, id, after, limit);
  }

  visitorMessages(chat: ChatRow, after: number, limit: number): Promise<ChatMessageView[]> {
    return chatMessagesAfter(this.db, chat.id, after, limit);
  }

  // ---- writing ------------------------------------------------------------------------------------

  private async write(trx: Kysely<DB>, chatId: number, party: Party | { kind: 'system'; name: string }, body: { html: string; text: string }, now: Date): Promise<number> {
    const id = await insertChatMessage(trx, { chatId, sender: party.kind, agentId: 'agentId' in party ? party.agentId : null, senderName: party.name, html: body.html, text: body.text, now });
    await announceChat(trx, { chat: chatId, type: 'message', message: id });
    return id;
  }

  private system(trx: Kysely<DB>, chatId: number, text: string, now: Date): Promise<number> {
    return this.write(trx, chatId, { kind: 'system', name: 'System' }, { html: `<em>${escapeHtml(text)}</em>`, text }, now);
  }

  /** Sends a message as an agent (joined) or the chat's customer user. */
  async send(access: Access, id: number, input: MessageInput): Promise<ChatMessageView> {
    const chat = await chatRow(this.db, id);
    await assertChat(this.db, access, chat, 'write');
    return this.post(chat, await this.party(access), input);
  }

  /** Sends a message as the visitor of a public chat. */
  sendAsVisitor(chat: ChatRow, input: MessageInput): Promise<ChatMessageView> {
    return this.post(chat, this.visitorParty(chat), input);
  }

  private async post(chat: ChatRow, party: Party, input: MessageInput): Promise<ChatMessageView> {
    if (chat.state === 'closed') throw new Conflict('the chat is closed', undefined, 'CHAT_CLOSED');
    const body = renderMessage(input);
    const max = this.services.config.chatMessagesPer10s;
    const id = await this.db.transaction().execute(async (trx) => {
      const now = this.now();
      const since = new Date(now.getTime() - FLOOD_WINDOW_MS);
      await sql`select pg_advisory_xact_lock(hashtext(${`chat-send:${chat.id}:${party.kind}:${party.agentId ?? ''}`}))`.execute(trx);
      if (max > 0 && (await countRecentMessages(trx, chat.id, { kind: party.kind, agentId: party.agentId }, since)) >= max) {
        throw new TooManyRequests(`too many messages: at most ${max} in 10 seconds; wait a moment`, 10, 'CHAT_FLOOD');
      }
      if (party.kind === 'visitor' && max > 0) {
        // Per address too: one address may not flood through several chats at once.
        const n = await trx
          .selectFrom('chat_messages as m')
          .innerJoin('chats as c', 'c.id', 'm.chat_id')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('c.remote_addr', '=', chat.remote_addr)
          .where('m.sender', '=', 'visitor')
          .where('m.created_at', '>=', since)
          .executeTakeFirstOrThrow();
        if (Number(n.n) >= max * 2) throw new TooManyRequests(`too many messages from your address: at most ${max * 2} in 10 seconds; wait a moment`, 10, 'CHAT_FLOOD');
      }
      const mid = await this.write(trx, chat.id, party, body, now);
      if (party.kind === 'agent') await trx.updateTable('chat_participants').set({ last_read_id: mid }).where('chat_id', '=', chat.id).where('agent_id', '=', party.agentId!).execute();
      else await trx.updateTable('chats').set({ customer_last_read_id: mid }).where('id', '=', chat.id).execute();
      return mid;
    });
    return (await chatMessagesAfter(this.db, chat.id, id - 1, 1))[0]!;
  }

  /** Tells the others that the caller types (not stored). */
  async typing(access: Access, id: number): Promise<void> {
    const chat = await chatRow(this.db, id);
    await assertChat(this.db, access, chat, 'write');
    if (chat.state === 'closed') return;
    const p = await this.party(access);
    await announceChat(this.db, { chat: id, type: 'typing', who: p.kind === 'agent' ? `agent:${p.agentId}` : `customer:${p.customerUserId}`, name: p.name });
  }

  async visitorTyping(chat: ChatRow): Promise<void> {
    if (chat.state === 'closed') return;
    await announceChat(this.db, { chat: chat.id, type: 'typing', who: 'visitor', name: chat.visitor_name ?? '' });
  }

  /** Marks the chat read up to `lastId` (unread counts). */
  async markRead(access: Access, id: number, lastId: number): Promise<ChatView> {
    const chat = await this.readable(access, id);
    const a = access.requireActor();
    if (a.kind === 'agent') {
      await this.db.updateTable('chat_participants').set({ last_read_id: lastId }).where('chat_id', '=', chat.id).where('agent_id', '=', a.id).where('last_read_id', '<', lastId).execute();
    } else {
      await this.db.updateTable('chats').set({ customer_last_read_id: lastId }).where('id', '=', chat.id).where('customer_last_read_id', '<', lastId).execute();
    }
    return this.view(access, id);
  }

  private async changeState(chat: ChatRow, fn: (trx: Kysely<DB>, now: Date) => Promise<void>): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      // One change at a time per chat: two agents accepting at once both see the first one's work.
      const locked = await trx.selectFrom('chats').select('state').where('id', '=', chat.id).forUpdate().executeTakeFirstOrThrow();
      if (locked.state === 'closed') throw new Conflict('the chat is closed', undefined, 'CHAT_CLOSED');
      await fn(trx, this.now());
      await announceChat(trx, { chat: chat.id, type: 'state' });
    });
  }

  /** Accepts a request (or an invitation): the agent joins and the chat becomes active. */
  async accept(access: Access, id: number): Promise<ChatView> {
    const chat = await chatRow(this.db, id);
    await assertChat(this.db, access, chat, 'accept');
    const me = await this.party(access);
    await this.changeState(chat, async (trx, now) => {
      const part = await trx.selectFrom('chat_participants').select('state').where('chat_id', '=', id).where('agent_id', '=', me.agentId!).executeTakeFirst();
      if (part?.state === 'joined') return;
      if (part) await trx.updateTable('chat_participants').set({ state: 'joined', joined_at: now }).where('chat_id', '=', id).where('agent_id', '=', me.agentId!).execute();
      else await trx.insertInto('chat_participants').values({ chat_id: id, agent_id: me.agentId!, state: 'joined', joined_at: now }).execute();
      await trx.updateTable('chats').set({ state: 'active', accepted_at: sql`coalesce(accepted_at, ${now})` }).where('id', '=', id).execute();
      await this.system(trx, id, chatTexts(chat.language).joined(me.name), now);
    });
    return this.view(access, id);
  }

  /** Invites another agent into the chat (they see it in their request list and accept). */
  async invite(access: Access, id: number, agentId: number): Promise<ChatView> {
    const chat = await chatRow(this.db, id);
    await assertChat(this.db, access, chat, 'write');
    const other = await this.db.selectFrom('agents').select('id').where('id', '=', agentId).where('valid', '=', true).executeTakeFirst();
    if (!other) throw new BadRequest(`unknown agent ${agentId}`, '/agentId', undefined, 'UNKNOWN_REFERENCE');
    const them = await this.agentParty(agentId);
    await this.changeState(chat, async (trx, now) => {
      const part = await trx.selectFrom('chat_participants').select('state').where('chat_id', '=', id).where('agent_id', '=', agentId).executeTakeFirst();
      if (part?.state === 'joined') throw new Conflict('the agent is already in the chat', '/agentId');
      if (part) await trx.updateTable('chat_participants').set({ state: 'invited' }).where('chat_id', '=', id).where('agent_id', '=', agentId).execute();
      else await trx.insertInto('chat_participants').values({ chat_id: id, agent_id: agentId, state: 'invited', joined_at: now }).execute();
      await this.system(trx, id, chatTexts(chat.language).invited(them.name), now);
    });
    return this.view(access, id);
  }

  /** Hands the chat to another channel: it becomes a request there, and the agent leaves it. */
  async transfer(access: Access, id: number, channelId: number): Promise<ChatView> {
    const chat = await chatRow(this.db, id);
    await assertChat(this.db, access, chat, 'write');
    const channel = await this.channelFor(channelId, '/channelId');
    const me = await this.party(access);
    await this.changeState(chat, async (trx, now) => {
      await trx.updateTable('chats').set({ channel_id: channel.id, state: 'request' }).where('id', '=', id).execute();
      await trx.updateTable('chat_participants').set({ state: 'left' }).where('chat_id', '=', id).where('agent_id', '=', me.agentId!).execute();
      await this.system(trx, id, chatTexts(chat.language).transferred(channel.name), now);
    });
    return (await chatViews(this.db, [id], { agentId: me.agentId }))[0]!;
  }

  /** Closes the chat (an agent in it, its customer user, or its visitor); mails the transcript to the customer. */
  async close(access: Access, id: number): Promise<ChatView> {
    const chat = await chatRow(this.db, id);
    await assertChat(this.db, access, chat, access.actor?.kind === 'customer' ? 'read' : 'write');
    await this.closeChat(chat, await this.party(access));
    return this.view(access, id);
  }

  async closeAsVisitor(chat: ChatRow): Promise<ChatView> {
    await this.closeChat(chat, this.visitorParty(chat));
    return this.visitorView(chat);
  }

  private async closeChat(chat: ChatRow, by: Party): Promise<void> {
    const t = chatTexts(chat.language);
    await this.changeState(chat, async (trx, now) => {
      await trx.updateTable('chats').set({ state: 'closed', closed_at: now }).where('id', '=', chat.id).execute();
      await this.system(trx, chat.id, t.closed(by.name), now);
      // The transcript goes to the customer through the one outbound mail queue, with the close.
      const to = chat.origin === 'public' ? { email: chat.visitor_email, name: chat.visitor_name } : await this.customerAddress(trx, chat.customer_user_id);
      if (!to?.email) return;
      const messages = await allChatMessages(trx, chat.id);
      await queueMail(trx, {
        purpose: 'chat-transcript',
        to: [to.email],
        subject: t.mailSubject,
        text: t.mailIntro(to.name ?? '') + transcriptText(messages),
        html: `<p>${escapeHtml(t.mailIntro(to.name ?? '')).replace(/\n/g, '<br>')}</p>${transcriptHtml(messages)}`,
        auto: true,
      }, { now });
    });
  }

  private async customerAddress(db: Kysely<DB>, customerUserId: number | null): Promise<{ email: string; name: string } | undefined> {
    if (customerUserId == null) return undefined;
    const c = await db.selectFrom('customer_users').select(['email', 'first_name', 'last_name']).where('id', '=', customerUserId).executeTakeFirst();
    return c?.email ? { email: c.email, name: `${c.first_name} ${c.last_name}`.trim() } : undefined;
  }

  // ---- into tickets ---------------------------------------------------------------------------------

  private async transcriptArticle(chat: ChatRow) {
    const messages = await allChatMessages(this.db, chat.id);
    const cust = chat.origin === 'public' ? { email: chat.visitor_email ?? '', name: chat.visitor_name ?? '' } : await this.customerAddress(this.db, chat.customer_user_id);
    const t = chatTexts(chat.language);
    return {
      title: chat.topic || t.ticketTitle(cust?.name || `#${chat.id}`),
      article: {
        channel: 'chat' as const,
        senderType: chat.origin === 'agent' && !chat.customer_user_id ? ('agent' as const) : ('customer' as const),
        direction: 'incoming' as const,
        visibleForCustomer: true,
        ...(cust?.email ? { from: cust.name ? `"${cust.name.replace(/["\\]/g, '')}" <${cust.email}>` : cust.email } : {}),
        subject: t.transcriptTitle(chat.id),
        contentType: 'text/html' as const,
        body: transcriptHtml(messages) || '<p></p>',
      },
    };
  }

  /** Makes a ticket of the chat, its transcript the first article; the chat remembers the ticket. */
  async toTicket(access: Access, id: number, input: { queue?: string; queueId?: number; title?: string }): Promise<TicketView> {
    const chat = await chatRow(this.db, id);
    await assertChat(this.db, access, chat, 'write');
    if (chat.ticket_id) throw new Conflict(`the chat is already ticket ${chat.ticket_id}; append it there instead`, undefined, 'CHAT_HAS_TICKET');
    const { title, article } = await this.transcriptArticle(chat);
    const ticket = await new TicketService(this.services).create(access, {
      title: input.title?.trim() || title,
      ...(input.queueId ? { queueId: input.queueId } : { queue: input.queue ?? 'Raw' }),
      ...(chat.customer_user_id ? { customerUserId: chat.customer_user_id } : {}),
      article,
    });
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('chats').set({ ticket_id: ticket.id }).where('id', '=', id).execute();
      await announceChat(trx, { chat: id, type: 'state' });
    });
    return ticket;
  }

  /** Appends the transcript to a ticket as a chat article (the agent's note right on the ticket). */
  async appendToTicket(access: Access, id: number, ticketId: number): Promise<{ articleId: number }> {
    const chat = await chatRow(this.db, id);
    await assertChat(this.db, access, chat, 'write');
    const { article } = await this.transcriptArticle(chat);
    const view = await new ArticleService(this.services).add(access, ticketId, article);
    if (!chat.ticket_id) {
      await this.db.transaction().execute(async (trx) => {
        await trx.updateTable('chats').set({ ticket_id: ticketId }).where('id', '=', id).execute();
        await announceChat(trx, { chat: id, type: 'state' });
      });
    }
    return { articleId: view.id };
  }

  /** The transcript as a PDF (whoever may read the chat). */
  async pdf(access: Access, id: number): Promise<Buffer> {
    const chat = await this.readable(access, id);
    return transcriptPdf(chatTexts(chat.language).transcriptTitle(id), await allChatMessages(this.db, id));
  }
}
