/**
 * What tests that start real processes share: a free loopback port, and one time budget that fits a
 * cold start (tsx compiling TypeScript, PGlite opening, migrations) on a busy two-core machine.
 * Budgets only bound how long a test waits for something; no test asserts how fast it came.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { PROJECT_ROOT } from '../../server/config';
import { TEST_DATABASE_URL } from './db';

/** How long a spawned process may take to start or finish one command (`SPAWN_BUDGET_MS`, default 3 min). */
export const SPAWN_BUDGET_MS = Number(process.env.SPAWN_BUDGET_MS) > 0 ? Number(process.env.SPAWN_BUDGET_MS) : 180_000;

/** The budget of a test (`it`) that starts up to `starts` processes in sequence. */
export const spawnTestTimeout = (starts: number) => SPAWN_BUDGET_MS * starts;

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts a worker-only process (test/support/engine-worker.ts) on the PostgreSQL schema `schema`;
 * resolves once it polls the job table.
 */
export function spawnWorker(schema: string, id: string, env: Record<string, string> = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'test/support/engine-worker.ts')], {
    env: { ...process.env, DATABASE_URL: TEST_DATABASE_URL, ENGINE_SCHEMA: schema, WORKER_ID: id, WORKER_LEASE_MS: '2000', WORKER_POLL_MS: '200', WORKER_CONCURRENCY: '4', SCRIPT_POOL_SIZE: '1', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`worker ${id} exited with ${code}`)));
    child.stdout!.on('data', (b: Buffer) => {
      if (b.toString().includes('ready')) resolve(child);
    });
  });
}

/**
 * Runs a command to its end without blocking the event loop (unlike `spawnSync`, which would hold
 * up the test's own HTTP connections meanwhile): its exit code and output.
 */
export async function runCommand(
  command: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string | Buffer } = {},
): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  child.stdin.end(opts.input ?? '');
  const timer = setTimeout(() => child.kill('SIGKILL'), SPAWN_BUDGET_MS);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) => resolve(c));
  }).finally(() => clearTimeout(timer));
  return { code, out, err };
}
