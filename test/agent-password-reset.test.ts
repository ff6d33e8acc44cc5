/**
 * "Request new password" for agents, by mail: the login page's forgotten-password form answers alike
 * for a known and an unknown login, the link comes through the real outbound mail (SMTP capture),
 * sets a new password once, ends the agent's sessions, and a customer's link does not work for it.
 * Runs on PGlite, and on PostgreSQL when TEST_DATABASE_URL is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type JobWorker } from '../server/engine/worker';
import { closeMailTransports } from '../server/mail/transport';
import { databaseKinds } from './support/db';
import { createAgent } from './support/fixtures';
import { Client, startTestServer, type TestServer } from './support/server';
import { startSmtpCapture, type SmtpCapture } from './support/smtp';

describe.each(databaseKinds)('agent password reset on %s', (kind) => {
  let srv: TestServer;
  let smtp: SmtpCapture;
  let worker: JobWorker;

  beforeAll(async () => {
    srv = await startTestServer(kind);
    smtp = await startSmtpCapture();
    srv.services.config.mailOut.smtpUrl = smtp.url;
    worker = startWorker(srv.services, { loop: false });
    await createAgent(srv.database.db, 'olga', 'Old-password-1');
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
    await closeMailTransports();
    await smtp?.close();
    await srv?.close();
  });

  it('mails a one-time link that sets a new password and ends the sessions', async () => {
    const signedIn = new Client(srv.url);
    await signedIn.login('olga', 'Old-password-1');
    const anon = new Client(srv.url);
    const known = await anon.post('/api/v1/auth/password-reset', { login: 'OLGA@example.test' });
    const unknown = await anon.post('/api/v1/auth/password-reset', { login: 'nobody@example.test' });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(known.body);

    await worker.drain();
    const [mail] = await smtp.waitFor(1);
    expect(mail!.to).toEqual(['olga@example.test']);
    const link = /(http\S+\/login\/reset\?token=(\S+))/.exec(mail!.parsed.text ?? '')!;
    expect(link, mail!.parsed.text).not.toBeNull();
    const token = link[2]!;

    // A customer's confirm endpoint does not take an agent's token.
    expect((await anon.post('/api/v1/auth/customer/password-reset/confirm', { token, password: 'New-password-22' })).body.error.code).toBe('INVALID_TOKEN');
    const weak = await anon.post('/api/v1/auth/password-reset/confirm', { token, password: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.body.error.path).toBe('/password');
    expect((await anon.post('/api/v1/auth/password-reset/confirm', { token, password: 'New-password-22' })).status).toBe(204);
    expect((await anon.post('/api/v1/auth/password-reset/confirm', { token, password: 'Other-password-33' })).body.error.code).toBe('INVALID_TOKEN');

    expect((await signedIn.get('/api/v1/auth/me')).status).toBe(401);
    expect((await new Client(srv.url).post('/api/v1/auth/login', { login: 'olga', password: 'Old-password-1' })).status).toBe(401);
    expect((await new Client(srv.url).post('/api/v1/auth/login', { login: 'olga', password: 'New-password-22' })).body.user.login).toBe('olga');
  });
});
