/**
 * The access helper decides per queue and permission, for permissions held directly on a group and
 * through roles, as OTRS does. Runs on PGlite, and on PostgreSQL when TEST_DATABASE_URL is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Access, PERMISSIONS } from '../server/access/access';
import type { Actor } from '../server/auth/actor';
import { createAgent, createCustomerUser, createQueue, createRole } from './support/fixtures';
import { createTestDatabase, databaseKinds, type TestDatabase } from './support/db';

describe.each(databaseKinds)('access helper on %s', (kind) => {
  let database: TestDatabase;
  const q: Record<string, number> = {};
  const a: Record<string, Actor> = {};

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const db = database.db;
    q.sales = await createQueue(db, 'Sales', 'sales');
    q.salesEurope = await createQueue(db, 'Sales::Europe', 'sales');
    q.support = await createQueue(db, 'Support', 'support');
    q.hr = await createQueue(db, 'HR', 'hr');
    await createRole(db, 'supporter', { support: ['ro', 'note'], hr: ['move_into'] });
    await createRole(db, 'retired', { hr: ['rw'] }, false);
    const agent = async (login: string, opts: Parameters<typeof createAgent>[3]) => {
      const id = await createAgent(db, login, 'pw', opts);
      a[login] = { kind: 'agent', id, login, via: 'token' };
    };
    await agent('reader', { groups: { sales: ['ro'] } });
    await agent('writer', { groups: { sales: ['rw'] } });
    await agent('viaRole', { roles: ['supporter'] });
    await agent('retiree', { roles: ['retired'] });
    await agent('nobody', {});
    const cid = await createCustomerUser(db, 'cust', 'pw', { customerId: 'ACME' });
    a.cust = { kind: 'customer', id: cid, login: 'cust', customerId: 'ACME', companyTickets: true, via: 'session' };
  });
  afterAll(() => database?.close());

  const access = (who: string) => new Access(database.db, a[who]);

  it('grants ro on the queues of a group held directly, and nothing more', async () => {
    const r = access('reader');
    expect(await r.onQueue(q.sales!, 'ro')).toBe(true);
    expect(await r.onQueue(q.salesEurope!, 'ro')).toBe(true);
    expect(await r.onQueue(q.sales!, 'rw')).toBe(false);
    expect(await r.onQueue(q.sales!, 'move_into')).toBe(false);
    expect(await r.onQueue(q.support!, 'ro')).toBe(false);
    expect((await r.queueIds('ro')).sort()).toEqual([q.sales, q.salesEurope].sort());
    expect(await r.queueIds('note')).toEqual([]);
  });

  it('treats rw as every permission', async () => {
    const w = access('writer');
    for (const p of PERMISSIONS) expect(await w.onQueue(q.sales!, p)).toBe(true);
    expect(await w.onQueue(q.hr!, 'ro')).toBe(false);
  });

  it('grants through a role exactly what the role holds', async () => {
    const v = access('viaRole');
    expect(await v.onQueue(q.support!, 'ro')).toBe(true);
    expect(await v.onQueue(q.support!, 'note')).toBe(true);
    expect(await v.onQueue(q.support!, 'owner')).toBe(false);
    expect(await v.onQueue(q.hr!, 'move_into')).toBe(true);
    expect(await v.onQueue(q.hr!, 'ro')).toBe(false);
    expect(await v.queueIds('move_into')).toEqual([q.hr]);
  });

  it('grants nothing through an invalid role', async () => {
    expect(await access('retiree').onQueue(q.hr!, 'ro')).toBe(false);
  });

  it('reports a denied read as not found and a denied write as forbidden', async () => {
    const r = access('reader');
    await expect(r.assertQueue(q.support!, 'ro', 'ticket')).rejects.toMatchObject({ status: 404, message: 'ticket not found' });
    await expect(r.assertQueue(q.sales!, 'rw')).rejects.toMatchObject({ status: 403, code: 'PERMISSION_DENIED' });
    await expect(r.assertQueue(q.sales!, 'ro')).resolves.toBeUndefined();
    await expect(new Access(database.db, undefined).assertQueue(q.sales!, 'ro')).rejects.toMatchObject({ status: 401 });
  });

  it('gives customer users no queue permissions, only their own things', async () => {
    const c = access('cust');
    expect(await c.onQueue(q.sales!, 'ro')).toBe(false);
    expect(c.customerMay({ customerUserId: a.cust!.id })).toBe(true);
    expect(c.customerMay({ customerUserId: 999, customerId: 'ACME' })).toBe(false);
    expect(c.customerMay({ customerUserId: 999, customerId: 'ACME' }, true)).toBe(true);
    expect(c.customerMay({ customerUserId: 999, customerId: 'OTHER' }, true)).toBe(false);
    expect(access('writer').customerMay({ customerUserId: a.cust!.id })).toBe(false);
  });

  it('knows administrators by rw on the admin group', async () => {
    const admin = await createAgent(database.db, 'boss', 'pw', { groups: { admin: ['rw'] } });
    const roAdmin = await createAgent(database.db, 'peeker', 'pw', { groups: { admin: ['ro'] } });
    expect(await new Access(database.db, { kind: 'agent', id: admin, login: 'boss', via: 'token' }).isAdmin()).toBe(true);
    expect(await new Access(database.db, { kind: 'agent', id: roAdmin, login: 'peeker', via: 'token' }).isAdmin()).toBe(false);
    await expect(access('reader').assertAdmin()).rejects.toMatchObject({ status: 403, code: 'ADMIN_REQUIRED' });
    await expect(access('cust').assertAdmin()).rejects.toMatchObject({ status: 403 });
  });
});
