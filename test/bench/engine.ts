/**
 * Process engine throughput (`npm run bench -- engine`): instances per second for
 * start → script → exclusive gateway → end and for start → script → user task (submitted by the
 * bench) → end, on PostgreSQL (a fresh schema at BENCH_DATABASE_URL / TEST_DATABASE_URL, skipped when
 * unreachable) and on PGlite (in memory), and the same flows on `bpmn-engine` in memory, with the
 * ratios; heap bytes per waiting instance (ours: the instance states of waiting instances as the
 * server holds them when it loads them; bpmn-engine: engines waiting at the user task, BPMN parsed
 * once and shared, as for the throughput runs); sandboxed
 * script latency p50/p95. Each instance runs on its own ticket (created before the clock starts);
 * every step is one transaction with history, as in production.
 *
 * On PostgreSQL also start → service task → end, the service task calling a local HTTP stub
 * (node:http on 127.0.0.1, allow-listed outbound service) through service jobs, beside the same flow
 * on bpmn-engine (a serviceTask whose service function makes the same HTTP call); and the latency of
 * the monitoring queries (process stats, incident list) with BENCH_INSTANCES (default 1,000,000)
 * finished instances seeded (`_engine-stats.ts`; BENCH_INSTANCES=0 skips it).
 *
 *   BENCH engine.pg.script_gateway 512 instances/s
 *   BENCH engine.pg.script_gateway.vs_bpmn_engine 3.4 ratio
 *   BENCH engine.pg.service 300 instances/s
 *   BENCH engine.pg.stats_query.p50 12 ms
 *
 * ENGINE_BENCH_N (default 1000 on PostgreSQL, 300 on PGlite), ENGINE_BENCH_CONCURRENCY (default 16).
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Engine as BpmnEngine } from 'bpmn-engine';
import { BpmnModdle } from 'bpmn-moddle';
import pg from 'pg';
import pino from 'pino';
import type { Process } from '../../engine/model/types';
import { measureScriptLatency } from '../../engine/sandbox/index';
import { operatorAccess } from '../../server/access/operator';
import { ensureAdmin } from '../../server/auth/service';
import { loadConfig } from '../../server/config';
import { migrateToLatest, openDatabase, type Database } from '../../server/db/index';
import { closeEngine, engineFor } from '../../server/engine/engine';
import { ProcessTicketService } from '../../server/engine/service';
import { OutboundService } from '../../server/outbound/service';
import { parseState } from '../../server/engine/view';
import { startWorker } from '../../server/engine/worker';
import { createServices } from '../../server/services';
import { TicketService } from '../../server/tickets/service';
import { insertActiveProcess } from '../support/process-rows';
import { benchMonitoringQueries } from './_engine-stats';
import { BENCH_DATABASE_URL, postgresReachable, print } from './_server';

process.env.SCRIPT_POOL_SIZE ??= '4';
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const CONCURRENCY = Number(process.env.ENGINE_BENCH_CONCURRENCY ?? 16);
const SCRIPT = 'export default ({ vars }) => ({ vars: { n: (vars.n ?? 0) + 1 } })';

const scriptGateway: Process = {
  format: 'process/1', key: 'bench-gateway', name: 'Bench gateway', start: { interfaces: ['agent'] },
  nodes: [
    { id: 'start', type: 'startEvent' },
    { id: 'work', type: 'scriptTask', script: { source: SCRIPT } },
    { id: 'decide', type: 'exclusiveGateway', default: 'low' },
    { id: 'highEnd', type: 'endEvent' },
    { id: 'lowEnd', type: 'endEvent' },
  ],
  transitions: [
    { id: 't1', from: 'start', to: 'work' },
    { id: 't2', from: 'work', to: 'decide' },
    { id: 'high', from: 'decide', to: 'highEnd', condition: { all: [{ field: 'vars.n', op: 'gt', value: 5 }] } },
    { id: 'low', from: 'decide', to: 'lowEnd' },
  ],
};

const scriptUser: Process = {
  format: 'process/1', key: 'bench-user', name: 'Bench user task', start: { interfaces: ['agent'] },
  nodes: [
    { id: 'start', type: 'startEvent' },
    { id: 'work', type: 'scriptTask', script: { source: SCRIPT } },
    { id: 'approve', type: 'userTask', dialog: { interfaces: ['agent'], fields: [{ field: 'Title', display: 'shown' }] } },
    { id: 'end', type: 'endEvent' },
  ],
  transitions: [
    { id: 't1', from: 'start', to: 'work' },
    { id: 't2', from: 'work', to: 'approve' },
    { id: 't3', from: 'approve', to: 'end' },
  ],
};

const serviceFlow: Process = {
  format: 'process/1', key: 'bench-service', name: 'Bench service task', start: { interfaces: ['agent'] },
  nodes: [
    { id: 'start', type: 'startEvent' },
    { id: 'call', type: 'serviceTask', service: { webservice: 'bench-stub', operation: 'ping' }, params: { n: '{{ticket.title}}' } },
    { id: 'end', type: 'endEvent' },
  ],
  transitions: [
    { id: 't1', from: 'start', to: 'call' },
    { id: 't2', from: 'call', to: 'end' },
  ],
};

/** The remote system of the service flows: answers every request with a small JSON body. */
async function startStub(): Promise<{ url: string; calls: () => number; close: () => Promise<void> }> {
  let calls = 0;
  const server = http.createServer((req, res) => {
    calls++;
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, tier: 'gold' }));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls: () => calls,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

/** Runs `fn` over `items` with at most `n` at once. */
async function pooled<T>(items: T[], n: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

interface Target {
  name: 'pg' | 'pglite';
  database: Database;
  cleanup(): Promise<void>;
}

async function pgTarget(): Promise<Target> {
  const schema = `bench_engine_${process.pid}`;
  const admin = new pg.Client({ connectionString: BENCH_DATABASE_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const database = await openDatabase({ url: BENCH_DATABASE_URL, schema, poolSize: 24 });
  return {
    name: 'pg',
    database,
    cleanup: async () => {
      await database.close();
      const c = new pg.Client({ connectionString: BENCH_DATABASE_URL });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    },
  };
}

async function pgliteTarget(): Promise<Target> {
  const database = await openDatabase({});
  return { name: 'pglite', database, cleanup: () => database.close() };
}

async function benchOurs(target: Target, n: number): Promise<{ gateway: number; user: number; heapPerWaiting: number; service?: number }> {
  const { database } = target;
  await migrateToLatest(database.db);
  const services = createServices(database, { ...loadConfig({}), databaseUrl: target.name === 'pg' ? BENCH_DATABASE_URL : undefined }, pino({ level: 'warn' }));
  await ensureAdmin(database.db, 'bench-admin-pw');
  await insertActiveProcess(services.database.db, scriptGateway);
  await insertActiveProcess(services.database.db, scriptUser);
  await insertActiveProcess(services.database.db, serviceFlow);
  const access = (await operatorAccess(database.db))!;
  await new OutboundService(services).create(access, {
    name: 'bench-stub', baseUrl: `${stub.url}/api`, allowList: ['127.0.0.1'], retries: 0,
    operations: { ping: { method: 'GET', path: '/ping/{{params.n}}', response: { vars: { tier: '/tier' } } } },
  });
  const engine = engineFor(services);
  await engine.ready();
  await engine.pool().ready();
  const tickets = new TicketService(services);
  const svc = new ProcessTicketService(services);
  const conc = target.name === 'pg' ? CONCURRENCY : 1;
  const newTickets = async (count: number) => {
    const ids: number[] = [];
    await pooled(Array.from({ length: count }, (_, i) => i), conc, async (i) => {
      ids.push((await tickets.create(access, { title: `Bench ${i}`, queue: 'Raw', article: { body: 'bench' } })).id);
    });
    return ids;
  };
  const worker = startWorker(services, { loop: false, concurrency: conc });
  const drain = () => Promise.all(Array.from({ length: target.name === 'pg' ? 4 : 1 }, () => worker.drain()));
  const start = (ids: number[], key: string) =>
    pooled(ids, conc, (id) => database.db.transaction().execute((trx) => engine.runner.startInTrx(trx, id, key, { by: { kind: 'system', id: null }, actor: 'bench' })));
  const completed = async (ids: number[]) =>
    Number((await database.db.selectFrom('process_instances').select((eb) => eb.fn.countAll().as('n')).where('ticket_id', 'in', ids).where('status', '=', 'completed').executeTakeFirstOrThrow()).n);

  // warm-up
  const warm = await newTickets(20);
  await start(warm, scriptGateway.key);
  await drain();

  const a = await newTickets(n);
  let t0 = performance.now();
  await start(a, scriptGateway.key);
  await drain();
  const gateway = n / ((performance.now() - t0) / 1000);
  if ((await completed(a)) !== n) throw new Error('not every script_gateway instance completed');

  const b = await newTickets(n);
  t0 = performance.now();
  await start(b, scriptUser.key);
  await drain();
  const waiting = await database.db.selectFrom('process_instances').select('state').where('ticket_id', 'in', b).execute();
  await pooled(b, conc, (id) => svc.submit(access, id, 'approve', { fields: {} }));
  const user = n / ((performance.now() - t0) / 1000);
  if ((await completed(b)) !== n) throw new Error('not every script_user instance completed');

  // start → service task (HTTP call to the stub, as a service job) → end: PostgreSQL only.
  let service: number | undefined;
  if (target.name === 'pg') {
    const warmService = await newTickets(20);
    await start(warmService, serviceFlow.key);
    await drain();
    const c = await newTickets(n);
    const callsBefore = stub.calls();
    t0 = performance.now();
    await start(c, serviceFlow.key);
    await drain();
    service = n / ((performance.now() - t0) / 1000);
    if ((await completed(c)) !== n || stub.calls() - callsBefore !== n) throw new Error('not every service instance completed with one call');
  }

  // Heap per waiting instance: the parsed states of the instances waiting at the user task.
  const json = waiting.map((r) => JSON.stringify(r.state));
  gc();
  const before = process.memoryUsage().heapUsed;
  const held = json.map((s) => parseState(s));
  gc();
  const heapPerWaiting = (process.memoryUsage().heapUsed - before) / held.length;
  if (held.length !== n) throw new Error('lost waiting states');

  await worker.stop();
  await closeEngine(services);
  return { gateway, user, heapPerWaiting, ...(service !== undefined ? { service } : {}) };
}

const BPMN_GATEWAY = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="d1" targetNamespace="bench">
  <process id="gw" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="t1" sourceRef="start" targetRef="work" />
    <scriptTask id="work" scriptFormat="javascript"><script>this.environment.output.n = (this.environment.variables.n || 0) + 1; next();</script></scriptTask>
    <sequenceFlow id="t2" sourceRef="work" targetRef="decide" />
    <exclusiveGateway id="decide" default="low" />
    <sequenceFlow id="high" sourceRef="decide" targetRef="highEnd"><conditionExpression xsi:type="tFormalExpression" language="javascript">next(null, this.environment.output.n > 5)</conditionExpression></sequenceFlow>
    <sequenceFlow id="low" sourceRef="decide" targetRef="lowEnd" />
    <endEvent id="highEnd" />
    <endEvent id="lowEnd" />
  </process>
</definitions>`;

const BPMN_USER = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d2" targetNamespace="bench">
  <process id="ut" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="t1" sourceRef="start" targetRef="work" />
    <scriptTask id="work" scriptFormat="javascript"><script>this.environment.output.n = 1; next();</script></scriptTask>
    <sequenceFlow id="t2" sourceRef="work" targetRef="approve" />
    <userTask id="approve" />
    <sequenceFlow id="t3" sourceRef="approve" targetRef="end" />
    <endEvent id="end" />
  </process>
</definitions>`;

const BPMN_SERVICE = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d3" targetNamespace="bench">
  <process id="svc" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="t1" sourceRef="start" targetRef="call" />
    <serviceTask id="call" implementation="\${environment.services.ping}" />
    <sequenceFlow id="t2" sourceRef="call" targetRef="end" />
    <endEvent id="end" />
  </process>
</definitions>`;

/** The BPMN parsed once (as a long-running bpmn-engine user would), keyed by source. */
const parsed = new Map<string, unknown>();
async function moddleOf(source: string): Promise<unknown> {
  let m = parsed.get(source);
  if (!m) parsed.set(source, (m = await new BpmnModdle().fromXML(source)));
  return m;
}

async function bpmnRun(source: string, signal: boolean, services?: Record<string, unknown>): Promise<void> {
  const listener = new EventEmitter();
  if (signal) listener.on('wait', (api: { signal: (m?: unknown) => void }) => api.signal({}));
  const engine = new BpmnEngine({ name: 'bench', moddleContext: (await moddleOf(source)) as never, ...(services ? { services: services as never } : {}) });
  const ended = engine.waitFor('end');
  await engine.execute({ listener });
  await ended;
}

/** bpmn-engine's service function: the same HTTP GET to the stub, its JSON answer as the output. */
const bpmnServices = () => ({
  ping(_scope: unknown, next: (err: unknown, result?: unknown) => void) {
    fetch(`${stub.url}/api/ping/1`).then((r) => r.json()).then((body) => next(null, body), (err: unknown) => next(err));
  },
});

async function benchBpmnEngine(n: number): Promise<{ gateway: number; user: number; heapPerWaiting: number; service: number }> {
  for (let i = 0; i < 50; i++) await bpmnRun(BPMN_GATEWAY, false);
  let t0 = performance.now();
  await pooled(Array.from({ length: n }, (_, i) => i), CONCURRENCY, () => bpmnRun(BPMN_GATEWAY, false));
  const gateway = n / ((performance.now() - t0) / 1000);
  t0 = performance.now();
  await pooled(Array.from({ length: n }, (_, i) => i), CONCURRENCY, () => bpmnRun(BPMN_USER, true));
  const user = n / ((performance.now() - t0) / 1000);
  for (let i = 0; i < 20; i++) await bpmnRun(BPMN_SERVICE, false, bpmnServices());
  const callsBefore = stub.calls();
  t0 = performance.now();
  await pooled(Array.from({ length: n }, (_, i) => i), CONCURRENCY, () => bpmnRun(BPMN_SERVICE, false, bpmnServices()));
  const service = n / ((performance.now() - t0) / 1000);
  if (stub.calls() - callsBefore !== n) throw new Error('bpmn-engine did not call the stub once per instance');
  // Heap per waiting instance: engines left waiting at the user task.
  const count = Math.min(n, 500);
  gc();
  const before = process.memoryUsage().heapUsed;
  const held: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const engine = new BpmnEngine({ name: `wait${i}`, moddleContext: (await moddleOf(BPMN_USER)) as never });
    held.push(await engine.execute());
  }
  gc();
  const heapPerWaiting = (process.memoryUsage().heapUsed - before) / held.length;
  return { gateway, user, heapPerWaiting, service };
}

const stub = await startStub();
const pgOk = await postgresReachable();
const nPg = Number(process.env.ENGINE_BENCH_N ?? 1000);
const nLite = Number(process.env.ENGINE_BENCH_N ?? 300);

const bpmn = await benchBpmnEngine(nPg);
print('engine.bpmn_engine.script_gateway', bpmn.gateway, 'instances/s');
print('engine.bpmn_engine.script_user', bpmn.user, 'instances/s');
print('engine.bpmn_engine.heap_per_waiting_instance', bpmn.heapPerWaiting, 'bytes');
print('engine.bpmn_engine.service', bpmn.service, 'instances/s');

for (const make of pgOk ? [pgTarget, pgliteTarget] : [pgliteTarget]) {
  const target = await make();
  try {
    const r = await benchOurs(target, target.name === 'pg' ? nPg : nLite);
    print(`engine.${target.name}.script_gateway`, r.gateway, 'instances/s');
    print(`engine.${target.name}.script_gateway.vs_bpmn_engine`, r.gateway / bpmn.gateway, 'ratio');
    print(`engine.${target.name}.script_user`, r.user, 'instances/s');
    print(`engine.${target.name}.script_user.vs_bpmn_engine`, r.user / bpmn.user, 'ratio');
    print(`engine.${target.name}.heap_per_waiting_instance`, r.heapPerWaiting, 'bytes');
    if (r.service !== undefined) {
      print(`engine.${target.name}.service`, r.service, 'instances/s');
      print(`engine.${target.name}.service.vs_bpmn_engine`, r.service / bpmn.service, 'ratio');
    }
  } finally {
    await target.cleanup();
  }
}
await stub.close();
if (!pgOk) console.log(`# PostgreSQL at ${BENCH_DATABASE_URL} is not reachable: PostgreSQL figures skipped`);
const seeded = Number(process.env.BENCH_INSTANCES ?? 1_000_000);
if (pgOk && seeded > 0) await benchMonitoringQueries(seeded);

const latency = await measureScriptLatency({ runs: 1000 });
print('engine.script_p50', latency.p50Ms, 'ms');
print('engine.script_p95', latency.p95Ms, 'ms');
