/**
 * The outbound invoker against a real HTTP server on 127.0.0.1 playing the remote system: requests
 * built from templates with auth and idempotency key, answers mapped into variables and dynamic
 * fields, error codes (404, 4XX, 5XX, timeout, too large, mapping), and the allow-list — private
 * addresses refused (also behind a DNS name or a redirect), loopback only when allowed, and the
 * connection pinned to the address that was checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoke, type Resolver, type ServiceConfig } from '../server/outbound/invoker';
import { startRemote, type Remote } from './support/remote';

let remote: Remote;
beforeAll(async () => {
  remote = await startRemote();
});
afterAll(() => remote.close());

/** Test DNS: names under example.test resolve as listed; the rest does not resolve. */
const dns = (table: Record<string, string[]>): Resolver => async (host) => {
  const list = table[host];
  if (!list) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

function service(over: Partial<ServiceConfig> = {}): ServiceConfig {
  return {
    name: 'monitoring',
    baseUrl: `${remote.url}/api`,
    auth: { kind: 'bearer', secret: 'tok-123' },
    headers: { 'X-Client': 'helpdesk {{ticket.number}}' },
    timeoutMs: 5000,
    retries: 3,
    allowList: ['127.0.0.1'],
    maxResponseBytes: 64 * 1024,
    operations: {
      hostStatus: {
        method: 'GET',
        path: '/hosts/{{params.host}}',
        query: { detail: '{{vars.detail}}' },
        response: { vars: { status: '/status', since: '/checks/0/since' }, dynamicFields: { MonitoringStatus: '/status' } },
      },
      report: {
        method: 'POST',
        path: '/reports',
        body: { ticket: '{{ticket.number}}', days: '{{params.days}}', note: '{{params.days}} days', tags: ['{{vars.tag}}'] },
        headers: { 'X-Trace': '{{vars.trace}}' },
        successStatuses: [201],
      },
      plain: { method: 'GET', path: '/plain' },
      forward: { method: 'PUT', path: '/forward', body: '{{params}}' },
    },
    ...over,
  };
}

const ctx = { ticket: { number: '2026112110000017', title: 'Web down' }, vars: { detail: 'full', tag: 'ops', trace: 't-1' }, params: { host: 'web 1/a', days: 3 } };

describe('outbound invoker', () => {
  it('builds the request from templates, sends auth and the idempotency key, and maps the answer', async () => {
    remote.on('/api/hosts/web 1/a', () => ({ json: { status: 'down', checks: [{ since: '2026-11-21T07:00:00Z' }] } }));
    remote.on('/api/hosts/web%201%2Fa', () => ({ json: { status: 'down', checks: [{ since: '2026-11-21T07:00:00Z' }] } }));
    const r = await invoke(service(), 'hostStatus', ctx, { idempotencyKey: '17:t1:r1' });
    expect(r).toMatchObject({ ok: true, status: 200, result: { vars: { status: 'down', since: '2026-11-21T07:00:00Z' }, dynamicFields: { MonitoringStatus: 'down' } } });
    const seen = remote.seen.at(-1)!;
    expect(seen.method).toBe('GET');
    expect(seen.path).toBe('/api/hosts/web%201%2Fa?detail=full');
    expect(seen.headers).toMatchObject({ authorization: 'Bearer tok-123', 'idempotency-key': '17:t1:r1', 'x-client': 'helpdesk 2026112110000017' });
  });

  it('sends a JSON body whose lone templates keep their type, and honours the success statuses', async () => {
    remote.on('POST /api/reports', () => ({ status: 201, json: { id: 9 } }));
    const r = await invoke(service(), 'report', ctx);
    expect(r).toMatchObject({ ok: true, status: 201, body: { id: 9 }, result: { vars: {}, dynamicFields: {} } });
    const seen = remote.seen.at(-1)!;
    expect(JSON.parse(seen.body)).toEqual({ ticket: '2026112110000017', days: 3, note: '3 days', tags: ['ops'] });
    expect(seen.headers).toMatchObject({ 'content-type': 'application/json', 'x-trace': 't-1' });
    remote.on('PUT /api/forward', () => ({ status: 204 }));
    expect(await invoke(service(), 'forward', ctx)).toMatchObject({ ok: true, status: 204, body: null });
    expect(JSON.parse(remote.seen.at(-1)!.body)).toEqual({ host: 'web 1/a', days: 3 });
    remote.on('POST /api/reports', () => ({ status: 200, json: { id: 9 } }));
    expect(await invoke(service(), 'report', ctx)).toMatchObject({ ok: false, code: 'HTTP_4XX', status: 200, retriable: false });
  });

  it('uses basic and API-key auth', async () => {
    remote.on('/api/plain', () => ({ text: 'pong' }));
    expect(await invoke(service({ auth: { kind: 'basic', user: 'svc', secret: 'pa:ss' } }), 'plain', ctx)).toMatchObject({ ok: true, body: 'pong' });
    expect(remote.seen.at(-1)!.headers.authorization).toBe(`Basic ${Buffer.from('svc:pa:ss').toString('base64')}`);
    await invoke(service({ auth: { kind: 'apiKey', header: 'X-API-Key', secret: 'k-9' } }), 'plain', ctx);
    expect(remote.seen.at(-1)!.headers).toMatchObject({ 'x-api-key': 'k-9' });
    expect(remote.seen.at(-1)!.headers.authorization).toBeUndefined();
    expect(await invoke(service({ auth: { kind: 'bearer', secret: null } }), 'plain', ctx)).toMatchObject({ ok: false, code: 'CONFIG' });
  });

  it('reports 404, other 4xx, 429 and 5xx with their codes; 5xx and 429 may be retried, with the same key', async () => {
    remote.on('/api/hosts/gone', () => ({ status: 404, json: { error: 'unknown host' } }));
    expect(await invoke(service(), 'hostStatus', { params: { host: 'gone' } })).toMatchObject({ ok: false, code: 'HTTP_404', status: 404, retriable: false, excerpt: '{"error":"unknown host"}' });
    remote.on('/api/hosts/bad', () => ({ status: 422, json: {} }));
    expect(await invoke(service(), 'hostStatus', { params: { host: 'bad' } })).toMatchObject({ ok: false, code: 'HTTP_4XX', status: 422, retriable: false });
    remote.on('/api/hosts/busy', () => ({ status: 429, json: {} }));
    expect(await invoke(service(), 'hostStatus', { params: { host: 'busy' } })).toMatchObject({ ok: false, code: 'HTTP_4XX', status: 429, retriable: true });
    remote.on('/api/hosts/flaky', (_req, n) => (n === 1 ? { status: 503, text: 'maintenance' } : { json: { status: 'up', checks: [{ since: 'now' }] } }));
    const first = await invoke(service(), 'hostStatus', { params: { host: 'flaky' } }, { idempotencyKey: 'k-1' });
    expect(first).toMatchObject({ ok: false, code: 'HTTP_5XX', status: 503, retriable: true, excerpt: 'maintenance' });
    const second = await invoke(service(), 'hostStatus', { params: { host: 'flaky' } }, { idempotencyKey: 'k-1' });
    expect(second).toMatchObject({ ok: true, result: { vars: { status: 'up' } } });
    const keys = remote.seen.filter((s) => s.path.startsWith('/api/hosts/flaky')).map((s) => s.headers['idempotency-key']);
    expect(keys).toEqual(['k-1', 'k-1']);
  });

  it('gives up at the deadline with TIMEOUT', async () => {
    remote.on('/api/hosts/slow', () => ({ hang: true }));
    const r = await invoke(service({ timeoutMs: 150 }), 'hostStatus', { params: { host: 'slow' } });
    expect(r).toMatchObject({ ok: false, code: 'TIMEOUT', retriable: true });
  });

  it('stops reading an answer larger than the limit: TOO_LARGE', async () => {
    remote.on('/api/plain', () => ({ bytes: 300 * 1024 }));
    expect(await invoke(service(), 'plain', ctx)).toMatchObject({ ok: false, code: 'TOO_LARGE', retriable: false });
    // Declared too large up front: refused without reading.
    const big = 'y'.repeat(100 * 1024);
    remote.on('/api/plain', () => ({ text: big, headers: { 'content-length': String(big.length) } }));
    expect(await invoke(service(), 'plain', ctx)).toMatchObject({ ok: false, code: 'TOO_LARGE', status: 200 });
    expect(await invoke(service({ maxResponseBytes: 200 * 1024 }), 'plain', ctx)).toMatchObject({ ok: true, body: big });
  });

  it('reports MAPPING when the answer is not JSON or lacks a mapped value', async () => {
    remote.on('/api/hosts/html', () => ({ text: '<html>login</html>', headers: { 'content-type': 'text/html' } }));
    expect(await invoke(service(), 'hostStatus', { params: { host: 'html' } })).toMatchObject({ ok: false, code: 'MAPPING', status: 200, message: expect.stringContaining('not JSON') });
    remote.on('/api/hosts/partial', () => ({ json: { status: 'up', checks: [] } }));
    expect(await invoke(service(), 'hostStatus', { params: { host: 'partial' } })).toMatchObject({ ok: false, code: 'MAPPING', message: expect.stringContaining('/checks/0/since') });
  });

  it('reports CONFIG for an unknown service or operation without calling anything', async () => {
    const before = remote.seen.length;
    expect(await invoke(undefined, 'x', ctx)).toMatchObject({ ok: false, code: 'CONFIG', retriable: false });
    expect(await invoke(service(), 'nope', ctx)).toMatchObject({ ok: false, code: 'CONFIG', message: expect.stringContaining('hostStatus') });
    expect(remote.seen.length).toBe(before);
  });

  describe('allow-list', () => {
    it('refuses loopback unless allowed, by address or by network', async () => {
      remote.on('/api/plain', () => ({ text: 'pong' }));
      const before = remote.seen.length;
      expect(await invoke(service({ allowList: [] }), 'plain', ctx)).toMatchObject({ ok: false, code: 'REFUSED', retriable: false, message: expect.stringContaining('loopback') });
      expect(remote.seen.length).toBe(before);
      expect(await invoke(service({ allowList: ['127.0.0.0/8'] }), 'plain', ctx)).toMatchObject({ ok: true, body: 'pong' });
      expect(await invoke(service({ allowList: ['127.0.0.1'] }), 'plain', ctx)).toMatchObject({ ok: true });
    });

    it('an entry with a port allows that port only, on every redirect too; an entry without one allows any port', async () => {
      const other = await startRemote();
      try {
        other.on('/secret', () => ({ text: 'other port' }));
        remote.on('/api/plain', () => ({ text: 'pong' }));
        remote.on('/api/elsewhere', () => ({ status: 302, headers: { location: `http://127.0.0.1:${other.port}/secret` } }));
        const ops = { plain: { method: 'GET' as const, path: '/plain' }, elsewhere: { method: 'GET' as const, path: '/elsewhere' } };
        const pinned = service({ allowList: [`127.0.0.1:${remote.port}`], operations: ops });
        expect(await invoke(pinned, 'plain', ctx)).toMatchObject({ ok: true, body: 'pong' });
        const hopped = await invoke(pinned, 'elsewhere', ctx);
        expect(hopped).toMatchObject({ ok: false, code: 'REFUSED', message: expect.stringContaining(`port ${other.port}`) });
        expect(other.seen).toHaveLength(0);
        // The stub's port by name, too.
        const resolver = dns({ 'stub.example.test': ['127.0.0.1'] });
        const byName = service({ baseUrl: `http://stub.example.test:${remote.port}/api`, allowList: [`stub.example.test:${remote.port}`], operations: ops });
        expect(await invoke(byName, 'plain', ctx, { resolver })).toMatchObject({ ok: true, body: 'pong' });
        const wrongPort = service({ baseUrl: `http://stub.example.test:${other.port}`, allowList: [`stub.example.test:${remote.port}`], operations: ops });
        expect(await invoke(wrongPort, 'plain', ctx, { resolver })).toMatchObject({ ok: false, code: 'REFUSED' });
        // Without a port the entry names the host on any port.
        expect(await invoke(service({ allowList: ['127.0.0.1'], operations: ops }), 'elsewhere', ctx)).toMatchObject({ ok: true, body: 'other port' });
      } finally {
        await other.close();
      }
    });

    it('refuses a DNS name that resolves to a private address, before connecting', async () => {
      const before = remote.seen.length;
      const resolver = dns({ 'internal.example.test': ['10.0.0.1'], 'mixed.example.test': ['93.184.216.34', '192.168.1.5'], 'mapped.example.test': ['::ffff:127.0.0.1'] });
      for (const host of ['internal', 'mixed', 'mapped']) {
        const r = await invoke(service({ baseUrl: `http://${host}.example.test:${remote.port}`, allowList: [] }), 'plain', ctx, { resolver });
        expect(r, host).toMatchObject({ ok: false, code: 'REFUSED' });
      }
      expect(remote.seen.length).toBe(before);
      const unresolvable = await invoke(service({ baseUrl: 'http://nowhere.example.test' }), 'plain', ctx, { resolver });
      expect(unresolvable).toMatchObject({ ok: false, code: 'NETWORK', retriable: true });
    });

    it('connects to the address it checked (the name never reaches a resolver twice)', async () => {
      remote.on('/plain', () => ({ text: 'pinned' }));
      let lookups = 0;
      const resolver: Resolver = async () => {
        lookups++;
        return [{ address: '127.0.0.1', family: 4 }];
      };
      const r = await invoke(service({ baseUrl: `http://api.example.test:${remote.port}`, allowList: ['api.example.test'] }), 'plain', ctx, { resolver });
      expect(r).toMatchObject({ ok: true, body: 'pinned' });
      expect(lookups).toBe(1);
      expect(remote.seen.at(-1)!.headers.host).toBe(`api.example.test:${remote.port}`);
    });

    it('follows redirects by hand, checking every hop: a redirect to 127.0.0.1 from an allowed host is refused', async () => {
      const resolver = dns({ 'api.example.test': ['127.0.0.1'], 'other.example.test': ['127.0.0.1'] });
      const base = `http://api.example.test:${remote.port}`;
      remote.on('/moved', () => ({ status: 302, headers: { location: '/plain' } }));
      remote.on('/plain', () => ({ text: 'arrived' }));
      expect(await invoke(service({ baseUrl: base, allowList: ['api.example.test'], operations: { go: { method: 'GET', path: '/moved' } } }), 'go', ctx, { resolver })).toMatchObject({ ok: true, body: 'arrived', request: { url: `${base}/plain` } });

      remote.on('/escape', () => ({ status: 307, headers: { location: `http://127.0.0.1:${remote.port}/secret` } }));
      const escaped = await invoke(service({ baseUrl: base, allowList: ['api.example.test'], operations: { go: { method: 'GET', path: '/escape' } } }), 'go', ctx, { resolver });
      expect(escaped).toMatchObject({ ok: false, code: 'REFUSED', message: expect.stringContaining('127.0.0.1') });
      expect(remote.seen.some((s) => s.path === '/secret')).toBe(false);

      remote.on('/loop', () => ({ status: 302, headers: { location: '/loop' } }));
      expect(await invoke(service({ baseUrl: base, allowList: ['api.example.test'], operations: { go: { method: 'GET', path: '/loop' } } }), 'go', ctx, { resolver })).toMatchObject({ ok: false, code: 'NETWORK', message: expect.stringContaining('more than 5 redirects') });
      expect(remote.seen.filter((s) => s.path === '/loop')).toHaveLength(6);

      // Leaving the origin drops the credentials.
      remote.on('/away', () => ({ status: 302, headers: { location: `http://other.example.test:${remote.port}/plain` } }));
      const away = await invoke(service({ baseUrl: base, allowList: ['*.example.test'], operations: { go: { method: 'GET', path: '/away' } } }), 'go', ctx, { resolver });
      expect(away).toMatchObject({ ok: true, body: 'arrived' });
      expect(remote.seen.at(-2)!.headers.authorization).toBe('Bearer tok-123');
      expect(remote.seen.at(-1)!.headers.authorization).toBeUndefined();
    });
  });
});
