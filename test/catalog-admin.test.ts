/**
 * Every catalogue write is for administrators only: a non-admin agent and a customer user get 403
 * on each of them (the list is checked against the declared routes, so a new write cannot slip
 * through untested), and nothing changes. Malformed bodies get the one JSON error shape. Runs on
 * PGlite, and on PostgreSQL when TEST_DATABASE_URL is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogRouters } from '../server/catalog/routes';
import type { Client } from './support/server';
import { startTestServer, type TestServer } from './support/server';
import { createAgent, createCustomerUser } from './support/fixtures';
import { databaseKinds } from './support/db';
import { loggedIn, patch } from './support/catalog';

/** One valid request per admin write (`:id` is 1, or the customer id ACME). */
const WRITES: Record<string, unknown> = {
  'POST /queues': { name: 'Hacked', group: 'users' },
  'PATCH /queues/:id': { comment: 'hacked' },
  'DELETE /queues/:id': undefined,
  'POST /business-calendars': { name: 'Hacked', timeZone: 'UTC' },
  'PATCH /business-calendars/:id': { comment: 'hacked' },
  'DELETE /business-calendars/:id': undefined,
  'POST /business-calendars/:id/holidays/import': { ics: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR' },
  'POST /states': { name: 'hacked', stateType: 'open' },
  'PATCH /states/:id': { comment: 'hacked' },
  'DELETE /states/:id': undefined,
  'POST /priorities': { name: 'hacked' },
  'PATCH /priorities/:id': { name: 'hacked' },
  'DELETE /priorities/:id': undefined,
  'POST /types': { name: 'hacked' },
  'PATCH /types/:id': { name: 'hacked' },
  'DELETE /types/:id': undefined,
  'POST /services': { name: 'hacked' },
  'PATCH /services/:id': { comment: 'hacked' },
  'DELETE /services/:id': undefined,
  'POST /slas': { name: 'hacked' },
  'PATCH /slas/:id': { comment: 'hacked' },
  'DELETE /slas/:id': undefined,
  'POST /groups': { name: 'hacked' },
  'PATCH /groups/:id': { comment: 'hacked' },
  'DELETE /groups/:id': undefined,
  'POST /roles': { name: 'hacked' },
  'PATCH /roles/:id': { comment: 'hacked' },
  'DELETE /roles/:id': undefined,
  'PUT /roles/:id/permissions': { groups: { admin: ['rw'] } },
  'POST /agents': { login: 'hacker', firstName: 'H', lastName: 'H', email: 'h@example.test' },
  'PATCH /agents/:id': { lastName: 'Hacked' },
  'PUT /agents/:id/permissions': { groups: { admin: ['rw'] } },
  'PUT /agents/:id/roles': { roles: [] },
  'POST /customers': { customerId: 'HACK', name: 'Hack' },
  'PATCH /customers/:id': { name: 'Hacked' },
  'DELETE /customers/:id': undefined,
  'POST /customer-users': { login: 'hacker', firstName: 'H', lastName: 'H', email: 'h@example.test', customerId: 'ACME' },
  'PATCH /customer-users/:id': { phone: 'hacked' },
  'POST /dynamic-fields': { name: 'Hacked', label: 'Hacked', fieldType: 'text' },
  'PATCH /dynamic-fields/:id': { label: 'Hacked' },
  'DELETE /dynamic-fields/:id': undefined,
};

describe.each(databaseKinds)('catalogue writes on %s', (kind) => {
  let srv: TestServer;
  let admin: Client;

  beforeAll(async () => {
    srv = await startTestServer(kind);
    await createAgent(srv.database.db, 'worker', 'worker-pw', { groups: { users: ['rw'], admin: ['ro'] } });
    await createCustomerUser(srv.database.db, 'acmeuser', 'acme-pw', { customerId: 'ACME' });
    admin = await loggedIn(srv);
    await admin.post('/api/v1/services', { name: 'IT' });
    await admin.post('/api/v1/slas', { name: 'Gold' });
    await admin.post('/api/v1/roles', { name: 'r1' });
    await admin.post('/api/v1/dynamic-fields', { name: 'F1', label: 'F1', fieldType: 'text' });
  });
  afterAll(() => srv?.close());

  it('covers every declared admin write', () => {
    const declared = catalogRouters()
      .flatMap((r) => r.routes)
      .filter((r) => r.method !== 'get')
      .map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(declared.sort()).toEqual(Object.keys(WRITES).sort());
  });

  it('answers 403 to a non-admin agent and to a customer user on every write, changing nothing', async () => {
    const before = JSON.stringify(await snapshot());
    const worker = await loggedIn(srv, 'worker', 'worker-pw');
    const customer = await loggedIn(srv, 'acmeuser', 'acme-pw', 'customer');
    for (const [route, body] of Object.entries(WRITES)) {
      const [method, path] = route.split(' ') as [string, string];
      const url = '/api/v1' + path.replace(':id', path.startsWith('/customers/') ? 'ACME' : '1');
      for (const [who, c] of [['worker', worker], ['customer', customer]] as const) {
        const res = await c.request(method, url, body);
        expect(res.status, `${who} ${route}`).toBe(403);
        expect(res.body.error.code, `${who} ${route}`).toMatch(/ADMIN_REQUIRED|AGENT_REQUIRED/);
      }
    }
    expect(JSON.stringify(await snapshot())).toBe(before);
  });

  it('answers 401 without credentials', async () => {
    const res = await fetch(`${srv.url}/api/v1/queues`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"X","group":"users"}' });
    expect(res.status).toBe(401);
  });

  it('answers malformed bodies with the JSON error shape naming the problem', async () => {
    const notJson = await admin.request('POST', '/api/v1/queues', '{"name": "Broken"', { 'content-type': 'application/json' });
    expect(notJson.status).toBe(400);
    expect(notJson.body).toEqual({ error: { code: 'MALFORMED_JSON', message: expect.stringContaining('not valid JSON') } });
    const wrongType = await admin.post('/api/v1/agents', { login: 5, firstName: 'A', lastName: 'B', email: 'a@example.test' });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error).toMatchObject({ code: 'VALIDATION_FAILED', path: '/login' });
    const extra = await admin.post('/api/v1/priorities', { name: 'x', colour: 'red' });
    expect(extra.body.error).toMatchObject({ code: 'VALIDATION_FAILED', path: '/colour' });
    const empty = await patch(admin, '/api/v1/states/1', {});
    expect(empty.status).toBe(400);
    const badEmail = await admin.post('/api/v1/customer-users', { login: 'u', firstName: 'U', lastName: 'V', email: 'not-an-email', customerId: 'ACME' });
    expect(badEmail.body.error.path).toBe('/email');
    const badId = await admin.get('/api/v1/queues/abc');
    expect(badId.status).toBe(400);
    expect(badId.body.error).toMatchObject({ code: 'VALIDATION_FAILED', path: '/id' });
    const hugeId = await admin.get('/api/v1/agents/99999999999');
    expect(hugeId.status).toBe(400);
    expect(hugeId.body.error.path).toBe('/id');
  });

  async function snapshot() {
    const db = srv.database.db;
    return {
      queues: await db.selectFrom('queues').selectAll().orderBy('id').execute(),
      states: await db.selectFrom('states').selectAll().orderBy('id').execute(),
      priorities: await db.selectFrom('priorities').selectAll().orderBy('id').execute(),
      types: await db.selectFrom('ticket_types').selectAll().orderBy('id').execute(),
      services: await db.selectFrom('services').selectAll().orderBy('id').execute(),
      slas: await db.selectFrom('slas').selectAll().orderBy('id').execute(),
      business_calendars: await db.selectFrom('business_calendars').selectAll().orderBy('id').execute(),
      groups: await db.selectFrom('groups').selectAll().orderBy('id').execute(),
      roles: await db.selectFrom('roles').selectAll().orderBy('id').execute(),
      roleGroups: await db.selectFrom('role_groups').selectAll().orderBy('role_id').orderBy('group_id').orderBy('permission').execute(),
      agents: await db.selectFrom('agents').selectAll().orderBy('id').execute(),
      agentGroups: await db.selectFrom('agent_groups').selectAll().orderBy('agent_id').orderBy('group_id').orderBy('permission').execute(),
      companies: await db.selectFrom('customer_companies').selectAll().orderBy('customer_id').execute(),
      customerUsers: await db.selectFrom('customer_users').selectAll().orderBy('id').execute(),
      fields: await db.selectFrom('dynamic_fields').selectAll().orderBy('id').execute(),
    };
  }
});
