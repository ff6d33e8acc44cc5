/**
 * The script library through the REST API: administrators create scripts, store new versions with
 * PUT, list versions, read one, and try a version (or an edit) with sample input in the sandbox;
 * agents are refused. Runs on PGlite, and on PostgreSQL when TEST_DATABASE_URL is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeEngine } from '../server/engine/engine';
import { databaseKinds } from './support/db';
import { startHelpdesk, type Helpdesk } from './support/tickets';

describe.each(databaseKinds)('script library on %s', (kind) => {
  let h: Helpdesk;
  beforeAll(async () => {
    h = await startHelpdesk(kind, { agents: { alice: { users: ['rw'] } } });
  });
  afterAll(async () => {
    await closeEngine(h.srv.services);
    await h?.close();
  });
  const admin = () => h.as.admin!;

  it('stores versions, lists them, and runs one with sample input', async () => {
    const created = await admin().post('/api/v1/scripts', { name: 'add-one', description: 'adds one', source: 'export default ({ params }) => ({ vars: { n: params.n + 1 } })' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ name: 'add-one', version: 1, changedBy: 'admin' });
    expect((await admin().post('/api/v1/scripts', { name: 'add-one', source: 'x' })).status).toBe(409);
    const v2 = await admin().request('PUT', '/api/v1/scripts/add-one', { source: 'export default ({ params }) => ({ vars: { n: params.n + 2 }, dynamicFields: { Note: "two" } })' });
    expect(v2.body.version).toBe(2);
    // The same source again stores nothing new.
    expect((await admin().request('PUT', '/api/v1/scripts/add-one', { source: v2.body.source })).body.version).toBe(2);
    expect((await admin().get('/api/v1/scripts/add-one/versions')).body.items.map((v: any) => v.version)).toEqual([2, 1]);
    expect((await admin().get('/api/v1/scripts')).body.items).toEqual([expect.objectContaining({ name: 'add-one', latestVersion: 2, description: 'adds one' })]);
    expect((await admin().get('/api/v1/scripts/add-one/versions/1')).body.source).toContain('params.n + 1');

    const run = await admin().post('/api/v1/scripts/add-one/run', { params: { n: 40 } });
    expect(run.body).toMatchObject({ ok: true, vars: { n: 42 }, dynamicFields: { Note: 'two' } });
    const old = await admin().post('/api/v1/scripts/add-one/run', { version: 1, params: { n: 40 } });
    expect(old.body.vars).toEqual({ n: 41 });
    const broken = await admin().post('/api/v1/scripts/add-one/run', { source: 'export default () => {\n  throw new Error("nope");\n}' });
    expect(broken.body).toMatchObject({ ok: false, error: { kind: 'script', message: expect.stringContaining('nope'), line: 2 } });
  });

  it('is for administrators only', async () => {
    expect((await h.as.alice!.get('/api/v1/scripts')).status).toBe(403);
    expect((await h.as.alice!.post('/api/v1/scripts', { name: 'x', source: 'x' })).status).toBe(403);
    expect((await admin().get('/api/v1/scripts/none')).status).toBe(404);
  });
});
