/**
 * What every client meets at the HTTP edge: the JSON error shape for malformed and oversized bodies
 * and unknown routes, security headers, health, and the SPA for non-API paths.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { migrations } from '../server/db/migrations/index';
import { Client, startTestServer, type TestServer } from './support/server';

/** An inline boot script like SvelteKit's, and its CSP hash as a browser computes it. */
const BOOT = '{ window.__boot = 1; }';
const BOOT_HASH = `'sha256-${createHash('sha256').update(BOOT).digest('base64')}'`;

describe('HTTP edge', () => {
  let srv: TestServer;
  let staticDir: string;

  beforeAll(async () => {
    staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-static-'));
    fs.writeFileSync(path.join(staticDir, 'index.html'), `<!doctype html><title>SPA</title><div id=app></div><script>${BOOT}</script><script type="module" src="/_app/immutable/start.js"></script>`);
    fs.mkdirSync(path.join(staticDir, '_app/immutable'), { recursive: true });
    fs.writeFileSync(path.join(staticDir, '_app/immutable/start.js'), 'console.log(1)');
    fs.writeFileSync(path.join(os.tmpdir(), 'hd-secret.txt'), 'secret');
    srv = await startTestServer('pglite', { maxBodyBytes: 1024, staticDir });
  });
  afterAll(async () => {
    await srv?.close();
    fs.rmSync(staticDir, { recursive: true, force: true });
    fs.rmSync(path.join(os.tmpdir(), 'hd-secret.txt'), { force: true });
  });

  it('reports health with the database kind and migration level', async () => {
    const res = await new Client(srv.url).get('/healthz');
    expect(res.status).toBe(200);
    const names = Object.keys(migrations);
    expect(res.body).toMatchObject({ status: 'ok', database: 'pglite', migrations: { applied: names.length, current: names.at(-1), latest: names.at(-1) } });
  });

  it('answers malformed JSON with a 400 problem naming the position', async () => {
    const res = await new Client(srv.url).request('POST', '/api/v1/auth/login', '{"login": "a",', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('MALFORMED_JSON');
    expect(res.body.error.message).toMatch(/position|end of JSON/i);
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+/);
  });

  it('answers an empty body and a body of the wrong type with a clear 400', async () => {
    const empty = await new Client(srv.url).request('POST', '/api/v1/auth/login', '', { 'content-type': 'application/json' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('MALFORMED_JSON');
    const arr = await new Client(srv.url).post('/api/v1/auth/login', [1, 2]);
    expect(arr.status).toBe(400);
    expect(arr.body.error).toMatchObject({ code: 'VALIDATION_FAILED', path: '/' });
    const extra = await new Client(srv.url).post('/api/v1/auth/login', { login: 'a', password: 'b', admin: true });
    expect(extra.body.error).toMatchObject({ code: 'VALIDATION_FAILED', path: '/admin' });
  });

  it('refuses an oversized body with 413 in the JSON shape', async () => {
    const big = JSON.stringify({ login: 'x'.repeat(5000), password: 'y' });
    const res = await new Client(srv.url).request('POST', '/api/v1/auth/login', big, { 'content-type': 'application/json' });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'request body exceeds the limit of 1024 bytes' } });
  });

  it('refuses an oversized streamed body without a Content-Length', async () => {
    const body = new ReadableStream({
      start(ctrl) {
        for (let i = 0; i < 10; i++) ctrl.enqueue(new TextEncoder().encode('x'.repeat(500)));
        ctrl.close();
      },
    });
    const res = await fetch(srv.url + '/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers unknown API routes with a 404 problem, never the SPA', async () => {
    for (const p of ['/api/v1/nothing-here', '/api/v2/tickets', '/api/webservice-nope']) {
      const res = await new Client(srv.url).get(p);
      expect(res.status, p).toBe(404);
      expect(res.body.error.code, p).toBe('ROUTE_NOT_FOUND');
    }
    const del = await new Client(srv.url).delete('/api/v1/auth/login');
    expect(del.status).toBe(404);
  });

  it('needs authentication for /me', async () => {
    const res = await new Client(srv.url).get('/api/v1/auth/me');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('sets security headers and a request id', async () => {
    const res = await fetch(srv.url + '/healthz');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-request-id')).toMatch(/^[\w-]{8,}$/);
  });

  it('serves the SPA for client-side routes and its assets with cache headers', async () => {
    const page = await fetch(srv.url + '/admin/processes/some-key');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>SPA</title>');
    const asset = await fetch(srv.url + '/_app/immutable/start.js');
    expect(await asset.text()).toBe('console.log(1)');
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect(asset.headers.get('cache-control')).toContain('immutable');
  });

  it('allows no inline script but the page\'s own, by hash (no unsafe-inline)', async () => {
    const page = await fetch(srv.url + '/agent/tickets');
    const csp = page.headers.get('content-security-policy')!;
    const scriptSrc = /script-src ([^;]*)/.exec(csp)![1]!.split(' ');
    expect(scriptSrc).toEqual(["'self'", BOOT_HASH]);
    expect(csp).not.toContain("'unsafe-inline' 'sha"); // only styles may be inline
    expect(/script-src[^;]*unsafe-inline/.test(csp)).toBe(false);
    for (const p of ['/healthz', '/api/v1/auth/me', '/_app/immutable/start.js']) {
      const other = (await fetch(srv.url + p)).headers.get('content-security-policy')!;
      expect(/script-src ([^;]*)/.exec(other)![1], p).toBe("'self'");
    }
    // The API reference page lists the hash of its own script.
    const docs = await fetch(srv.url + '/api/v1/docs');
    const html = await docs.text();
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(docs.headers.get('content-security-policy')).toContain(`'sha256-${createHash('sha256').update(script).digest('base64')}'`);
  });

  it('never serves files outside the build folder', async () => {
    // Raw requests: fetch would normalise `/../` away before it left, so the attack never arrived.
    const port = Number(new URL(srv.url).port);
    for (const p of ['/../hd-secret.txt', '/%2e%2e/hd-secret.txt', '/..%2fhd-secret.txt', '/_app/../../hd-secret.txt']) {
      const answer = await new Promise<string>((resolve, reject) => {
        let data = '';
        const socket = net.connect(port, '127.0.0.1', () => socket.write(`GET ${p} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`));
        socket.on('data', (d) => (data += d));
        socket.on('end', () => resolve(data));
        socket.on('error', reject);
      });
      const [head, body] = [answer.split('\r\n\r\n')[0]!, answer.split('\r\n\r\n').slice(1).join('\r\n\r\n')];
      expect(head, p).toMatch(/^HTTP\/1\.1 (200|400|404) /);
      expect(body, p).not.toContain('secret');
      if (head.startsWith('HTTP/1.1 200')) expect(body, p).toContain('<title>SPA</title>');
    }
  });
});
