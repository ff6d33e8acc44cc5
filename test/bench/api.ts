/**
 * The API against its ceilings, measured from outside on one PostgreSQL, in one window:
 *
 * - REST `POST /api/v1/tickets` (ticket + first article + history + search document in one
 *   transaction) at 8 and at 50 connections, interleaved round by round with pgbench TPC-B
 *   (scale PGBENCH_SCALE) at the same client count: `pgbench, ours, pgbench, ours, …`.
 * - Token-authenticated `GET /api/v1/auth/me` at 50 connections, interleaved with a bare Hono
 *   hello-world (`_hono-hello.mjs`, its own process) answering a document of the same size.
 *
 * The load comes from a process of its own (`_load.mjs`), never from the server's event loop. Each
 * pair's ratio is printed, then the median over the rounds as its own BENCH line; and the server's
 * CPU milliseconds per request (from /proc).
 *
 * Env: BENCH_DATABASE_URL / TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test),
 * BENCH_SECONDS per measurement (default 5), BENCH_ROUNDS (default 3), PGBENCH_SCALE (default 50).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  BENCH_DATABASE_URL,
  cpuSeconds,
  loadProcess,
  median,
  postgresReachable,
  print,
  schemaUrl,
  startHonoHello,
  startServerProcess,
  withClient,
} from './_server';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SCALE = Number(process.env.PGBENCH_SCALE ?? 50);

if (!(await postgresReachable())) {
  console.log(`# api: PostgreSQL at ${BENCH_DATABASE_URL} is not reachable; skipped`);
  process.exit(0);
}
if (spawnSync('pgbench', ['--version']).status !== 0) {
  console.log('# api: pgbench is not installed; skipped (it is the ceiling the API is measured against)');
  process.exit(0);
}

const schema = `bench_api_${randomBytes(3).toString('hex')}`;
await withClient((c) => c.query(`create schema ${schema}`));
const u = new URL(BENCH_DATABASE_URL);
const conn = ['-h', u.hostname, '-p', u.port || '5432', '-U', decodeURIComponent(u.username || 'postgres'), u.pathname.slice(1) || 'postgres'];
const pgEnv = { ...process.env, PGOPTIONS: `-c search_path=${schema}` };

function pgbench(clients: number): number {
  const run = spawnSync('pgbench', ['-c', String(clients), '-j', '2', '-T', String(SECONDS), '-n', ...conn], { env: pgEnv, encoding: 'utf8' });
  const m = /tps = ([\d.]+)/.exec(run.stdout);
  if (!m) throw new Error(`pgbench gave no tps: ${run.stdout}${run.stderr}`);
  return Number(m[1]);
}

try {
  const init = spawnSync('pgbench', ['-i', '-q', '-s', String(SCALE), ...conn], { env: pgEnv, encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`pgbench -i failed: ${init.stderr}`);
  const server = await startServerProcess({ DATABASE_URL: schemaUrl(schema), ADMIN_PASSWORD: 'bench-admin-pw' });
  const hono = await startHonoHello();
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
    const auth = { authorization: `Bearer ${token}` };
    const body = JSON.stringify({
      title: 'Printer on floor {{n}} does not print',
      queue: 'Raw',
      priority: '3 normal',
      article: { channel: 'phone', subject: 'Printer problem', body: 'Customer called: the printer {{n}} shows error E42. Please have a look.', timeUnits: 5 },
    });
    const create = (concurrency: number) =>
      loadProcess({ url: `${server.url}/api/v1/tickets`, method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body, concurrency, ms: SECONDS * 1000 });
    await loadProcess({ url: `${server.url}/api/v1/tickets`, method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body, concurrency: 8, ms: 2000 }); // warm-up

    // --- ticket create vs pgbench, interleaved -------------------------------------------------
    for (const clients of [8, 50]) {
      const ratios: number[] = [];
      const ours: number[] = [];
      const theirs: number[] = [];
      let cpu = 0;
      let requests = 0;
      let p99 = 0;
      for (let r = 0; r < ROUNDS; r++) {
        const tps = pgbench(clients);
        const c0 = cpuSeconds(server.child.pid!);
        const res = await create(clients);
        cpu += cpuSeconds(server.child.pid!) - c0;
        requests += res.requests;
        p99 = Math.max(p99, res.p99);
        ours.push(res.rps);
        theirs.push(tps);
        ratios.push(res.rps / tps);
        console.log(`# round ${r + 1}, ${clients} connections: pgbench ${tps.toFixed(0)} tps, ticket create ${res.rps.toFixed(0)}/s, ratio ${(res.rps / tps).toFixed(3)}`);
      }
      print(`pgbench.tpcb.c${clients}`, median(theirs), 'tps');
      print(`api.pg.ticket_create.c${clients}`, median(ours), 'requests/s');
      print(`api.pg.ticket_create.c${clients}.p99_max`, p99, 'ms');
      print(`api.pg.ticket_create.c${clients}.server_cpu`, (cpu / requests) * 1000, 'ms/request');
      print(`api.pg.ticket_create.c${clients}.vs_pgbench`, median(ratios), 'ratio');
    }

    // --- /auth/me vs a bare Hono hello-world, interleaved --------------------------------------
    const ratios: number[] = [];
    const ours: number[] = [];
    const theirs: number[] = [];
    let cpu = 0;
    let requests = 0;
    await loadProcess({ url: `${server.url}/api/v1/auth/me`, headers: auth, concurrency: 50, ms: 1000 }); // warm-up
    for (let r = 0; r < ROUNDS; r++) {
      const peer = await loadProcess({ url: hono.url, concurrency: 50, ms: SECONDS * 1000 });
      const c0 = cpuSeconds(server.child.pid!);
      const me = await loadProcess({ url: `${server.url}/api/v1/auth/me`, headers: auth, concurrency: 50, ms: SECONDS * 1000 });
      cpu += cpuSeconds(server.child.pid!) - c0;
      requests += me.requests;
      ours.push(me.rps);
      theirs.push(peer.rps);
      ratios.push(me.rps / peer.rps);
      console.log(`# round ${r + 1}: hono hello ${peer.rps.toFixed(0)}/s, auth/me ${me.rps.toFixed(0)}/s, ratio ${(me.rps / peer.rps).toFixed(3)}`);
    }
    print('hono.hello.c50', median(theirs), 'requests/s');
    print('api.pg.auth_me.c50', median(ours), 'requests/s');
    print('api.pg.auth_me.c50.server_cpu', (cpu / requests) * 1000, 'ms/request');
    print('api.pg.auth_me.c50.vs_hono', median(ratios), 'ratio');
  } finally {
    await hono.stop();
    await server.stop();
  }
} finally {
  await withClient((c) => c.query(`drop schema if exists ${schema} cascade`));
}
