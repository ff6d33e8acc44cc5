/**
 * Queues as an administrator and an agent meet them: `::` parents, groups by id or name, duplicate
 * names, renaming a parent, retiring and deleting, and the list an agent sees (only queues whose
 * group grants them `ro`). Runs on PGlite, and on PostgreSQL when TEST_DATABASE_URL is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from './support/server';
import { startTestServer, type TestServer } from './support/server';
import { createAgent, createCustomerUser, createGroup } from './support/fixtures';
import { databaseKinds } from './support/db';
import { insertTicket, loggedIn, patch } from './support/catalog';

describe.each(databaseKinds)('queues on %s', (kind) => {
  let srv: TestServer;
  let admin: Client;
  let salesGroup: number;

  beforeAll(async () => {
    srv = await startTestServer(kind);
    salesGroup = await createGroup(srv.database.db, 'sales');
    await createGroup(srv.database.db, 'support');
    await createAgent(srv.database.db, 'seller', 'seller-pw', { groups: { sales: ['ro'] } });
    await createAgent(srv.database.db, 'outsider', 'outsider-pw');
    admin = await loggedIn(srv);
  });
  afterAll(() => srv?.close());

  it('creates a queue and a sub-queue whose parent exists', async () => {
    const sales = await admin.post('/api/v1/queues', { name: 'Sales', group: 'sales', comment: 'All sales' });
    expect(sales.status).toBe(201);
    expect(sales.body).toMatchObject({ name: 'Sales', parentName: null, groupId: salesGroup, group: 'sales', comment: 'All sales', valid: true });
    const europe = await admin.post('/api/v1/queues', { name: 'Sales::Europe', groupId: salesGroup });
    expect(europe.status).toBe(201);
    expect(europe.body).toMatchObject({ name: 'Sales::Europe', parentName: 'Sales', group: 'sales' });
    const got = await admin.get(`/api/v1/queues/${europe.body.id}`);
    expect(got.body).toEqual(europe.body);
  });

  it('refuses a sub-queue without its parent, naming /name', async () => {
    const res = await admin.post('/api/v1/queues', { name: 'Nope::X', group: 'sales' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'PARENT_MISSING', path: '/name' });
    expect(res.body.error.message).toContain('"Nope"');
    expect((await admin.get('/api/v1/queues?search=Nope')).body.total).toBe(0);
  });

  it('refuses a duplicate name with 409 naming /name, and unknown groups with 400', async () => {
    const dup = await admin.post('/api/v1/queues', { name: 'Sales', group: 'support' });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({ code: 'DUPLICATE', path: '/name' });
    const noGroup = await admin.post('/api/v1/queues', { name: 'Lost', group: 'ghosts' });
    expect(noGroup.status).toBe(400);
    expect(noGroup.body.error).toMatchObject({ path: '/group', message: 'unknown group "ghosts"' });
    const noGroupId = await admin.post('/api/v1/queues', { name: 'Lost', groupId: 99999 });
    expect(noGroupId.body.error).toMatchObject({ path: '/groupId' });
    const missing = await admin.post('/api/v1/queues', { name: 'Lost' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.path).toBe('/group');
  });

  it('answers two simultaneous creations of one name with one 201 and one 409', async () => {
    const results = await Promise.all([1, 2].map(() => admin.post('/api/v1/queues', { name: 'Race', group: 'support' })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.status === 409)!.body.error).toMatchObject({ code: 'DUPLICATE', path: '/name' });
    const race = results.find((r) => r.status === 201)!.body;
    expect((await admin.delete(`/api/v1/queues/${race.id}`)).status).toBe(204);
  });

  it('shows an agent only the queues their groups let them read; admins see all', async () => {
    await admin.post('/api/v1/queues', { name: 'Support', group: 'support' });
    const seller = await loggedIn(srv, 'seller', 'seller-pw');
    const mine = await seller.get('/api/v1/queues');
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((q: any) => q.name)).toEqual(['Sales', 'Sales::Europe']);
    expect(mine.body.total).toBe(2);
    const support = (await admin.get('/api/v1/queues?search=Support')).body.items[0];
    expect((await seller.get(`/api/v1/queues/${support.id}`)).status).toBe(404);
    const outsider = await loggedIn(srv, 'outsider', 'outsider-pw');
    expect((await outsider.get('/api/v1/queues')).body).toMatchObject({ items: [], total: 0 });
    const all = (await admin.get('/api/v1/queues')).body.items.map((q: any) => q.name);
    expect(all).toEqual(expect.arrayContaining(['Raw', 'Misc', 'Sales', 'Sales::Europe', 'Support']));
  });

  it('pages the list', async () => {
    const p1 = await admin.get('/api/v1/queues?perPage=2&page=1');
    const p2 = await admin.get('/api/v1/queues?perPage=2&page=2');
    expect(p1.body.items).toHaveLength(2);
    expect(p1.body).toMatchObject({ page: 1, perPage: 2 });
    expect(p2.body.items[0].name).not.toBe(p1.body.items[1].name);
    expect(p1.body.total).toBe(p2.body.total);
  });

  it('renames the prefix of every sub-queue when a parent is renamed', async () => {
    await admin.post('/api/v1/queues', { name: 'Sales::Europe::North', group: 'sales' });
    const sales = (await admin.get('/api/v1/queues?search=Sales')).body.items.find((q: any) => q.name === 'Sales');
    const res = await patch(admin, `/api/v1/queues/${sales.id}`, { name: 'Revenue' });
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('Revenue');
    const names = (await admin.get('/api/v1/queues?search=Revenue')).body.items.map((q: any) => [q.name, q.parentName]);
    expect(names).toEqual([
      ['Revenue', null],
      ['Revenue::Europe', 'Revenue'],
      ['Revenue::Europe::North', 'Revenue::Europe'],
    ]);
    const below = await patch(admin, `/api/v1/queues/${sales.id}`, { name: 'Revenue::Europe::Loop' });
    expect(below.status).toBe(400);
    expect(below.body.error.path).toBe('/name');
  });

  it('retires a queue with valid: false and deletes only an unused one', async () => {
    const q = (await admin.post('/api/v1/queues', { name: 'Temp', group: 'support' })).body;
    const retired = await patch(admin, `/api/v1/queues/${q.id}`, { valid: false });
    expect(retired.body.valid).toBe(false);
    expect((await admin.get('/api/v1/queues?valid=false')).body.items.map((x: any) => x.name)).toContain('Temp');
    await insertTicket(srv.database.db, { state: 'new', queue: 'Temp' });
    const used = await admin.delete(`/api/v1/queues/${q.id}`);
    expect(used.status).toBe(409);
    expect(used.body.error.message).toMatch(/used by 1 tickets/);
    const parent = (await admin.get('/api/v1/queues?search=Revenue')).body.items[0];
    const withChildren = await admin.delete(`/api/v1/queues/${parent.id}`);
    expect(withChildren.status).toBe(409);
    const unused = (await admin.post('/api/v1/queues', { name: 'Scratch', group: 'support' })).body;
    expect((await admin.delete(`/api/v1/queues/${unused.id}`)).status).toBe(204);
    expect((await admin.get(`/api/v1/queues/${unused.id}`)).status).toBe(404);
  });

  it('gives customer users 403 on queues', async () => {
    await createCustomerUser(srv.database.db, 'qcust', 'qcust-pw');
    const cust = await loggedIn(srv, 'qcust', 'qcust-pw', 'customer');
    expect((await cust.get('/api/v1/queues')).status).toBe(403);
  });
});
