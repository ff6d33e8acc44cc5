/**
 * Authentication as a client meets it: login, lock-out, session cookies, CSRF, API tokens, logout.
 * Runs on PGlite, and on PostgreSQL when TEST_DATABASE_URL is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../server/app';
import { ADMIN_PASSWORD, Client, startTestServer, type TestServer } from './support/server';
import { createAgent, createCustomerUser } from './support/fixtures';
import { databaseKinds } from './support/db';

describe.each(databaseKinds)('authentication on %s', (kind) => {
  let srv: TestServer;
  const client = () => new Client(srv.url);

  beforeAll(async () => {
    srv = await startTestServer(kind, { loginMaxFailures: 3, loginLockMinutes: 10, sessionIdleMinutes: 30 });
    await createAgent(srv.database.db, 'alice', 'alice-pw');
    await createAgent(srv.database.db, 'bob', 'bob-pw');
    await createAgent(srv.database.db, 'gone', 'gone-pw', { valid: false });
    await createCustomerUser(srv.database.db, 'carol', 'carol-pw', { customerId: 'ACME' });
    await createCustomerUser(srv.database.db, 'dave', 'dave-pw', { loginForbidden: true });
  });
  afterAll(() => srv?.close());

  it('logs an agent in with a HttpOnly SameSite session cookie and returns the agent', async () => {
    const c = client();
    const res = await c.post('/api/v1/auth/login', { login: 'admin', password: ADMIN_PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ kind: 'agent', login: 'admin', isAdmin: true });
    expect(res.body.csrfToken).toMatch(/^[\w-]{20,}$/);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/hd_session=[\w-]{40,}/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const me = await c.get('/api/v1/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ user: { login: 'admin' }, via: 'session', csrfToken: res.body.csrfToken });
  });

  it('stores neither the session id nor the password in clear', async () => {
    const c = client();
    await c.login('alice', 'alice-pw');
    const sid = c.cookie!.split('=')[1]!;
    const rows = await srv.database.db.selectFrom('sessions').select('id_hash').execute();
    expect(rows.some((r) => r.id_hash === sid)).toBe(false);
    const agent = await srv.database.db.selectFrom('agents').select('password_hash').where('login', '=', 'alice').executeTakeFirstOrThrow();
    expect(agent.password_hash).toMatch(/^scrypt\$/);
    expect(agent.password_hash).not.toContain('alice-pw');
  });

  it('refuses a wrong password and an unknown login with the same answer', async () => {
    const wrong = await client().post('/api/v1/auth/login', { login: 'bob', password: 'nope' });
    const unknown = await client().post('/api/v1/auth/login', { login: 'nobody', password: 'nope' });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: { code: 'INVALID_CREDENTIALS', message: 'login or password is wrong' } });
      expect(res.headers.get('set-cookie')).toBeNull();
    }
    // A failure below the limit does not lock: the right password still works, and resets the count.
    expect((await client().post('/api/v1/auth/login', { login: 'bob', password: 'bob-pw' })).status).toBe(200);
  });

  it('refuses an invalid agent and a customer user whose login is forbidden', async () => {
    expect((await client().post('/api/v1/auth/login', { login: 'gone', password: 'gone-pw' })).status).toBe(401);
    expect((await client().post('/api/v1/auth/customer/login', { login: 'dave', password: 'dave-pw' })).status).toBe(401);
  });

  it('locks a login after repeated failures, even for the right password, until the lock expires', async () => {
    await createAgent(srv.database.db, 'erin', 'erin-pw');
    const attempt = (password: string) => client().post('/api/v1/auth/login', { login: 'Erin', password });
    expect((await attempt('x1')).status).toBe(401);
    expect((await attempt('x2')).status).toBe(401);
    const third = await attempt('x3');
    expect(third.status).toBe(429);
    expect(third.body.error.code).toBe('LOGIN_LOCKED');
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(500);
    const right = await attempt('erin-pw');
    expect(right.status).toBe(429);
    expect(right.headers.get('set-cookie')).toBeNull();
    // Another login is not affected.
    expect((await client().post('/api/v1/auth/login', { login: 'alice', password: 'alice-pw' })).status).toBe(200);
    srv.advance(11 * 60_000);
    expect((await attempt('erin-pw')).status).toBe(200);
  });

  it('ignores a forged session cookie', async () => {
    const c = client();
    c.cookie = 'hd_session=' + 'A'.repeat(43);
    const me = await c.get('/api/v1/auth/me');
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('expires an idle session and keeps an active one alive', async () => {
    const idle = client();
    await idle.login('alice', 'alice-pw');
    const active = client();
    await active.login('alice', 'alice-pw');
    srv.advance(20 * 60_000);
    expect((await active.get('/api/v1/auth/me')).status).toBe(200);
    srv.advance(20 * 60_000);
    expect((await idle.get('/api/v1/auth/me')).status).toBe(401);
    expect((await active.get('/api/v1/auth/me')).status).toBe(200);
  });

  it('refuses a cookie-authenticated write without the CSRF token', async () => {
    const c = client();
    await c.login('alice', 'alice-pw');
    const without = await c.post('/api/v1/auth/tokens', { name: 'x' }, { 'x-csrf-token': '' });
    expect(without.status).toBe(403);
    expect(without.body.error.code).toBe('CSRF_TOKEN_INVALID');
    const wrong = await c.post('/api/v1/auth/tokens', { name: 'x' }, { 'x-csrf-token': 'forged' });
    expect(wrong.status).toBe(403);
    const ok = await c.post('/api/v1/auth/tokens', { name: 'x' });
    expect(ok.status).toBe(201);
  });

  it('issues an API token once, accepts it as Bearer, and refuses it once revoked', async () => {
    const c = client();
    await c.login('alice', 'alice-pw');
    const created = await c.post('/api/v1/auth/tokens', { name: 'monitoring' });
    expect(created.status).toBe(201);
    const { token, id } = created.body;
    expect(token).toMatch(/^hd_[\w-]{40,}$/);

    const api = new Client(srv.url);
    api.bearer = token;
    const me = await api.get('/api/v1/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ user: { login: 'alice' }, via: 'token', csrfToken: null });
    // Token calls need no CSRF token.
    expect((await api.post('/api/v1/auth/tokens', { name: 'second' })).status).toBe(201);

    const list = await c.get('/api/v1/auth/tokens');
    expect(list.body.tokens.map((t: { name: string }) => t.name).slice(-2)).toEqual(['monitoring', 'second']);
    expect(JSON.stringify(list.body)).not.toContain(token);

    // Bob cannot revoke Alice's token.
    const bob = client();
    await bob.login('bob', 'bob-pw');
    expect((await bob.delete(`/api/v1/auth/tokens/${id}`)).status).toBe(404);
    expect((await api.get('/api/v1/auth/me')).status).toBe(200);

    expect((await c.delete(`/api/v1/auth/tokens/${id}`)).status).toBe(204);
    const after = await api.get('/api/v1/auth/me');
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('INVALID_TOKEN');
  });

  it('refuses an expired API token', async () => {
    const c = client();
    await c.login('bob', 'bob-pw');
    const soon = new Date(Date.now() + 60 * 60_000).toISOString();
    const { body } = await c.post('/api/v1/auth/tokens', { name: 'short', expiresAt: soon });
    const api = new Client(srv.url);
    api.bearer = body.token;
    expect((await api.get('/api/v1/auth/me')).status).toBe(200);
    srv.advance(2 * 60 * 60_000);
    expect((await api.get('/api/v1/auth/me')).status).toBe(401);
  });

  it('refuses to create an API token that has expired already, naming /expiresAt', async () => {
    const c = client();
    await c.login('bob', 'bob-pw');
    const before = (await c.get('/api/v1/auth/tokens')).body.tokens.length;
    for (const expiresAt of [new Date(Date.now() - 60_000).toISOString(), '2001-01-01T00:00:00Z']) {
      const res = await c.post('/api/v1/auth/tokens', { name: 'stale', expiresAt });
      expect(res.status, expiresAt).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', path: '/expiresAt' });
      expect(res.body.error.message).toMatch(/future/);
    }
    expect((await c.get('/api/v1/auth/tokens')).body.tokens.length).toBe(before);
  });

  it('marks the session cookie Secure when the request came over HTTPS, and trusts X-Forwarded-Proto only with TRUST_PROXY', async () => {
    const login = (app: ReturnType<typeof createApp>, url: string, headers: Record<string, string> = {}) =>
      app.request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ login: 'alice', password: 'alice-pw' }) });
    const cookieOf = async (res: Response) => {
      expect(res.status).toBe(200);
      return res.headers.get('set-cookie') ?? '';
    };
    const app = createApp(srv.services);
    expect(await cookieOf(await login(app, 'https://helpdesk.example/api/v1/auth/login'))).toMatch(/;\s*Secure/i);
    expect(await cookieOf(await login(app, 'http://helpdesk.example/api/v1/auth/login'))).not.toMatch(/Secure/i);
    // A proxy's word counts only when the operator says there is one.
    expect(await cookieOf(await login(app, 'http://helpdesk.example/api/v1/auth/login', { 'x-forwarded-proto': 'https' }))).not.toMatch(/Secure/i);
    const proxied = createApp({ ...srv.services, config: { ...srv.services.config, trustProxy: true } });
    expect(await cookieOf(await login(proxied, 'http://helpdesk.example/api/v1/auth/login', { 'x-forwarded-proto': 'https' }))).toMatch(/;\s*Secure/i);
    expect(await cookieOf(await login(proxied, 'http://helpdesk.example/api/v1/auth/login', { 'x-forwarded-proto': 'http' }))).not.toMatch(/Secure/i);
  });

  it('logs a customer user in separately; customers get no API tokens', async () => {
    const c = client();
    const res = await c.login('carol', 'carol-pw', 'customer');
    expect(res.body.user).toEqual(expect.objectContaining({ kind: 'customer', login: 'carol', customerId: 'ACME' }));
    expect((await c.get('/api/v1/auth/me')).body.user.kind).toBe('customer');
    const tok = await c.post('/api/v1/auth/tokens', { name: 'x' });
    expect(tok.status).toBe(403);
    // The agent login endpoint does not accept customer credentials.
    expect((await client().post('/api/v1/auth/login', { login: 'carol', password: 'carol-pw' })).status).toBe(401);
  });

  it('logs out: the cookie stops working', async () => {
    const c = client();
    await c.login('alice', 'alice-pw');
    const saved = c.cookie;
    expect((await c.post('/api/v1/auth/logout')).status).toBe(204);
    c.cookie = saved;
    expect((await c.get('/api/v1/auth/me')).status).toBe(401);
  });

  it('names the missing field of a login body', async () => {
    const res = await client().post('/api/v1/auth/login', { login: 'alice' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', path: '/password' });
  });
});
