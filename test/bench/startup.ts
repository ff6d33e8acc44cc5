/**
 * Start-up from the compiled build (`npm run build:server` → dist/, which bin/helpdesk.mjs runs when
 * it is fresh): the wall time and peak memory of `helpdesk help`, and the time from starting
 * `helpdesk serve` to the first good `GET /healthz`, on PGlite in a fresh data folder and on
 * PostgreSQL in a fresh schema when one is reachable. Median of BENCH_ROUNDS (default 5 / 3).
 *
 * Goals (issue 17): help ≤ 0.3 s wall and ≤ 80 MiB; serve to /healthz ≤ 2 s.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../server/config';
import { BENCH_DATABASE_URL, median, postgresReachable, print, schemaUrl, startServerProcess, withClient } from './_server';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const bin = path.join(PROJECT_ROOT, 'bin/helpdesk.mjs');
const { buildServer, distIsFresh } = (await import(path.join(PROJECT_ROOT, 'bin/server-build.mjs'))) as { buildServer(): Promise<void>; distIsFresh(): boolean };
if (!distIsFresh()) {
  console.log('# building dist/ first (npm run build:server)');
  await buildServer();
}

// --- helpdesk help -------------------------------------------------------------------------------
const hasTime = fs.existsSync('/usr/bin/time');
const walls: number[] = [];
const rss: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  const t0 = performance.now();
  const r = hasTime
    ? spawnSync('/usr/bin/time', ['-f', 'maxrss=%M', process.execPath, bin, 'help'], { encoding: 'utf8' })
    : spawnSync(process.execPath, [bin, 'help'], { encoding: 'utf8' });
  walls.push((performance.now() - t0) / 1000);
  if (r.status !== 0) throw new Error(`helpdesk help failed: ${r.stderr}`);
  const m = /maxrss=(\d+)/.exec(r.stderr ?? '');
  if (m) rss.push(Number(m[1]) / 1024);
}
print('startup.help.wall', median(walls), 's');
if (rss.length) print('startup.help.maxrss', median(rss), 'MiB');

// --- serve → /healthz ----------------------------------------------------------------------------
async function serveToHealthz(env: Record<string, string>): Promise<number> {
  const t0 = performance.now();
  const server = await startServerProcess({ ADMIN_PASSWORD: 'bench-admin-pw', WORKER_CONCURRENCY: '1', ...env });
  const s = (performance.now() - t0) / 1000;
  await server.stop();
  return s;
}
const rounds = Math.min(ROUNDS, 3);
const pglite: number[] = [];
for (let i = 0; i < rounds; i++) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-startup-'));
  try {
    // First start migrates a new data folder; the figure is a second start on it, as in production.
    await serveToHealthz({ DATA_DIR: dir, DATABASE_URL: '' });
    pglite.push(await serveToHealthz({ DATA_DIR: dir, DATABASE_URL: '' }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
print('startup.serve_to_healthz.pglite', median(pglite), 's');
if (await postgresReachable()) {
  const schema = `bench_start_${randomBytes(3).toString('hex')}`;
  await withClient((c) => c.query(`create schema ${schema}`));
  try {
    await serveToHealthz({ DATABASE_URL: schemaUrl(schema) });
    const pgTimes: number[] = [];
    for (let i = 0; i < rounds; i++) pgTimes.push(await serveToHealthz({ DATABASE_URL: schemaUrl(schema) }));
    print('startup.serve_to_healthz.pg', median(pgTimes), 's');
  } finally {
    await withClient((c) => c.query(`drop schema if exists ${schema} cascade`));
  }
} else console.log(`# PostgreSQL at ${BENCH_DATABASE_URL} is not reachable; serve_to_healthz.pg skipped`);
