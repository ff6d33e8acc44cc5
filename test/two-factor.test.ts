/**
 * Two-factor login as a client meets it: setting up TOTP (password, QR, first code, recovery
 * codes), logging in with a code (clock drift of one step either way, replay refused), brute force
 * of codes locked out like passwords, recovery codes used once, email codes through the real
 * outbound mail (SMTP capture), the policy forcing setup at login, remembered browsers and their
 * revocation, the Generic Interface's `TwoFactorToken`, API tokens staying one factor, and the
 * sessions list. Runs on PGlite, and on PostgreSQL when TEST_DATABASE_URL is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../server/auth/two-factor/totp';
import { startWorker, type JobWorker } from '../server/engine/worker';
import { closeMailTransports } from '../server/mail/transport';
import { databaseKinds } from './support/db';
import { createAgent, createCustomerUser } from './support/fixtures';
import { dataOf, errorOf, Gi } from './support/generic-interface';
import { ADMIN_PASSWORD, Client, startTestServer, type TestServer } from './support/server';
import { startSmtpCapture, type SmtpCapture } from './support/smtp';

const STEP = 30_000;

describe.each(databaseKinds)('two-factor login on %s', (kind) => {
  let srv: TestServer;
  let smtp: SmtpCapture;
  let worker: JobWorker;
  let admin: Client;
  /** The server clock's lead over the wall clock (kept in step with srv.advance). */
  let offset = 0;

  const advance = (ms: number) => {
    offset += ms;
    srv.advance(ms);
  };
  /** Moves the server clock to the middle of a TOTP step, so a code computed now stays in its step. */
  const midStep = () => advance((((STEP / 2 - ((Date.now() + offset) % STEP)) % STEP) + STEP) % STEP + STEP);
  /** The code of `secret` for the server's now plus `steps` steps. */
  const codeAt = (secret: string, steps = 0) => totpCode(secret, new Date(Date.now() + offset + steps * STEP));

  const password = (login: string) => `${login}-password-1`;
  const loginAs = (login: string, extra: Record<string, unknown> = {}, k: 'agent' | 'customer' = 'agent', headers: Record<string, string> = {}) =>
    new Client(srv.url).post(k === 'agent' ? '/api/v1/auth/login' : '/api/v1/auth/customer/login', { login, password: password(login), ...extra }, headers);

  /** An agent with TOTP switched on; resolves to the secret and the recovery codes. */
  async function agentWithTotp(login: string): Promise<{ secret: string; recoveryCodes: string[]; client: Client }> {
    await createAgent(srv.database.db, login, password(login));
    const client = new Client(srv.url);
    await client.login(login, password(login));
    const setup = await client.post('/api/v1/auth/2fa/setup', { password: password(login), method: 'totp' });
    expect(setup.status, JSON.stringify(setup.body)).toBe(200);
    midStep();
    const confirm = await client.post('/api/v1/auth/2fa/confirm', { code: codeAt(setup.body.secret) });
    expect(confirm.status, JSON.stringify(confirm.body)).toBe(200);
    return { secret: setup.body.secret, recoveryCodes: confirm.body.recoveryCodes, client };
  }

  beforeAll(async () => {
    srv = await startTestServer(kind, { loginMaxFailures: 3, loginLockMinutes: 10 });
    smtp = await startSmtpCapture();
    srv.services.config.mailOut.smtpUrl = smtp.url;
    worker = startWorker(srv.services, { loop: false });
    admin = new Client(srv.url);
    await admin.login('admin', ADMIN_PASSWORD);
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
    await closeMailTransports();
    await smtp?.close();
    await srv?.close();
  });

  it('sets up TOTP only with the current password and a first code, and shows recovery codes once', async () => {
    await createAgent(srv.database.db, 'tina', password('tina'));
    const c = new Client(srv.url);
    await c.login('tina', password('tina'));
    const wrongPw = await c.post('/api/v1/auth/2fa/setup', { password: 'not-it', method: 'totp' });
    expect(wrongPw.status).toBe(400);
    expect(wrongPw.body.error).toMatchObject({ code: 'WRONG_PASSWORD', path: '/password' });

    const setup = await c.post('/api/v1/auth/2fa/setup', { password: password('tina'), method: 'totp' });
    expect(setup.status).toBe(200);
    expect(setup.body.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(setup.body.uri).toMatch(/^otpauth:\/\/totp\/Helpdesk:tina\?/);
    expect(setup.body.qr).toMatch(/^data:image\/png;base64,/);
    // Not active before the first code: a login still needs only the password.
    expect((await loginAs('tina')).body).toHaveProperty('csrfToken');

    const wrong = await c.post('/api/v1/auth/2fa/confirm', { code: '000000' === codeAt(setup.body.secret) ? '111111' : '000000' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('INVALID_CODE');
    midStep();
    const ok = await c.post('/api/v1/auth/2fa/confirm', { code: codeAt(setup.body.secret) });
    expect(ok.status).toBe(200);
    expect(ok.body.recoveryCodes).toHaveLength(10);
    expect(new Set(ok.body.recoveryCodes).size).toBe(10);
    const status = (await c.get('/api/v1/auth/2fa')).body;
    expect(status).toMatchObject({ method: 'totp', recoveryCodesLeft: 10, required: false });
    // Stored hashed: no recovery code in clear in the database.
    const rows = await srv.database.db.selectFrom('recovery_codes').select('code_hash').execute();
    expect(rows.some((r) => ok.body.recoveryCodes.includes(r.code_hash))).toBe(false);
  });

  it('asks for the code after the password, accepts one step of clock drift either way and refuses two', async () => {
    const { secret } = await agentWithTotp('drift');
    const first = await loginAs('drift');
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ secondFactor: { challenge: expect.any(String), expiresAt: expect.any(String), setup: false, method: 'totp', rememberDays: 0 } });
    expect(first.headers.get('set-cookie')).toBeNull();

    const verify = (challenge: string, code: string) => new Client(srv.url).post('/api/v1/auth/login/verify', { challenge, code });
    advance(5 * 60_000);
    midStep();
    const tooOld = await verify(first.body.secondFactor.challenge, codeAt(secret, -2));
    expect(tooOld.status).toBe(401);
    expect(tooOld.body.error.code).toBe('INVALID_CODE');
    const behind = await verify(first.body.secondFactor.challenge, codeAt(secret, -1));
    expect(behind.status, JSON.stringify(behind.body)).toBe(200);
    expect(behind.body.user.login).toBe('drift');
    expect(behind.headers.get('set-cookie')).toMatch(/hd_session=/);

    advance(5 * 60_000);
    midStep();
    const again = (await loginAs('drift')).body.secondFactor.challenge;
    const tooNew = await verify(again, codeAt(secret, 2));
    expect(tooNew.status).toBe(401);
    const ahead = await verify(again, codeAt(secret, 1));
    expect(ahead.status, JSON.stringify(ahead.body)).toBe(200);
    // The challenge is used up by the login.
    expect((await verify(again, codeAt(secret, 0))).body.error.code).toBe('INVALID_CHALLENGE');
  });

  it('refuses a code that was used already (replay), also when sent with the password', async () => {
    const { secret } = await agentWithTotp('replay');
    advance(5 * 60_000);
    midStep();
    const code = codeAt(secret);
    expect((await loginAs('replay', { code })).body.user.login).toBe('replay');
    const replayed = await loginAs('replay', { code });
    expect(replayed.status).toBe(401);
    expect(replayed.body.error).toEqual({ code: 'INVALID_CODE', message: 'the code is wrong or was used already' });
    // An earlier step than the one used is a replay too.
    expect((await loginAs('replay', { code: codeAt(secret, -1) })).status).toBe(401);
  });

  it('locks the login after repeated wrong codes, as after wrong passwords, even for the right code', async () => {
    const { secret } = await agentWithTotp('brute');
    advance(5 * 60_000);
    midStep();
    const right = codeAt(secret);
    const wrong = right === '123456' ? '654321' : '123456';
    const challenge = (await loginAs('brute')).body.secondFactor.challenge;
    const verify = (code: string) => new Client(srv.url).post('/api/v1/auth/login/verify', { challenge, code });
    expect((await verify(wrong)).status).toBe(401);
    expect((await verify(wrong)).status).toBe(401);
    const third = await verify(wrong);
    expect(third.status).toBe(429);
    expect(third.body.error.code).toBe('LOGIN_LOCKED');
    expect((await verify(right)).status).toBe(429);
    expect((await loginAs('brute', { code: right })).status).toBe(429);
    // After the lock time the right code works again (this step was not used, so no replay).
    advance(11 * 60_000);
    midStep();
    const later = await loginAs('brute', { code: codeAt(secret) });
    expect(later.status, JSON.stringify(later.body)).toBe(200);
    expect(later.body.user.login).toBe('brute');
  });

  it('lets a recovery code in once', async () => {
    const { recoveryCodes } = await agentWithTotp('lost');
    const code = recoveryCodes[3]!;
    const challenge = (await loginAs('lost')).body.secondFactor.challenge;
    const ok = await new Client(srv.url).post('/api/v1/auth/login/verify', { challenge, recoveryCode: code.toUpperCase() });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const challenge2 = (await loginAs('lost')).body.secondFactor.challenge;
    const again = await new Client(srv.url).post('/api/v1/auth/login/verify', { challenge: challenge2, recoveryCode: code });
    expect(again.status).toBe(401);
    const me = new Client(srv.url);
    me.cookie = ok.headers.getSetCookie().map((s) => /^(hd_session=[^;]+)/.exec(s)?.[1]).find(Boolean);
    expect((await me.get('/api/v1/auth/2fa')).body.recoveryCodesLeft).toBe(9);
  });

  it('sends email codes through the outbound mail, for setup and for each login; a code works once', async () => {
    await createCustomerUser(srv.database.db, 'mona', password('mona'));
    const c = new Client(srv.url);
    await c.login('mona', password('mona'), 'customer');
    const before = smtp.mails.length;
    const setup = await c.post('/api/v1/auth/2fa/setup', { password: password('mona'), method: 'email' });
    expect(setup.status, JSON.stringify(setup.body)).toBe(200);
    expect(setup.body).toEqual({ method: 'email', sentTo: 'mona@customer.test' });
    await worker.drain();
    const [setupMail] = await smtp.waitFor(before + 1).then((m) => m.slice(before));
    expect(setupMail!.to).toEqual(['mona@customer.test']);
    const setupCode = /\b(\d{6})\b/.exec(setupMail!.parsed.text ?? '')![1]!;
    expect((await c.post('/api/v1/auth/2fa/confirm', { code: setupCode })).status).toBe(200);

    const login = await loginAs('mona', {}, 'customer');
    expect(login.body.secondFactor).toMatchObject({ method: 'email', setup: false });
    await worker.drain();
    const loginMail = (await smtp.waitFor(before + 2))[before + 1]!;
    expect(loginMail.parsed.subject).toMatch(/^Your login code: \d{6}$/);
    const code = /\b(\d{6})\b/.exec(loginMail.parsed.text ?? '')![1]!;
    const challenge = login.body.secondFactor.challenge;
    const ok = await new Client(srv.url).post('/api/v1/auth/login/verify', { challenge, code });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.user).toMatchObject({ kind: 'customer', login: 'mona' });

    // A new login gets a new code; the old one does not work for it.
    const next = await loginAs('mona', {}, 'customer');
    const stale = await new Client(srv.url).post('/api/v1/auth/login/verify', { challenge: next.body.secondFactor.challenge, code });
    expect(stale.status).toBe(401);
  });

  it('leads a user the policy requires to have a second factor through setup at login', async () => {
    await createCustomerUser(srv.database.db, 'rita', password('rita'));
    expect((await admin.put('/api/v1/auth/2fa/policy', { requireCustomers: true })).body).toMatchObject({ requireCustomers: true, requireAgents: false });
    try {
      const first = await loginAs('rita', {}, 'customer');
      expect(first.body.secondFactor).toMatchObject({ setup: true, method: null });
      expect(first.headers.get('set-cookie')).toBeNull();
      const challenge = first.body.secondFactor.challenge;
      // The setup challenge is not a login: it cannot be "verified" with a code.
      expect((await new Client(srv.url).post('/api/v1/auth/login/verify', { challenge, code: '123456' })).status).toBe(401);
      const setup = await new Client(srv.url).post('/api/v1/auth/login/setup', { challenge, method: 'totp' });
      expect(setup.status, JSON.stringify(setup.body)).toBe(200);
      midStep();
      const c = new Client(srv.url);
      const done = await c.post('/api/v1/auth/login/setup/confirm', { challenge, code: codeAt(setup.body.secret) });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect(done.body.user.login).toBe('rita');
      expect(done.body.recoveryCodes).toHaveLength(10);
      c.csrf = done.body.csrfToken;
      // Required: it cannot be switched off.
      const off = await c.post('/api/v1/auth/2fa/disable', { password: password('rita') });
      expect(off.status).toBe(403);
      expect(off.body.error.code).toBe('TWO_FACTOR_REQUIRED');
      // Agents are not affected by a customer-only policy.
      await createAgent(srv.database.db, 'ahmed', password('ahmed'));
      expect((await loginAs('ahmed')).body.user.login).toBe('ahmed');
      // Required for administrators: the admin is led to setup, another agent is not.
      await admin.put('/api/v1/auth/2fa/policy', { requireCustomers: false, requireAdmins: true });
      expect((await new Client(srv.url).post('/api/v1/auth/login', { login: 'admin', password: ADMIN_PASSWORD })).body.secondFactor).toMatchObject({ setup: true });
      expect((await loginAs('ahmed')).body.user.login).toBe('ahmed');
    } finally {
      expect((await admin.put('/api/v1/auth/2fa/policy', { requireCustomers: false, requireAdmins: false })).status).toBe(200);
    }
  });

  it('remembers a browser for the policy days when asked, and forgets it when revoked', async () => {
    const { secret } = await agentWithTotp('trudy');
    await agentWithTotp('tess');
    advance(5 * 60_000);
    midStep();
    // Without the policy allowing it, asking to be remembered sets no cookie.
    const notAllowed = await loginAs('trudy', { code: codeAt(secret), rememberDevice: true });
    expect(notAllowed.headers.get('set-cookie')).not.toMatch(/hd_trusted/);
    await admin.put('/api/v1/auth/2fa/policy', { trustedDeviceDays: 30 });
    try {
      advance(STEP);
      const remembered = await loginAs('trudy', { code: codeAt(secret), rememberDevice: true });
      expect(remembered.status).toBe(200);
      const cookieLine = remembered.headers.getSetCookie().find((s) => s.startsWith('hd_trusted='))!;
      expect(cookieLine).toMatch(/HttpOnly/);
      expect(cookieLine).toMatch(/Path=\/api\/v1\/auth/);
      const trusted = /^(hd_trusted=[^;]+)/.exec(cookieLine)![1]!;
      // Days later the password alone is enough in that browser, not in another one.
      advance(20 * 24 * 3600_000);
      const inTrusted = await loginAs('trudy', {}, 'agent', { cookie: trusted });
      expect(inTrusted.body.user.login).toBe('trudy');
      const browser = new Client(srv.url);
      browser.cookie = `${/^(hd_session=[^;]+)/.exec(inTrusted.headers.getSetCookie().find((x) => x.startsWith('hd_session='))!)![1]}; ${trusted}`;
      browser.csrf = inTrusted.body.csrfToken;
      expect((await loginAs('trudy')).body).toHaveProperty('secondFactor');
      // Another user's remembered cookie does not help.
      expect((await loginAs('tess', {}, 'agent', { cookie: trusted })).body).toHaveProperty('secondFactor');

      const revoke = await browser.delete('/api/v1/auth/2fa/trusted-devices');
      expect(revoke.status, JSON.stringify(revoke.body)).toBe(200);
      expect(revoke.body.revoked).toBe(1);
      expect((await loginAs('trudy', {}, 'agent', { cookie: trusted })).body).toHaveProperty('secondFactor');
    } finally {
      await admin.put('/api/v1/auth/2fa/policy', { trustedDeviceDays: 0 });
    }
  });

  it('Generic Interface: SessionCreate of a login with 2FA needs TwoFactorToken; credentials per request too', async () => {
    const { secret } = await agentWithTotp('gina');
    await createAgent(srv.database.db, 'plain', password('plain'));
    const gi = new Gi(srv.url);
    expect(dataOf(await gi.post('/SessionCreate', { UserLogin: 'plain', Password: password('plain') })).SessionID).toMatch(/^[\w-]{20,}$/);
    const without = await gi.post('/SessionCreate', { UserLogin: 'gina', Password: password('gina') });
    expect(errorOf(without, 'SessionCreate.AuthFail')).toMatch(/TwoFactorToken/);
    const wrongPw = await gi.post('/SessionCreate', { UserLogin: 'gina', Password: 'nope', TwoFactorToken: '123456' });
    expect(errorOf(wrongPw, 'SessionCreate.AuthFail')).toMatch(/Authorization failing!$/);
    advance(5 * 60_000);
    midStep();
    const ok = await gi.post('/SessionCreate', { UserLogin: 'gina', Password: password('gina'), TwoFactorToken: codeAt(secret) });
    expect(dataOf(ok).SessionID).toMatch(/^[\w-]{20,}$/);
    // Login and password in an operation's request: the same rule.
    const search = await gi.post('/TicketSearch', { UserLogin: 'gina', Password: password('gina') });
    expect(errorOf(search, 'TicketSearch.AuthFail')).toMatch(/TwoFactorToken/);
    advance(STEP);
    const searched = await gi.post('/TicketSearch', { UserLogin: 'gina', Password: password('gina'), TwoFactorToken: codeAt(secret) });
    expect(searched.body).not.toHaveProperty('Error');
  });

  it('keeps API tokens one factor by design, and lists and ends sessions', async () => {
    const { client } = await agentWithTotp('toby');
    const token = await client.post('/api/v1/auth/tokens', { name: 'ci' });
    expect(token.status).toBe(201);
    const bearer = new Client(srv.url);
    bearer.bearer = token.body.token;
    expect((await bearer.get('/api/v1/auth/me')).body).toMatchObject({ user: { login: 'toby' }, via: 'token' });

    const sessions = (await client.get('/api/v1/auth/sessions')).body.sessions;
    expect(sessions.filter((s: any) => s.current)).toHaveLength(1);
    const other = new Client(srv.url);
    advance(5 * 60_000);
    midStep();
    const secretRow = await srv.database.db.selectFrom('two_factor').innerJoin('agents', 'agents.id', 'two_factor.subject_id').select('totp_secret').where('agents.login', '=', 'toby').executeTakeFirstOrThrow();
    const second = await other.post('/api/v1/auth/login', { login: 'toby', password: password('toby'), code: codeAt(secretRow.totp_secret!) });
    expect(second.status).toBe(200);
    other.csrf = second.body.csrfToken;
    const list = (await client.get('/api/v1/auth/sessions')).body.sessions;
    expect(list).toHaveLength(2);
    const theirs = list.find((s: any) => !s.current);
    expect((await client.delete(`/api/v1/auth/sessions/${theirs.id}`)).status).toBe(204);
    expect((await other.get('/api/v1/auth/me')).status).toBe(401);
    expect((await client.get('/api/v1/auth/me')).status).toBe(200);
    expect((await client.delete(`/api/v1/auth/sessions/${theirs.id}`)).status).toBe(404);
    expect((await client.delete('/api/v1/auth/sessions/not-hex')).status).toBe(400);
  });
});
