/**
 * The OpenAPI 3.1 document is generated from the routes the server actually has, with the same
 * schemas it validates with, and a reference page renders it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { apiRouters } from '../server/routers';
import { Client, startTestServer, type TestServer } from './support/server';

describe('OpenAPI document', () => {
  let srv: TestServer;
  let doc: any;
  beforeAll(async () => {
    srv = await startTestServer('pglite');
    doc = (await new Client(srv.url).get('/api/v1/openapi.json')).body;
  });
  afterAll(() => srv?.close());

  it('is OpenAPI 3.1 and lists every declared route exactly once', () => {
    expect(doc.openapi).toBe('3.1.0');
    const declared = apiRouters()
      .flatMap((r) => r.routes)
      .map((r) => `${r.method} /api/v1${r.path.replace(/:(\w+)/g, '{$1}')}`)
      .sort();
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`))
      .sort();
    expect(documented).toEqual(declared);
    expect(documented).toContain('post /api/v1/auth/login');
    expect(new Set(declared).size).toBe(declared.length);
  });

  it('gives every operation a unique id, a summary, and compilable JSON Schemas', () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    const ids = new Set<string>();
    for (const [p, ops] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
      for (const [m, op] of Object.entries(ops)) {
        expect(op.summary, `${m} ${p}`).toBeTruthy();
        expect(ids.has(op.operationId), op.operationId).toBe(false);
        ids.add(op.operationId);
        const schemas = [
          op.requestBody?.content?.['application/json']?.schema,
          ...Object.values(op.responses as Record<string, any>).map((r) => r.content?.['application/json']?.schema),
          ...(op.parameters ?? []).map((x: any) => x.schema),
        ].filter((s) => s && !s.$ref);
        for (const s of schemas) expect(() => ajv.compile(s), `${m} ${p}`).not.toThrow();
        for (const param of (p.match(/\{(\w+)\}/g) ?? []).map((x) => x.slice(1, -1))) {
          expect(op.parameters?.some((x: any) => x.name === param && x.in === 'path'), `${m} ${p} declares ${param}`).toBe(true);
        }
      }
    }
  });

  it('describes the login body as the server validates it', async () => {
    const op = doc.paths['/api/v1/auth/login'].post;
    expect(op.requestBody.content['application/json'].schema.required).toEqual(['login', 'password']);
    expect(op.security).toEqual([]);
    // And the server enforces exactly that schema.
    const res = await new Client(srv.url).post('/api/v1/auth/login', { login: 'x' });
    expect(res.body.error.path).toBe('/password');
  });

  it('serves a browsable reference page', async () => {
    const res = await fetch(srv.url + '/api/v1/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('/api/v1/openapi.json');
  });
});
