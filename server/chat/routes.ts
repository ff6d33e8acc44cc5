/**
 * `/api/v1/chat`: chat channels, agents' availability, the request list, conversations (agents and
 * customer users, signed in), their messages (after an id: a client that reconnects asks for what
 * it missed), accept / invite / transfer / close, the way into tickets and the PDF transcript; and
 * under `/chat/public` the website widget's endpoints for public visitors (no login: the chat's
 * token in `X-Chat-Token` is the credential; callable from other origins, see `cors.ts`), plus the
 * widget script itself (`/chat/widget.js`). Live events: `/events` (`chat` events) for signed-in
 * callers, `/chat/public/chats/{id}/events?token=` for a visitor.
 */
import type { Context } from 'hono';
import { Access } from '../access/access';
import { remoteAddr } from '../auth/routes';
import { BadRequest } from '../errors';
import { ApiRouter, idSchema, reply } from '../http/api';
import type { AppEnv } from '../http/env';
import { language } from '../i18n/request';
import { eventStream } from '../live/routes';
import { ticketView } from '../tickets/schema';
import {
  afterQuery,
  appendBody,
  appendView,
  availabilityBody,
  availabilityView,
  channelBody,
  channelList,
  channelView,
  chatList,
  chatView,
  inviteBody,
  messageInput,
  messageList,
  messageView,
  publicStartBody,
  publicStartView,
  publicStatusView,
  readBody,
  startBody,
  stateQuery,
  ticketBody,
  transferBody,
  type AfterQuery,
  type PublicStartBody,
  type StartBody,
} from './schema';
import { ChatService, type AvailabilityView, type MessageInput } from './service';
import { widgetScript } from './widget';

const chats = (c: Context<AppEnv>) => new ChatService(c.get('services'));
const id = { id: idSchema };
const token = (c: Context<AppEnv>) => c.req.header('x-chat-token') ?? c.req.query('token');

export function chatRouter(): ApiRouter {
  const api = new ApiRouter('/chat', 'Chat');

  // ---- the website widget (public) ----------------------------------------------------------------
  api.get(
    '/widget.js',
    {
      summary: 'The website chat widget (a script for any web page)',
      description: 'Add `<script src="https://helpdesk.example.com/api/v1/chat/widget.js" async></script>` to a page on any origin; it talks to `/chat/public` only.',
      auth: 'none',
      responses: { 200: { binary: 'text/javascript' } },
    },
    () => new Response(widgetScript(), { status: 200, headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=300' } }),
  );

  api.get('/public/status', { summary: 'Whether agents are available for public chats (the widget shows itself then)', auth: 'none', responses: { 200: publicStatusView } }, async (c) => {
    const channels = await chats(c).channels(new Access(c.get('services').database.db, undefined)); // as the public sees them
    return { available: channels.some((ch) => ch.agentsAvailable > 0), channels: channels.map((ch) => ({ id: ch.id, name: ch.name, available: ch.agentsAvailable > 0 })) };
  });

  api.post<unknown, unknown, PublicStartBody>(
    '/public/chats',
    {
      summary: 'A public visitor asks for a chat (name and email required)',
      description: 'Answers the chat and its `token`: send it as `X-Chat-Token` on every later call. At most `CHAT_STARTS_PER_ADDRESS` chats per client address in 10 minutes (429 `CHAT_FLOOD`). No cookie is read.',
      auth: 'none',
      body: publicStartBody,
      responses: { 201: publicStartView },
    },
    async (c, { body }) => reply(201, await chats(c).startPublic(body, { remoteAddr: remoteAddr(c), language: language() })),
  );

  api.get<{ id: number }>('/public/chats/:id', { summary: "The visitor's chat", auth: 'none', params: id, responses: { 200: chatView } }, async (c, { params }) => {
    const s = chats(c);
    return s.visitorView(await s.visitorChat(params.id, token(c)));
  });

  api.get<{ id: number }, AfterQuery>(
    '/public/chats/:id/messages',
    { summary: "The visitor's chat messages after an id", auth: 'none', params: id, query: afterQuery, responses: { 200: messageList } },
    async (c, { params, query }) => {
      const s = chats(c);
      return { items: await s.visitorMessages(await s.visitorChat(params.id, token(c)), query.after, query.limit) };
    },
  );

  api.post<{ id: number }, unknown, MessageInput>(
    '/public/chats/:id/messages',
    { summary: 'The visitor writes', description: '413 `MESSAGE_TOO_LONG` over 4,000 characters; 429 `CHAT_FLOOD` over the flood limit.', auth: 'none', params: id, body: messageInput, responses: { 201: messageView } },
    async (c, { params, body }) => {
      const s = chats(c);
      return reply(201, await s.sendAsVisitor(await s.visitorChat(params.id, token(c)), body));
    },
  );

  api.post<{ id: number }>('/public/chats/:id/typing', { summary: 'The visitor types', auth: 'none', params: id, responses: { 204: null } }, async (c, { params }) => {
    const s = chats(c);
    await s.visitorTyping(await s.visitorChat(params.id, token(c)));
    return reply(204, null);
  });

  api.post<{ id: number }>('/public/chats/:id/close', { summary: 'The visitor ends the chat (the transcript is mailed to them)', auth: 'none', params: id, responses: { 200: chatView } }, async (c, { params }) => {
    const s = chats(c);
    return s.closeAsVisitor(await s.visitorChat(params.id, token(c)));
  });

  api.get<{ id: number }>(
    '/public/chats/:id/events',
    {
      summary: "The visitor's live chat events (Server-Sent Events; `?token=`, as EventSource sends no headers)",
      description: '`chat` events as on `/events`. After a reconnect, ask `/messages?after=` for what was missed.',
      auth: 'none',
      params: id,
      query: { type: 'object', properties: { token: { type: 'string', maxLength: 200 } } },
      responses: { 200: { binary: 'text/event-stream' } },
    },
    async (c, { params }) => {
      const chat = await chats(c).visitorChat(params.id, token(c));
      return eventStream(c, { chatId: chat.id, chat: (write) => (e) => write('chat', e) });
    },
  );

  // ---- signed-in callers ----------------------------------------------------------------------------
  api.get('/channels', { summary: 'The chat channels I may use (agents: of my groups; administrators: all)', auth: 'any', responses: { 200: channelList } }, async (c) => ({
    items: await chats(c).channels(c.get('access')),
  }));

  api.post<unknown, unknown, { name: string; groupId: number; isDefault?: boolean }>(
    '/channels',
    { summary: 'Add a chat channel (agents with ro on its group see its chats)', auth: 'admin', body: channelBody, responses: { 201: channelView } },
    async (c, { body }) => reply(201, await chats(c).createChannel(body)),
  );

  api.get('/availability', { summary: 'My chat availability, status and chat channels', auth: 'agent', responses: { 200: availabilityView } }, (c) => chats(c).availability(c.get('access')));

  api.put<unknown, unknown, Partial<AvailabilityView>>(
    '/availability',
    { summary: 'Set my chat availability (not available / internal / internal and external), status and chat channels', auth: 'agent', body: availabilityBody, responses: { 200: availabilityView } },
    (c, { body }) => chats(c).setAvailability(c.get('access'), body),
  );

  api.get('/requests', { summary: 'The request list: chats waiting for an agent, as far as my availability and channels allow, and my invitations', auth: 'agent', responses: { 200: chatList } }, async (c) => ({
    items: await chats(c).requests(c.get('access')),
  }));

  api.get<unknown, { state?: 'request' | 'active' | 'closed' }>(
    '/chats',
    { summary: 'My conversations (agents: the chats I am in; customer users: mine), newest first, with unread counts', auth: 'any', query: stateQuery, responses: { 200: chatList } },
    async (c, { query }) => ({ items: await chats(c).list(c.get('access'), query.state) }),
  );

  api.post<unknown, unknown, StartBody>(
    '/chats',
    {
      summary: 'Start a chat',
      description: 'Agents: with an agent (`agentId`), with a customer user (`customerUserId`), or a request to a channel. Customer users (portal): a request to a channel, `message` required.',
      auth: 'any',
      body: startBody,
      responses: { 201: chatView },
    },
    async (c, { body }) => {
      const access = c.get('access');
      const s = chats(c);
      if (access.requireActor().kind === 'customer') {
        if (!body.message) throw new BadRequest('a first message is needed', '/message');
        return reply(201, await s.startAsCustomer(access, { channelId: body.channelId, topic: body.topic, message: body.message }));
      }
      return reply(201, await s.startAsAgent(access, body));
    },
  );

  api.get<{ id: number }>('/chats/:id', { summary: 'One chat (404 for a chat that is not mine to see)', auth: 'any', params: id, responses: { 200: chatView } }, (c, { params }) => chats(c).view(c.get('access'), params.id));

  api.get<{ id: number }, AfterQuery>(
    '/chats/:id/messages',
    { summary: 'The messages after an id (oldest first)', auth: 'any', params: id, query: afterQuery, responses: { 200: messageList } },
    async (c, { params, query }) => ({ items: await chats(c).messages(c.get('access'), params.id, query.after, query.limit) }),
  );

  api.post<{ id: number }, unknown, MessageInput>(
    '/chats/:id/messages',
    { summary: 'Write in a chat', description: '413 `MESSAGE_TOO_LONG` over 4,000 characters; 429 `CHAT_FLOOD` over the flood limit; 409 `CHAT_CLOSED`.', auth: 'any', params: id, body: messageInput, responses: { 201: messageView } },
    async (c, { params, body }) => reply(201, await chats(c).send(c.get('access'), params.id, body)),
  );

  api.post<{ id: number }>('/chats/:id/typing', { summary: 'Tell the others I am typing', auth: 'any', params: id, responses: { 204: null } }, async (c, { params }) => {
    await chats(c).typing(c.get('access'), params.id);
    return reply(204, null);
  });

  api.post<{ id: number }, unknown, { lastId: number }>('/chats/:id/read', { summary: 'Mark read up to a message id', auth: 'any', params: id, body: readBody, responses: { 200: chatView } }, (c, { params, body }) =>
    chats(c).markRead(c.get('access'), params.id, body.lastId),
  );

  api.post<{ id: number }>('/chats/:id/accept', { summary: 'Accept a chat request or an invitation', auth: 'agent', params: id, responses: { 200: chatView } }, (c, { params }) => chats(c).accept(c.get('access'), params.id));

  api.post<{ id: number }, unknown, { agentId: number }>('/chats/:id/invite', { summary: 'Invite another agent', auth: 'agent', params: id, body: inviteBody, responses: { 200: chatView } }, (c, { params, body }) =>
    chats(c).invite(c.get('access'), params.id, body.agentId),
  );

  api.post<{ id: number }, unknown, { channelId: number }>(
    '/chats/:id/transfer',
    { summary: 'Transfer the chat to a channel (it waits there as a request; I leave it)', auth: 'agent', params: id, body: transferBody, responses: { 200: chatView } },
    (c, { params, body }) => chats(c).transfer(c.get('access'), params.id, body.channelId),
  );

  api.post<{ id: number }>('/chats/:id/close', { summary: 'Close the chat (the customer gets the transcript by mail)', auth: 'any', params: id, responses: { 200: chatView } }, (c, { params }) => chats(c).close(c.get('access'), params.id));

  api.post<{ id: number }, unknown, { queue?: string; queueId?: number; title?: string }>(
    '/chats/:id/ticket',
    { summary: 'Make a ticket of the chat (the transcript is its first article)', auth: 'agent', params: id, body: ticketBody, responses: { 201: ticketView } },
    async (c, { params, body }) => reply(201, await chats(c).toTicket(c.get('access'), params.id, body)),
  );

  api.post<{ id: number }, unknown, { ticketId: number }>(
    '/chats/:id/append',
    { summary: 'Append the transcript to a ticket as a chat article', auth: 'agent', params: id, body: appendBody, responses: { 201: appendView } },
    async (c, { params, body }) => reply(201, await chats(c).appendToTicket(c.get('access'), params.id, body.ticketId)),
  );

  api.get<{ id: number }>('/chats/:id/transcript.pdf', { summary: 'The transcript as PDF', auth: 'any', params: id, responses: { 200: { binary: 'application/pdf' } } }, async (c, { params }) => {
    const pdf = await chats(c).pdf(c.get('access'), params.id);
    return new Response(new Uint8Array(pdf), { status: 200, headers: { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="chat-${params.id}.pdf"` } });
  });

  return api;
}
