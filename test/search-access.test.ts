/**
 * Lists and search show only what the caller may read: agents the tickets of queues they hold `ro`
 * on (plus those they own or are responsible for), customer users their own tickets and, when
 * allowed, their company's, and never by words that only occur in internal articles.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from './support/db';
import { createAgent, createCustomerUser, createQueue } from './support/fixtures';
import { idsOf, insertTicket } from './support/search-data';
import { ADMIN_PASSWORD, Client, startTestServer, type TestServer } from './support/server';

describe.each(databaseKinds)('who sees which tickets in lists and search on %s', (kind) => {
  let server: TestServer;
  const t: Record<string, number> = {};
  const clients: Record<string, Client> = {};

  beforeAll(async () => {
    server = await startTestServer(kind);
    const db = server.database.db;
    await createQueue(db, 'Secret', 'secret');
    await createQueue(db, 'Support', 'support');
    await createAgent(db, 'limited', 'pw', { groups: { support: ['ro'] } });
    await createAgent(db, 'mover', 'pw', { groups: { secret: ['move_into', 'create', 'note'] } });
    const owner = await createAgent(db, 'owner1', 'pw', {});
    const cu1 = await createCustomerUser(db, 'cu1', 'pw', { customerId: 'ACME' });
    const cu2 = await createCustomerUser(db, 'cu2', 'pw', { customerId: 'ACME' });
    const cu3 = await createCustomerUser(db, 'cu3', 'pw', { customerId: 'BETA' });
    await db.updateTable('customer_users').set({ can_see_company_tickets: false }).where('id', '=', cu2).execute();

    t.secret = await insertTicket(db, { title: 'printer secret plans', queue: 'Secret', articles: [{ body: 'classified printer' }] });
    t.owned = await insertTicket(db, { title: 'printer owned', queue: 'Secret', owner });
    t.support = await insertTicket(db, { title: 'printer support', queue: 'Support' });
    t.own = await insertTicket(db, {
      title: 'printer misc',
      customerId: 'ACME',
      customerUser: cu1,
      articles: [
        { subject: 'Your request', body: 'printer visible answer', visibleForCustomer: true },
        { subject: 'internal', body: 'confidential budget', visibleForCustomer: false },
      ],
    });
    t.colleague = await insertTicket(db, { title: 'printer company', customerId: 'ACME', customerUser: cu2 });
    t.beta = await insertTicket(db, { title: 'printer beta', customerId: 'BETA', customerUser: cu3 });
    t.company = await insertTicket(db, { title: 'printer acme without user', customerId: 'ACME' });

    for (const login of ['admin', 'limited', 'mover', 'owner1']) {
      clients[login] = new Client(server.url);
      await clients[login].login(login, login === 'admin' ? ADMIN_PASSWORD : 'pw');
    }
    for (const login of ['cu1', 'cu2', 'cu3']) {
      clients[login] = new Client(server.url);
      await clients[login].login(login, 'pw', 'customer');
    }
  });
  afterAll(() => server?.close());

  const names = (...n: string[]) => n.map((x) => t[x]!).sort((a, b) => a - b);
  /** What `who` sees, through both endpoints (which must agree); totals must match the items. */
  const sees = async (who: string, criteria: Record<string, unknown> = {}) => {
    const post = await clients[who]!.post('/api/v1/tickets/search', { sort: 'id', ...criteria });
    expect(post.status, JSON.stringify(post.body)).toBe(200);
    expect(post.body.total).toBe(post.body.items.length);
    if (typeof criteria.query === 'string' || !Object.keys(criteria).length) {
      const qs = criteria.query ? `&query=${encodeURIComponent(criteria.query as string)}` : '';
      const get = await clients[who]!.get(`/api/v1/tickets?sort=id${qs}`);
      expect(idsOf(get.body)).toEqual(idsOf(post.body));
      expect(get.body.total).toBe(post.body.total);
    }
    return idsOf(post.body);
  };

  it('shows an agent only the queues they may read', async () => {
    expect(await sees('admin')).toEqual(names('own', 'colleague', 'beta', 'company'));
    expect(await sees('limited')).toEqual(names('support'));
  });

  it('never shows a queue without ro, not by full-text, filter or wildcard', async () => {
    expect(await sees('admin', { query: 'printer' })).toEqual(names('own', 'colleague', 'beta', 'company'));
    expect(await sees('admin', { query: 'classified OR secret OR plans' })).toEqual([]);
    expect(await sees('admin', { query: '*assified' })).toEqual([]);
    expect(await sees('admin', { queues: ['Secret'] })).toEqual([]);
    expect(await sees('mover')).toEqual([]);
    expect(await sees('mover', { query: 'secret' })).toEqual([]);
    expect(await sees('mover', { queues: ['Secret'], archived: 'all' })).toEqual([]);
  });

  it('shows an agent the tickets they own even without queue rights', async () => {
    expect(await sees('owner1')).toEqual(names('owned'));
    expect(await sees('owner1', { query: 'printer' })).toEqual(names('owned'));
  });

  it('shows a customer user their own and, when allowed, their company tickets only', async () => {
    expect(await sees('cu1')).toEqual(names('own', 'colleague', 'company'));
    expect(await sees('cu1', { query: 'printer' })).toEqual(names('own', 'colleague', 'company'));
    expect(await sees('cu1', { customerIds: ['BETA'] })).toEqual([]);
    expect(await sees('cu1', { queues: ['Secret'] })).toEqual([]);
    expect(await sees('cu2')).toEqual(names('colleague'));
    expect(await sees('cu2', { query: 'printer' })).toEqual(names('colleague'));
    expect(await sees('cu3')).toEqual(names('beta'));
    expect(await sees('cu3', { customerIds: ['ACME'] })).toEqual([]);
  });

  it('never lets a customer user find a ticket by its internal articles', async () => {
    expect(await sees('admin', { query: 'confidential' })).toEqual(names('own'));
    expect(await sees('cu1', { query: 'confidential' })).toEqual([]);
    expect(await sees('cu1', { query: 'budget OR answer' })).toEqual(names('own'));
    expect(await sees('cu1', { query: '*fidential' })).toEqual([]);
    expect(await sees('cu1', { query: 'confid*' })).toEqual([]);
    expect(await sees('cu1', { query: 'printer -confidential' })).toEqual(names('own', 'colleague', 'company'));
    expect(await sees('cu1', { query: '"visible answer"' })).toEqual(names('own'));
    expect(await sees('cu1', { query: 'request' })).toEqual(names('own')); // a visible article's subject
  });

  it('refuses watcher filters to customer users, and lists to anyone not logged in', async () => {
    for (const watchedBy of ['me', 'admin']) {
      const res = await clients.cu1!.get(`/api/v1/tickets?watchedBy=${watchedBy}`);
      expect(res.status).toBe(400);
      expect(res.body.error.path).toBe('/watchedBy');
    }
    const anon = new Client(server.url);
    expect((await anon.get('/api/v1/tickets')).status).toBe(401);
    expect((await anon.post('/api/v1/tickets/search', {})).status).toBe(401);
  });
});
