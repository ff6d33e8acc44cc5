/**
 * TicketCreate through HTTP on PostgreSQL: `POST /api/v1/tickets` (ticket + first article + history
 * + search document in one transaction) from 50 concurrent connections against a real server
 * process, printing requests/s and p99; and, in the same run on the same PostgreSQL, pgbench's TPC-B
 * tps (50 clients, scale 50) — or, where pgbench is absent, a Kysely single-row insert loop — and the
 * ratio. Goal: TicketCreate ≥ 40 % of pgbench.
 *
 * Env: BENCH_DATABASE_URL / TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test),
 * BENCH_SECONDS (default 15), PGBENCH_SCALE (default 50).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { BENCH_DATABASE_URL, closedLoop, postgresReachable, print, schemaUrl, startServerProcess, withClient } from './_server';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONCURRENCY = 50;
const SCALE = Number(process.env.PGBENCH_SCALE ?? 50);

if (!(await postgresReachable())) {
  console.log(`# api: PostgreSQL at ${BENCH_DATABASE_URL} is not reachable; skipped`);
  process.exit(0);
}

const schema = `bench_api_${randomBytes(3).toString('hex')}`;
await withClient((c) => c.query(`create schema ${schema}`));
try {
  // --- TicketCreate over HTTP ------------------------------------------------------------------
  const server = await startServerProcess({ DATABASE_URL: schemaUrl(schema), ADMIN_PASSWORD: 'bench-admin-pw' });
  try {
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'admin', password: 'bench-admin-pw' }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
    const tokenRes = await fetch(`${server.url}/api/v1/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf },
      body: JSON.stringify({ name: 'bench' }),
    });
    const { token } = (await tokenRes.json()) as { token: string };
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const create = (i: number) =>
      fetch(`${server.url}/api/v1/tickets`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          title: `Printer on floor ${i % 7} does not print`,
          queue: 'Raw',
          priority: '3 normal',
          article: {
            channel: 'phone',
            subject: 'Printer problem',
            body: `Customer called: the printer on floor ${i % 7} shows error E${i % 50}. Please have a look.`,
            timeUnits: 5,
          },
        }),
      });
    await closedLoop(CONCURRENCY, 2000, create); // warm-up
    const r = await closedLoop(CONCURRENCY, SECONDS * 1000, create);
    print('api.pg.ticket_create', r.rps, 'requests/s');
    print('api.pg.ticket_create.p50', r.p50, 'ms');
    print('api.pg.ticket_create.p99', r.p99, 'ms');
    if (r.errors) print('api.pg.ticket_create.errors', r.errors, 'requests');

    // --- the same machine's PostgreSQL ceiling -------------------------------------------------
    let baseline: number | undefined;
    const hasPgbench = spawnSync('pgbench', ['--version']).status === 0;
    if (hasPgbench) {
      const env = { ...process.env, PGOPTIONS: `-c search_path=${schema}` };
      const u = new URL(BENCH_DATABASE_URL);
      const conn = ['-h', u.hostname, '-p', u.port || '5432', '-U', decodeURIComponent(u.username || 'postgres'), u.pathname.slice(1) || 'postgres'];
      const init = spawnSync('pgbench', ['-i', '-q', '-s', String(SCALE), ...conn], { env, encoding: 'utf8' });
      if (init.status !== 0) throw new Error(`pgbench -i failed: ${init.stderr}`);
      const run = spawnSync('pgbench', ['-c', String(CONCURRENCY), '-j', '2', '-T', String(SECONDS), '-n', ...conn], { env, encoding: 'utf8' });
      const m = /tps = ([\d.]+)/.exec(run.stdout);
      if (!m) throw new Error(`pgbench gave no tps: ${run.stdout}${run.stderr}`);
      baseline = Number(m[1]);
      print('pgbench.tpcb', baseline, 'tps');
    } else {
      const { Kysely, PostgresDialect } = await import('kysely');
      const pg = (await import('pg')).default;
      const db = new Kysely<{ bench_rows: { id: number; v: string } }>({
        dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: schemaUrl(schema), max: CONCURRENCY }) }),
      });
      await db.schema.createTable('bench_rows').addColumn('id', 'serial', (c) => c.primaryKey()).addColumn('v', 'text').execute();
      let n = 0;
      const end = Date.now() + SECONDS * 1000;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (Date.now() < end) {
            await db.insertInto('bench_rows').values({ v: 'x' } as never).execute();
            n++;
          }
        }),
      );
      await db.destroy();
      baseline = n / SECONDS;
      print('kysely.insert_loop', baseline, 'inserts/s');
    }
    print('api.pg.ticket_create.vs_pgbench', r.rps / baseline, 'ratio');
  } finally {
    await server.stop();
  }
} finally {
  await withClient((c) => c.query(`drop schema if exists ${schema} cascade`));
}
