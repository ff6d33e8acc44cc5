/**
 * Part of `engine.ts`: latency of the monitoring queries with a million finished instances. Seeds,
 * with set-based SQL (`insert … select generate_series`) into a fresh PostgreSQL schema, BENCH_INSTANCES
 * (default 1,000,000) finished process instances of one version over 90 days (one ticket each; 1 in
 * 50 cancelled), the roll-up rows the statistics observer and its `stats` job would have left for
 * them (visit histograms per node and per instance by hour, day and month; hourly throughput), a
 * thousand facts not rolled up yet, one resolved incident per finished instance in
 * `process_incidents`, and 200 unfinished instances (150 waiting, 50 with an open incident). Then times, called directly as the routes call
 * them, `processStats` (the default range: the 90 days since deployment, day buckets) and the
 * incident list (open, newest first, first page of 50).
 *
 *   BENCH engine.pg.stats_seed 95 s
 *   BENCH engine.pg.stats_query.p50 12.3 ms
 *   BENCH engine.pg.incident_list.p50 2.1 ms
 */
import pg from 'pg';
import pino from 'pino';
import { operatorAccess } from '../../server/access/operator';
import { ensureAdmin } from '../../server/auth/service';
import { loadConfig } from '../../server/config';
import { migrateToLatest, openDatabase } from '../../server/db/index';
import { closeEngine } from '../../server/engine/engine';
import { IncidentService } from '../../server/incidents/service';
import { processStats } from '../../server/processes/stats';
import { createServices } from '../../server/services';
import { BENCH_DATABASE_URL, percentile, print } from './_server';

const KEY = 'bench-stats';
const DAY = 86_400_000;

const definition = {
  format: 'process/1', key: KEY, name: 'Bench stats', version: 1, start: { interfaces: ['agent'] },
  nodes: [
    { id: 'start', type: 'startEvent' },
    { id: 'review', name: 'Review', type: 'userTask', dialog: { interfaces: ['agent'], fields: [{ field: 'Title', display: 'shown' }] } },
    { id: 'work', name: 'Work', type: 'scriptTask', script: { source: 'export default () => ({})' } },
    { id: 'decide', type: 'exclusiveGateway', default: 'fine' },
    { id: 'end', type: 'endEvent' },
    { id: 'oddEnd', type: 'endEvent' },
  ],
  transitions: [
    { id: 't1', from: 'start', to: 'review' },
    { id: 't2', from: 'review', to: 'work' },
    { id: 't3', from: 'work', to: 'decide' },
    { id: 'odd', from: 'decide', to: 'oddEnd', condition: { all: [{ field: 'vars.ok', op: 'eq', value: false }] } },
    { id: 'fine', from: 'decide', to: 'end' },
  ],
};

/** `slotOf` of server/engine/effects/stats.ts in SQL. */
const SLOT = (ms: string) => `case when ${ms} < 1 then 0 else least(199, 1 + floor(ln(${ms}::float8) / ln(2) * 4))::int end`;

async function timed(runs: number, fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 3; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 0.5), p95: percentile(ms, 0.95) };
}

/**
 * Seeds and measures (see the module comment); prints its BENCH lines.
 *
 * @example
 * await benchMonitoringQueries(1_000_000);
 */
export async function benchMonitoringQueries(n: number): Promise<void> {
  const schema = `bench_stats_${process.pid}`;
  const admin = new pg.Client({ connectionString: BENCH_DATABASE_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const database = await openDatabase({ url: BENCH_DATABASE_URL, schema, poolSize: 4 });
  const services = createServices(database, { ...loadConfig({}), databaseUrl: BENCH_DATABASE_URL }, pino({ level: 'warn' }));
  try {
    await migrateToLatest(database.db);
    await ensureAdmin(database.db, 'bench-admin-pw');
    const now = Date.now();
    const t0 = now - 90 * DAY;
    const c = new pg.Client({ connectionString: BENCH_DATABASE_URL, options: `-c search_path=${schema},public` });
    await c.connect();
    const q = (text: string, values: unknown[] = []) => c.query(text, values);
    const seedStart = performance.now();
    await q(`insert into processes (key, name, draft, created_at) values ($1, 'Bench stats', null, $2)`, [KEY, new Date(t0)]);
    await q(`insert into process_versions (key, version, name, definition, state, checksum, deployed_at) values ($1, 1, 'Bench stats', $2, 'active', 'bench', $3)`, [KEY, JSON.stringify(definition), new Date(t0)]);
    const ids = (await q(`select (select id from queues where name = 'Raw') as queue, (select id from states where name = 'closed successful') as closed,
      (select id from states where name = 'open') as open, (select id from priorities where name = '3 normal') as prio, (select id from ticket_types where name = 'Unclassified') as type`)).rows[0];

    // One instance per g in 1..n: created evenly over 90 days; review takes 1..1440 minutes, work
    // 50..5049 ms (deterministic from g, so instances, roll-ups and incidents agree); 1 in 50 is
    // cancelled at the review after the time the review would have taken.
    const spread = `(${t0}::float8 + (g::float8 / ${n}) * ${88 * DAY})`;
    const review = `(((g * 2654435761) % 1440) + 1) * 60000`;
    const work = `(((g * 40503) % 5000) + 50)`;
    const facts = `select g, to_timestamp(${spread} / 1000) as created_at, ${review} as review_ms, ${work} as work_ms, g % 50 = 0 as cancelled from generate_series(1::bigint, ${n}::bigint) g`;
    await q(`insert into tickets (tn, title, queue_id, state_id, priority_id, type_id, created_at, changed_at)
      select 'B' || g, 'Bench ' || g, $1, case when g <= ${n} then $2::int else $3::int end, $4, $5, now(), now() from generate_series(1, ${n + 200}) g`, [ids.queue, ids.closed, ids.open, ids.prio, ids.type]);
    const firstTicket = Number((await q(`select min(id) as id from tickets where tn like 'B%'`)).rows[0].id) - 1;
    await q(`insert into process_instances (ticket_id, process_key, process_version, status, state, created_at, updated_at, completed_at)
      select ${firstTicket} + g, $1, 1, case when cancelled then 'cancelled' else 'completed' end,
             jsonb_build_object('v', 1, 'status', case when cancelled then 'cancelled' else 'completed' end, 'seq', 6, 'tokens', '[]'::jsonb, 'vars', '{}'::jsonb, 'path', '[]'::jsonb),
             created_at, created_at + make_interval(secs => (review_ms + case when cancelled then 0 else work_ms end) / 1000.0),
             created_at + make_interval(secs => (review_ms + case when cancelled then 0 else work_ms end) / 1000.0)
        from (${facts}) f`, [KEY]);
    // 200 unfinished: 150 waiting at the review, 50 stuck at work (open incidents).
    await q(`insert into process_instances (ticket_id, process_key, process_version, status, state, created_at, updated_at)
      select ${firstTicket} + ${n} + g, $1, 1, case when g <= 150 then 'running' else 'incident' end,
             jsonb_build_object('v', 1, 'status', case when g <= 150 then 'running' else 'incident' end, 'seq', 3, 'vars', '{}'::jsonb, 'path', '[]'::jsonb,
               'tokens', jsonb_build_array(case when g <= 150
                 then jsonb_build_object('id', 'k1', 'nodeId', 'review', 'status', 'waiting', 'wait', 'dialog', 'since', ${now - DAY})
                 else jsonb_build_object('id', 'k1', 'nodeId', 'work', 'status', 'incident', 'since', ${now - DAY}, 'incident', jsonb_build_object('code', 'SCRIPT_ERROR', 'message', 'boom', 'at', ${now - DAY}, 'phase', 'enter')) end)),
             $2, $2
        from generate_series(1, 200) g`, [KEY, new Date(now - DAY)]);

    // The roll-ups the observer and the stats job would have produced for the finished instances.
    const visits = `
      select date_trunc('hour', f.created_at) as at, 'start' as node, 0::bigint as ms from (${facts}) f
      union all select date_trunc('hour', f.created_at + make_interval(secs => review_ms / 1000.0)), 'review', review_ms from (${facts}) f where not cancelled
      union all select date_trunc('hour', f.created_at + make_interval(secs => (review_ms + work_ms) / 1000.0)), v.node, case when v.node = 'work' then work_ms when v.node = '' then review_ms + work_ms else 0 end
        from (${facts}) f cross join (values ('work'), ('decide'), ('end'), ('')) v(node) where not cancelled`;
    await q(`insert into process_stats (process_key, process_version, grain, bucket_start, node, slot, visits, total_ms)
      select $1, 1, 'h', at, node, ${SLOT('ms')}, count(*), sum(ms) from (${visits}) v group by 4, 5, 6`, [KEY]);
    for (const [grain, unit] of [['d', 'day'], ['m', 'month']]) {
      await q(`insert into process_stats (process_key, process_version, grain, bucket_start, node, slot, visits, total_ms)
        select process_key, process_version, '${grain}', date_trunc('${unit}', bucket_start, 'UTC'), node, slot, sum(visits), sum(total_ms)
          from process_stats where grain = 'h' group by 1, 2, 3, 4, 5, 6`);
    }
    await q(`insert into process_throughput (process_key, process_version, bucket_start, started, completed, cancelled)
      select $1, 1, at, sum(s), sum(c), sum(x) from (
        select date_trunc('hour', created_at) as at, 1 as s, 0 as c, 0 as x from (${facts}) f
        union all select date_trunc('hour', created_at + make_interval(secs => (review_ms + case when cancelled then 0 else work_ms end) / 1000.0)), 0, case when cancelled then 0 else 1 end, case when cancelled then 1 else 0 end from (${facts}) f
      ) t group by at`, [KEY]);
    await q(`insert into process_stats_pending (process_key, process_version, kind, node, bucket_start, slot, ms)
      select $1, 1, 'visit', 'review', date_trunc('hour', now()), ${SLOT('(g * 60000)')}, g * 60000 from generate_series(1, 1000) g`, [KEY]);
    // A resolved incident per finished instance (its script failed once and was retried), and the open ones.
    await q(`insert into process_incidents (instance_id, root_instance_id, ticket_id, process_key, process_version, token, node, code, message, raised_at, resolved_at, resolved_how, resolved_by)
      select i.id, i.id, i.ticket_id, i.process_key, 1, 'k1', 'work', 'SCRIPT_ERROR', 'Script task "work" failed: boom.', i.created_at, i.created_at + interval '1 minute', 'retry', 'admin'
        from process_instances i where i.status in ('completed', 'cancelled') order by i.id`);
    await q(`insert into process_incidents (instance_id, root_instance_id, ticket_id, process_key, process_version, token, node, code, message, raised_at)
      select i.id, i.id, i.ticket_id, i.process_key, 1, 'k1', 'work', 'SCRIPT_ERROR', 'Script task "work" failed: boom.', i.created_at
        from process_instances i where i.status = 'incident' order by i.id`);
    for (const t of ['tickets', 'process_instances', 'process_stats', 'process_throughput', 'process_stats_pending', 'process_incidents']) await q(`analyze ${t}`);
    print('engine.pg.stats_seed', (performance.now() - seedStart) / 1000, 's');
    const rows = (await q(`select (select count(*) from process_instances) as instances, (select count(*) from process_stats) as stats, (select count(*) from process_incidents) as incidents`)).rows[0];
    console.log(`# seeded ${rows.instances} instances, ${rows.stats} process_stats rows, ${rows.incidents} incidents`);
    await c.end();

    const at = new Date(now);
    const s = await processStats(database.db, KEY, {}, at);
    const finished = s.instances.completed + s.instances.cancelled;
    if (finished !== n || s.instances.active !== 150 || s.instances.incident !== 50) throw new Error(`stats disagree with the seed: ${JSON.stringify(s.instances)}`);
    const stats = await timed(50, () => processStats(database.db, KEY, {}, at));
    print('engine.pg.stats_query.p50', stats.p50, 'ms');
    print('engine.pg.stats_query.p95', stats.p95, 'ms');
    const week = await timed(50, () => processStats(database.db, KEY, { from: new Date(now - 7 * DAY).toISOString(), bucket: 'hour' }, at));
    print('engine.pg.stats_query_7d_hourly.p50', week.p50, 'ms');

    const access = (await operatorAccess(database.db))!;
    const incidents = new IncidentService(services);
    const open = await incidents.list(access, { status: 'open', limit: 50 });
    if (open.items.length !== 50) throw new Error(`expected 50 open incidents, got ${open.items.length}`);
    const list = await timed(50, () => incidents.list(access, { status: 'open', limit: 50 }));
    print('engine.pg.incident_list.p50', list.p50, 'ms');
    print('engine.pg.incident_list.p95', list.p95, 'ms');
    const resolved = await timed(50, () => incidents.list(access, { status: 'resolved', process: KEY, limit: 50 }));
    print('engine.pg.incident_list_resolved.p50', resolved.p50, 'ms');
  } finally {
    await closeEngine(services);
    await database.close();
    if (process.env.BENCH_KEEP_SCHEMA) console.log(`# kept schema ${schema} (BENCH_KEEP_SCHEMA)`);
    else await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
  }
}
