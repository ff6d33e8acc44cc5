/**
 * A micro-benchmark of sandboxed scripts through the worker pool, for `test/bench/engine.ts`:
 * latency percentiles of a trivial script over N runs, one at a time (the latency a process step
 * sees), after a warm-up.
 */
import type { ScriptRequest } from './contract';
import { createScriptPool, type ScriptPool } from './pool';

export interface ScriptLatency {
  runs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  meanMs: number;
  /** Runs that did not return ok (should be 0). */
  failures: number;
}

export interface LatencyOptions {
  /** Measured runs (default 1000). */
  runs?: number;
  /** Unmeasured runs first (default 200). */
  warmup?: number;
  /** Use this pool (left open); by default a pool of one worker is started and closed. */
  pool?: ScriptPool;
  /** The script (default: a one-line patch). */
  source?: string;
}

const TRIVIAL = 'export default ({ params, vars }) => ({ vars: { n: (vars.n ?? 0) + params.step } })';

/**
 * Measures script latency through the pool.
 *
 * @example
 * const r = await measureScriptLatency({ runs: 1000 });
 * print('script p50', r.p50Ms, 'ms'); print('script p95', r.p95Ms, 'ms');
 */
export async function measureScriptLatency(options: LatencyOptions = {}): Promise<ScriptLatency> {
  const pool = options.pool ?? createScriptPool({ size: 1 });
  const request: ScriptRequest = { source: options.source ?? TRIVIAL, input: { ticket: { title: 'Bench' }, params: { step: 1 }, vars: { n: 1 } }, now: 0 };
  try {
    await pool.ready();
    for (let i = 0; i < (options.warmup ?? 200); i++) await pool.run(request);
    const runs = options.runs ?? 1000;
    const times: number[] = [];
    let failures = 0;
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      const r = await pool.run(request);
      times.push(performance.now() - t);
      if (!r.ok) failures += 1;
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => round(times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0);
    return { runs, p50Ms: at(0.5), p95Ms: at(0.95), p99Ms: at(0.99), meanMs: round(times.reduce((a, b) => a + b, 0) / Math.max(1, runs)), failures };
  } finally {
    if (!options.pool) await pool.close();
  }
}

const round = (n: number) => Math.round(n * 1000) / 1000;
