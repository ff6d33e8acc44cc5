/**
 * Process storage and lifecycle through the REST API: drafts saved invalid, deploys that must
 * validate and find their references, immutable versions with states, import of JSON / BPMN / OTOBO
 * YAML with "create missing" as an explicit choice, export round trips, diff, and bad input that
 * stores nothing. Runs on PGlite, and on PostgreSQL when TEST_DATABASE_URL is set.
 */
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minimalProcess, copy } from '../engine/model/fixtures';
import { MAX_PROCESS_NODES } from '../engine/model/schema';
import { PROJECT_ROOT } from '../server/config';
import { installShippedProcesses } from '../server/processes/shipped';
import { databaseKinds } from './support/db';
import { createAgent } from './support/fixtures';
import { ADMIN_PASSWORD, Client, startTestServer, type TestServer } from './support/server';

const shipped = fs.readdirSync(path.join(PROJECT_ROOT, 'processes')).filter((f) => f.endsWith('.json'));

describe.each(databaseKinds)('processes on %s', (kind) => {
  let srv: TestServer;
  let admin: Client;
  let agent: Client;

  beforeAll(async () => {
    srv = await startTestServer(kind, { maxBodyBytes: 5 * 1024 * 1024 });
    admin = new Client(srv.url);
    await admin.login('admin', ADMIN_PASSWORD);
    await createAgent(srv.database.db, 'plain', 'plain-pw', { groups: { users: ['rw'] } });
    agent = new Client(srv.url);
    await agent.login('plain', 'plain-pw');
  });
  afterAll(() => srv?.close());

  const count = async (table: 'processes' | 'process_versions' | 'dynamic_fields' | 'queues') =>
    Number((await srv.database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('installs the shipped processes, creating what they reference, and leaves them alone on the next start', async () => {
    const installed = await installShippedProcesses(srv.services, pino({ level: 'silent' }));
    expect(installed.sort()).toEqual(shipped.map((f) => f.replace('.json', '')).sort());
    const list = await admin.get('/api/v1/processes');
    for (const key of installed) {
      expect(list.body.items.find((p: { key: string }) => p.key === key)).toMatchObject({ latestVersion: 1, state: 'active', hasDraft: true, draftChanged: false });
    }
    // The dynamic fields they use now exist.
    const fields = await admin.get('/api/v1/dynamic-fields?perPage=200');
    expect(fields.body.items.map((f: { name: string }) => f.name)).toContain('LeaveApproved');
    expect(await installShippedProcesses(srv.services, pino({ level: 'silent' }))).toEqual([]);
  });

  it('ships the scripts its processes call, and they compute what they promise', async () => {
    // 2026-12-21 is a Monday: Mon–Fri plus the next Monday are six working days.
    const days = await admin.post('/api/v1/scripts/count-leave-days/run', { params: { start: '2026-12-21', end: '2026-12-28' } });
    expect(days.body).toMatchObject({ ok: true, vars: { days: 6 }, dynamicFields: { LeaveDays: '6' } });
    const bad = await admin.post('/api/v1/scripts/count-leave-days/run', { params: { start: '2026-12-28', end: '2026-12-21' } });
    expect(bad.body).toMatchObject({ ok: false, error: { message: expect.stringContaining('before the first day') } });
    const accounts = await admin.post('/api/v1/scripts/create-customer-accounts/run', { params: { customerId: 'ACME', tier: 'Silver' } });
    expect(accounts.body.dynamicFields.AccountsCreated.split(', ')).toHaveLength(5);
  });

  it('saves an invalid draft, refuses to deploy it with every problem, and stores no version', async () => {
    const doc = { ...minimalProcess(), key: 'half-done', transitions: [{ id: 't1', from: 'start', to: 'task' }] };
    const created = await admin.post('/api/v1/processes', doc);
    expect(created.status).toBe(201);
    expect(created.body.problems.some((p: { severity: string }) => p.severity === 'error')).toBe(true);
    const deploy = await admin.post('/api/v1/processes/half-done/deploy', {});
    expect(deploy.status).toBe(400);
    expect(deploy.body.error.code).toBe('PROCESS_INVALID');
    expect(deploy.body.error.details.problems.length).toBeGreaterThan(0);
    expect(deploy.body.error.details.problems[0]).toEqual(expect.objectContaining({ code: expect.any(String), path: expect.any(String), message: expect.any(String) }));
    expect((await admin.get('/api/v1/processes/half-done/versions')).body.items).toEqual([]);

    // Fix it in the draft, deploy: version 1; deploy again: version 2, immutable history.
    const fixed = await admin.request('PUT', '/api/v1/processes/half-done/draft', { ...minimalProcess(), key: 'half-done' });
    expect(fixed.status).toBe(200);
    expect(fixed.body.problems.filter((p: { severity: string }) => p.severity === 'error')).toEqual([]);
    expect((await admin.post('/api/v1/processes/half-done/deploy', {})).body).toMatchObject({ version: 1, state: 'active' });
    // Deploying the unchanged draft again says so and writes nothing, unless the admin confirms.
    const same = await admin.post('/api/v1/processes/half-done/deploy', {});
    expect(same.status).toBe(409);
    expect(same.body.error).toMatchObject({ code: 'DEPLOY_UNCHANGED', path: '/force', message: expect.stringContaining('identical to version 1') });
    expect((await admin.get('/api/v1/processes/half-done/versions')).body.items).toHaveLength(1);
    const forced = await admin.post('/api/v1/processes/half-done/deploy', { force: true });
    expect(forced.status).toBe(201);
    expect(forced.body.version).toBe(2);
    await admin.request('PATCH', '/api/v1/processes/half-done/versions/2', { state: 'inactive' });
    const v2draft = { ...copy(minimalProcess()), key: 'half-done' };
    v2draft.name = 'Minimal, renamed';
    await admin.request('PUT', '/api/v1/processes/half-done/draft', v2draft);
    expect((await admin.post('/api/v1/processes/half-done/deploy', {})).body.version).toBe(3);
    const versions = (await admin.get('/api/v1/processes/half-done/versions')).body.items;
    expect(versions.map((v: { version: number; name: string }) => [v.version, v.name])).toEqual([[3, 'Minimal, renamed'], [2, 'Minimal'], [1, 'Minimal']]);
    expect(versions[0].deployedBy).toBe('admin');
    const v1 = await admin.get('/api/v1/processes/half-done/versions/1');
    expect(v1.body.definition).toMatchObject({ key: 'half-done', version: 1, name: 'Minimal', state: 'active' });
  });

  it('changes the state of a version and refuses unknown states', async () => {
    await admin.post('/api/v1/processes', { ...minimalProcess(), key: 'stateful' });
    await admin.post('/api/v1/processes/stateful/deploy', {});
    const fade = await admin.request('PATCH', '/api/v1/processes/stateful/versions/1', { state: 'fadeaway' });
    expect(fade.status).toBe(200);
    expect(fade.body.state).toBe('fadeaway');
    const bad = await admin.request('PATCH', '/api/v1/processes/stateful/versions/1', { state: 'paused' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toBe('/state');
    expect((await admin.request('PATCH', '/api/v1/processes/stateful/versions/9', { state: 'inactive' })).status).toBe(404);
  });

  it('refuses an import that names missing things, storing nothing, and creates them only when asked', async () => {
    const doc = copy(minimalProcess());
    doc.key = 'needs-things';
    (doc.nodes[1] as { assign?: unknown }).assign = { queue: 'Finance::Invoices' };
    (doc.nodes[1] as { dialog: { fields: unknown[] } }).dialog.fields.push({ field: 'DynamicField_InvoiceAmount', display: 'mandatory' });
    const before = { processes: await count('processes'), fields: await count('dynamic_fields'), queues: await count('queues') };
    const refused = await admin.request('POST', '/api/v1/processes/import', JSON.stringify(doc), { 'content-type': 'application/json' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('MISSING_REFERENCES');
    const missing = refused.body.error.details.missing.map((m: { kind: string; name: string }) => `${m.kind}:${m.name}`).sort();
    expect(missing).toEqual(['dynamicField:InvoiceAmount', 'queue:Finance::Invoices']);
    expect(refused.body.error.details.missing.find((m: { kind: string }) => m.kind === 'queue').paths).toEqual(['/nodes/1/assign/queue']);
    expect({ processes: await count('processes'), fields: await count('dynamic_fields'), queues: await count('queues') }).toEqual(before);

    const dry = await admin.request('POST', '/api/v1/processes/import?dryRun=true', JSON.stringify(doc), { 'content-type': 'application/json' });
    expect(dry.status).toBe(200);
    expect(dry.body.stored).toBe(false);
    expect(await count('processes')).toBe(before.processes);

    const ok = await admin.request('POST', '/api/v1/processes/import?createMissing=true&deploy=true', JSON.stringify(doc), { 'content-type': 'application/json' });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ key: 'needs-things', stored: true, version: 1 });
    expect(ok.body.created.map((m: { name: string }) => m.name).sort()).toEqual(['Finance::Invoices', 'InvoiceAmount']);
    const queues = (await admin.get('/api/v1/queues?perPage=200')).body.items.map((q: { name: string }) => q.name);
    expect(queues).toEqual(expect.arrayContaining(['Finance', 'Finance::Invoices']));
    expect(ok.body.references.missing).toEqual([]);
  });

  it('exports JSON that imports and exports again byte for byte, and BPMN that converts back to the same process', async () => {
    const json1 = await fetch(`${srv.url}/api/v1/processes/leave-request/export?format=json`, { headers: { cookie: admin.cookie! } });
    expect(json1.headers.get('content-disposition')).toContain('leave-request.json');
    const text1 = await json1.text();
    const copyDoc = JSON.parse(text1);
    copyDoc.key = 'leave-request-copy';
    const imported = await admin.request('POST', '/api/v1/processes/import?deploy=true', JSON.stringify(copyDoc), { 'content-type': 'application/json' });
    expect(imported.status).toBe(201);
    const text2 = await (await fetch(`${srv.url}/api/v1/processes/leave-request-copy/export?format=json`, { headers: { cookie: admin.cookie! } })).text();
    expect(text2).toBe(text1.replace('"key": "leave-request"', '"key": "leave-request-copy"'));

    const bpmn = await (await fetch(`${srv.url}/api/v1/processes/it-incident/export?format=bpmn`, { headers: { cookie: admin.cookie! } })).text();
    expect(bpmn).toContain('<bpmn:definitions');
    const back = await admin.request('POST', '/api/v1/processes/import?dryRun=true', bpmn, { 'content-type': 'application/xml' });
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ key: 'it-incident', format: 'bpmn', unsupported: [] });
    expect(back.body.problems.filter((p: { severity: string }) => p.severity === 'error')).toEqual([]);
  });

  it('diffs two versions', async () => {
    const res = await admin.get('/api/v1/processes/half-done/diff?from=1&to=3');
    expect(res.status).toBe(200);
    expect(res.body.identical).toBe(false);
    expect(res.body.process).toEqual(expect.arrayContaining([expect.stringMatching(/name/)]));
  });

  it('lets only administrators write, and reads to agents', async () => {
    expect((await agent.post('/api/v1/processes', { ...minimalProcess(), key: 'nope' })).status).toBe(403);
    expect((await agent.post('/api/v1/processes/leave-request/deploy', {})).status).toBe(403);
    expect((await agent.request('POST', '/api/v1/processes/import', JSON.stringify(minimalProcess()), { 'content-type': 'application/json' })).status).toBe(403);
    expect((await agent.get('/api/v1/processes')).status).toBe(200);
    expect((await new Client(srv.url).get('/api/v1/processes')).status).toBe(401);
  });

  it('answers bad input with a clear 4xx and stores nothing', async () => {
    const before = await count('processes');
    const post = (body: string, type: string) => admin.request('POST', '/api/v1/processes/import', body, { 'content-type': type });
    const malformedJson = await post('{"format": "process/1", "key": ', 'application/json');
    expect(malformedJson.status).toBe(400);
    expect(malformedJson.body.error.code).toBe('JSON_MALFORMED');
    const malformedYaml = await post('Process:\n  Name: [unclosed\n', 'application/yaml');
    expect(malformedYaml.status).toBe(400);
    expect(malformedYaml.body.error.code).toBe('YAML_MALFORMED');
    let bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (let i = 1; i <= 20; i++) bomb += `${String.fromCharCode(97 + (i % 26))}${i}: &x${i} [${Array(9).fill(i === 1 ? '*a' : `*x${i - 1}`).join(',')}]\n`;
    const yamlBomb = await post(bomb, 'application/yaml');
    expect(yamlBomb.status).toBe(400);
    expect(yamlBomb.body.error.code).toBe('YAML_ALIAS_LIMIT');
    // A 20 KB nesting bomb: unclosed brackets ran the YAML parser out of memory (the whole server died).
    for (const text of ['['.repeat(20_000), `Process: !!seq ${'['.repeat(20_000)}`, `${'- '.repeat(10_000)}x`]) {
      const yamlDeep = await post(text, 'application/yaml');
      expect(yamlDeep.status).toBe(400);
      expect(yamlDeep.body.error).toMatchObject({ code: 'NESTING_TOO_DEEP', message: expect.stringContaining('32 levels') });
    }
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const nested = await post(deep, 'application/json');
    expect(nested.status).toBe(400);
    expect(nested.body.error.code).toMatch(/NESTING_TOO_DEEP|JSON_MALFORMED|FORMAT/);
    const nestedValidate = await admin.request('POST', '/api/v1/processes/validate', '{"a":' .repeat(30) + '1' + '}'.repeat(30), { 'content-type': 'application/json' });
    expect(nestedValidate.status).toBe(200);
    const tooDeep = await admin.request('POST', '/api/v1/processes/validate', '{"a":'.repeat(100) + '1' + '}'.repeat(100), { 'content-type': 'application/json' });
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body.error.code).toBe('NESTING_TOO_DEEP');
    const notBpmn = await post('<html><body>hi</body></html>', 'application/xml');
    expect(notBpmn.status).toBe(400);
    const big = await post('{"x": "' + 'y'.repeat(6 * 1024 * 1024) + '"}', 'application/json');
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await count('processes')).toBe(before);
    expect((await fetch(srv.url + '/healthz')).status).toBe(200);
  });

  /** A chain start → n - 2 script tasks → end. */
  const chain = (key: string, n: number) => {
    const nodes: unknown[] = [{ id: 'start', type: 'startEvent' }];
    const transitions: unknown[] = [];
    let prev = 'start';
    for (let i = 0; i < n - 2; i++) {
      const id = `t${i}`;
      nodes.push({ id, type: 'scriptTask', script: { ref: 'noop' } });
      transitions.push({ id: `f${i}`, from: prev, to: id });
      prev = id;
    }
    nodes.push({ id: 'end', type: 'endEvent' });
    transitions.push({ id: 'last', from: prev, to: 'end' });
    return { format: 'process/1', key, name: key, start: { interfaces: ['agent'] }, nodes, transitions };
  };

  it('validates a process of the largest allowed size with a report, and stays responsive', async () => {
    const n = MAX_PROCESS_NODES;
    const res = await admin.post('/api/v1/processes/validate', chain('huge', n));
    expect(res.status).toBe(200);
    expect(res.body.problems.filter((p: { severity: string }) => p.severity === 'error')).toEqual([]);
    // The script it calls does not exist here: a missing reference that cannot be made up.
    expect(res.body.valid).toBe(false);
    expect(res.body.references.missing).toEqual([expect.objectContaining({ kind: 'script', name: 'noop', creatable: false })]);
    expect(res.body.references.missing[0].paths).toHaveLength(n - 2);
    expect((await fetch(srv.url + '/healthz')).status).toBe(200);
  });

  it('refuses a process of 10,000 nodes (whose BPMN export held the server for seconds) naming the limit, and stores nothing', async () => {
    const doc = chain('too-big', 10_000);
    const report = await admin.post('/api/v1/processes/validate', doc);
    expect(report.body.problems).toEqual([
      expect.objectContaining({ code: 'PROCESS_TOO_LARGE', path: '/nodes', message: expect.stringContaining(`at most ${MAX_PROCESS_NODES} are allowed`) }),
      expect.objectContaining({ code: 'PROCESS_TOO_LARGE', path: '/transitions' }),
    ]);
    const created = await admin.post('/api/v1/processes', doc);
    expect(created.status).toBe(400);
    expect(created.body.error).toMatchObject({ code: 'PROCESS_TOO_LARGE', path: '/nodes', message: expect.stringContaining(`at most ${MAX_PROCESS_NODES}`) });
    const imported = await admin.request('POST', '/api/v1/processes/import', JSON.stringify(doc), { 'content-type': 'application/json' });
    expect(imported.status).toBe(400);
    expect(imported.body.error).toMatchObject({ code: 'PROCESS_TOO_LARGE' });
    expect((await admin.get('/api/v1/processes')).body.items.map((p: { key: string }) => p.key)).not.toContain('too-big');
    // An existing process cannot grow past the limit either.
    expect((await admin.post('/api/v1/processes', chain('grows', 3))).status).toBe(201);
    const saved = await admin.request('PUT', '/api/v1/processes/grows/draft', { ...doc, key: 'grows' });
    expect(saved.status).toBe(400);
    expect(saved.body.error).toMatchObject({ code: 'PROCESS_TOO_LARGE' });
    expect((await admin.get('/api/v1/processes/grows/draft')).body.draft.nodes).toHaveLength(3);
  });
});
