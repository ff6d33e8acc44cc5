/**
 * Outbound web services administered at `/api/v1/outbound-services`: create, read, list, replace,
 * change and delete; the secret is write-only and encrypted in its row; bad input is a 400 naming
 * the path and writes nothing; a test call reaches a real remote system on 127.0.0.1 (allow-listed)
 * and reports status, mapping and errors; processes naming a missing service or operation do not
 * deploy. Runs on PGlite, and on PostgreSQL when TEST_DATABASE_URL is set.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Process } from '../engine/model/types';
import { databaseKinds } from './support/db';
import { createAgent } from './support/fixtures';
import { startRemote, type Remote } from './support/remote';
import { ADMIN_PASSWORD, Client, startTestServer, type TestServer } from './support/server';

process.env.SECRETS_KEY = randomBytes(32).toString('base64');

const crm = (remote: Remote) => ({
  name: 'crm',
  description: 'Customer relations',
  baseUrl: `${remote.url}/v1`,
  auth: { kind: 'bearer', secret: 'super-secret-token' },
  headers: { 'X-Tenant': 'acme' },
  timeoutMs: 3000,
  retries: 2,
  allowList: ['127.0.0.1'],
  operations: {
    lookup: { method: 'GET', path: '/customers/{{params.id}}', response: { vars: { tier: '/tier' }, dynamicFields: { Category: '/segment' } } },
    notify: { method: 'POST', path: '/events', body: { ticket: '{{ticket.number}}', what: '{{params.what}}' } },
  },
});

describe.each(databaseKinds)('outbound services on %s', (kind) => {
  let srv: TestServer;
  let remote: Remote;
  let admin: Client;
  let agent: Client;

  beforeAll(async () => {
    remote = await startRemote();
    srv = await startTestServer(kind);
    admin = new Client(srv.url);
    await admin.login('admin', ADMIN_PASSWORD);
    await createAgent(srv.database.db, 'plain', 'plain-pw', { groups: { users: ['rw'] } });
    agent = new Client(srv.url);
    await agent.login('plain', 'plain-pw');
  });
  afterAll(async () => {
    await srv?.close();
    await remote?.close();
  });

  const row = (name: string) => srv.database.db.selectFrom('outbound_services').selectAll().where('name', '=', name).executeTakeFirst();

  it('creates, reads and lists a service; the secret is never returned and is encrypted in its row', async () => {
    const created = await admin.post('/api/v1/outbound-services', crm(remote));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ name: 'crm', baseUrl: `${remote.url}/v1`, auth: { kind: 'bearer', hasSecret: true }, retries: 2, allowList: ['127.0.0.1'], createdBy: 'admin', changedBy: 'admin' });
    expect(JSON.stringify(created.body)).not.toContain('super-secret-token');
    const got = await admin.get('/api/v1/outbound-services/crm');
    expect(got.body).toEqual(created.body);
    const list = await admin.get('/api/v1/outbound-services');
    expect(list.body.items.map((s: { name: string }) => s.name)).toEqual(['crm']);
    expect(JSON.stringify(list.body)).not.toContain('super-secret-token');
    const stored = await row('crm');
    expect(stored!.secret).toMatch(/^v1\.[0-9a-f]{8}\./);
    expect(stored!.secret).not.toContain('super-secret-token');
    expect(Buffer.from(stored!.secret!.split('.').at(-1)!, 'base64url').toString('utf8')).not.toContain('super-secret');
    expect((await admin.post('/api/v1/outbound-services', crm(remote))).status).toBe(409);
  });

  it('is for administrators only', async () => {
    expect((await agent.get('/api/v1/outbound-services')).status).toBe(403);
    expect((await agent.post('/api/v1/outbound-services', crm(remote))).status).toBe(403);
    expect((await fetch(`${srv.url}/api/v1/outbound-services/crm`)).status).toBe(401);
  });

  it('changes settings with PATCH and PUT, keeping the secret unless a new one comes or the auth kind changes', async () => {
    const before = (await row('crm'))!.secret;
    const patched = await admin.request('PATCH', '/api/v1/outbound-services/crm', { timeoutMs: 1500, description: 'CRM' });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({ timeoutMs: 1500, description: 'CRM', retries: 2, auth: { kind: 'bearer', hasSecret: true } });
    expect((await row('crm'))!.secret).toBe(before);

    const rotated = await admin.request('PATCH', '/api/v1/outbound-services/crm', { auth: { kind: 'bearer', secret: 'rotated-token' } });
    expect(rotated.body.auth).toEqual({ kind: 'bearer', hasSecret: true });
    expect((await row('crm'))!.secret).not.toBe(before);

    const needsSecret = await admin.request('PATCH', '/api/v1/outbound-services/crm', { auth: { kind: 'apiKey', header: 'X-API-Key' } });
    expect(needsSecret.status).toBe(400);
    expect(needsSecret.body.error).toMatchObject({ path: '/auth/secret' });

    const put = await admin.request('PUT', '/api/v1/outbound-services/crm', { ...crm(remote), name: undefined, auth: { kind: 'bearer' }, retries: undefined, description: 'replaced' });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toMatchObject({ description: 'replaced', retries: 3, auth: { kind: 'bearer', hasSecret: true } });

    const renamed = await admin.request('PATCH', '/api/v1/outbound-services/crm', { name: 'crm2' });
    expect(renamed.status).toBe(400);
    expect(renamed.body.error.path).toBe('/name');
    expect((await admin.request('PATCH', '/api/v1/outbound-services/nope', { timeoutMs: 5 })).status).toBe(404);
  });

  it('refuses bad input with a 400 naming the path, and writes nothing', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ baseUrl: 'not a url' }, '/baseUrl'],
      [{ baseUrl: 'ftp://files.example.com' }, '/baseUrl'],
      [{ baseUrl: 'https://user:pw@api.example.com' }, '/baseUrl'],
      [{ auth: { kind: 'digest', secret: 'x' } }, '/auth/kind'],
      [{ auth: { kind: 'basic', secret: 'x' } }, '/auth/user'],
      [{ auth: { kind: 'bearer' } }, '/auth/secret'],
      [{ auth: { kind: 'none', secret: 'x' } }, '/auth/secret'],
      [{ headers: { 'Bad Header': 'x' } }, '/headers/Bad Header'],
      [{ headers: { Host: 'evil' } }, '/headers/Host'],
      [{ allowList: ['10.0.0.0/99'] }, '/allowList/0'],
      [{ operations: { op: { method: 'GET', path: '/x/{{process.key}}' } } }, '/operations/op/path'],
      [{ operations: { op: { method: 'GET', path: '/x/{{ticket.colour}}' } } }, '/operations/op/path'],
      [{ operations: { op: { method: 'GET', path: '/x/{{ticket}}' } } }, '/operations/op/path'],
      [{ operations: { op: { method: 'GET', path: 'x' } } }, '/operations/op/path'],
      [{ operations: { op: { method: 'GET', path: '/x', query: { q: '{{vars.a' } } } }, '/operations/op/query/q'],
      [{ operations: { op: { method: 'GET', path: '/x', body: { a: 1 } } } }, '/operations/op/body'],
      [{ operations: { op: { method: 'POST', path: '/x', body: { a: ['{{customer.shoeSize}}'] } } } }, '/operations/op/body/a/0'],
      [{ operations: { op: { method: 'GET', path: '/x', response: { vars: { s: 'status' } } } } }, '/operations/op/response/vars/s'],
      [{ operations: { op: { method: 'GET', path: '/x', response: { dynamicFields: { 'Bad-Name': '/a' } } } } }, '/operations/op/response/dynamicFields/Bad-Name'],
      [{ operations: { op: { method: 'TRACE', path: '/x' } } }, '/operations/op/method'],
      [{ timeoutMs: 0 }, '/timeoutMs'],
    ];
    for (const [change, p] of cases) {
      const res = await admin.post('/api/v1/outbound-services', { name: 'broken', baseUrl: 'https://api.example.com', ...change });
      expect(res.status, `${JSON.stringify(change)} → ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.error.path, JSON.stringify(res.body)).toBe(p);
      expect(res.body.error.message).toContain(p);
    }
    expect(await row('broken')).toBeUndefined();
  });

  it('refuses an allow-list entry with a bad port, naming the entry', async () => {
    for (const [entry, why] of [['127.0.0.1:99999', 'port'], ['api.example.com:0', 'port'], ['api.example.com:', 'port'], ['api.example.com:https', 'port'], ['http://api.example.com:80', 'host name']]) {
      const res = await admin.post('/api/v1/outbound-services', { name: 'broken', baseUrl: 'https://api.example.com', allowList: ['10.0.0.0/8', entry] });
      expect(res.status, `${entry} → ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.error.path).toBe('/allowList/1');
      expect(res.body.error.message).toContain(`"${entry}"`);
      expect(res.body.error.message).toContain(why);
    }
    expect(await row('broken')).toBeUndefined();
    const ok = await admin.post('/api/v1/outbound-services', { name: 'ported', baseUrl: 'https://api.example.com', allowList: ['127.0.0.1:8080', '[::1]:8080', '*.corp.example:443', '10.0.0.0/8:8443', 'localhost'] });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.allowList).toEqual(['127.0.0.1:8080', '[::1]:8080', '*.corp.example:443', '10.0.0.0/8:8443', 'localhost']);
  });

  it('test-calls an operation against the remote system: status, mapping, excerpt, and error codes', async () => {
    remote.on('/v1/customers/c 1', () => ({ json: { tier: 'gold', segment: 'Enterprise' } }));
    remote.on('/v1/customers/c%201', () => ({ json: { tier: 'gold', segment: 'Enterprise' } }));
    const ok = await admin.post('/api/v1/outbound-services/crm/test', { operation: 'lookup', params: { id: 'c 1' }, idempotencyKey: 'try-1' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ ok: true, status: 200, result: { vars: { tier: 'gold' }, dynamicFields: { Category: 'Enterprise' } }, request: { method: 'GET', url: `${remote.url}/v1/customers/c%201` } });
    expect(ok.body.durationMs).toBeGreaterThanOrEqual(0);
    const seen = remote.seen.at(-1)!;
    // The token rotated by the PATCH above survived the PUT that did not repeat it.
    expect(seen.headers).toMatchObject({ authorization: 'Bearer rotated-token', 'x-tenant': 'acme', 'idempotency-key': 'try-1' });

    remote.on('/v1/customers/x', () => ({ status: 404, json: { message: 'no such customer' } }));
    const missing = await admin.post('/api/v1/outbound-services/crm/test', { operation: 'lookup', params: { id: 'x' } });
    expect(missing.body).toMatchObject({ ok: false, status: 404, error: { code: 'HTTP_404', retriable: false }, excerpt: '{"message":"no such customer"}' });

    remote.on('POST /v1/events', () => ({ status: 202, text: '' }));
    const posted = await admin.post('/api/v1/outbound-services/crm/test', { operation: 'notify', params: { what: 'hello' }, ticket: { number: '42' } });
    expect(posted.body).toMatchObject({ ok: true, status: 202 });
    expect(JSON.parse(remote.seen.at(-1)!.body)).toEqual({ ticket: '42', what: 'hello' });

    const unknownOp = await admin.post('/api/v1/outbound-services/crm/test', { operation: 'nope' });
    expect(unknownOp.status).toBe(400);
    expect(unknownOp.body.error).toMatchObject({ path: '/operation', message: expect.stringContaining('lookup') });
    expect((await admin.post('/api/v1/outbound-services/nope/test', { operation: 'x' })).status).toBe(404);
  });

  it('refuses loopback in a test call unless the allow-list names it', async () => {
    await admin.post('/api/v1/outbound-services', { name: 'local', baseUrl: remote.url, operations: { ping: { method: 'GET', path: '/ping' } } });
    const before = remote.seen.length;
    const refused = await admin.post('/api/v1/outbound-services/local/test', { operation: 'ping' });
    expect(refused.body).toMatchObject({ ok: false, error: { code: 'REFUSED', message: expect.stringContaining('allow-list') } });
    expect(remote.seen.length).toBe(before);
    await admin.request('PATCH', '/api/v1/outbound-services/local', { allowList: ['127.0.0.0/8'] });
    remote.on('/ping', () => ({ json: { pong: true } }));
    expect((await admin.post('/api/v1/outbound-services/local/test', { operation: 'ping' })).body).toMatchObject({ ok: true, body: { pong: true } });
  });

  it('checks the web services processes use: a missing service or operation does not deploy, even with createMissing', async () => {
    const doc = (webservice: string, operation: string): Process => ({
      format: 'process/1', key: `svc-${webservice}-${operation}`.toLowerCase(), name: 'Calls a service', start: { interfaces: ['agent'] },
      nodes: [
        { id: 'start', type: 'startEvent' },
        { id: 'call', type: 'serviceTask', service: { webservice, operation } },
        { id: 'end', type: 'endEvent' },
      ],
      transitions: [
        { id: 't1', from: 'start', to: 'call', actions: [{ type: 'ExecuteInvoker', webservice, operation }] },
        { id: 't2', from: 'call', to: 'end' },
      ],
    });
    for (const [ws, op, name] of [['ghost', 'lookup', 'ghost'], ['crm', 'vanish', 'crm (operation vanish)']]) {
      const d = doc(ws!, op!);
      expect((await admin.post('/api/v1/processes', d)).status).toBe(201);
      const res = await admin.post(`/api/v1/processes/${d.key}/deploy`, { createMissing: true });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'MISSING_REFERENCES', path: '/nodes/1/service/webservice', message: expect.stringContaining(`missing webservice "${name}"`) });
      expect(res.body.error.message).toContain('/api/v1/outbound-services');
      const report = (await admin.post('/api/v1/processes/validate', d)).body;
      expect(report.references.missing).toEqual([{ kind: 'webservice', name, paths: ['/nodes/1/service/webservice', '/transitions/0/actions/0/webservice'], creatable: false }]);
      expect(report.references.unchecked).toEqual([]);
    }
    const good = doc('crm', 'lookup');
    expect((await admin.post('/api/v1/processes', good)).status).toBe(201);
    const deployed = await admin.post(`/api/v1/processes/${good.key}/deploy`, {});
    expect(deployed.status, JSON.stringify(deployed.body)).toBe(201);
  });

  it('keeps a service and the operations live process versions use', async () => {
    const del = await admin.delete('/api/v1/outbound-services/crm');
    expect(del.status).toBe(409);
    expect(del.body.error).toMatchObject({ code: 'IN_USE', message: expect.stringContaining('process svc-crm-lookup version 1') });
    const ops = crm(remote).operations;
    const dropUsed = await admin.request('PATCH', '/api/v1/outbound-services/crm', { operations: { notify: ops.notify } });
    expect(dropUsed.status).toBe(409);
    expect(dropUsed.body.error).toMatchObject({ code: 'IN_USE', path: '/operations/lookup' });
    expect((await admin.request('PATCH', '/api/v1/outbound-services/crm', { operations: { lookup: ops.lookup } })).status).toBe(200);
    expect((await admin.request('PATCH', '/api/v1/processes/svc-crm-lookup/versions/1', { state: 'inactive' })).status).toBe(200);
    expect((await admin.delete('/api/v1/outbound-services/crm')).status).toBe(204);
  });

  it('deletes a service', async () => {
    expect((await admin.delete('/api/v1/outbound-services/local')).status).toBe(204);
    expect((await admin.get('/api/v1/outbound-services/local')).status).toBe(404);
    expect((await admin.delete('/api/v1/outbound-services/local')).status).toBe(404);
  });
});

describe('the secrets key', () => {
  it('is generated once in DATA_DIR for the embedded database when SECRETS_KEY is not set, and reused', async () => {
    const saved = process.env.SECRETS_KEY;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-secrets-'));
    delete process.env.SECRETS_KEY;
    const srv = await startTestServer('pglite', { dataDir: dir });
    try {
      const admin = new Client(srv.url);
      await admin.login('admin', ADMIN_PASSWORD);
      const res = await admin.post('/api/v1/outbound-services', { name: 'k', baseUrl: 'https://api.example.com', auth: { kind: 'apiKey', header: 'X-Key', secret: 'abc' } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const file = path.join(dir, 'secrets.key');
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      const key = fs.readFileSync(file, 'utf8');
      await admin.request('PATCH', '/api/v1/outbound-services/k', { auth: { kind: 'apiKey', header: 'X-Key', secret: 'def' } });
      expect(fs.readFileSync(file, 'utf8')).toBe(key);
    } finally {
      process.env.SECRETS_KEY = saved;
      await srv.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it.runIf(databaseKinds.includes('postgres'))('is required on PostgreSQL before a secret can be stored', async () => {
    const saved = process.env.SECRETS_KEY;
    delete process.env.SECRETS_KEY;
    const srv = await startTestServer('postgres');
    try {
      const admin = new Client(srv.url);
      await admin.login('admin', ADMIN_PASSWORD);
      const res = await admin.post('/api/v1/outbound-services', { name: 'k', baseUrl: 'https://api.example.com', auth: { kind: 'bearer', secret: 'abc' } });
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'SECRETS_KEY_MISSING', message: expect.stringContaining('SECRETS_KEY') });
      expect((await admin.post('/api/v1/outbound-services', { name: 'open', baseUrl: 'https://api.example.com' })).status).toBe(201);
    } finally {
      process.env.SECRETS_KEY = saved;
      await srv.close();
    }
  });
});
