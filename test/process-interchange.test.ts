/**
 * Interchange a team can trust (issue 19), through the import API: a file whose key is taken is
 * never folded silently into an unrelated process (the dry run says so and offers a free key; an
 * explicit choice is needed), every conversion that changes behaviour is reported per element, and
 * the missing-references message says how many more there are. PGlite always, PostgreSQL when
 * TEST_DATABASE_URL is set.
 */
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copy, minimalProcess } from '../engine/model/fixtures';
import { PROJECT_ROOT } from '../server/config';
import { installShippedProcesses } from '../server/processes/shipped';
import { databaseKinds } from './support/db';
import { ADMIN_PASSWORD, Client, startTestServer, type TestServer } from './support/server';

const FIXTURES = path.join(PROJECT_ROOT, 'test/fixtures/interchange');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

describe.each(databaseKinds)('process interchange on %s', (kind) => {
  let srv: TestServer;
  let admin: Client;
  beforeAll(async () => {
    srv = await startTestServer(kind);
    admin = new Client(srv.url);
    await admin.login('admin', ADMIN_PASSWORD);
  });
  afterAll(() => srv?.close());

  const post = (body: string, query = '', type = 'application/xml') => admin.request('POST', `/api/v1/processes/import${query}`, body, { 'content-type': type });

  it('does not turn an unrelated diagram with the same key into a new version: the dry run names the conflict and a free key (item 1)', async () => {
    const first = await post(fixture('bpmnjs-default-a.bpmn'), '?deploy=true');
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ key: 'process-1', outcome: 'create', version: 1 });

    const dry = await post(fixture('bpmnjs-default-b.bpmn'), '?dryRun=true');
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ outcome: 'key-conflict', existing: { key: 'process-1', latestVersion: 1 }, suggestedKey: 'process-1-2', stored: false });
    expect(dry.body.reasons.join(' ')).toContain('a process with the key "process-1" already exists');

    // Without a choice nothing is written.
    const refused = await post(fixture('bpmnjs-default-b.bpmn'), '?deploy=true');
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'KEY_CONFLICT', details: { suggestedKey: 'process-1-2' } });
    expect((await admin.get('/api/v1/processes/process-1/versions')).body.items).toHaveLength(1);

    // Another key: the offered one, or one of the admin's choosing.
    const renamed = await post(fixture('bpmnjs-default-b.bpmn'), '?onConflict=new-key&deploy=true');
    expect(renamed.status).toBe(201);
    expect(renamed.body).toMatchObject({ key: 'process-1-2', outcome: 'create', version: 1 });
    const chosen = await post(fixture('bpmnjs-default-b.bpmn'), '?key=complaints&dryRun=true');
    expect(chosen.body).toMatchObject({ key: 'complaints', outcome: 'create' });

    // Or, explicitly, a new version of the existing process.
    const dryVersion = await post(fixture('bpmnjs-default-a.bpmn'), '?onConflict=new-version&dryRun=true');
    expect(dryVersion.body).toMatchObject({ outcome: 'new-version', existing: { key: 'process-1', latestVersion: 1 } });
    const v2 = await post(fixture('bpmnjs-default-a.bpmn'), '?onConflict=new-version&deploy=true');
    expect(v2.status).toBe(201);
    expect(v2.body).toMatchObject({ key: 'process-1', version: 2 });

    expect((await post(fixture('bpmnjs-default-a.bpmn'), '?key=Not%20A%20Slug&dryRun=true')).status).toBe(400);
  });

  it('reports every conversion that changes behaviour, per element (item 4)', async () => {
    const r = await post(fixture('behaviour-changes.bpmn'), '?dryRun=true');
    expect(r.status).toBe(200);
    const changed: Record<string, string> = {};
    for (const c of r.body.changed as Array<{ id: string; reason: string }>) changed[c.id] = `${changed[c.id] ?? ''} ${c.reason}`;
    expect(changed.Nightly).toMatch(/timer start event; it became a plain start/);
    expect(changed.toSpecial).toMatch(/condition is empty/);
    expect(changed.Check).toMatch(/default flow "otherwise" is tried last/);
    expect(changed.Check).toMatch(/camunda:FormData|camunda:formData/i);
    expect(changed.Review).toMatch(/multi-instance \(sequential\).*runs once/);
    // The default flow keeps its meaning: it is tried after the other way out of the task.
    const doc = await post(fixture('behaviour-changes.bpmn'), '?dryRun=true&key=change-tour');
    expect(doc.body.outcome).toBe('create');
  });

  it('exports a canonical file byte for byte as it was imported, whatever order the database keeps keys in (item 6)', async () => {
    // The shipped processes go in through the import, with the scripts and services they call.
    const keys = await installShippedProcesses(srv.services, pino({ level: 'silent' }));
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      const text = fs.readFileSync(path.join(PROJECT_ROOT, 'processes', `${key}.json`), 'utf8');
      const exported = await fetch(`${srv.url}/api/v1/processes/${key}/export?format=json&version=draft`, { headers: { cookie: admin.cookie! } });
      expect(await exported.text(), key).toBe(text);
    }
  });

  it('refuses to deploy an expression that does not parse, and warns about another engine\'s API (item 5)', async () => {
    const doc = copy(minimalProcess());
    doc.key = 'juel-condition';
    doc.transitions[0]!.condition = { expression: '${variables.takeJoin1}' };
    const res = await post(JSON.stringify(doc), '?deploy=true', 'application/json');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('PROCESS_INVALID');
    const codes = (res.body.error.details.problems as Array<{ code: string; severity: string }>).map((p) => `${p.severity} ${p.code}`);
    expect(codes).toEqual(expect.arrayContaining(['error EXPRESSION_SYNTAX', 'warning FOREIGN_ENGINE_API']));
    const validated = await admin.post('/api/v1/processes/validate', doc);
    expect(validated.body.valid).toBe(false);
  });

  it('says how many missing references it did not list (item 7)', async () => {
    const doc = copy(minimalProcess());
    doc.key = 'many-missing';
    const task = doc.nodes[1] as { dialog: { fields: unknown[] } };
    for (let i = 1; i <= 8; i++) task.dialog.fields.push({ field: `DynamicField_Missing${i}`, display: 'shown' });
    const res = await post(JSON.stringify(doc), '', 'application/json');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('MISSING_REFERENCES');
    expect(res.body.error.message).toContain('; and 3 more');
    const dry = await post(JSON.stringify(doc), '?dryRun=true', 'application/json');
    expect(dry.body).toMatchObject({ outcome: 'refused' });
    expect(dry.body.reasons[0]).toContain('and 3 more');
  });

  it('imports every process of a file, the called one first, and resolves the call to its key (item 2)', async () => {
    const file = fixture('call-within-file.bpmn');
    const dry = await post(file, '?dryRun=true&createMissing=true');
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body).toMatchObject({ key: 'order-intake-multi', outcome: 'create', reasons: [], stored: false });
    expect(dry.body.processes.map((p: { key: string; outcome: string }) => [p.key, p.outcome])).toEqual([
      ['credit-check-multi', 'create'],
      ['order-intake-multi', 'create'],
    ]);
    expect(dry.body.references.missing).toEqual([]);
    expect((await admin.get('/api/v1/processes/credit-check-multi/draft')).status).toBe(404);

    const done = await post(file, '?createMissing=true&deploy=true');
    expect(done.status, JSON.stringify(done.body)).toBe(201);
    expect(done.body.processes.map((p: { key: string; version: number }) => [p.key, p.version])).toEqual([
      ['credit-check-multi', 1],
      ['order-intake-multi', 1],
    ]);
    const main = (await admin.get('/api/v1/processes/order-intake-multi/versions/1')).body;
    const call = (main.definition ?? main).nodes.find((n: { id: string }) => n.id === 'CheckCredit');
    expect(call).toMatchObject({ type: 'callActivity', process: 'credit-check-multi' });

    // Again: both keys are taken, each process says so, and without a choice nothing is written.
    const again = await post(file, '?dryRun=true');
    expect(again.body.outcome).toBe('key-conflict');
    expect(again.body.processes.map((p: { outcome: string; suggestedKey: string }) => [p.outcome, p.suggestedKey])).toEqual([
      ['key-conflict', 'credit-check-multi-2'],
      ['key-conflict', 'order-intake-multi-2'],
    ]);
    expect((await post(file, '?deploy=true')).status).toBe(409);
    // Under the offered keys, the call follows the called process to its new key.
    const renamed = await post(file, '?onConflict=new-key&deploy=true');
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(201);
    expect(renamed.body.processes.map((p: { key: string }) => p.key)).toEqual(['credit-check-multi-2', 'order-intake-multi-2']);
    const copy2 = (await admin.get('/api/v1/processes/order-intake-multi-2/versions/1')).body;
    expect((copy2.definition ?? copy2).nodes.find((n: { id: string }) => n.id === 'CheckCredit').process).toBe('credit-check-multi-2');
    expect((await admin.get('/api/v1/processes/order-intake-multi/versions')).body.items).toHaveLength(1);
  });

  it('writes nothing when one process of a file is refused (item 2)', async () => {
    // The called process cannot be deployed (a condition that does not parse): neither is stored.
    const file = fixture('call-within-file.bpmn')
      .replaceAll('multi)', 'broken)')
      .replace('<bpmn:sequenceFlow id="c2" sourceRef="Assess" targetRef="CEnd" />', '<bpmn:sequenceFlow id="c2" sourceRef="Assess" targetRef="CEnd"><bpmn:conditionExpression>this is not code(</bpmn:conditionExpression></bpmn:sequenceFlow>');
    const dry = await post(file, '?dryRun=true&deploy=true');
    expect(dry.body.outcome).toBe('refused');
    expect(dry.body.processes.map((p: { key: string; outcome: string }) => [p.key, p.outcome])).toEqual([
      ['credit-check-broken', 'refused'],
      ['order-intake-broken', 'create'],
    ]);
    expect(dry.body.reasons.join(' ')).toContain('credit-check-broken');
    const r = await post(file, '?deploy=true');
    expect(r.status).toBe(400);
    expect((await admin.get('/api/v1/processes/order-intake-broken/draft')).status).toBe(404);
    expect((await admin.get('/api/v1/processes/credit-check-broken/draft')).status).toBe(404);
  });
});
