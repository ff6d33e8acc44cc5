/**
 * Who may see and take part in a chat — the one place that decides it, used by every chat query
 * (request list, conversations, unread counts, messages, live events).
 *
 * - A chat in a channel is seen by the agents holding `ro` on the channel's group (its request in
 *   the request list, its messages), and by every agent taking part in it (invited or joined).
 *   A chat between agents (no channel) is seen by its participants only.
 * - Writing (messages, invite, transfer, close, into a ticket) needs a joined participant;
 *   accepting a request needs `ro` on the channel's group, or an invitation.
 * - A customer user sees their own chats only; another's is a 404, as if it did not exist.
 * - A public visitor sees the one chat whose token they hold (checked by the chat service).
 *
 * @example
 * const chat = await chatRow(db, id);
 * await assertChat(access, chat, 'read'); // 404 "chat not found" for anyone else
 */
import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import type { DB } from '../db/schema';
import { Forbidden, NotFound } from '../errors';
import { agentsWithGroupPermission, type Access } from './access';

/** The chat columns that decide who may see it. */
export interface ChatAccessFields {
  id: number;
  channel_id: number | null;
  customer_user_id: number | null;
  origin: 'agent' | 'customer' | 'public';
  state: 'request' | 'active' | 'closed';
}

type Participation = 'invited' | 'joined' | 'left' | undefined;

async function participation(db: Kysely<DB>, chatId: number, agentId: number): Promise<Participation> {
  const r = await db.selectFrom('chat_participants').select('state').where('chat_id', '=', chatId).where('agent_id', '=', agentId).executeTakeFirst();
  return r?.state;
}

async function onChannel(db: Kysely<DB>, access: Access, channelId: number | null): Promise<boolean> {
  if (channelId == null) return false;
  const ch = await db.selectFrom('chat_channels').select('group_id').where('id', '=', channelId).executeTakeFirst();
  return !!ch && (await access.onGroup(ch.group_id, 'ro'));
}

/**
 * Throws unless the caller may do `what` with the chat: a failed read (or anything on a chat the
 * caller cannot read) is a 404 "chat not found"; a read-only agent who tries to write gets a 403.
 */
export async function assertChat(db: Kysely<DB>, access: Access, chat: ChatAccessFields, what: 'read' | 'write' | 'accept'): Promise<void> {
  const a = access.requireActor();
  if (a.kind === 'customer') {
    if (chat.customer_user_id !== a.id) throw new NotFound('chat');
    if (what === 'accept') throw new Forbidden('customer users cannot accept chats', 'PERMISSION_DENIED');
    return;
  }
  const part = await participation(db, chat.id, a.id);
  const channel = await onChannel(db, access, chat.channel_id);
  if (!part && !channel) throw new NotFound('chat');
  if (what === 'read') return;
  if (what === 'write' && part === 'joined') return;
  if (what === 'accept' && (channel || part === 'invited')) return;
  throw new Forbidden(what === 'accept' ? 'you may not accept this chat' : 'join the chat first (accept it) to write in it', 'PERMISSION_DENIED');
}

/**
 * A where-clause for `selectFrom('chats as c')` keeping the chats an agent may see: participants,
 * and the chats of channels whose group they hold `ro` on. Customers: their own.
 */
export async function chatFilter(db: Kysely<DB>, access: Access): Promise<(eb: ExpressionBuilder<DB & { c: DB['chats'] }, 'c'>) => Expression<SqlBool>> {
  const a = access.actor;
  if (!a) return (eb) => eb.val(false);
  if (a.kind === 'customer') return (eb) => eb('c.customer_user_id', '=', a.id);
  const groups = await access.groupIds('ro');
  return (eb) => {
    const ors: Expression<SqlBool>[] = [eb('c.id', 'in', eb.selectFrom('chat_participants as p').select('p.chat_id').where('p.agent_id', '=', a.id))];
    if (groups.length) ors.push(eb('c.channel_id', 'in', eb.selectFrom('chat_channels as ch').select('ch.id').where('ch.group_id', 'in', groups)));
    return eb.or(ors);
  };
}

/** Who hears of an event in a chat (live streams): its agents, its customer user, its visitor. */
export interface ChatAudience {
  agents: Set<number>;
  customerUserId: number | null;
  visitor: boolean;
}

/**
 * The audience of a chat: its invited and joined agents (and, with `channelToo`, every agent with
 * `ro` on its channel's group, who see its request), its customer user, and whether a public
 * visitor holds it. Undefined when the chat does not exist.
 */
export async function chatAudience(db: Kysely<DB>, chatId: number, channelToo: boolean): Promise<ChatAudience | undefined> {
  const chat = await db
    .selectFrom('chats as c')
    .leftJoin('chat_channels as ch', 'ch.id', 'c.channel_id')
    .select(['c.customer_user_id', 'c.origin', 'ch.group_id'])
    .where('c.id', '=', chatId)
    .executeTakeFirst();
  if (!chat) return undefined;
  const parts = await db.selectFrom('chat_participants').select('agent_id').where('chat_id', '=', chatId).where('state', '!=', 'left').execute();
  const agents = new Set(parts.map((p) => p.agent_id));
  if (channelToo && chat.group_id != null) for (const id of await agentsWithGroupPermission(db, chat.group_id, 'ro')) agents.add(id);
  return { agents, customerUserId: chat.customer_user_id, visitor: chat.origin === 'public' };
}
