/**
 * Statistics at scale: seeds STATS_BENCH_TICKETS tickets (default 1 000 000 on PostgreSQL, 50 000
 * on PGlite) with one SQL `generate_series` insert into a fresh schema of the PostgreSQL at
 * STATS_BENCH_URL, BENCH_DATABASE_URL, TEST_DATABASE_URL or DATABASE_URL (PGlite in memory when none is set), then
 * runs the matrix queue × month (Europe/Berlin) as a system-wide statistic and streams a
 * STATS_BENCH_CSV_ROWS-row list (default 100 000) as CSV into a counting sink, sampling the
 * process's resident memory after every batch:
 *
 *   BENCH stats_seed_<n> <seconds> s
 *   BENCH stats_matrix_queue_month_<n> <ms> ms          (median of 5 runs)
 *   BENCH stats_csv_<rows>_rows <seconds> s
 *   BENCH stats_csv_peak_rss <MB> MB                    (peak resident memory during the export)
 *   BENCH stats_csv_peak_rss_growth <MB> MB             (that peak minus the RSS before the export)
 */
import { sql } from 'kysely';
import pg from 'pg';
import { Access } from '../../server/access/access';
import { ensureAdmin } from '../../server/auth/service';
import { migrateToLatest, openDatabase } from '../../server/db/index';
import { csvChunks } from '../../server/stats/output';
import { runMatrix, streamList } from '../../server/stats/query';

const url = process.env.STATS_BENCH_URL || process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;
const n = Number(process.env.STATS_BENCH_TICKETS ?? (url ? 1_000_000 : 50_000));
const csvRows = Math.min(n, Number(process.env.STATS_BENCH_CSV_ROWS ?? 100_000));

async function admin(sqlText: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sqlText);
  } finally {
    await client.end();
  }
}

const schema = url ? `stats_bench_${Date.now().toString(36)}` : undefined;
if (schema) await admin(`create schema ${schema}`);
const database = await openDatabase(url ? { url, schema, poolSize: 4 } : {});
try {
  const db = database.db;
  await migrateToLatest(db);
  await ensureAdmin(db, 'bench-admin-password');
  const adminRow = await db.selectFrom('agents').select('id').where('login', '=', 'admin').executeTakeFirstOrThrow();

  let t = performance.now();
  // Spread over two years (one ticket every 63 s), round-robin over the four default queues and the states.
  await sql`insert into tickets (tn, title, queue_id, state_id, priority_id, type_id, created_at, changed_at)
    select 'B' || g, 'bench ticket ' || g, q.a[1 + g % array_length(q.a, 1)], s.a[1 + g % array_length(s.a, 1)], p.a[1 + g % array_length(p.a, 1)], ty.id,
      timestamptz '2025-01-01 00:00:00+00' + g * interval '63 seconds', timestamptz '2025-01-01 00:00:00+00' + g * interval '63 seconds'
    from generate_series(1, ${n}) g,
      (select array_agg(id order by id) a from queues) q,
      (select array_agg(id order by id) a from states) s,
      (select array_agg(id order by id) a from priorities) p,
      (select min(id) id from ticket_types) ty`.execute(db);
  await sql`analyze tickets`.execute(db);
  console.log(`BENCH stats_seed_${n} ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const access = Access.system(db, { kind: 'agent', id: adminRow.id, login: 'admin', via: 'token' });
  const def = { format: 'stat/1' as const, name: 'bench', kind: 'matrix' as const, systemWide: true, timeZone: 'Europe/Berlin', x: { dimension: 'created', grain: 'month' as const }, y: { dimension: 'queue' } };
  const times: number[] = [];
  let cells = 0;
  for (let i = 0; i < 5; i++) {
    t = performance.now();
    const r = await runMatrix(db, access, def);
    times.push(performance.now() - t);
    cells = r.rows.length * (r.columns.length - 2);
  }
  times.sort((a, b) => a - b);
  console.log(`# matrix: ${cells} cells`);
  console.log(`BENCH stats_matrix_queue_month_${n} ${times[2]!.toFixed(0)} ms`);

  // The first `csvRows` tickets by creation: a list with five columns, streamed from the cursor.
  const cutoff = await sql<{ at: Date }>`select created_at as at from tickets order by created_at, id offset ${csvRows - 1} limit 1`.execute(db);
  const list = { format: 'stat/1' as const, name: 'bench list', kind: 'list' as const, systemWide: true, columns: ['tn', 'title', 'queue', 'state', 'created'], filters: [{ dimension: 'created', to: new Date(cutoff.rows[0]!.at.getTime() + 1).toISOString() }] };
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  let bytes = 0;
  let rows = 0;
  t = performance.now();
  for await (const chunk of csvChunks(streamList(db, access, list), (k) => (rows += k))) {
    bytes += chunk.length;
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  const secs = (performance.now() - t) / 1000;
  console.log(`# csv: ${rows} rows, ${(bytes / 1e6).toFixed(1)} MB of text`);
  console.log(`BENCH stats_csv_${rows}_rows ${secs.toFixed(2)} s`);
  console.log(`BENCH stats_csv_peak_rss ${(peak / 1e6).toFixed(0)} MB`);
  console.log(`BENCH stats_csv_peak_rss_growth ${((peak - before) / 1e6).toFixed(0)} MB`);
} finally {
  await database.close();
  if (schema) await admin(`drop schema ${schema} cascade`);
}
