/**
 * Inbound mail administered over `/api/v1/mail/...`: mail accounts (password encrypted and never
 * returned, a fetch job scheduled while valid and dropped when retired, a connection test against
 * a real Dovecot and against a closed port), postmaster filters (a bad regex is a 400 naming its
 * path), auto responses, system addresses, problem mails (list, download, reprocess, delete), and
 * the "plain view" of a received mail for agents who may read the ticket. Admins only; bad input
 * is a 400 naming the field and writes nothing. PGlite, and PostgreSQL when TEST_DATABASE_URL is set.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processMail } from '../server/mail/inbound/pipeline';
import { closeParsePool } from '../server/mail/inbound/parse-pool';
import { databaseKinds } from './support/db';
import { DOVECOT_PASSWORD, DOVECOT_USER, dovecotAvailable, startDovecot, type Dovecot } from './support/dovecot';
import { createAgent, createCustomerUser, createQueue } from './support/fixtures';
import { fixture } from './support/mail';
import { freePort } from './support/spawn';
import { ADMIN_PASSWORD, Client, startTestServer, type TestServer } from './support/server';

process.env.SECRETS_KEY = randomBytes(32).toString('base64');
const haveDovecot = dovecotAvailable();

afterAll(() => closeParsePool());

describe.each(databaseKinds)('mail admin API on %s', (kind) => {
  let srv: TestServer;
  let admin: Client;
  let agent: Client;
  let outsider: Client;
  let customer: Client;
  let dove: Dovecot | undefined;

  beforeAll(async () => {
    srv = await startTestServer(kind);
    const db = srv.database.db;
    await createQueue(db, 'Sales', 'users');
    await createAgent(db, 'plain', 'plain-pw-123', { groups: { users: ['rw'] } });
    await db.insertInto('groups').values({ name: 'secret' }).execute();
    await createAgent(db, 'outsider', 'outsider-pw-1', { groups: { secret: ['rw'] } });
    await createCustomerUser(db, 'kim', 'kim-pw-123456');
    admin = new Client(srv.url);
    await admin.login('admin', ADMIN_PASSWORD);
    agent = new Client(srv.url);
    await agent.login('plain', 'plain-pw-123');
    outsider = new Client(srv.url);
    await outsider.login('outsider', 'outsider-pw-1');
    customer = new Client(srv.url);
    await customer.login('kim', 'kim-pw-123456', 'customer');
    if (haveDovecot) dove = await startDovecot();
  }, 60_000);
  afterAll(async () => {
    await dove?.stop();
    await srv?.close();
  });

  const db = () => srv.database.db;
  const fetchJobs = async (accountId: number) =>
    (await db().selectFrom('jobs').select(['payload', 'status']).where('kind', '=', 'mail-fetch').execute()).filter((j) => (typeof j.payload === 'string' ? JSON.parse(j.payload) : j.payload).accountId === accountId && j.status === 'ready');

  describe('mail accounts', () => {
    let id: number;
    it('creates an account with its password encrypted and never returned, and schedules its first fetch', async () => {
      const r = await admin.post('/api/v1/mail/accounts', { name: 'support', protocol: 'imap', host: 'imap.example.test', login: 'support', password: 'very-secret-pw', queue: 'Sales', keep: true });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body).toMatchObject({ name: 'support', protocol: 'imap', tls: 'tls', port: 993, folder: 'INBOX', keep: true, queue: 'Sales', hasPassword: true, valid: true, intervalSeconds: 300 });
      expect(JSON.stringify(r.body)).not.toContain('very-secret-pw');
      id = r.body.id;
      const row = await db().selectFrom('mail_accounts').select('secret').where('id', '=', id).executeTakeFirstOrThrow();
      expect(row.secret).toMatch(/^v1\./);
      expect(row.secret).not.toContain('very-secret');
      expect(await fetchJobs(id)).toHaveLength(1);
      const list = await admin.get('/api/v1/mail/accounts');
      expect(list.body.items.map((a: { name: string }) => a.name)).toEqual(['support']);
      expect(JSON.stringify(list.body)).not.toContain('very-secret-pw');
      expect((await admin.post('/api/v1/mail/accounts', { name: 'support', protocol: 'pop3', host: 'x.test', login: 'x' })).status).toBe(409);
    });

    it('stops fetching when retired and starts again when enabled; a rename keeps the password readable', async () => {
      const off = await admin.patch(`/api/v1/mail/accounts/${id}`, { valid: false });
      expect(off.status).toBe(200);
      expect(off.body.valid).toBe(false);
      expect(await fetchJobs(id)).toHaveLength(0);
      const on = await admin.patch(`/api/v1/mail/accounts/${id}`, { valid: true, name: 'support-box' });
      expect(on.body).toMatchObject({ valid: true, name: 'support-box', hasPassword: true });
      expect(await fetchJobs(id)).toHaveLength(1);
    });

    it('refuses bad input naming the field and writes nothing', async () => {
      const before = await admin.get(`/api/v1/mail/accounts/${id}`);
      const cases: Array<[unknown, string]> = [
        [{ port: 70000 }, '/port'],
        [{ protocol: 'smtp' }, '/protocol'],
        [{ queue: 'Nowhere' }, '/queue'],
        [{ allowList: ['not a host!'] }, '/allowList/0'],
        [{ host: 'bad host\r\nX: y' }, '/host'],
        [{ color: 'red' }, ''],
      ];
      for (const [body, path] of cases) {
        const r = await admin.patch(`/api/v1/mail/accounts/${id}`, body);
        expect(r.status, JSON.stringify(body)).toBe(400);
        if (path) expect(r.body.error.path).toBe(path);
      }
      expect((await admin.post('/api/v1/mail/accounts', { name: 'x', protocol: 'imap', host: 'h.test' })).body.error.message).toMatch(/login/);
      expect((await admin.get(`/api/v1/mail/accounts/${id}`)).body).toEqual(before.body);
      expect((await admin.get('/api/v1/mail/accounts/999999')).status).toBe(404);
    });

    it('tests a connection: the server’s error in words for a closed port or a refused host', async () => {
      const port = await freePort();
      const acc = await admin.post('/api/v1/mail/accounts', { name: 'closed', protocol: 'pop3', tls: 'none', host: '127.0.0.1', port, login: 'x', password: 'y', allowList: ['127.0.0.1'], valid: false });
      const r = await admin.post(`/api/v1/mail/accounts/${acc.body.id}/test`);
      expect(r.status).toBe(200);
      expect(r.body.ok).toBe(false);
      expect(r.body.message).toMatch(/127\.0\.0\.1/);
      await admin.patch(`/api/v1/mail/accounts/${acc.body.id}`, { allowList: [] });
      const refused = await admin.post(`/api/v1/mail/accounts/${acc.body.id}/test`);
      expect(refused.body).toMatchObject({ ok: false, message: expect.stringMatching(/allow-list/) });
      expect((await admin.delete(`/api/v1/mail/accounts/${acc.body.id}`)).status).toBe(204);
      expect((await admin.get(`/api/v1/mail/accounts/${acc.body.id}`)).status).toBe(404);
    });

    it.skipIf(!haveDovecot)('tests a connection to a real IMAP and POP3 server: ok with the right password, the server’s answer with a wrong one', async () => {
      srv.services.config.dataDir = dove!.dir;
      for (const protocol of ['imap', 'pop3'] as const) {
        const port = protocol === 'imap' ? dove!.imapPort : dove!.pop3Port;
        const acc = await admin.post('/api/v1/mail/accounts', { name: `dove-${protocol}`, protocol, tls: 'none', host: '127.0.0.1', port, login: DOVECOT_USER, password: DOVECOT_PASSWORD, allowList: ['127.0.0.1'], valid: false });
        expect(acc.status, JSON.stringify(acc.body)).toBe(201);
        const ok = await admin.post(`/api/v1/mail/accounts/${acc.body.id}/test`);
        expect(ok.body, JSON.stringify(ok.body)).toMatchObject({ ok: true });
        await admin.patch(`/api/v1/mail/accounts/${acc.body.id}`, { password: 'wrong-password' });
        const bad = await admin.post(`/api/v1/mail/accounts/${acc.body.id}/test`);
        expect(bad.status).toBe(200);
        expect(bad.body.ok).toBe(false);
        expect(bad.body.message).toMatch(new RegExp(protocol.toUpperCase()));
      }
    });
  });

  describe('postmaster filters', () => {
    const spam = { name: '10 spam', matches: [{ field: 'X-Spam-Flag', regex: '^yes' }], actions: { queue: 'Junk' } };
    it('creates, changes, lists and deletes a filter', async () => {
      const r = await admin.post('/api/v1/mail/filters', spam);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body).toMatchObject({ ...spam, stop: true, valid: true });
      const changed = await admin.patch(`/api/v1/mail/filters/${r.body.id}`, { actions: { queue: 'Junk', internal: true }, stop: false });
      expect(changed.body).toMatchObject({ actions: { queue: 'Junk', internal: true }, stop: false });
      expect((await admin.get('/api/v1/mail/filters')).body.items).toHaveLength(1);
      expect((await admin.post('/api/v1/mail/filters', spam)).status).toBe(409);
      expect((await admin.delete(`/api/v1/mail/filters/${r.body.id}`)).status).toBe(204);
      expect((await admin.get('/api/v1/mail/filters')).body.items).toEqual([]);
    });

    it('refuses an invalid regular expression or an unknown queue, naming the path, and writes nothing', async () => {
      const r = await admin.post('/api/v1/mail/filters', { ...spam, matches: [{ field: 'Subject', regex: 'ok' }, { field: 'From', regex: '([a-z' }] });
      expect(r.status).toBe(400);
      expect(r.body.error.path).toBe('/matches/1/regex');
      expect(r.body.error.message).toMatch(/regular expression/);
      const q = await admin.post('/api/v1/mail/filters', { ...spam, actions: { queue: 'Nowhere' } });
      expect(q.status).toBe(400);
      expect(q.body.error.path).toBe('/actions/queue');
      const o = await admin.post('/api/v1/mail/filters', { ...spam, actions: { owner: 'nobody' } });
      expect(o.body.error.path).toBe('/actions/owner');
      expect((await admin.post('/api/v1/mail/filters', { ...spam, matches: [] })).status).toBe(400);
      expect((await admin.get('/api/v1/mail/filters')).body.items).toEqual([]);
    });
  });

  describe('auto responses and system addresses', () => {
    it('manages one auto response per queue and kind', async () => {
      const r = await admin.post('/api/v1/mail/auto-responses', { queue: 'Sales', kind: 'new', subject: 'Re: <OTRS_CUSTOMER_SUBJECT>', body: 'Your ticket {{ticket.number}} is open.' });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body).toMatchObject({ queue: 'Sales', kind: 'new', valid: true });
      expect((await admin.post('/api/v1/mail/auto-responses', { queue: 'Sales', kind: 'new', subject: 's', body: 'b' })).status).toBe(409);
      const bad = await admin.post('/api/v1/mail/auto-responses', { queue: 'Sales', kind: 'follow_up', subject: 'a\r\nBcc: x@evil.test', body: 'b' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.path).toBe('/subject');
      expect((await admin.patch(`/api/v1/mail/auto-responses/${r.body.id}`, { kind: 'sometimes' })).body.error.path).toBe('/kind');
      const changed = await admin.patch(`/api/v1/mail/auto-responses/${r.body.id}`, { body: 'Thanks!', valid: false });
      expect(changed.body).toMatchObject({ body: 'Thanks!', valid: false, subject: 'Re: <OTRS_CUSTOMER_SUBJECT>' });
      expect((await admin.get('/api/v1/mail/auto-responses')).body.items).toHaveLength(1);
      expect((await admin.delete(`/api/v1/mail/auto-responses/${r.body.id}`)).status).toBe(204);
    });

    it('manages system addresses, which route mail to their queue', async () => {
      const r = await admin.post('/api/v1/mail/addresses', { address: 'Sales@Helpdesk.test', displayName: 'Sales team', queue: 'Sales' });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body).toMatchObject({ address: 'sales@helpdesk.test', displayName: 'Sales team', queue: 'Sales', valid: true });
      expect((await admin.post('/api/v1/mail/addresses', { address: 'sales@helpdesk.test', queue: 'Raw' })).status).toBe(409);
      expect((await admin.post('/api/v1/mail/addresses', { address: 'not-an-address', queue: 'Raw' })).body.error.path).toBe('/address');
      expect((await admin.post('/api/v1/mail/addresses', { address: 'x@helpdesk.test', queue: 'Nowhere' })).body.error.path).toBe('/queue');
      const mail = Buffer.from('From: kim@customer.test\r\nTo: sales@helpdesk.test\r\nSubject: Offer please\r\nMessage-ID: <offer@customer.test>\r\n\r\nHow much?\r\n');
      const out = await processMail(srv.services, { raw: mail, source: 'pipe' });
      const t = await db().selectFrom('tickets as t').innerJoin('queues as q', 'q.id', 't.queue_id').select('q.name').where('t.id', '=', out.ticketId!).executeTakeFirstOrThrow();
      expect(t.name).toBe('Sales');
      expect((await admin.delete(`/api/v1/mail/addresses/${r.body.id}`)).status).toBe(204);
      expect((await admin.get('/api/v1/mail/addresses')).body.items).toEqual([]);
    });
  });

  describe('problem mails', () => {
    it('lists a problem mail with its reason, downloads it, and reprocesses it once the cause is fixed', async () => {
      await db().updateTable('queues').set({ valid: false }).where('name', '=', 'Raw').execute();
      const raw = Buffer.from('From: lee@customer.test\r\nTo: nobody@helpdesk.test\r\nSubject: Lost mail\r\nMessage-ID: <lost@customer.test>\r\n\r\nWhere does this go?\r\n');
      const kept = await processMail(srv.services, { raw, source: 'pipe' });
      expect(kept.outcome).toBe('problem');
      await db().updateTable('queues').set({ valid: true }).where('name', '=', 'Raw').execute();

      const list = await admin.get('/api/v1/mail/problems');
      expect(list.status).toBe(200);
      const item = list.body.items.find((p: { id: number }) => p.id === kept.problemId);
      expect(item).toMatchObject({ code: 'NO_QUEUE', from: 'lee@customer.test', subject: 'Lost mail', source: 'pipe', size: raw.length });
      expect(item.reason).toMatch(/default queue/);

      const dl = await fetch(`${srv.url}/api/v1/mail/problems/${kept.problemId}/raw`, { headers: { cookie: admin.cookie! } });
      expect(dl.status).toBe(200);
      expect(dl.headers.get('content-disposition')).toMatch(/attachment; filename=".*\.eml"/);
      expect(Buffer.from(await dl.arrayBuffer()).equals(raw)).toBe(true);

      const again = await admin.post(`/api/v1/mail/problems/${kept.problemId}/reprocess`);
      expect(again.status, JSON.stringify(again.body)).toBe(200);
      expect(again.body).toMatchObject({ outcome: 'new-ticket' });
      const t = await db().selectFrom('tickets').select('title').where('id', '=', again.body.ticketId).executeTakeFirstOrThrow();
      expect(t.title).toBe('Lost mail');
      expect((await admin.get('/api/v1/mail/problems')).body.items.map((p: { id: number }) => p.id)).not.toContain(kept.problemId);
      expect((await admin.post(`/api/v1/mail/problems/${kept.problemId}/reprocess`)).status).toBe(404);
    });

    it('keeps a mail that fails again with the new reason, once, and deletes it on request', async () => {
      const kept = await processMail(srv.services, { raw: fixture('malformed.eml'), source: 'smtp' });
      expect(kept.outcome).toBe('problem');
      const before = (await db().selectFrom('problem_mails').select('id').execute()).length;
      const again = await admin.post(`/api/v1/mail/problems/${kept.problemId}/reprocess`);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ outcome: 'problem', code: kept.code });
      expect((await db().selectFrom('problem_mails').select('id').execute()).length).toBe(before);
      expect((await admin.get('/api/v1/mail/problems')).body.items.map((p: { id: number }) => p.id)).toContain(kept.problemId);
      expect((await admin.delete(`/api/v1/mail/problems/${kept.problemId}`)).status).toBe(204);
      expect((await admin.get(`/api/v1/mail/problems/${kept.problemId}/raw`)).status).toBe(404);
    });
  });

  it('is for administrators only', async () => {
    for (const path of ['accounts', 'filters', 'auto-responses', 'addresses', 'problems']) {
      expect((await agent.get(`/api/v1/mail/${path}`)).status, path).toBe(403);
      expect((await customer.get(`/api/v1/mail/${path}`)).status, path).toBe(403);
      expect((await fetch(`${srv.url}/api/v1/mail/${path}`)).status, path).toBe(401);
    }
    expect((await agent.post('/api/v1/mail/accounts', { name: 'x', protocol: 'imap', host: 'h.test', login: 'x' })).status).toBe(403);
    expect((await agent.post('/api/v1/mail/filters', { name: 'x', matches: [{ field: 'Subject', regex: 'x' }], actions: {} })).status).toBe(403);
    expect((await agent.post('/api/v1/mail/problems/1/reprocess')).status).toBe(403);
    expect((await agent.delete('/api/v1/mail/problems/1')).status).toBe(403);
    expect((await db().selectFrom('mail_accounts').select('name').where('name', '=', 'x').execute())).toEqual([]);
  });

  it('shows the raw source of a received mail to agents who may read the ticket, never to customers or others', async () => {
    const raw = Buffer.from('From: kim@customer.test\r\nTo: support@helpdesk.test\r\nSubject: Plain please\r\nMessage-ID: <plain@customer.test>\r\nX-Custom: kept\r\n\r\nShow me raw.\r\n');
    const out = await processMail(srv.services, { raw, source: 'pipe' });
    expect(out.outcome).toBe('new-ticket');
    const seen = await agent.get(`/api/v1/articles/${out.articleId}/source`);
    expect(seen.status).toBe(200);
    expect(seen.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(seen.body).toBe(raw.toString());
    const dl = await agent.get(`/api/v1/articles/${out.articleId}/source?download=1`);
    expect(dl.headers.get('content-disposition')).toMatch(/\.eml/);
    expect((await outsider.get(`/api/v1/articles/${out.articleId}/source`)).status).toBe(404);
    expect((await customer.get(`/api/v1/articles/${out.articleId}/source`)).status).toBe(403);
    expect((await fetch(`${srv.url}/api/v1/articles/${out.articleId}/source`)).status).toBe(401);
    // A note typed by an agent has no mail source.
    const note = await admin.post(`/api/v1/tickets/${out.ticketId}/articles`, { subject: 'note', body: 'internal', channel: 'note' });
    expect(note.status, JSON.stringify(note.body)).toBe(201);
    expect((await agent.get(`/api/v1/articles/${note.body.id}/source`)).status).toBe(404);
  });
});
