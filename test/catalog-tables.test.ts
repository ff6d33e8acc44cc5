/**
 * States, priorities, types, services and SLAs: the generic catalogue's rules as an administrator
 * meets them (create, rename, retire, delete only when unused, duplicates), the seeded `merged`
 * state that must stay, and who may read what. Runs on PGlite, and on PostgreSQL when
 * TEST_DATABASE_URL is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from './support/server';
import { startTestServer, type TestServer } from './support/server';
import { createAgent, createCustomerUser } from './support/fixtures';
import { databaseKinds } from './support/db';
import { insertTicket, loggedIn, patch } from './support/catalog';

describe.each(databaseKinds)('catalogue tables on %s', (kind) => {
  let srv: TestServer;
  let admin: Client;

  beforeAll(async () => {
    srv = await startTestServer(kind);
    await createAgent(srv.database.db, 'plain', 'plain-pw');
    await createCustomerUser(srv.database.db, 'tcust', 'tcust-pw');
    admin = await loggedIn(srv);
  });
  afterAll(() => srv?.close());

  it('lists the seeded states with their state types', async () => {
    const res = await admin.get('/api/v1/states');
    expect(res.status).toBe(200);
    const byName = Object.fromEntries(res.body.items.map((s: any) => [s.name, s.stateType]));
    expect(byName).toMatchObject({ new: 'new', open: 'open', 'closed successful': 'closed', 'pending auto close+': 'pending auto', merged: 'merged' });
    expect(res.body.total).toBe(9);
  });

  it('creates a state by state type name, and refuses an unknown type naming /stateType', async () => {
    const res = await admin.post('/api/v1/states', { name: 'waiting for customer', stateType: 'pending reminder', comment: 'asked the customer' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'waiting for customer', stateType: 'pending reminder', comment: 'asked the customer', valid: true });
    expect(res.body.stateTypeId).toEqual(expect.any(Number));
    const bad = await admin.post('/api/v1/states', { name: 'limbo', stateType: 'nowhere' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ path: '/stateType', message: 'unknown state type "nowhere"' });
    const none = await admin.post('/api/v1/states', { name: 'limbo' });
    expect(none.body.error.path).toBe('/stateType');
  });

  it('refuses to retire, rename or delete the merged state', async () => {
    const merged = (await admin.get('/api/v1/states?search=merged')).body.items[0];
    const retire = await patch(admin, `/api/v1/states/${merged.id}`, { valid: false });
    expect(retire.status).toBe(409);
    expect(retire.body.error).toMatchObject({ code: 'PROTECTED', path: '/valid' });
    expect((await patch(admin, `/api/v1/states/${merged.id}`, { name: 'fused' })).status).toBe(409);
    expect((await admin.delete(`/api/v1/states/${merged.id}`)).status).toBe(409);
    expect((await admin.get(`/api/v1/states/${merged.id}`)).body).toMatchObject({ name: 'merged', valid: true });
    const comment = await patch(admin, `/api/v1/states/${merged.id}`, { comment: 'still here' });
    expect(comment.status).toBe(200);
  });

  it('retires other states, and deletes a state only while no ticket uses it', async () => {
    const s = (await admin.post('/api/v1/states', { name: 'parked', stateType: 'open' })).body;
    expect((await patch(admin, `/api/v1/states/${s.id}`, { valid: false })).body.valid).toBe(false);
    await insertTicket(srv.database.db, { state: 'parked' });
    const del = await admin.delete(`/api/v1/states/${s.id}`);
    expect(del.status).toBe(409);
    expect(del.body.error).toMatchObject({ code: 'IN_USE' });
    expect(del.body.error.message).toContain('"valid": false');
    const t = (await admin.post('/api/v1/states', { name: 'scratch', stateType: 'open' })).body;
    expect((await admin.delete(`/api/v1/states/${t.id}`)).status).toBe(204);
  });

  it('creates, renames and rejects duplicate priorities and types', async () => {
    const p = await admin.post('/api/v1/priorities', { name: '6 urgent' });
    expect(p.status).toBe(201);
    expect(p.body).toEqual({ id: expect.any(Number), name: '6 urgent', valid: true });
    expect((await admin.post('/api/v1/priorities', { name: '3 normal' })).body.error).toMatchObject({ code: 'DUPLICATE', path: '/name' });
    const renamed = await patch(admin, `/api/v1/priorities/${p.body.id}`, { name: '6 critical' });
    expect(renamed.body.name).toBe('6 critical');
    const dup = await patch(admin, `/api/v1/priorities/${p.body.id}`, { name: '5 very high' });
    expect(dup.status).toBe(409);
    const t = await admin.post('/api/v1/types', { name: 'Incident' });
    expect(t.status).toBe(201);
    expect((await admin.get('/api/v1/types')).body.items.map((x: any) => x.name)).toEqual(['Incident', 'Unclassified']);
  });

  it('nests services like queues', async () => {
    expect((await admin.post('/api/v1/services', { name: 'IT::Email' })).body.error).toMatchObject({ path: '/name', code: 'PARENT_MISSING' });
    const it1 = await admin.post('/api/v1/services', { name: 'IT', comment: 'internal IT' });
    expect(it1.status).toBe(201);
    const mail = await admin.post('/api/v1/services', { name: 'IT::Email' });
    expect(mail.body).toMatchObject({ name: 'IT::Email', parentName: 'IT', valid: true });
    await patch(admin, `/api/v1/services/${it1.body.id}`, { name: 'Tech' });
    expect((await admin.get(`/api/v1/services/${mail.body.id}`)).body.name).toBe('Tech::Email');
  });

  it('keeps SLA escalation minutes, null meaning none', async () => {
    const res = await admin.post('/api/v1/slas', { name: 'Gold', firstResponseMinutes: 60, solutionMinutes: 480 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Gold', firstResponseMinutes: 60, updateMinutes: null, solutionMinutes: 480, comment: '' });
    const changed = await patch(admin, `/api/v1/slas/${res.body.id}`, { updateMinutes: 120, firstResponseMinutes: null });
    expect(changed.body).toMatchObject({ firstResponseMinutes: null, updateMinutes: 120, solutionMinutes: 480 });
    const bad = await admin.post('/api/v1/slas', { name: 'Bad', solutionMinutes: -5 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toBe('/solutionMinutes');
  });

  it('lets customer users read states, priorities and types but nothing agents-only', async () => {
    const cust = await loggedIn(srv, 'tcust', 'tcust-pw', 'customer');
    for (const path of ['/states', '/priorities', '/types']) expect((await cust.get(`/api/v1${path}`)).status).toBe(200);
    for (const path of ['/queues', '/agents', '/customers', '/customer-users', '/groups', '/roles', '/services', '/slas']) {
      const res = await cust.get(`/api/v1${path}`);
      expect(res.status, path).toBe(403);
    }
    const anon = await srv.services.database.db.selectFrom('states').select('id').executeTakeFirstOrThrow();
    const res = await fetch(`${srv.url}/api/v1/states/${anon.id}`);
    expect(res.status).toBe(401);
  });

  it('lets every agent read the catalogue, but groups and roles only administrators', async () => {
    const plain = await loggedIn(srv, 'plain', 'plain-pw');
    for (const path of ['/states', '/priorities', '/types', '/services', '/slas', '/agents', '/customers', '/customer-users', '/dynamic-fields']) {
      expect((await plain.get(`/api/v1${path}`)).status, path).toBe(200);
    }
    expect((await plain.get('/api/v1/groups')).status).toBe(403);
    expect((await plain.get('/api/v1/roles')).status).toBe(403);
  });
});
