/**
 * Chat (issue 24) over the REST API, on PGlite and PostgreSQL: who sees which chat (a customer user
 * never another's: 404; an agent without the channel's group neither), public visitors with their
 * token, sanitised messages, size and flood limits (413 / 429 naming the reason), a client that
 * reconnects and asks for messages after an id, live events on the one event stream, and the way
 * into tickets (a new ticket with the transcript, an article on another, the transcript mailed on
 * close through the mail queue, a PDF).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeLive } from '../server/live/hub';
import { TEST_DATABASE_URL, databaseKinds } from './support/db';
import { Client } from './support/server';
import { startHelpdesk, type Helpdesk } from './support/tickets';
import { openEventStream } from './support/events';

async function publicCall(base: string, method: string, path: string, body?: unknown, token?: string) {
  const res = await fetch(`${base}/api/v1/chat/public${path}`, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { 'x-chat-token': token } : {}), origin: 'http://shop.example' },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

describe.each(databaseKinds)('chat on %s', (kind) => {
  let h: Helpdesk;
  let salesChannel: number;
  beforeAll(async () => {
    h = await startHelpdesk(kind, {
      queues: { Sales: 'sales' },
      agents: { anna: { sales: ['rw'] }, ben: { sales: ['ro'] }, otto: { users: ['rw'] } },
      customers: { kim: 'acme', lee: 'acme' },
    });
    if (kind === 'postgres') h.srv.services.config.databaseUrl = TEST_DATABASE_URL;
    const gid = (await h.srv.database.db.selectFrom('groups').select('id').where('name', '=', 'sales').executeTakeFirstOrThrow()).id;
    const ch = await h.as.admin!.post('/api/v1/chat/channels', { name: 'Sales chat', groupId: gid, isDefault: true });
    expect(ch.status, JSON.stringify(ch.body)).toBe(201);
    salesChannel = ch.body.id;
    for (const a of ['anna', 'ben']) expect((await h.as[a]!.put('/api/v1/chat/availability', { availability: 'external', status: 'online' })).status).toBe(200);
  });
  afterAll(async () => {
    await closeLive(h.srv.services);
    await h?.close();
  });

  it('lets a customer user chat with the agents of the channel, and no one else read it', async () => {
    const started = await h.as.kim!.post('/api/v1/chat/chats', { message: { body: 'My printer smokes' } });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const chat = started.body;
    expect(chat).toMatchObject({ state: 'request', origin: 'customer', channelId: salesChannel });

    // Another customer user of the same company: as if it did not exist.
    expect((await h.as.lee!.get(`/api/v1/chat/chats/${chat.id}`)).status).toBe(404);
    expect((await h.as.lee!.get(`/api/v1/chat/chats/${chat.id}/messages`)).status).toBe(404);
    expect((await h.as.lee!.post(`/api/v1/chat/chats/${chat.id}/messages`, { body: 'hi' })).status).toBe(404);
    expect((await h.as.lee!.get('/api/v1/chat/chats')).body.items).toEqual([]);
    // An agent without the channel's group: not in the request list, 404 on the chat.
    expect((await h.as.otto!.put('/api/v1/chat/availability', { availability: 'external' })).status).toBe(200);
    expect((await h.as.otto!.get('/api/v1/chat/requests')).body.items.map((c: any) => c.id)).not.toContain(chat.id);
    expect((await h.as.otto!.get(`/api/v1/chat/chats/${chat.id}`)).status).toBe(404);
    expect((await h.as.otto!.post(`/api/v1/chat/chats/${chat.id}/accept`)).status).toBe(404);

    // Anna sees the request and accepts; she and Kim write; unread counts follow.
    expect((await h.as.anna!.get('/api/v1/chat/requests')).body.items.map((c: any) => c.id)).toContain(chat.id);
    const accepted = await h.as.anna!.post(`/api/v1/chat/chats/${chat.id}/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.body.state).toBe('active');
    expect((await h.as.anna!.get('/api/v1/chat/requests')).body.items.map((c: any) => c.id)).not.toContain(chat.id);
    const reply = await h.as.anna!.post(`/api/v1/chat/chats/${chat.id}/messages`, { body: 'Unplug it, please.' });
    expect(reply.status).toBe(201);
    const mine = await h.as.kim!.get('/api/v1/chat/chats');
    expect(mine.body.items.find((c: any) => c.id === chat.id).unread).toBe(2); // "joined" + the answer
    expect((await h.as.kim!.post(`/api/v1/chat/chats/${chat.id}/read`, { lastId: reply.body.id })).body.unread).toBe(0);

    // Ben (ro on the group) may read it but not write before he joins.
    expect((await h.as.ben!.get(`/api/v1/chat/chats/${chat.id}`)).status).toBe(200);
    expect((await h.as.ben!.post(`/api/v1/chat/chats/${chat.id}/messages`, { body: 'me too' })).status).toBe(403);
  });

  it('keeps markup as text, sanitises rich text (no script survives), and bounds the size', async () => {
    const chat = (await h.as.anna!.post('/api/v1/chat/chats', { customerUserId: h.customers.kim })).body;
    const plain = await h.as.kim!.post(`/api/v1/chat/chats/${chat.id}/messages`, { body: '<script>alert(1)</script>\nsecond line' });
    expect(plain.status).toBe(201);
    expect(plain.body.html).toBe('&lt;script&gt;alert(1)&lt;/script&gt;<br>second line');
    const rich = await h.as.anna!.post(`/api/v1/chat/chats/${chat.id}/messages`, { format: 'html', body: '<b onclick="x()">Bold</b><script>alert(1)</script><img src=x onerror="alert(2)"><a href="javascript:alert(3)">link</a>' });
    expect(rich.status).toBe(201);
    expect(rich.body.html).not.toMatch(/script|onclick|onerror|javascript:/i);
    expect(rich.body.html).toContain('<b>Bold</b>');
    const empty = await h.as.anna!.post(`/api/v1/chat/chats/${chat.id}/messages`, { format: 'html', body: '<script>only</script>' });
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatchObject({ code: 'MESSAGE_EMPTY', path: '/body' });
    const long = await h.as.anna!.post(`/api/v1/chat/chats/${chat.id}/messages`, { body: 'x'.repeat(4001) });
    expect(long.status).toBe(413);
    expect(long.body.error).toMatchObject({ code: 'MESSAGE_TOO_LONG', path: '/body' });
  });

  it('answers a client that reconnects with exactly the messages after its last id', async () => {
    const chat = (await h.as.anna!.post('/api/v1/chat/chats', { customerUserId: h.customers.kim, message: { body: 'm0' } })).body;
    const first = await h.as.kim!.get(`/api/v1/chat/chats/${chat.id}/messages`);
    const seen = first.body.items.at(-1).id;
    // "Offline" for a while: three messages come in.
    for (const body of ['m1', 'm2', 'm3']) expect((await h.as.anna!.post(`/api/v1/chat/chats/${chat.id}/messages`, { body })).status).toBe(201);
    const missed = await h.as.kim!.get(`/api/v1/chat/chats/${chat.id}/messages?after=${seen}`);
    expect(missed.body.items.map((m: any) => m.text)).toEqual(['m1', 'm2', 'm3']);
    const paged = await h.as.kim!.get(`/api/v1/chat/chats/${chat.id}/messages?after=${seen}&limit=2`);
    expect(paged.body.items.map((m: any) => m.text)).toEqual(['m1', 'm2']);
    expect((await h.as.kim!.get(`/api/v1/chat/chats/${chat.id}/messages?after=-1`)).status).toBe(400);
  });

  it('sends messages, typing and requests live on the one event stream, to those who may see them', async () => {
    const anna = await openEventStream(h.srv.url, h.as.anna!);
    const kim = await openEventStream(h.srv.url, h.as.kim!);
    const lee = await openEventStream(h.srv.url, h.as.lee!);
    const otto = await openEventStream(h.srv.url, h.as.otto!);
    try {
      const chat = (await h.as.kim!.post('/api/v1/chat/chats', { message: { body: 'live?' } })).body;
      const chatEvents = (s: typeof anna) => s.events.filter((e) => e.event === 'chat' && e.data.chat === chat.id).map((e) => e.data);
      // The request reaches the channel's agents.
      await expect.poll(() => chatEvents(anna).some((e) => e.type === 'state')).toBe(true);
      await h.as.anna!.post(`/api/v1/chat/chats/${chat.id}/accept`);
      const sent = await h.as.anna!.post(`/api/v1/chat/chats/${chat.id}/messages`, { body: 'Live answer' });
      await expect.poll(() => chatEvents(kim).find((e) => e.type === 'message' && e.message.id === sent.body.id)?.message.text).toBe('Live answer');
      expect((await h.as.kim!.post(`/api/v1/chat/chats/${chat.id}/typing`)).status).toBe(204);
      await expect.poll(() => chatEvents(anna).find((e) => e.type === 'typing')?.who).toBe(`customer:${h.customers.kim}`);
      // Nobody else heard any of it.
      expect(chatEvents(lee)).toEqual([]);
      expect(chatEvents(otto)).toEqual([]);
    } finally {
      for (const s of [anna, kim, lee, otto]) s.close();
    }
  });

  it('serves public visitors with their token only, from any origin, rate-limited per address', async () => {
    const bad = await publicCall(h.srv.url, 'POST', '/chats', { name: 'Vic', email: 'not-an-address', message: { body: 'hi' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toBe('/email');
    expect((await publicCall(h.srv.url, 'POST', '/chats', { email: 'vic@example.com', message: { body: 'hi' } })).status).toBe(400);

    const started = await publicCall(h.srv.url, 'POST', '/chats', { name: 'Vic Visitor', email: 'Vic@Example.com', message: { body: 'Do you ship to Mars?' } });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    expect(started.headers.get('access-control-allow-origin')).toBe('*');
    const { chat, token } = started.body;
    expect((await publicCall(h.srv.url, 'GET', `/chats/${chat.id}/messages`)).status).toBe(404);
    expect((await publicCall(h.srv.url, 'GET', `/chats/${chat.id}/messages`, undefined, 'x'.repeat(32))).status).toBe(404);
    expect((await publicCall(h.srv.url, 'GET', `/chats/${chat.id}/messages`, undefined, token)).body.items[0].text).toBe('Do you ship to Mars?');
    // A preflight from another origin is answered for the widget's endpoints, not for others.
    const pre = await fetch(`${h.srv.url}/api/v1/chat/public/chats`, { method: 'OPTIONS', headers: { origin: 'http://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-chat-token' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-headers')).toContain('x-chat-token');
    const other = await fetch(`${h.srv.url}/api/v1/chat/chats`, { headers: { origin: 'http://shop.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const script = await fetch(`${h.srv.url}/api/v1/chat/widget.js`);
    expect(script.headers.get('content-type')).toContain('javascript');
    expect(script.headers.get('cross-origin-resource-policy')).toBe('cross-origin');

    // A customer user cannot read a visitor's chat; Anna can, and the visitor sees her answer.
    expect((await h.as.kim!.get(`/api/v1/chat/chats/${chat.id}`)).status).toBe(404);
    expect((await h.as.anna!.post(`/api/v1/chat/chats/${chat.id}/accept`)).status).toBe(200);
    expect((await h.as.anna!.post(`/api/v1/chat/chats/${chat.id}/messages`, { body: 'Only to the Moon.' })).status).toBe(201);
    const seen = await publicCall(h.srv.url, 'GET', `/chats/${chat.id}/messages?after=${chat.lastMessageId}`, undefined, token);
    expect(seen.body.items.map((m: any) => m.text)).toContain('Only to the Moon.');

    // Per address: at most CHAT_STARTS_PER_ADDRESS starts in 10 minutes.
    const config = h.srv.services.config;
    const before = config.chatStartsPerAddress;
    config.chatStartsPerAddress = 2;
    try {
      let last;
      for (let i = 0; i < 3; i++) last = await publicCall(h.srv.url, 'POST', '/chats', { name: 'Flo', email: 'flo@example.com', message: { body: `again ${i}` } });
      expect(last!.status).toBe(429);
      expect(last!.body.error).toMatchObject({ code: 'CHAT_FLOOD' });
      expect(last!.body.error.message).toMatch(/too many chats/);
    } finally {
      config.chatStartsPerAddress = before;
    }
  });

  it('refuses a flood of messages with 429 and a message', async () => {
    const chat = (await h.as.anna!.post('/api/v1/chat/chats', { customerUserId: h.customers.lee })).body;
    const config = h.srv.services.config;
    const before = config.chatMessagesPer10s;
    config.chatMessagesPer10s = 3;
    try {
      const statuses: number[] = [];
      let refused: any;
      for (let i = 0; i < 5; i++) {
        const r = await h.as.lee!.post(`/api/v1/chat/chats/${chat.id}/messages`, { body: `spam ${i}` });
        statuses.push(r.status);
        if (r.status === 429) refused = r;
      }
      expect(statuses.slice(0, 3)).toEqual([201, 201, 201]);
      expect(statuses.slice(3)).toEqual([429, 429]);
      expect(refused.body.error).toMatchObject({ code: 'CHAT_FLOOD' });
      expect(refused.headers.get('retry-after')).toBe('10');
      // The other side is not held back by Lee's flood.
      expect((await h.as.anna!.post(`/api/v1/chat/chats/${chat.id}/messages`, { body: 'calm down' })).status).toBe(201);
    } finally {
      config.chatMessagesPer10s = before;
    }
  });

  it('makes a ticket of a chat with its transcript, appends it to another, mails it on close, and prints it', async () => {
    const started = await publicCall(h.srv.url, 'POST', '/chats', { name: 'Tia', email: 'tia@example.com', message: { body: 'My order 42 is late' } });
    const { chat, token } = started.body;
    await h.as.anna!.post(`/api/v1/chat/chats/${chat.id}/accept`);
    await h.as.anna!.post(`/api/v1/chat/chats/${chat.id}/messages`, { body: 'I will look into it <b>now</b>' });
    // Invite Ben; he accepts from his request list.
    expect((await h.as.anna!.post(`/api/v1/chat/chats/${chat.id}/invite`, { agentId: h.agents.ben })).status).toBe(200);
    expect((await h.as.ben!.get('/api/v1/chat/requests')).body.items.map((c: any) => c.id)).toContain(chat.id);
    expect((await h.as.ben!.post(`/api/v1/chat/chats/${chat.id}/accept`)).body.participants.map((p: any) => `${p.login}:${p.state}`)).toEqual(['anna:joined', 'ben:joined']);

    const made = await h.as.anna!.post(`/api/v1/chat/chats/${chat.id}/ticket`, { queue: 'Sales' });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const articles = await h.as.anna!.get(`/api/v1/tickets/${made.body.id}/articles`);
    const a = articles.body.items[0];
    expect(a.channel).toBe('chat');
    expect(a.from).toContain('tia@example.com');
    expect(a.bodyText).toContain('My order 42 is late');
    expect(a.bodyText).toContain('anna Tester');
    expect(a.bodyHtml).toContain('I will look into it &lt;b&gt;now&lt;/b&gt;');
    expect((await h.as.anna!.get(`/api/v1/chat/chats/${chat.id}`)).body.ticketId).toBe(made.body.id);
    expect((await h.as.anna!.post(`/api/v1/chat/chats/${chat.id}/ticket`, {})).status).toBe(409);

    // Appended to a second ticket as a chat article.
    const other = await h.as.anna!.post('/api/v1/tickets', { title: 'Order 42', queue: 'Sales', article: { body: 'from the phone' } });
    const appended = await h.as.anna!.post(`/api/v1/chat/chats/${chat.id}/append`, { ticketId: other.body.id });
    expect(appended.status).toBe(201);
    const after = await h.as.anna!.get(`/api/v1/tickets/${other.body.id}/articles`);
    expect(after.body.items.map((x: any) => x.channel).at(-1)).toBe('chat');
    expect(after.body.items.at(-1).bodyText).toContain('My order 42 is late');

    // The visitor closes: the transcript is queued as a mail to them.
    const closed = await publicCall(h.srv.url, 'POST', `/chats/${chat.id}/close`, undefined, token);
    expect(closed.body.state).toBe('closed');
    const mail = await h.srv.database.db.selectFrom('mail_log').select(['to_addr', 'subject', 'purpose']).where('purpose', '=', 'chat-transcript').where('to_addr', '=', 'tia@example.com').execute();
    expect(mail).toHaveLength(1);
    expect((await publicCall(h.srv.url, 'POST', `/chats/${chat.id}/messages`, { body: 'still there?' }, token)).status).toBe(409);

    const pdf = await fetch(`${h.srv.url}/api/v1/chat/chats/${chat.id}/transcript.pdf`, { headers: { cookie: h.as.anna!.cookie! } });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    expect((await new Client(h.srv.url).get(`/api/v1/chat/chats/${chat.id}/transcript.pdf`)).status).toBe(401);
  });

  it('transfers a chat to another channel, where it waits as a request', async () => {
    const gid = (await h.srv.database.db.selectFrom('groups').select('id').where('name', '=', 'users').executeTakeFirstOrThrow()).id;
    const general = (await h.as.admin!.post('/api/v1/chat/channels', { name: 'General', groupId: gid })).body;
    const chat = (await h.as.kim!.post('/api/v1/chat/chats', { message: { body: 'wrong desk?' } })).body;
    await h.as.anna!.post(`/api/v1/chat/chats/${chat.id}/accept`);
    const moved = await h.as.anna!.post(`/api/v1/chat/chats/${chat.id}/transfer`, { channelId: general.id });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body).toMatchObject({ state: 'request', channelName: 'General' });
    expect((await h.as.otto!.get('/api/v1/chat/requests')).body.items.map((c: any) => c.id)).toContain(chat.id);
    // Anna left it: she may still read what she took part in, but not write.
    expect((await h.as.anna!.get(`/api/v1/chat/chats/${chat.id}`)).status).toBe(200);
    expect((await h.as.anna!.post(`/api/v1/chat/chats/${chat.id}/messages`, { body: 'bye' })).status).toBe(403);
  });
});
