/**
 * The statistics step observer: after every persisted step it appends what the step ended to
 * `process_stats_pending` (migration 0012) — one `visit` fact per token that left a node (how long
 * it was there: the step's time minus when it entered, i.e. the token's `since` in the state before
 * the step, or 0 for a node entered and left in the same step), `started` for a start, `completed`
 * (with the instance's duration, `created_at` → now) and `cancelled` when the instance ends.
 *
 * Only INSERTs happen inside the step, so concurrent steps of the same process never queue behind
 * each other's row locks on shared counters. Each server process rolls the facts up into
 * `process_stats` / `process_throughput` at most once a minute while it records facts (a timer
 * outside any step; not a job, so the job table stays the instances' own), and readers add the facts
 * not rolled up yet (`server/processes/stats.ts`), so nothing depends on when a roll-up runs: facts
 * left by a process that stopped are taken by the next roll-up of any process. Visits cut short by
 * a cancel are not counted as visits (their instance counts as cancelled).
 */
import { sql, type Insertable, type Kysely } from 'kysely';
import type { Services } from '../../services';
import type { InstanceState, PathEntry } from '../../../engine/runtime/index';
import type { DB } from '../../db/schema';
import type { ProcessStatsPendingTable } from '../../db/tables-stats';
import type { StepObserver } from './types';

export const HOUR_MS = 3_600_000;
/** Slots per doubling of the duration: a slot spans a factor 2^(1/4) ≈ 1.19. */
export const SLOTS_PER_DOUBLING = 4;
/** The highest slot (2^(199/4) ms is far beyond any process; longer durations share it). */
export const MAX_SLOT = 199;
/** How long after the first fact not rolled up a server process rolls up. */
export const ROLLUP_DELAY_MS = 60_000;

/**
 * The histogram slot of a duration: 0 below 1 ms, else `1 + floor(4·log2(ms))` (capped), so slot s
 * holds [2^((s-1)/4), 2^(s/4)) ms.
 *
 * @example
 * slotOf(0); // 0
 * slotOf(1000); // 40  (1000 ms lies in [2^9.75, 2^10) = [861, 1024))
 */
export function slotOf(ms: number): number {
  if (!(ms >= 1)) return 0;
  return Math.min(MAX_SLOT, 1 + Math.floor(Math.log2(ms) * SLOTS_PER_DOUBLING));
}

/**
 * The start of the hour holding `ms` (epoch milliseconds, UTC).
 *
 * @example
 * hourOf(Date.parse('2026-01-01T10:59:00Z')); // Date.parse('2026-01-01T10:00:00Z')
 */
export function hourOf(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}

/** One fact of a step, before it is keyed to its process version. */
export interface StatsFact {
  kind: ProcessStatsPendingTable['kind'];
  node: string;
  /** Epoch ms when it happened. */
  at: number;
  ms: number;
}

/**
 * The facts a step produced: visits that ended (leave, end, skip, or a token that vanished),
 * a start, a completion with the instance's duration, a cancel.
 *
 * @example
 * stepFacts(before, result.state, result.log, createdAt);
 * // [{ kind: 'visit', node: 'approve', at, ms: 7200000 }, { kind: 'visit', node: 'end', at, ms: 0 }, { kind: 'completed', node: '', at, ms: 7260000 }]
 */
export function stepFacts(before: InstanceState | null, after: InstanceState, log: PathEntry[], createdAt: number, now: number): StatsFact[] {
  const facts: StatsFact[] = [];
  // Where each token is, and since when: from the state before the step, then along the log.
  const at = new Map<string, { node: string; since: number }>();
  for (const t of before?.tokens ?? []) at.set(t.id, { node: t.nodeId, since: t.since });
  const close = (tok: string, when: number) => {
    const p = at.get(tok);
    if (!p) return;
    at.delete(tok);
    facts.push({ kind: 'visit', node: p.node, at: when, ms: Math.max(0, when - p.since) });
  };
  let cancelled = false;
  for (const e of log) {
    switch (e.ev) {
      case 'start':
        facts.push({ kind: 'started', node: '', at: e.at, ms: 0 });
        break;
      case 'enter': {
        if (!e.tok || !e.node) break;
        const p = at.get(e.tok);
        if (p && p.node === e.node) break; // entered again (a retry): the visit goes on
        if (p) close(e.tok, e.at);
        at.set(e.tok, { node: e.node, since: e.at });
        break;
      }
      case 'leave':
      case 'end':
      case 'skip':
        if (e.tok) close(e.tok, e.at);
        break;
      case 'cancel':
        cancelled = true;
        at.clear();
        break;
      default:
        break;
    }
  }
  // A token gone without a log entry saying how (merged, interrupted) ended its visit too.
  if (!cancelled) {
    const alive = new Set(after.tokens.map((t) => t.id));
    for (const tok of [...at.keys()]) if (!alive.has(tok)) close(tok, now);
  }
  const wasDone = before?.status === 'completed' || before?.status === 'cancelled';
  if (!wasDone && after.status === 'completed') facts.push({ kind: 'completed', node: '', at: now, ms: Math.max(0, now - createdAt) });
  if (!wasDone && after.status === 'cancelled') facts.push({ kind: 'cancelled', node: '', at: now, ms: Math.max(0, now - createdAt) });
  return facts;
}

/** The roll-up each server process has scheduled (one at a time). */
const scheduled = new WeakMap<Services, NodeJS.Timeout>();

/**
 * Appends the step's facts to `process_stats_pending`, and makes sure this server process rolls
 * them up within a minute.
 *
 * @example
 * STEP_OBSERVERS.push(recordStats);
 */
export const recordStats: StepObserver = async (ctx) => {
  const { result, before, inst } = ctx;
  const last = result.log.length ? result.log[result.log.length - 1]!.at : ctx.now.getTime();
  const facts = stepFacts(before, result.state, result.log, inst.created_at.getTime(), last);
  if (!facts.length) return;
  const rows: Array<Insertable<ProcessStatsPendingTable>> = facts.map((f) => ({
    process_key: inst.process_key,
    process_version: inst.process_version,
    kind: f.kind,
    node: f.node,
    bucket_start: new Date(hourOf(f.at)),
    slot: f.kind === 'visit' || f.kind === 'completed' ? slotOf(f.ms) : 0,
    ms: Math.round(f.ms),
  }));
  await ctx.trx.insertInto('process_stats_pending').values(rows).execute();
  scheduleRollup(ctx.services);
};

/**
 * Rolls up in `ROLLUP_DELAY_MS` unless a roll-up is scheduled already (a timer that does not keep
 * the process alive; a failure is logged and left to the next roll-up).
 *
 * @example
 * scheduleRollup(services);
 */
export function scheduleRollup(services: Services, delayMs = ROLLUP_DELAY_MS): void {
  if (scheduled.has(services)) return;
  const timer = setTimeout(() => {
    scheduled.delete(services);
    rollupStats(services.database.db).catch((err: unknown) => services.log.warn({ err }, 'rolling up process statistics failed; the next roll-up takes the facts'));
  }, delayMs);
  timer.unref();
  scheduled.set(services, timer);
}

/**
 * Drops a scheduled roll-up (the server is shutting down; the pending facts wait for the next start
 * and are counted by readers meanwhile).
 *
 * @example
 * cancelRollup(services);
 */
export function cancelRollup(services: Services): void {
  const timer = scheduled.get(services);
  if (timer) clearTimeout(timer);
  scheduled.delete(services);
}

/** How many pending facts one roll-up moves at most (the next job takes the rest). */
const ROLLUP_BATCH = 100_000;

/**
 * Moves pending facts into `process_stats` (visit and completed durations, at the grains hour,
 * day and month) and `process_throughput` (counts per hour) in one statement, keys in sorted order
 * so two roll-ups cannot deadlock. Resolves to how many facts moved; when one batch was full, another runs.
 *
 * @example
 * await rollupStats(db); // 1234
 */
export async function rollupStats(db: Kysely<DB>, batch = ROLLUP_BATCH): Promise<number> {
  let total = 0;
  for (;;) {
    const r = await sql<{ n: string }>`
      with moved as (
        delete from process_stats_pending where id in (
          select id from process_stats_pending order by id limit ${batch} for update skip locked)
        returning process_key, process_version, kind, node, bucket_start, slot, ms),
      visits as (
        insert into process_stats as s (process_key, process_version, grain, bucket_start, node, slot, visits, total_ms)
        select process_key, process_version, g.grain, date_trunc(g.unit, bucket_start, 'UTC') as at, node, slot, count(*), sum(ms)
          from moved cross join (values ('h', 'hour'), ('d', 'day'), ('m', 'month')) as g (grain, unit)
          where kind in ('visit', 'completed')
          group by process_key, process_version, g.grain, at, node, slot
          order by process_key, process_version, g.grain, at, node, slot
        on conflict (process_key, process_version, grain, bucket_start, node, slot)
          do update set visits = s.visits + excluded.visits, total_ms = s.total_ms + excluded.total_ms
        returning 1),
      counts as (
        insert into process_throughput as t (process_key, process_version, bucket_start, started, completed, cancelled)
        select process_key, process_version, bucket_start,
               count(*) filter (where kind = 'started'), count(*) filter (where kind = 'completed'), count(*) filter (where kind = 'cancelled')
          from moved where kind <> 'visit'
          group by process_key, process_version, bucket_start
          order by process_key, process_version, bucket_start
        on conflict (process_key, process_version, bucket_start)
          do update set started = t.started + excluded.started, completed = t.completed + excluded.completed, cancelled = t.cancelled + excluded.cancelled
        returning 1)
      select (select count(*) from moved) as n, (select count(*) from visits) as v, (select count(*) from counts) as c`.execute(db);
    const n = Number(r.rows[0]?.n ?? 0);
    total += n;
    if (n < batch) return total;
  }
}
