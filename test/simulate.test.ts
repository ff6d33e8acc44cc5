/**
 * Test mode through the REST API: `POST /api/v1/processes/{key}/simulate` runs the shipped processes'
 * saved scenarios and inline ones against the draft or a version, with scripts in the sandbox pool,
 * canned service answers, a simulated clock for timers, and reports the path (with why), the actions
 * that would apply, the final ticket, incidents and the expectations. It provably writes nothing:
 * every table of the schema has the same rows before and after. Runs on PGlite, and on PostgreSQL
 * when TEST_DATABASE_URL is set.
 */
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Process, Scenario } from '../engine/model/types';
import { PROJECT_ROOT } from '../server/config';
import { closeEngine } from '../server/engine/engine';
import { installShippedProcesses } from '../server/processes/shipped';
import { databaseKinds } from './support/db';
import { createAgent } from './support/fixtures';
import { ADMIN_PASSWORD, Client, startTestServer, type TestServer } from './support/server';

/** A draft with a service task whose failures a boundary error catches, a timer, and a failing script. */
const orders: Process = {
  format: 'process/1',
  key: 'order-check',
  name: 'Order check',
  start: { interfaces: ['agent'] },
  nodes: [
    { id: 'start', type: 'startEvent' },
    { id: 'lookup', type: 'serviceTask', name: 'Look up the order', service: { webservice: 'shop', operation: 'getOrder' }, params: { order: '{{ticket.dynamicFields.OrderNo}}' }, errorMapping: [{ when: '404', code: 'NO_ORDER' }] },
    { id: 'noOrder', type: 'boundaryError', attachedTo: 'lookup', errorCode: 'NO_ORDER' },
    { id: 'cooldown', type: 'intermediateTimer', name: 'Wait a day', duration: 'P1D' },
    { id: 'total', type: 'scriptTask', name: 'Check the total', script: { source: 'export default ({ vars }) => { if (vars.total < 0) throw new Error("negative total"); return { vars: { checked: true } }; }' } },
    { id: 'big', type: 'exclusiveGateway', default: 'toSmall' },
    { id: 'large', type: 'endEvent' },
    { id: 'small', type: 'endEvent' },
    { id: 'missing', type: 'endEvent' },
  ],
  transitions: [
    { id: 'toLookup', from: 'start', to: 'lookup' },
    { id: 'toCooldown', from: 'lookup', to: 'cooldown' },
    { id: 'toTotal', from: 'cooldown', to: 'total' },
    { id: 'toBig', from: 'total', to: 'big' },
    { id: 'toLarge', from: 'big', to: 'large', order: 1, condition: { all: [{ field: 'DynamicField_OrderTotal', op: 'gt', value: 1000 }] }, actions: [{ type: 'TicketQueueSet', queue: 'Sales::Large orders' }, { type: 'TicketPrioritySet', priority: '4 high' }] },
    { id: 'toSmall', from: 'big', to: 'small', order: 2 },
    { id: 'toMissing', from: 'noOrder', to: 'missing', actions: [{ type: 'TicketStateSet', state: 'closed unsuccessful' }] },
  ],
};

const order = (total: number): Scenario => ({
  name: `total ${total}`,
  ticket: { title: 'Order question', queue: 'Misc', dynamicFields: { OrderNo: 'A-17' } },
  clock: { start: '2026-05-04T10:00:00Z' },
  services: { 'shop/getOrder': { result: { vars: { total }, dynamicFields: { OrderTotal: total } } } },
});

const SHIPPED = fs.readdirSync(path.join(PROJECT_ROOT, 'processes')).filter((f) => f.endsWith('.json')).sort();
const KEYS = SHIPPED.map((f) => f.replace(/\.json$/, ''));

describe.each(databaseKinds)('simulation on %s', (kind) => {
  let srv: TestServer;
  let admin: Client;
  let agent: Client;
  let installed: string[] = [];

  beforeAll(async () => {
    srv = await startTestServer(kind);
    installed = await installShippedProcesses(srv.services, pino({ level: 'silent' }));
    admin = new Client(srv.url);
    await admin.login('admin', ADMIN_PASSWORD);
    // A shipped process this installation cannot deploy (yet) is still simulated, as a draft.
    for (const file of SHIPPED) {
      const doc = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'processes', file), 'utf8')) as Process;
      if (!installed.includes(doc.key)) expect((await admin.post('/api/v1/processes', doc)).status).toBe(201);
    }
    await createAgent(srv.database.db, 'plain', 'plain-pw', { groups: { users: ['rw'] } });
    agent = new Client(srv.url);
    await agent.login('plain', 'plain-pw');
    expect((await admin.post('/api/v1/processes', orders)).status).toBe(201);
  });
  afterAll(async () => {
    if (srv) await closeEngine(srv.services);
    await srv?.close();
  });

  const simulate = (key: string, body: Record<string, unknown>) => admin.post(`/api/v1/processes/${key}/simulate`, body);

  /** Rows of every table of the schema: count and a digest of their content (sessions: count only, a request touches its session). */
  async function tableState(): Promise<Record<string, string>> {
    const db = srv.database.db;
    const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db);
    expect(tables.rows.length).toBeGreaterThan(20);
    const out: Record<string, string> = {};
    for (const { table_name: t } of tables.rows) {
      const r = t === 'sessions'
        ? await sql<{ n: string; d: string | null }>`select count(*)::text as n, '' as d from ${sql.table(t)}`.execute(db)
        : await sql<{ n: string; d: string | null }>`select count(*)::text as n, md5(string_agg(md5(x::text), ',' order by md5(x::text))) as d from ${sql.table(t)} as x`.execute(db);
      out[t] = `${r.rows[0]!.n} ${r.rows[0]!.d ?? ''}`;
    }
    return out;
  }

  it('passes every saved scenario of every shipped process, on the draft and on the deployed version', async () => {
    expect(KEYS).toEqual(['customer-onboarding', 'it-incident', 'leave-request']);
    for (const key of KEYS) {
      for (const version of installed.includes(key) ? [undefined, 1] : [undefined]) {
        const r = await simulate(key, { all: true, ...(version ? { version } : {}) });
        expect(r.status).toBe(200);
        expect(r.body.version).toBe(version ?? 'draft');
        expect(r.body.reports.length).toBeGreaterThan(0);
        const failures = r.body.reports.filter((x: { passed: boolean }) => !x.passed).map((x: { scenario: string; problems: unknown; expectations: unknown[] }) => ({ scenario: x.scenario, problems: x.problems, failed: x.expectations.filter((e) => !(e as { ok: boolean }).ok) }));
        expect(failures).toEqual([]);
        expect(r.body.passed).toBe(true);
      }
    }
  });

  it('reports the path with why each condition matched, the actions that would apply and the final ticket', async () => {
    const r = await simulate('leave-request', { scenarioName: 'approved' });
    expect(r.status).toBe(200);
    const [report] = r.body.reports;
    expect(report).toMatchObject({ scenario: 'approved', status: 'completed', passed: true, process: { key: 'leave-request' } });
    expect(report.path.find((e: { transition?: string }) => e.transition === 'toApproved')).toMatchObject({ event: 'leave', node: 'decided', why: 'DynamicField_LeaveApproved eq "yes"' });
    // the script ran from the library in the sandbox
    expect(report.calls).toEqual([expect.objectContaining({ kind: 'script', target: 'count-leave-days', outcome: 'result', canned: false })]);
    expect(report.actions.flatMap((a: { actions: Array<{ type: string }> }) => a.actions.map((x) => x.type))).toEqual(['DynamicFieldSet', 'TicketStateSet', 'SendEmail']);
    expect(report.actions[1].actions[1]).toMatchObject({ type: 'SendEmail', to: 'robin@example.com' });
    expect(report.ticket).toMatchObject({ state: 'closed successful', dynamicFields: { LeaveDays: '5', LeaveApproved: 'yes' } });
    expect(report.vars).toEqual({ days: 5 });
  });

  it('fires timers on the simulated clock and takes the conditional path by the canned service answer', async () => {
    const r = await simulate('order-check', { scenario: { ...order(1500), expect: { endNode: 'large', ticket: { Queue: 'Sales::Large orders', Priority: '4 high' } } } });
    expect(r.status).toBe(200);
    expect(r.body.version).toBe('draft');
    const [report] = r.body.reports;
    expect(report).toMatchObject({ status: 'completed', passed: true, clock: { start: '2026-05-04T10:00:00.000Z', end: '2026-05-05T10:00:00.000Z' } });
    expect(report.path.find((e: { node?: string; event: string }) => e.node === 'toLarge' || (e.event === 'leave' && e.node === 'big'))).toMatchObject({ transition: 'toLarge', why: expect.stringContaining('DynamicField_OrderTotal') });
    expect(report.calls.find((c: { kind: string }) => c.kind === 'service')).toMatchObject({ node: 'lookup', target: 'shop/getOrder', params: { order: 'A-17' }, canned: true });
    // the timer has not fired yet when the clock may only move an hour
    const early = await simulate('order-check', { scenario: { ...order(10), clock: { start: '2026-05-04T10:00:00Z', advance: 'PT1H' } } });
    expect(early.body.reports[0]).toMatchObject({ status: 'waiting', waitingAt: [{ node: 'cooldown', wait: 'timer' }], timers: [{ node: 'cooldown', dueAt: '2026-05-05T10:00:00.000Z' }] });
  });

  it('lets a boundary error catch a canned service error', async () => {
    const scenario = { ...order(0), services: { 'shop/getOrder': { error: { status: 404, message: 'no such order' } } }, expect: { endNode: 'missing', notPath: ['cooldown'], ticket: { State: 'closed unsuccessful' } } };
    const r = await simulate('order-check', { scenario });
    const [report] = r.body.reports;
    expect(report).toMatchObject({ status: 'completed', passed: true });
    expect(report.calls[0]).toMatchObject({ kind: 'service', outcome: 'error', message: 'no such order' });
    expect(report.path.map((e: { node?: string }) => e.node)).toContain('noOrder');
  });

  it('reports an incident', async () => {
    const r = await simulate('order-check', { scenario: { ...order(-5), expect: { status: 'incident', incident: { code: 'SCRIPT_ERROR', node: 'total' } } } });
    const [report] = r.body.reports;
    expect(report).toMatchObject({ status: 'incident', passed: true });
    expect(report.incidents).toEqual([expect.objectContaining({ node: 'total', code: 'SCRIPT_ERROR', message: expect.stringContaining('negative total'), resolved: false })]);
  });

  it('answers a failed expectation with passed: false and what happened instead', async () => {
    const r = await simulate('order-check', { scenario: { ...order(10), expect: { endNode: 'large' } } });
    expect(r.status).toBe(200);
    expect(r.body.passed).toBe(false);
    expect(r.body.reports[0].expectations).toEqual([{ what: 'endNode', ok: false, expected: 'large', actual: 'small' }]);
  });

  it('refuses bad scenarios with 400 naming the path, and is for admins only', async () => {
    const noNode = await simulate('order-check', { scenario: { name: 'x', dialogs: [{ fields: {} }] } });
    expect(noNode.status).toBe(400);
    expect(noNode.body.error).toMatchObject({ code: 'VALIDATION_FAILED', path: '/scenario/dialogs/0/node' });
    const badAnswer = await simulate('order-check', { scenario: { name: 'x', services: { 'shop/getOrder': { result: { vars: {} }, error: {} } } } });
    expect(badAnswer.status).toBe(400);
    expect(badAnswer.body.error.path).toMatch(/^\/scenario\/services\/shop~1getOrder/);
    const wrongNode = await simulate('order-check', { scenario: { name: 'x', dialogs: [{ node: 'lookup' }] } });
    expect(wrongNode.status).toBe(400);
    expect(wrongNode.body.error).toMatchObject({ code: 'SCENARIO_INVALID', path: '/scenario/dialogs/0/node' });
    const unknown = await simulate('leave-request', { scenarioName: 'nope' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'UNKNOWN_SCENARIO', path: '/scenarioName' });
    expect((await simulate('order-check', {})).body.error).toMatchObject({ code: 'NO_TESTS', path: '/scenario' });
    expect((await simulate('order-check', { scenario: order(1), all: true })).status).toBe(400);
    expect((await simulate('no-such-process', { all: true })).status).toBe(404);
    expect((await simulate('order-check', { version: 3, scenario: order(1) })).status).toBe(404);
    expect((await agent.post('/api/v1/processes/leave-request/simulate', { all: true })).status).toBe(403);
  });

  it('touches no table: every row of every table is the same before and after simulations', async () => {
    const before = await tableState();
    expect(Number(before.processes!.split(' ')[0])).toBe(KEYS.length + 1);
    for (const key of KEYS) expect((await simulate(key, { all: true })).body.passed).toBe(true);
    await simulate('order-check', { scenario: order(2000) });
    await simulate('order-check', { scenario: order(-1) });
    await simulate('order-check', { scenario: { ...order(0), services: { 'shop/getOrder': { error: { status: 404 } } } } });
    await simulate('order-check', { scenario: { name: 'x', dialogs: [{ fields: {} }] } });
    expect(await tableState()).toEqual(before);
  });
});
