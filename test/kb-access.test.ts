/**
 * Knowledge-base permissions on both databases: for each reader kind — the public (no login), a
 * customer user, an agent with the categories' groups, one with only some of them, one with none —
 * list, search, counts, suggestions, article view, attachment download and insert into reply
 * return exactly what that reader may see. A category hidden from customers hides its
 * sub-categories too; articles linked to a customer's own ticket show when external or public.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from './support/db';
import { createAgent, createCustomerUser, createGroup } from './support/fixtures';
import { insertTicket } from './support/search-data';
import { ADMIN_PASSWORD, Client, startTestServer, type TestServer } from './support/server';

const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

describe.each(databaseKinds)('who sees which knowledge-base articles on %s', (kind) => {
  let server: TestServer;
  const art: Record<string, number> = {};
  const att: Record<string, number> = {};
  const c = {} as Record<'admin' | 'writer' | 'genonly' | 'nogroup' | 'customer' | 'other' | 'public', Client> & Record<string, Client>;
  let ticket = 0;
  let otherTicket = 0;

  beforeAll(async () => {
    server = await startTestServer(kind);
    const db = server.database.db;
    await createGroup(db, 'kbgen');
    await createGroup(db, 'kbsec');
    await createAgent(db, 'writer', 'pw', { groups: { kbgen: ['rw'], kbsec: ['rw'], users: ['rw'] } });
    await createAgent(db, 'genonly', 'pw', { groups: { kbgen: ['ro'] } });
    await createAgent(db, 'nogroup', 'pw', {});
    const cu = await createCustomerUser(db, 'cu1', 'pw', { customerId: 'ACME' });
    await createCustomerUser(db, 'cu2', 'pw', { customerId: 'BETA' });
    ticket = await insertTicket(db, { title: 'my printer', customerId: 'ACME', customerUser: cu });
    otherTicket = await insertTicket(db, { title: 'not yours', customerId: 'BETA' });

    c.admin = new Client(server.url);
    await c.admin.login('admin', ADMIN_PASSWORD);
    for (const l of ['writer', 'genonly', 'nogroup']) {
      c[l] = new Client(server.url);
      await c[l].login(l, 'pw');
    }
    c.customer = new Client(server.url);
    await c.customer.login('cu1', 'pw', 'customer');
    c.other = new Client(server.url);
    await c.other.login('cu2', 'pw', 'customer');
    c.public = new Client(server.url);

    const cat = async (body: object) => {
      const r = await c.admin.post('/api/v1/kb/categories', body);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body.id as number;
    };
    const general = await cat({ name: 'General', group: 'kbgen', customerVisible: true });
    const secret = await cat({ name: 'Secret', group: 'kbsec', customerVisible: false });
    const nested = await cat({ name: 'Nested', group: 'kbgen', customerVisible: true, parentId: secret });
    const write = async (key: string, categoryId: number, state: string) => {
      const r = await c.writer.post('/api/v1/kb/articles', {
        title: `Printer ${key}`,
        categoryId,
        state,
        keywords: 'toner',
        solution: `<p>Open the tray of the printer (${key}).</p>`,
        attachments: [{ filename: `${key}.png`, contentType: 'image/png', contentBase64: png.toString('base64') }],
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      art[key] = r.body.id;
      const view = await c.writer.get(`/api/v1/kb/articles/${r.body.id}`);
      att[key] = view.body.attachments[0].id;
    };
    await write('jam', general, 'public');
    await write('driver', general, 'external');
    await write('internal', general, 'internal');
    await write('hidden', secret, 'public');
    await write('nested', nested, 'public');
  });
  afterAll(() => server?.close());

  const SEES: Record<string, string[]> = {
    public: ['jam'],
    customer: ['jam', 'driver'],
    genonly: ['jam', 'driver', 'internal'],
    writer: ['jam', 'driver', 'internal', 'hidden', 'nested'],
    nogroup: [],
  };
  const ids = (keys: string[]) => keys.map((k) => art[k]!).sort((a, b) => a - b);
  const sorted = (items: { id: number }[]) => items.map((i) => i.id).sort((a, b) => a - b);

  it.each(Object.keys(SEES))('%s: list, search and suggestions show exactly the readable articles, totals included', async (who) => {
    const list = await c[who]!.get('/api/v1/kb/articles');
    expect(list.status).toBe(200);
    expect(sorted(list.body.items)).toEqual(ids(SEES[who]!));
    expect(list.body.total).toBe(SEES[who]!.length);

    for (const q of ['printer', 'toner', 'tray', 'hidden OR nested OR internal OR jam OR driver', 'prin*', '*rinter']) {
      const search = await c[who]!.get(`/api/v1/kb/articles?query=${encodeURIComponent(q)}`);
      expect(search.status, q).toBe(200);
      const expected = q.includes('OR') ? SEES[who]! : SEES[who]!;
      expect(sorted(search.body.items), q).toEqual(ids(expected));
      expect(search.body.total, q).toBe(expected.length);
    }

    const sugg = await c[who]!.get(`/api/v1/kb/suggestions?text=${encodeURIComponent('The printer tray is stuck')}&limit=20`);
    expect(sugg.status).toBe(200);
    expect(sorted(sugg.body.items)).toEqual(ids(SEES[who]!));
  });

  it.each(Object.keys(SEES))('%s: the category tree and its counts show only what may be read', async (who) => {
    const r = await c[who]!.get('/api/v1/kb/categories');
    expect(r.status).toBe(200);
    const total = r.body.items.reduce((n: number, x: { articleCount: number }) => n + x.articleCount, 0);
    expect(total).toBe(SEES[who]!.length);
    const names = r.body.items.map((x: { name: string }) => x.name).sort();
    const expected = { public: ['General'], customer: ['General'], genonly: ['General'], writer: ['General', 'Nested', 'Secret'], nogroup: [] }[who];
    expect(names).toEqual(expected);
    if (who === 'public' || who === 'customer') expect(r.body.items[0].group).toBeUndefined();
  });

  it.each(Object.keys(SEES))('%s: views and attachment downloads succeed exactly for readable articles', async (who) => {
    for (const key of Object.keys(art)) {
      const may = SEES[who]!.includes(key);
      const view = await c[who]!.get(`/api/v1/kb/articles/${art[key]}`);
      expect(view.status, `${who} views ${key}`).toBe(may ? 200 : 404);
      if (may) expect(view.body.comment === undefined).toBe(who === 'public' || who === 'customer');
      const file = await c[who]!.get(`/api/v1/kb/articles/${art[key]}/attachments/${att[key]}`);
      expect(file.status, `${who} downloads ${key}`).toBe(may ? 200 : 404);
      if (may) expect(file.headers.get('content-type')).toBe('image/png');
    }
    // An attachment id of another article never opens through a readable one.
    const cross = await c[who]!.get(`/api/v1/kb/articles/${art.jam}/attachments/${att.hidden}`);
    expect(cross.status).toBe(404);
  });

  it.each(Object.keys(SEES))('%s: insert into reply gives the text and attachments only of articles the agent may read', async (who) => {
    for (const key of Object.keys(art)) {
      const r = await c[who]!.get(`/api/v1/kb/articles/${art[key]}/insert?format=text`);
      if (who === 'public') expect(r.status).toBe(401);
      else if (who === 'customer') expect(r.status).toBe(403);
      else expect(r.status, `${who} inserts ${key}`).toBe(SEES[who]!.includes(key) ? 200 : 404);
      if (r.status === 200) {
        expect(r.body.text).toContain(`Open the tray of the printer (${key}).`);
        expect(r.body.customerMaySee).toBe(key === 'jam' || key === 'driver');
        // The attachments offered into the reply are the article's, and each one downloads for this agent.
        expect(r.body.attachments.map((a: { filename: string }) => a.filename), `${who} attachments of ${key}`).toEqual([`${key}.png`]);
        const file = await c[who]!.get(`/api/v1/kb/articles/${art[key]}/attachments/${r.body.attachments[0].id}`);
        expect(file.status, `${who} downloads the attachment of ${key}`).toBe(200);
      }
    }
  });

  it('a customer sees the external and public articles linked to their own ticket, nobody else does', async () => {
    for (const key of ['jam', 'driver', 'internal', 'hidden']) {
      expect((await c.writer.post(`/api/v1/kb/articles/${art[key]}/links`, { ticketId: ticket })).status).toBe(204);
    }
    const mine = await c.customer.get(`/api/v1/kb/tickets/${ticket}/articles`);
    expect(mine.status).toBe(200);
    expect(sorted(mine.body.items)).toEqual(ids(['jam', 'driver']));
    expect((await c.other.get(`/api/v1/kb/tickets/${ticket}/articles`)).status).toBe(404);
    expect((await c.public.get(`/api/v1/kb/tickets/${ticket}/articles`)).status).toBe(401);
    const agent = await c.writer.get(`/api/v1/kb/tickets/${ticket}/articles`);
    expect(agent.status).toBe(200);
    expect(sorted(agent.body.items)).toEqual(ids(['jam', 'driver', 'internal', 'hidden']));
    // The ticket link shows in the article view only to those who may read the ticket.
    expect((await c.customer.get(`/api/v1/kb/articles/${art.jam}`)).body.links.tickets.map((t: { id: number }) => t.id)).toEqual([ticket]);
    expect((await c.public.get(`/api/v1/kb/articles/${art.jam}`)).body.links.tickets).toEqual([]);
    expect((await c.other.get(`/api/v1/kb/articles/${art.jam}`)).body.links.tickets).toEqual([]);
    expect((await c.writer.post(`/api/v1/kb/articles/${art.jam}/links`, { ticketId: otherTicket })).status).toBe(204);
    expect((await c.genonly.post(`/api/v1/kb/articles/${art.jam}/links`, { ticketId: ticket })).status).toBe(404);
  });

  it('writing needs rw on the category group; read-only agents and customers are refused', async () => {
    const body = { title: 'New one', categoryId: 1, state: 'public', body: '<p>x</p>' };
    const cats = (await c.writer.get('/api/v1/kb/categories')).body.items;
    const general = cats.find((x: { name: string }) => x.name === 'General').id;
    expect((await c.genonly.post('/api/v1/kb/articles', { ...body, categoryId: general })).status).toBe(403);
    expect((await c.nogroup.post('/api/v1/kb/articles', { ...body, categoryId: general })).status).toBe(404);
    expect((await c.customer.post('/api/v1/kb/articles', { ...body, categoryId: general })).status).toBe(403);
    expect((await c.public.post('/api/v1/kb/articles', { ...body, categoryId: general })).status).toBe(401);
    const after = await c.writer.get('/api/v1/kb/articles');
    expect(after.body.total).toBe(5);
  });
});
