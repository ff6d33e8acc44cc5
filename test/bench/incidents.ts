/**
 * The incidents list with a million resolved incidents: seeds INCIDENT_BENCH_RESOLVED resolved rows
 * (default 1 000 000 on PostgreSQL, 100 000 on PGlite) and INCIDENT_BENCH_OPEN open ones (default
 * 300) over 3 processes, 1000 tickets and 6 codes into a fresh schema of the PostgreSQL at
 * BENCH_DATABASE_URL or TEST_DATABASE_URL (PGlite in memory when none is set), then measures
 * `IncidentService.list` as an administrator — the default list (open, newest first), filtered by
 * process / code / ticket, the next keyset page, and the first page of resolved ones:
 *
 *   BENCH incidents_seed_1000000 42.0 s
 *   BENCH incidents_open_p50 1.2 ms
 *   BENCH incidents_open_p95 1.9 ms
 *   BENCH incidents_open_by_process_p50 1.1 ms
 *   ...
 */
import { sql } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { operatorAccess } from '../../server/access/operator';
import { ensureAdmin } from '../../server/auth/service';
import { loadConfig } from '../../server/config';
import { migrateToLatest, openDatabase } from '../../server/db/index';
import { closeEngine } from '../../server/engine/engine';
import { IncidentService } from '../../server/incidents/service';
import type { IncidentListQuery } from '../../server/incidents/schema';
import { createServices } from '../../server/services';
import { insertActiveProcess } from '../support/process-rows';
import { percentile, print } from './_server';

const url = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined;
const resolved = Number(process.env.INCIDENT_BENCH_RESOLVED ?? (url ? 1_000_000 : 100_000));
const open = Number(process.env.INCIDENT_BENCH_OPEN ?? 300);
const rounds = Number(process.env.INCIDENT_BENCH_ROUNDS ?? 30);
const TICKETS = 1000;
const PROCESSES = ['bench-a', 'bench-b', 'bench-c'];
const CODES = ['SCRIPT_ERROR', 'ACTION_FAILED', 'CONDITION_ERROR', 'SERVICE_ERROR', 'NO_TRANSITION', 'CHILD_CANCELLED'];

async function adminSql(text: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function main() {
  const schema = url ? `incident_bench_${Date.now().toString(36)}` : undefined;
  if (schema) await adminSql(`create schema ${schema}`);
  const database = await openDatabase({ url, schema, poolSize: 4 });
  const services = createServices(database, loadConfig({}), pino({ level: 'warn' }));
  try {
    const db = database.db;
    await migrateToLatest(db);
    await ensureAdmin(db, 'bench-admin-password');
    const t0 = performance.now();
    for (const key of PROCESSES) {
      const def = { format: 'process/1', key, name: key, start: { interfaces: ['agent'] }, nodes: [{ id: 'start', type: 'startEvent' }, { id: 'work', name: 'Work', type: 'scriptTask', script: { source: 'export default () => ({})' } }, { id: 'end', type: 'endEvent' }], transitions: [{ id: 't1', from: 'start', to: 'work' }, { id: 't2', from: 'work', to: 'end' }] };
      await insertActiveProcess(db, def);
    }
    await sql`
      insert into tickets (tn, title, queue_id, state_id, priority_id, type_id)
      select 'B' || g, 'Bench ' || g, (select id from queues where name = 'Raw'), (select id from states where name = 'open'),
             (select id from priorities where name = '3 normal'), (select id from ticket_types where name = 'Unclassified')
      from generate_series(1, ${TICKETS}) g`.execute(db);
    await sql`
      insert into process_instances (ticket_id, process_key, process_version, status, state)
      select t.id, (array['bench-a','bench-b','bench-c'])[1 + t.id % 3], 1, 'incident', '{}'::jsonb from tickets t where t.tn like 'B%'`.execute(db);
    const incidents = (count: number, resolvedRows: boolean) => sql`
      insert into process_incidents (instance_id, root_instance_id, ticket_id, process_key, process_version, token, node, code, message, raised_at, resolved_at, resolved_how, resolved_by)
      select p.id, p.id, p.ticket_id, p.process_key, 1, 'k' || g, 'work', (${sql.val(CODES)}::text[])[1 + g % ${CODES.length}], 'Script task "work" failed: bench ' || g,
             now() - make_interval(secs => ${count} - g), ${resolvedRows ? sql`now() - make_interval(secs => ${count} - g) + interval '1 minute'` : sql`null`},
             ${resolvedRows ? 'retry' : null}, ${resolvedRows ? 'admin' : null}
      from generate_series(1, ${count}) g join process_instances p on p.id = (select min(id) from process_instances) + g % ${TICKETS}`.execute(db);
    await incidents(resolved, true);
    await incidents(open, false);
    if (database.kind === 'postgres') await sql`analyze`.execute(db);
    console.log(`# ${database.kind}: ${resolved} resolved and ${open} open incidents seeded`);
    print(`incidents_seed_${resolved}`, (performance.now() - t0) / 1000, 's');

    const access = (await operatorAccess(db))!;
    const svc = new IncidentService(services);
    const someTicket = (await db.selectFrom('process_incidents').select('ticket_id').where('resolved_at', 'is', null).executeTakeFirstOrThrow()).ticket_id;
    const firstPage = await svc.list(access, { status: 'open', limit: 50 });
    const cases: Record<string, Partial<IncidentListQuery>> = {
      open: {},
      open_by_process: { process: 'bench-b' },
      open_by_code: { code: 'SERVICE_ERROR' },
      open_by_ticket: { ticketId: someTicket },
      open_next_page: { cursor: firstPage.nextCursor ?? undefined },
      resolved_first_page: { status: 'resolved' },
    };
    for (const [name, q] of Object.entries(cases)) {
      const query: IncidentListQuery = { status: 'open', limit: 50, ...q } as IncidentListQuery;
      await svc.list(access, query); // warm up
      const times: number[] = [];
      let n = 0;
      for (let i = 0; i < rounds; i++) {
        const s = performance.now();
        n = (await svc.list(access, query)).items.length;
        times.push(performance.now() - s);
      }
      times.sort((a, b) => a - b);
      console.log(`# incidents_${name}: ${n} items a page`);
      print(`incidents_${name}_p50`, percentile(times, 0.5), 'ms');
      print(`incidents_${name}_p95`, percentile(times, 0.95), 'ms');
    }
  } finally {
    await closeEngine(services);
    await database.close();
    if (schema) await adminSql(`drop schema ${schema} cascade`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
