/**
 * Creating, reading and changing tickets over the REST API: numbers, one transaction per create,
 * defaults, the ticket view, permissions (ro / create / move_into / owner / priority), customer
 * users' portal tickets and their reduced view. PGlite, and PostgreSQL with TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayOf } from '../server/tickets/number';
import { databaseKinds } from './support/db';
import { countRows, createDynamicField, newTicket, startHelpdesk, type Helpdesk } from './support/tickets';

describe.each(databaseKinds)('tickets on %s', (kind) => {
  let h: Helpdesk;
  beforeAll(async () => {
    h = await startHelpdesk(kind, {
      queues: { Sales: 'sales', Support: 'support', Vault: 'vault' },
      agents: {
        writer: { sales: ['rw'], support: ['rw'] },
        reader: { sales: ['ro'] },
        mover: { sales: ['rw'], support: ['ro'] },
        mover2: { sales: ['rw'], support: ['move_into'] },
        prio: { sales: ['ro', 'priority'] },
        noter: { sales: ['ro', 'note'] },
        keeper: { vault: ['rw'] },
        creator: { sales: ['create'] },
      },
      customers: { alice: 'ACME', bob: 'BETA' },
    });
    await createDynamicField(h.srv, 'Urgency', 'dropdown', { config: { possibleValues: { low: 'Low', high: 'High' } } });
    await createDynamicField(h.srv, 'Days', 'integer', { config: { min: 0, max: 30 } });
    await createDynamicField(h.srv, 'Secret', 'text', { internal: true });
  });
  afterAll(() => h?.close());

  it('creates a ticket with its first article, defaults, a date-based number and history', async () => {
    const t = await newTicket(h.as.writer!, {
      title: 'Printer on fire',
      queue: 'Sales',
      customerUser: 'alice',
      dynamicFields: { Urgency: 'high', DynamicField_Days: 3 },
      article: { channel: 'phone', senderType: 'customer', subject: 'Help', body: 'It smokes.', timeUnits: 1.5 },
    });
    expect(t.number).toMatch(new RegExp(`^${dayOf(new Date())}10\\d{5}\\d$`));
    expect(t).toMatchObject({
      title: 'Printer on fire',
      view: 'agent',
      queue: { id: h.queues.Sales, name: 'Sales' },
      state: { name: 'new', type: 'new' },
      priority: { name: '3 normal' },
      type: { name: 'Unclassified' },
      owner: { id: h.agents.writer, login: 'writer' },
      responsible: null,
      customer: { id: 'ACME', name: 'ACME Ltd.' },
      customerUser: { id: h.customers.alice, login: 'alice' },
      locked: false,
      archived: false,
      mergedInto: null,
      timeUnits: 1.5,
      articleCount: 1,
      unreadArticleCount: 0,
      dynamicFields: { Urgency: 'high', Days: 3 },
    });
    const hist = (await h.as.writer!.get(`/api/v1/tickets/${t.id}/history`)).body.items.map((i: any) => i.type);
    expect(hist).toEqual(['NewTicket', 'CustomerUpdate', 'CustomerUpdate', 'OwnerUpdate', 'TicketDynamicFieldUpdate', 'TicketDynamicFieldUpdate', 'PhoneCallCustomer', 'TimeAccounting']);
    // Another agent who can read the queue has not seen the first article yet.
    expect((await h.as.reader!.get(`/api/v1/tickets/${t.id}`)).body.unreadArticleCount).toBe(1);
  });

  it('leaves nothing behind when a dynamic field value, a queue or an attachment is bad', async () => {
    const before = { tickets: await countRows(h.srv, 'tickets'), articles: await countRows(h.srv, 'articles'), history: await countRows(h.srv, 'ticket_history') };
    const bad = [
      [{ title: 'x', queue: 'Sales', dynamicFields: { Days: 99 }, article: { body: 'b' } }, '/dynamicFields/Days'],
      [{ title: 'x', queue: 'Sales', dynamicFields: { Nope: 1 }, article: { body: 'b' } }, '/dynamicFields/Nope'],
      [{ title: 'x', queue: 'Nowhere', article: { body: 'b' } }, '/queue'],
      [{ title: 'x', queueId: 999999, article: { body: 'b' } }, '/queueId'],
      [{ title: 'x', queue: 'Sales', owner: 'ghost', article: { body: 'b' } }, '/owner'],
      [{ title: 'x', queue: 'Sales', article: { body: 'b', attachments: [{ filename: 'a.txt', contentBase64: 'not base64!' }] } }, '/article/attachments/0/contentBase64'],
      [{ title: 'x', queue: 'Sales', state: 'pending reminder', article: { body: 'b' } }, '/pendingUntil'],
      [{ title: 'x', queue: 'Sales', pendingUntil: '2030-01-01T00:00:00Z', article: { body: 'b' } }, '/pendingUntil'],
      [{ title: 'x', article: { body: 'b' } }, '/queue'],
    ] as const;
    for (const [body, path] of bad) {
      const res = await h.as.writer!.post('/api/v1/tickets', body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.path).toBe(path);
    }
    expect(await countRows(h.srv, 'tickets')).toBe(before.tickets);
    expect(await countRows(h.srv, 'articles')).toBe(before.articles);
    expect(await countRows(h.srv, 'ticket_history')).toBe(before.history);
  });

  it('gives 50 tickets created at once 50 different, well-formed numbers', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => h.as.writer!.post('/api/v1/tickets', { title: `Parallel ${i}`, queue: 'Sales', article: { body: 'x' } })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(201));
    const numbers = results.map((r) => r.body.number as string);
    expect(new Set(numbers).size).toBe(50);
    for (const n of numbers) {
      expect(n).toMatch(/^\d{8}10\d{5}\d$/);
      // the OTRS DateChecksum digit
      let sum = 0;
      for (let i = 0; i < n.length - 1; i++) sum += (i % 2 === 0 ? 1 : 2) * Number(n[i]);
      const check = 10 - (sum % 10);
      expect(Number(n.at(-1))).toBe(check === 10 ? 1 : check);
    }
  });

  it('needs create on the queue to create a ticket there', async () => {
    const res = await h.as.reader!.post('/api/v1/tickets', { title: 'no', queue: 'Sales', article: { body: 'x' } });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('PERMISSION_DENIED');
  });

  it('shows a ticket to its creator once, even when the queue allows creating but not reading', async () => {
    const t = await newTicket(h.as.creator!, { title: 'Drop box', queue: 'Sales', owner: 'writer' });
    expect(t).toMatchObject({ title: 'Drop box', owner: { login: 'writer' } });
    expect((await h.as.creator!.get(`/api/v1/tickets/${t.id}`)).status).toBe(404);
  });

  it('lets an agent with ro read a ticket but not change it, and hides it from agents without ro', async () => {
    const t = await newTicket(h.as.writer!, { title: 'Read only', queue: 'Sales' });
    expect((await h.as.reader!.get(`/api/v1/tickets/${t.id}`)).status).toBe(200);
    const res = await h.as.reader!.request('PATCH', `/api/v1/tickets/${t.id}`, { title: 'Changed' });
    expect(res.status).toBe(403);
    expect((await h.as.reader!.post(`/api/v1/tickets/${t.id}/articles`, { body: 'note' })).status).toBe(403);
    expect((await h.as.writer!.get(`/api/v1/tickets/${t.id}`)).body.title).toBe('Read only');
    const vault = await newTicket(h.as.keeper!, { title: 'Vault', queueId: h.queues.Vault });
    expect((await h.as.writer!.get(`/api/v1/tickets/${vault.id}`)).status).toBe(404);
    expect((await h.as.writer!.request('PATCH', `/api/v1/tickets/${vault.id}`, { title: 'x' })).status).toBe(404);
    expect((await h.as.writer!.get('/api/v1/tickets/99999999')).status).toBe(404);
  });

  it('needs move_into on the target queue to move a ticket', async () => {
    const t = await newTicket(h.as.writer!, { title: 'Move me', queue: 'Sales', owner: 'writer' });
    const denied = await h.as.mover!.request('PATCH', `/api/v1/tickets/${t.id}`, { queue: 'Support' });
    expect(denied.status).toBe(403);
    expect(denied.body.error.path).toBe('/queue');
    expect((await h.as.writer!.get(`/api/v1/tickets/${t.id}`)).body.queue.name).toBe('Sales');
    // mover2 may move it into Support, but not read it there: the answer is a 204.
    const moved = await h.as.mover2!.request('PATCH', `/api/v1/tickets/${t.id}`, { queue: 'Support' });
    expect(moved.status, JSON.stringify(moved.body)).toBe(204);
    expect((await h.as.writer!.get(`/api/v1/tickets/${t.id}`)).body.queue).toEqual({ id: h.queues.Support, name: 'Support' });
    expect((await h.as.mover2!.get(`/api/v1/tickets/${t.id}`)).status).toBe(404);
    const back = await h.as.writer!.request('PATCH', `/api/v1/tickets/${t.id}`, { queueId: h.queues.Sales });
    expect(back.status).toBe(200);
    expect(back.body.queue.name).toBe('Sales');
  });

  it('asks for the priority permission for priority changes and owner for owner changes', async () => {
    const t = await newTicket(h.as.writer!, { title: 'Prio', queue: 'Sales' });
    const p = await h.as.prio!.request('PATCH', `/api/v1/tickets/${t.id}`, { priority: '5 very high' });
    expect(p.status, JSON.stringify(p.body)).toBe(200);
    expect(p.body.priority.name).toBe('5 very high');
    expect((await h.as.prio!.request('PATCH', `/api/v1/tickets/${t.id}`, { owner: 'prio' })).status).toBe(403);
    expect((await h.as.prio!.request('PATCH', `/api/v1/tickets/${t.id}`, { state: 'open' })).status).toBe(403);
  });

  it('changes every field with validation of pending times and references', async () => {
    const t = await newTicket(h.as.writer!, { title: 'Change me', queue: 'Sales' });
    const url = `/api/v1/tickets/${t.id}`;
    expect((await h.as.writer!.request('PATCH', url, { state: 'pending reminder' })).body.error.path).toBe('/pendingUntil');
    expect((await h.as.writer!.request('PATCH', url, { state: 'nope' })).body.error.path).toBe('/state');
    expect((await h.as.writer!.request('PATCH', url, { state: 'merged' })).body.error.code).toBe('STATE_NOT_SETTABLE');
    expect((await h.as.writer!.request('PATCH', url, { dynamicFields: { Urgency: 'medium' } })).body.error.path).toBe('/dynamicFields/Urgency');
    expect((await h.as.writer!.request('PATCH', url, {})).status).toBe(400);
    const res = await h.as.writer!.request('PATCH', url, {
      title: 'Changed',
      state: 'pending reminder',
      pendingUntil: '2031-05-01T10:00:00.000Z',
      priority: '4 high',
      responsible: 'reader',
      customerUser: 'bob',
      archived: true,
      dynamicFields: { Urgency: 'low' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      title: 'Changed',
      state: { name: 'pending reminder', type: 'pending reminder' },
      pendingUntil: '2031-05-01T10:00:00.000Z',
      priority: { name: '4 high' },
      responsible: { login: 'reader' },
      customerUser: { login: 'bob' },
      customer: { id: 'BETA' },
      archived: true,
      dynamicFields: { Urgency: 'low' },
    });
    expect(new Date(res.body.changedAt).getTime()).toBeGreaterThanOrEqual(new Date(t.changedAt).getTime());
    // Leaving the pending state clears the pending time; clearing references works with null.
    const open = await h.as.writer!.request('PATCH', url, { state: 'open', responsible: null, dynamicFields: { Urgency: null } });
    expect(open.body).toMatchObject({ state: { name: 'open' }, pendingUntil: null, responsible: null, dynamicFields: {} });
    // Pending time on a state that is not pending is refused.
    expect((await h.as.writer!.request('PATCH', url, { pendingUntil: '2031-05-01T10:00:00Z' })).body.error.path).toBe('/pendingUntil');
  });

  it('shows internal dynamic fields to administrators only and lets only them set one', async () => {
    const t = await newTicket(h.as.writer!, { title: 'Internal', queue: 'Sales' });
    const denied = await h.as.writer!.request('PATCH', `/api/v1/tickets/${t.id}`, { dynamicFields: { Secret: 'x' } });
    expect(denied.status).toBe(403);
    expect(denied.body.error.path).toBe('/dynamicFields/Secret');
    // admin has rw on the users group only; give the ticket to admin as owner to let it write
    const own = await h.as.writer!.request('PATCH', `/api/v1/tickets/${t.id}`, { owner: 'admin' });
    expect(own.status).toBe(200);
    const ok = await h.as.admin!.request('PATCH', `/api/v1/tickets/${t.id}`, { dynamicFields: { Secret: 'engine data' } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.dynamicFields).toEqual({ Secret: 'engine data' });
    expect((await h.as.writer!.get(`/api/v1/tickets/${t.id}`)).body.dynamicFields).toEqual({});
  });

  it('lets customer users open portal tickets that belong to them, and read only their own', async () => {
    const mine = await newTicket(h.as.alice!, { title: 'My printer', article: { subject: 'Help', body: 'Please help', channel: 'email' } });
    expect(mine).toMatchObject({
      view: 'customer',
      queue: { name: 'Raw' },
      state: { name: 'new' },
      customerUser: { login: 'alice' },
      customer: { id: 'ACME' },
      owner: null,
      watchers: [],
      links: [],
    });
    const [article] = (await h.as.alice!.get(`/api/v1/tickets/${mine.id}/articles`)).body.items;
    expect(article).toMatchObject({ channel: 'portal', senderType: 'customer', direction: 'incoming', visibleForCustomer: true });
    expect((await h.as.bob!.get(`/api/v1/tickets/${mine.id}`)).status).toBe(404);
    expect((await h.as.bob!.get(`/api/v1/tickets/${mine.id}/articles`)).status).toBe(404);
    expect((await h.as.bob!.post(`/api/v1/tickets/${mine.id}/articles`, { body: 'me too' })).status).toBe(404);
    // Fields a customer may not set are refused, naming the field.
    const res = await h.as.alice!.post('/api/v1/tickets', { title: 'x', owner: 'writer', article: { body: 'x' } });
    expect(res.status).toBe(403);
    expect(res.body.error.path).toBe('/owner');
    // Customers cannot change tickets over PATCH or read history.
    expect((await h.as.alice!.request('PATCH', `/api/v1/tickets/${mine.id}`, { title: 'x' })).status).toBe(403);
    expect((await h.as.alice!.get(`/api/v1/tickets/${mine.id}/history`)).status).toBe(403);
  });

  it('answers 401 without a caller', async () => {
    const res = await fetch(`${h.srv.url}/api/v1/tickets/1`);
    expect(res.status).toBe(401);
  });
});
