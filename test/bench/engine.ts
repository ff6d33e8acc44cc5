/**
 * Process engine throughput (`npm run bench -- engine`), measured honestly against `bpmn-engine` in
 * the same run: for each flow the two engines take turns (A B A B …, `ENGINE_BENCH_ROUNDS` pairs,
 * default 5, after one unmeasured warm-up pair), at the same concurrency (`ENGINE_BENCH_CONCURRENCY`,
 * default 16 instances in flight), each batch `ENGINE_BENCH_N / rounds` instances. Each pair's ratio
 * (ours ÷ bpmn-engine, instances/s) is printed as a comment, the median as BENCH lines.
 *
 * Ours is the product path: a process ticket is created with its ticket (`ProcessTicketService.create`,
 * ticket + article + history + start in one transaction) inside the measured time, and the job
 * worker (default pool sizes: `WORKER_CONCURRENCY`, `SCRIPT_POOL_SIZE`, `DATABASE_POOL_SIZE`) runs the
 * script jobs while the batch goes on; a batch ends when all its instances completed. bpmn-engine
 * runs the same flows in memory: its script task in Node's `vm`, its gateway condition a native
 * function call (`${environment.services.gt(environment.output.n, 5)}`, as our structured condition
 * is evaluated natively).
 *
 * CPU per instance: ours is this Node process (main thread + sandbox worker threads, from
 * `process.cpuUsage()`) plus the PostgreSQL backends of our connections (utime + stime from
 * /proc/<pid>/stat of the backends with our `application_name`; PGlite runs inside this process);
 * bpmn-engine's is this process during its batches.
 *
 * Flows: start → script → exclusive gateway → end (`script_gateway`), start → script → user task
 * (submitted by the bench) → end (`script_user`), and on PostgreSQL start → service task → end, the
 * service task calling a local HTTP stub (`service`; bpmn-engine's service function makes the same
 * HTTP call). Also: heap bytes per waiting instance (ours: the instance states as the server holds
 * them when it loads them; bpmn-engine: engines waiting at the user task), sandboxed script latency
 * p50/p95, and the monitoring queries with BENCH_INSTANCES (default 1,000,000) finished instances
 * seeded (`_engine-stats.ts`; BENCH_INSTANCES=0 skips it).
 *
 * ENGINE_BENCH_N (default 1000 on PostgreSQL, 300 on PGlite), ENGINE_BENCH_N_PGLITE (PGlite only).
 */
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
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
import { insertActiveProcess } from '../support/process-rows';
import { benchMonitoringQueries } from './_engine-stats';
import { BENCH_DATABASE_URL, postgresReachable, print } from './_server';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const CONCURRENCY = Number(process.env.ENGINE_BENCH_CONCURRENCY ?? 16);
const ROUNDS = Number(process.env.ENGINE_BENCH_ROUNDS ?? 5);
const TICK_MS = 1000 / 100; // USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s
const APP = `bench_engine_${process.pid}`;

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

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** CPU seconds (user + system) of processes by pid, from /proc/<pid>/stat. */
function procCpu(pids: number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(pid, ((Number(f[11]) + Number(f[12])) * TICK_MS) / 1000);
    } catch {
      // the backend ended (or /proc is not ours to read): not counted
    }
  }
  return out;
}

interface Target {
  name: 'pg' | 'pglite';
  database: Database;
  url?: string;
  /** CPU seconds of our PostgreSQL backends so far (0 on PGlite: it runs in this process). */
  backendCpu(): Promise<Map<number, number>>;
  cleanup(): Promise<void>;
}

async function pgTarget(): Promise<Target> {
  const schema = `bench_engine_${process.pid}`;
  const admin = new pg.Client({ connectionString: BENCH_DATABASE_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const u = new URL(BENCH_DATABASE_URL);
  u.searchParams.set('application_name', APP);
  const url = u.toString();
  const database = await openDatabase({ url, schema, poolSize: loadConfig({}).databasePoolSize });
  return {
    name: 'pg',
    database,
    url,
    backendCpu: async () => {
      const r = await admin.query<{ pid: number }>('select pid from pg_stat_activity where application_name = $1', [APP]);
      return procCpu(r.rows.map((x) => x.pid));
    },
    cleanup: async () => {
      await database.close();
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    },
  };
}

async function pgliteTarget(): Promise<Target> {
  const database = await openDatabase({});
  return { name: 'pglite', database, backendCpu: async () => new Map(), cleanup: () => database.close() };
}

/** One measured batch: instances/s and CPU seconds per instance (this process, and our PostgreSQL backends). */
interface Batch {
  rate: number;
  nodeCpu: number;
  pgCpu: number;
}

async function measure(n: number, run: () => Promise<void>, backendCpu: () => Promise<Map<number, number>>): Promise<Batch> {
  const pg0 = await backendCpu();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await run();
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const pg1 = await backendCpu();
  let pgCpu = 0;
  for (const [pid, s] of pg1) pgCpu += s - (pg0.get(pid) ?? 0);
  return { rate: n / wall, nodeCpu: (cpu.user + cpu.system) / 1e6 / n, pgCpu: pgCpu / n };
}

/** A flow run on both engines: `ours(ids)` / `peer(count)` run one batch to its end. */
interface Flow {
  name: string;
  ours(batch: number): Promise<void>;
  peer(batch: number): Promise<void>;
}

/** A B A B … for one flow: prints each pair as a comment and the medians as BENCH lines. */
async function interleave(target: Target, flow: Flow, n: number): Promise<void> {
  const batch = Math.max(1, Math.floor(n / ROUNDS));
  const none = async () => new Map<number, number>();
  await flow.ours(Math.min(batch, 20));
  await flow.peer(Math.min(batch, 20));
  const pairs: Array<{ ours: Batch; peer: Batch }> = [];
  for (let r = 0; r < ROUNDS; r++) {
    const ours = await measure(batch, () => flow.ours(batch), target.backendCpu);
    const peer = await measure(batch, () => flow.peer(batch), none);
    pairs.push({ ours, peer });
    console.log(`# ${target.name} ${flow.name} pair ${r + 1}: ours ${ours.rate.toFixed(1)}/s (${((ours.nodeCpu + ours.pgCpu) * 1000).toFixed(1)} ms CPU), bpmn-engine ${peer.rate.toFixed(1)}/s (${(peer.nodeCpu * 1000).toFixed(1)} ms CPU), ratio ${(ours.rate / peer.rate).toFixed(2)}`);
  }
  const p = `engine.${target.name}.${flow.name}`;
  print(p, median(pairs.map((x) => x.ours.rate)), 'instances/s');
  print(`engine.bpmn_engine.${target.name}_run.${flow.name}`, median(pairs.map((x) => x.peer.rate)), 'instances/s');
  print(`${p}.vs_bpmn_engine`, median(pairs.map((x) => x.ours.rate / x.peer.rate)), 'ratio');
  print(`${p}.cpu_per_instance`, median(pairs.map((x) => (x.ours.nodeCpu + x.ours.pgCpu) * 1000)), 'ms');
  if (target.name === 'pg') {
    print(`${p}.cpu_per_instance.node`, median(pairs.map((x) => x.ours.nodeCpu * 1000)), 'ms');
    print(`${p}.cpu_per_instance.postgres`, median(pairs.map((x) => x.ours.pgCpu * 1000)), 'ms');
  }
  print(`engine.bpmn_engine.${target.name}_run.${flow.name}.cpu_per_instance`, median(pairs.map((x) => x.peer.nodeCpu * 1000)), 'ms');
  print(`${p}.cpu_vs_bpmn_engine`, median(pairs.map((x) => (x.ours.nodeCpu + x.ours.pgCpu) / x.peer.nodeCpu)), 'ratio');
}

async function benchTarget(target: Target, n: number): Promise<void> {
  const { database } = target;
  await migrateToLatest(database.db);
  const services = createServices(database, { ...loadConfig({}), databaseUrl: target.url }, pino({ level: 'warn' }));
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
  const svc = new ProcessTicketService(services);
  const worker = startWorker(services, {});
  let seq = 0;

  /** Creates `count` process tickets of `key` (CONCURRENCY at once) and resolves to their ticket ids. */
  const createAll = async (key: string, count: number) => {
    const ids: number[] = [];
    await pooled(Array.from({ length: count }, () => ++seq), CONCURRENCY, async (i) => {
      ids.push((await svc.create(access, { process: key, ticket: { title: `Bench ${i}`, queue: 'Raw', article: { body: 'bench' } } })).ticketId);
    });
    return ids;
  };
  /** Polls until every instance of these tickets has `status` (the worker runs their jobs meanwhile). */
  const until = async (ids: number[], test: (db: typeof database.db) => Promise<number>) => {
    for (;;) {
      if ((await test(database.db)) === ids.length) return;
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const completed = (ids: number[]) => until(ids, async (db) =>
    Number((await db.selectFrom('process_instances').select((eb) => eb.fn.countAll().as('n')).where('ticket_id', 'in', ids).where('status', '=', 'completed').executeTakeFirstOrThrow()).n));
  const waitingAtTask = (ids: number[]) => until(ids, async (db) =>
    Number((await db.selectFrom('process_user_tasks').select((eb) => eb.fn.countAll().as('n')).where('ticket_id', 'in', ids).executeTakeFirstOrThrow()).n));

  const flows: Flow[] = [
    {
      name: 'script_gateway',
      ours: async (count) => completed(await createAll(scriptGateway.key, count)),
      peer: (count) => pooled(Array.from({ length: count }, (_, i) => i), CONCURRENCY, () => bpmnRun(BPMN_GATEWAY, false, { gt: (a: number, b: number) => a > b })),
    },
    {
      name: 'script_user',
      ours: async (count) => {
        const ids = await createAll(scriptUser.key, count);
        await waitingAtTask(ids);
        await pooled(ids, CONCURRENCY, (id) => svc.submit(access, id, 'approve', { fields: {} }));
        await completed(ids);
      },
      peer: (count) => pooled(Array.from({ length: count }, (_, i) => i), CONCURRENCY, () => bpmnRun(BPMN_USER, true)),
    },
  ];
  if (target.name === 'pg') {
    flows.push({
      name: 'service',
      ours: async (count) => {
        const before = stub.calls();
        await completed(await createAll(serviceFlow.key, count));
        if (stub.calls() - before !== count) throw new Error('not every service instance called the stub once');
      },
      peer: async (count) => {
        const before = stub.calls();
        await pooled(Array.from({ length: count }, (_, i) => i), CONCURRENCY, () => bpmnRun(BPMN_SERVICE, false, bpmnServices()));
        if (stub.calls() - before !== count) throw new Error('bpmn-engine did not call the stub once per instance');
      },
    });
  }
  for (const flow of flows) await interleave(target, flow, n);

  // Heap per waiting instance: the parsed states of instances waiting at the user task.
  const waitingIds = await createAll(scriptUser.key, Math.min(n, 500));
  await waitingAtTask(waitingIds);
  const waiting = await database.db.selectFrom('process_instances').select('state').where('ticket_id', 'in', waitingIds).execute();
  const json = waiting.map((r) => JSON.stringify(r.state));
  gc();
  const before = process.memoryUsage().heapUsed;
  const held = json.map((s) => parseState(s));
  gc();
  print(`engine.${target.name}.heap_per_waiting_instance`, (process.memoryUsage().heapUsed - before) / held.length, 'bytes');

  await worker.stop();
  await closeEngine(services);
}

const BPMN_GATEWAY = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="d1" targetNamespace="bench">
  <process id="gw" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="t1" sourceRef="start" targetRef="work" />
    <scriptTask id="work" scriptFormat="javascript"><script>this.environment.output.n = (this.environment.variables.n || 0) + 1; next();</script></scriptTask>
    <sequenceFlow id="t2" sourceRef="work" targetRef="decide" />
    <exclusiveGateway id="decide" default="low" />
    <sequenceFlow id="high" sourceRef="decide" targetRef="highEnd"><conditionExpression xsi:type="tFormalExpression">\${environment.services.gt(environment.output.n, 5)}</conditionExpression></sequenceFlow>
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

/** bpmn-engine's heap per waiting instance: engines left waiting at the user task. */
async function bpmnHeapPerWaiting(count: number): Promise<number> {
  gc();
  const before = process.memoryUsage().heapUsed;
  const held: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const engine = new BpmnEngine({ name: `wait${i}`, moddleContext: (await moddleOf(BPMN_USER)) as never });
    held.push(await engine.execute());
  }
  gc();
  return (process.memoryUsage().heapUsed - before) / held.length;
}

const stub = await startStub();
const pgOk = await postgresReachable();
const nPg = Number(process.env.ENGINE_BENCH_N ?? 1000);
const nLite = Number(process.env.ENGINE_BENCH_N_PGLITE ?? process.env.ENGINE_BENCH_N ?? 300);

print('engine.bpmn_engine.heap_per_waiting_instance', await bpmnHeapPerWaiting(500), 'bytes');
for (const make of pgOk ? [pgTarget, pgliteTarget] : [pgliteTarget]) {
  const target = await make();
  try {
    await benchTarget(target, target.name === 'pg' ? nPg : nLite);
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
