/**
 * Agents, groups, roles and the permission matrix as an administrator manages them: creating
 * agents with groups and roles, replacing a role's permissions and seeing the agent's effective
 * permissions follow (and the access helper agree), passwords that never come back, protections
 * against locking oneself out. Runs on PGlite, and on PostgreSQL when TEST_DATABASE_URL is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Access } from '../server/access/access';
import { Client, startTestServer, type TestServer } from './support/server';
import { createAgent, createQueue } from './support/fixtures';
import { databaseKinds } from './support/db';
import { loggedIn, patch, put } from './support/catalog';

describe.each(databaseKinds)('agents and permissions on %s', (kind) => {
  let srv: TestServer;
  let admin: Client;
  let salesQueue: number;
  let hrQueue: number;

  beforeAll(async () => {
    srv = await startTestServer(kind);
    salesQueue = await createQueue(srv.database.db, 'Sales', 'sales');
    hrQueue = await createQueue(srv.database.db, 'HR', 'hr');
    await createAgent(srv.database.db, 'plain', 'plain-pw');
    admin = await loggedIn(srv);
  });
  afterAll(() => srv?.close());

  const access = (id: number, login: string) => new Access(srv.database.db, { kind: 'agent', id, login, via: 'token' });

  it('creates an agent with direct permissions and roles, never showing the password', async () => {
    const role = await admin.post('/api/v1/roles', { name: 'sellers', comment: 'sales people' });
    expect(role.status).toBe(201);
    expect(role.body).toMatchObject({ name: 'sellers', permissions: {}, agents: [] });
    const res = await admin.post('/api/v1/agents', {
      login: 'jdoe',
      firstName: 'Jane',
      lastName: 'Doe',
      email: 'jane@example.test',
      password: 'jane-secret-pw',
      groups: { hr: ['note', 'ro'] },
      roles: ['sellers'],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      login: 'jdoe',
      name: 'Jane Doe',
      valid: true,
      isAdmin: false,
      groups: { hr: ['ro', 'note'] },
      roles: ['sellers'],
      effectivePermissions: { hr: ['ro', 'note'] },
    });
    const text = JSON.stringify(res.body) + JSON.stringify((await admin.get('/api/v1/agents')).body) + JSON.stringify((await admin.get(`/api/v1/agents/${res.body.id}`)).body);
    // No password material (the flag `passwordChangeRequired` says nothing of the password itself).
    expect(text.replaceAll('"passwordChangeRequired":false', '')).not.toMatch(/password|scrypt|jane-secret-pw/i);
    const jane = new Client(srv.url);
    expect((await jane.login('jdoe', 'jane-secret-pw')).status).toBe(200);
  });

  it('replaces a role’s permissions; the agent’s effective permissions and the access helper follow', async () => {
    const role = (await admin.get('/api/v1/roles?search=sellers')).body.items[0];
    const jdoe = (await admin.get('/api/v1/agents?search=jdoe')).body.items[0];
    expect(await access(jdoe.id, 'jdoe').onQueue(salesQueue, 'ro')).toBe(false);
    const res = await put(admin, `/api/v1/roles/${role.id}/permissions`, { groups: { sales: ['rw'], hr: ['move_into'] } });
    expect(res.status).toBe(200);
    expect(res.body.permissions).toEqual({ hr: ['move_into'], sales: ['rw'] });
    expect(res.body.agents).toEqual([{ id: jdoe.id, login: 'jdoe' }]);
    const agent = (await admin.get(`/api/v1/agents/${jdoe.id}`)).body;
    expect(agent.effectivePermissions).toEqual({ hr: ['ro', 'move_into', 'note'], sales: ['rw'] });
    const a = access(jdoe.id, 'jdoe');
    expect(await a.onQueue(salesQueue, 'owner')).toBe(true);
    expect(await a.onQueue(hrQueue, 'move_into')).toBe(true);
    expect(await a.onQueue(hrQueue, 'owner')).toBe(false);

    const group = (await admin.get('/api/v1/groups?search=sales')).body.items[0];
    const detail = (await admin.get(`/api/v1/groups/${group.id}`)).body;
    expect(detail).toMatchObject({ name: 'sales', queues: [{ id: salesQueue, name: 'Sales' }], roles: [{ id: role.id, name: 'sellers', permissions: ['rw'] }], agents: [] });

    const cleared = await put(admin, `/api/v1/roles/${role.id}/permissions`, { groups: {} });
    expect(cleared.body.permissions).toEqual({});
    expect((await admin.get(`/api/v1/agents/${jdoe.id}`)).body.effectivePermissions).toEqual({ hr: ['ro', 'note'] });
  });

  it('replaces an agent’s direct permissions and roles, naming unknown groups and roles', async () => {
    const jdoe = (await admin.get('/api/v1/agents?search=jdoe')).body.items[0];
    const perms = await put(admin, `/api/v1/agents/${jdoe.id}/permissions`, { groups: { sales: ['ro'] } });
    expect(perms.body).toMatchObject({ groups: { sales: ['ro'] }, effectivePermissions: { sales: ['ro'] } });
    const roles = await put(admin, `/api/v1/agents/${jdoe.id}/roles`, { roles: [] });
    expect(roles.body.roles).toEqual([]);
    const badGroup = await put(admin, `/api/v1/agents/${jdoe.id}/permissions`, { groups: { ghosts: ['ro'] } });
    expect(badGroup.status).toBe(400);
    expect(badGroup.body.error).toMatchObject({ path: '/groups/ghosts', message: 'unknown group "ghosts"' });
    const badRole = await put(admin, `/api/v1/agents/${jdoe.id}/roles`, { roles: ['sellers', 'wizards'] });
    expect(badRole.body.error).toMatchObject({ path: '/roles/1' });
    const badPerm = await put(admin, `/api/v1/agents/${jdoe.id}/permissions`, { groups: { sales: ['fly'] } });
    expect(badPerm.status).toBe(400);
    expect(badPerm.body.error.path).toBe('/groups/sales/0');
    // nothing half-written
    expect((await admin.get(`/api/v1/agents/${jdoe.id}`)).body.groups).toEqual({ sales: ['ro'] });
  });

  it('shows other agents only the basics, and oneself one’s permissions', async () => {
    const plain = await loggedIn(srv, 'plain', 'plain-pw');
    const jdoe = (await plain.get('/api/v1/agents?search=Jane')).body.items[0];
    expect(jdoe.login).toBe('jdoe');
    const other = (await plain.get(`/api/v1/agents/${jdoe.id}`)).body;
    expect(other).not.toHaveProperty('effectivePermissions');
    const me = (await plain.get('/api/v1/auth/me')).body.user;
    expect((await plain.get(`/api/v1/agents/${me.id}`)).body).toMatchObject({ login: 'plain', effectivePermissions: {}, isAdmin: false });
  });

  it('changes and retires agents; duplicate logins are 409 on /login', async () => {
    const jdoe = (await admin.get('/api/v1/agents?search=jdoe')).body.items[0];
    const dup = await admin.post('/api/v1/agents', { login: 'jdoe', firstName: 'J', lastName: 'D', email: 'j@example.test' });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({ code: 'DUPLICATE', path: '/login' });
    expect((await patch(admin, `/api/v1/agents/${jdoe.id}`, { login: 'plain' })).body.error.path).toBe('/login');
    const changed = await patch(admin, `/api/v1/agents/${jdoe.id}`, { lastName: 'Smith', password: 'new-secret-pw' });
    expect(changed.body).toMatchObject({ name: 'Jane Smith' });
    expect(JSON.stringify(changed.body).replaceAll('"passwordChangeRequired":false', '')).not.toMatch(/password|scrypt|new-secret-pw/);
    await new Client(srv.url).login('jdoe', 'new-secret-pw');
    const retired = await patch(admin, `/api/v1/agents/${jdoe.id}`, { valid: false });
    expect(retired.body.valid).toBe(false);
    const login = await new Client(srv.url).post('/api/v1/auth/login', { login: 'jdoe', password: 'new-secret-pw' });
    expect(login.status).toBe(401);
    const short = await admin.post('/api/v1/agents', { login: 'x', firstName: 'X', lastName: 'Y', email: 'x@example.test', password: 'short' });
    expect(short.body.error.path).toBe('/password');
  });

  it('refuses to let an administrator take away their own administrator rights', async () => {
    const me = (await admin.get('/api/v1/auth/me')).body.user;
    const res = await put(admin, `/api/v1/agents/${me.id}/permissions`, { groups: { users: ['rw'] } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('SELF_LOCKOUT');
    expect((await patch(admin, `/api/v1/agents/${me.id}`, { valid: false })).status).toBe(409);
    const adminGroup = (await admin.get('/api/v1/groups?search=admin')).body.items[0];
    expect((await patch(admin, `/api/v1/groups/${adminGroup.id}`, { valid: false })).status).toBe(409);
    expect((await admin.get(`/api/v1/agents/${me.id}`)).body.isAdmin).toBe(true);
  });

  it('deletes groups without queues and any role; refuses a group that holds queues', async () => {
    const sales = (await admin.get('/api/v1/groups?search=sales')).body.items[0];
    const used = await admin.delete(`/api/v1/groups/${sales.id}`);
    expect(used.status).toBe(409);
    expect(used.body.error.message).toMatch(/used by 1 queues/);
    const empty = (await admin.post('/api/v1/groups', { name: 'empty' })).body;
    expect((await admin.delete(`/api/v1/groups/${empty.id}`)).status).toBe(204);
    const role = (await admin.get('/api/v1/roles?search=sellers')).body.items[0];
    expect((await admin.delete(`/api/v1/roles/${role.id}`)).status).toBe(204);
    expect((await admin.get(`/api/v1/roles/${role.id}`)).status).toBe(404);
  });
});
