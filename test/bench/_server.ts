/**
 * Benchmark support: a real server process on PostgreSQL in its own schema, and a closed-loop HTTP
 * load generator (N concurrent connections) that reports requests/s and latency percentiles.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { PROJECT_ROOT } from '../../server/config';
import { freePort } from '../support/spawn';

export const BENCH_DATABASE_URL =
  process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

export function print(name: string, value: number, unit: string) {
  const v = Math.abs(value) >= 100 ? Math.round(value) : unit === 'ratio' ? Math.round(value * 1000) / 1000 : Math.round(value * 100) / 100;
  console.log(`BENCH ${name} ${v} ${unit}`);
}

export async function postgresReachable(url = BENCH_DATABASE_URL): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

export async function withClient<T>(fn: (c: pg.Client) => Promise<T>, url = BENCH_DATABASE_URL): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export function schemaUrl(schema: string, url = BENCH_DATABASE_URL): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema},public`);
  return u.toString();
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `helpdesk serve` as its own process (so load and server do not share an event loop). */
export async function startServerProcess(env: Record<string, string>, args: string[] = []): Promise<ServerProcess> {
  const port = await freePort();
  let out = '';
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin/helpdesk.mjs'), 'serve', ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`server exited: ${out}`);
    try {
      if ((await fetch(url + '/healthz')).ok) break;
    } catch {
      /* starting */
    }
    if (i > 600) throw new Error(`server did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export interface LoadResult {
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/** Runs `request` from `concurrency` loops for `ms` milliseconds. */
export async function closedLoop(concurrency: number, ms: number, request: (i: number) => Promise<Response>): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let n = 0;
  const end = performance.now() + ms;
  let firstError: string | undefined;
  const worker = async () => {
    while (performance.now() < end) {
      const t = performance.now();
      const res = await request(n++);
      const text = await res.text();
      if (!res.ok) {
        errors++;
        firstError ??= `${res.status} ${text.slice(0, 300)}`;
      } else latencies.push(performance.now() - t);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const secs = (performance.now() - t0) / 1000;
  if (firstError) console.error(`# ${errors} failed requests, first: ${firstError}`);
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    rps: latencies.length / secs,
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    p99: percentile(latencies, 0.99),
  };
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); NaN elsewhere. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime + stime in clock ticks (100/s on Linux)
  } catch {
    return NaN;
  }
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export interface LoadSpec {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  /** `{{n}}` is replaced by the request's sequence number. */
  body?: string;
  concurrency: number;
  ms: number;
}

/** Runs the closed loop of `_load.mjs` in a process of its own, so load and server never share an event loop. */
export function loadProcess(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'test/bench/_load.mjs'), JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`load generator exited with ${code}`));
      const r = JSON.parse(out) as LoadResult & { firstError?: string };
      if (r.firstError) console.error(`# ${r.errors} failed requests, first: ${r.firstError}`);
      resolve(r);
    });
  });
}

/** Starts the bare Hono hello-world peer (`_hono-hello.mjs`) in its own process. */
export async function startHonoHello(): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'test/bench/_hono-hello.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`hono hello-world exited with ${code}`)));
    child.stdout!.once('data', (d) => resolve(String(d).trim()));
  });
  return {
    url: `http://127.0.0.1:${port}/hello`,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        child.removeAllListeners('exit');
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
