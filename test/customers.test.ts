/**
 * Customers (companies) and customer users as an administrator and an agent meet them: creation
 * with a company that must exist, search, duplicates, passwords that never come back, and the
 * open/closed ticket counts (over the tickets the caller may see). Runs on PGlite, and on
 * PostgreSQL when TEST_DATABASE_URL is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startTestServer, type TestServer } from './support/server';
import { createAgent } from './support/fixtures';
import { databaseKinds } from './support/db';
import { insertTicket, loggedIn, patch } from './support/catalog';

describe.each(databaseKinds)('customers on %s', (kind) => {
  let srv: TestServer;
  let admin: Client;

  beforeAll(async () => {
    srv = await startTestServer(kind);
    await createAgent(srv.database.db, 'blind', 'blind-pw');
    admin = await loggedIn(srv);
  });
  afterAll(() => srv?.close());

  it('creates a customer and reads it back by its customer id', async () => {
    const res = await admin.post('/api/v1/customers', { customerId: 'ACME', name: 'Acme Corp.', city: 'Springfield', country: 'US', url: 'https://acme.test' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ customerId: 'ACME', name: 'Acme Corp.', city: 'Springfield', street: '', valid: true, openTickets: 0, closedTickets: 0 });
    expect((await admin.get('/api/v1/customers/ACME')).body).toEqual(res.body);
    const dup = await admin.post('/api/v1/customers', { customerId: 'ACME', name: 'Other' });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({ code: 'DUPLICATE', path: '/customerId' });
    expect((await admin.get('/api/v1/customers/NOPE')).status).toBe(404);
    expect((await admin.post('/api/v1/customers', { customerId: 'A/B', name: 'Slash' })).body.error.path).toBe('/customerId');
  });

  it('creates customer users only for an existing customer, naming /customerId', async () => {
    const bad = await admin.post('/api/v1/customer-users', { login: 'x', firstName: 'X', lastName: 'Y', email: 'x@acme.test', customerId: 'GLOBEX' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ path: '/customerId', message: 'unknown customer "GLOBEX"' });
    const res = await admin.post('/api/v1/customer-users', {
      login: 'wile',
      firstName: 'Wile E.',
      lastName: 'Coyote',
      email: 'wile@acme.test',
      phone: '+1 555 0100',
      customerId: 'ACME',
      password: 'roadrunner-pw',
      canSeeCompanyTickets: false,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      login: 'wile',
      name: 'Wile E. Coyote',
      customerId: 'ACME',
      customerName: 'Acme Corp.',
      valid: true,
      loginForbidden: false,
      canSeeCompanyTickets: false,
      openTickets: 0,
      closedTickets: 0,
    });
    expect(JSON.stringify(res.body)).not.toMatch(/password|scrypt|roadrunner-pw/i);
    await new Client(srv.url).login('wile', 'roadrunner-pw', 'customer');
    const dup = await admin.post('/api/v1/customer-users', { login: 'wile', firstName: 'W', lastName: 'C', email: 'w@acme.test', customerId: 'ACME' });
    expect(dup.body.error).toMatchObject({ code: 'DUPLICATE', path: '/login' });
    const badPatch = await patch(admin, `/api/v1/customer-users/${res.body.id}`, { customerId: 'GLOBEX' });
    expect(badPatch.body.error.path).toBe('/customerId');
  });

  it('searches customer users by login, name and email, and filters by customer', async () => {
    await admin.post('/api/v1/customers', { customerId: 'GLOBEX', name: 'Globex' });
    await admin.post('/api/v1/customer-users', { login: 'hank', firstName: 'Hank', lastName: 'Scorpio', email: 'boss@globex.test', customerId: 'GLOBEX' });
    const names = async (q: string) => (await admin.get(`/api/v1/customer-users?${q}`)).body.items.map((u: any) => u.login);
    expect(await names('search=coyote')).toEqual(['wile']);
    expect(await names('search=globex.test')).toEqual(['hank']);
    expect(await names('search=hank')).toEqual(['hank']);
    expect(await names('search=Wile%20E.%20Coy')).toEqual(['wile']);
    expect(await names('customerId=ACME')).toEqual(['wile']);
    expect(await names('search=%25')).toEqual([]);
    expect((await admin.get('/api/v1/customers?search=glob')).body.items.map((c: any) => c.customerId)).toEqual(['GLOBEX']);
  });

  it('counts open and closed tickets, leaving merged and removed out', async () => {
    const db = srv.database.db;
    const wile = (await admin.get('/api/v1/customer-users?search=wile')).body.items[0];
    const mine = { customerId: 'ACME', customerUserId: wile.id };
    for (const state of ['new', 'open', 'pending reminder', 'closed successful', 'closed unsuccessful', 'merged', 'removed']) {
      await insertTicket(db, { state, ...mine });
    }
    await insertTicket(db, { state: 'open', customerId: 'ACME' });
    await insertTicket(db, { state: 'closed successful', customerId: 'GLOBEX' });
    const user = (await admin.get(`/api/v1/customer-users/${wile.id}`)).body;
    expect(user).toMatchObject({ openTickets: 3, closedTickets: 2 });
    expect((await admin.get('/api/v1/customer-users?search=wile')).body.items[0]).toMatchObject({ openTickets: 3, closedTickets: 2 });
    const acme = (await admin.get('/api/v1/customers/ACME')).body;
    expect(acme).toMatchObject({ openTickets: 4, closedTickets: 2 });
    const list = (await admin.get('/api/v1/customers')).body.items;
    expect(list.find((c: any) => c.customerId === 'GLOBEX')).toMatchObject({ openTickets: 0, closedTickets: 1 });
    // An agent who may read none of these queues sees no counts.
    const blind = await loggedIn(srv, 'blind', 'blind-pw');
    expect((await blind.get('/api/v1/customers/ACME')).body).toMatchObject({ openTickets: 0, closedTickets: 0 });
  });

  it('retires customers and users, and deletes only a customer nothing refers to', async () => {
    const retired = await patch(admin, '/api/v1/customers/GLOBEX', { valid: false, comment: 'gone' });
    expect(retired.body).toMatchObject({ valid: false, comment: 'gone' });
    expect((await admin.get('/api/v1/customers?valid=true')).body.items.map((c: any) => c.customerId)).toEqual(['ACME']);
    const inUse = await admin.delete('/api/v1/customers/GLOBEX');
    expect(inUse.status).toBe(409);
    expect(inUse.body.error.code).toBe('IN_USE');
    await admin.post('/api/v1/customers', { customerId: 'TEMP', name: 'Temp' });
    expect((await admin.delete('/api/v1/customers/TEMP')).status).toBe(204);
    const hank = (await admin.get('/api/v1/customer-users?search=hank')).body.items[0];
    const u = await patch(admin, `/api/v1/customer-users/${hank.id}`, { valid: false, loginForbidden: true, customerId: 'ACME' });
    expect(u.body).toMatchObject({ valid: false, loginForbidden: true, customerId: 'ACME', customerName: 'Acme Corp.' });
  });
});
