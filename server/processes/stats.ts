/**
 * Monitoring figures of one process version, for the designer's overlay
 * (`GET /api/v1/processes/{key}/stats`): instances active and in incident now (per node: tokens
 * waiting and tokens stuck), and over a time range — instances started, completed and cancelled,
 * visits per node, average and p95 time per node and per completed instance, throughput per hour or
 * day. Never scans finished instances: durations and counts come from the roll-ups (`process_stats`
 * read as whole months plus the days and hours at the range's edges, `process_throughput` per
 * hour; migration 0012) plus the facts not rolled up yet
 * (`process_stats_pending`); the current figures from the unfinished instances only (index on
 * status). All read in one repeatable-read snapshot, so a concurrent roll-up cannot count a fact
 * twice.
 */
import { sql, type Kysely } from 'kysely';
import type { Process } from '../../engine/model/types';
import type { DB } from '../db/schema';
import type { StatsGrain } from '../db/tables-stats';
import { BadRequest, NotFound } from '../errors';
import { HOUR_MS, MAX_SLOT } from '../engine/effects/stats';

export type StatsBucket = 'hour' | 'day';

export interface StatsQuery {
  version?: number;
  from?: string;
  to?: string;
  bucket?: StatsBucket;
}

export interface DurationSummary {
  avgMs: number | null;
  p95Ms: number | null;
}

export interface NodeStats extends DurationSummary {
  nodeId: string;
  name: string | null;
  type: string | null;
  /** Tokens waiting at the node now (not stuck). */
  active: number;
  /** Tokens stuck at the node now (open incidents). */
  incidents: number;
  /** Visits that ended in the range (the token left the node). */
  visits: number;
}

export interface ProcessStats {
  process: string;
  version: number;
  from: string;
  to: string;
  bucket: StatsBucket;
  instances: DurationSummary & { active: number; incident: number; started: number; completed: number; cancelled: number };
  nodes: NodeStats[];
  throughput: Array<{ at: string; started: number; completed: number; cancelled: number }>;
}

const DAY_MS = 24 * HOUR_MS;
/** The most throughput buckets one answer holds. */
export const MAX_BUCKETS = 5000;
/** Without `bucket`: hours up to this span, days beyond. */
const AUTO_HOURS_UP_TO_MS = 7 * DAY_MS;

/** One histogram slot: how many durations fell in it and their sum. */
export interface SlotCount {
  slot: number;
  n: number;
  totalMs: number;
}

/**
 * Average and p95 from a sparse histogram. p95 is nearest-rank (the smallest duration with at least
 * 95% of the durations at or below it), estimated as the mean of the durations in its slot — exact
 * when they are equal, else within the slot (a factor 2^(1/4)).
 *
 * @example
 * summarize([{ slot: 40, n: 19, totalMs: 19000 }, { slot: 49, n: 1, totalMs: 5000 }]); // { visits: 20, avgMs: 1200, p95Ms: 1000 }
 */
export function summarize(slots: SlotCount[]): DurationSummary & { visits: number } {
  const sorted = [...slots].filter((s) => s.n > 0).sort((a, b) => a.slot - b.slot);
  const visits = sorted.reduce((a, s) => a + s.n, 0);
  if (!visits) return { visits: 0, avgMs: null, p95Ms: null };
  const total = sorted.reduce((a, s) => a + s.totalMs, 0);
  const rank = Math.ceil(visits * 0.95);
  let seen = 0;
  let p95 = 0;
  for (const s of sorted) {
    seen += s.n;
    if (seen >= rank) {
      p95 = s.totalMs / s.n;
      break;
    }
  }
  return { visits, avgMs: Math.round(total / visits), p95Ms: Math.round(p95) };
}

const floorDay = (t: number) => Math.floor(t / DAY_MS) * DAY_MS;
const ceilDay = (t: number) => Math.ceil(t / DAY_MS) * DAY_MS;
const floorMonth = (t: number) => {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};
const ceilMonth = (t: number) => {
  const m = floorMonth(t);
  if (m === t) return t;
  const d = new Date(m);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
};

/**
 * Splits `[from, to)` (whole hours, epoch ms) into the fewest roll-up rows to read: whole months,
 * the whole days around them, the hours at the edges (UTC). Empty pieces are left out.
 *
 * @example
 * rangeSegments(Date.parse('2026-01-30T22:00Z'), Date.parse('2026-03-02T01:00Z'));
 * // [{grain:'h', 30 Jan 22:00 → 31 Jan}, {grain:'d', 31 Jan → 1 Feb}, {grain:'m', Feb},
 * //  {grain:'d', 1 Mar → 2 Mar}, {grain:'h', 2 Mar 00:00 → 01:00}]
 */
export function rangeSegments(from: number, to: number): Array<{ grain: StatsGrain; from: number; to: number }> {
  const out: Array<{ grain: StatsGrain; from: number; to: number }> = [];
  const add = (grain: StatsGrain, a: number, b: number) => {
    if (b > a) out.push({ grain, from: a, to: b });
  };
  const dA = ceilDay(from);
  const dB = floorDay(to);
  if (dA >= dB) {
    add('h', from, to);
    return out;
  }
  const mA = ceilMonth(dA);
  const mB = floorMonth(dB);
  add('h', from, dA);
  if (mA >= mB) add('d', dA, dB);
  else {
    add('d', dA, mA);
    add('m', mA, mB);
    add('d', mB, dB);
  }
  add('h', dB, to);
  return out;
}

function parseTime(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new BadRequest(`query: /${name} is not a date-time`, `/${name}`);
  return t;
}

/**
 * The statistics of `key` (version `query.version`, else the newest) over `[from, to)` widened to
 * whole buckets (`from` defaults to the version's deployment, `to` to now; `bucket` to hours for up
 * to 7 days, days beyond). 404 for an unknown process or version; 400 naming the parameter for a
 * range that is empty or needs more than 5000 buckets.
 *
 * @example
 * const s = await processStats(db, 'leave-request', { bucket: 'day' }, new Date());
 * s.nodes.find((n) => n.nodeId === 'approve'); // { active: 3, incidents: 0, visits: 120, avgMs: 7200000, p95Ms: 86400000, ... }
 */
export async function processStats(db: Kysely<DB>, key: string, query: StatsQuery, now: Date): Promise<ProcessStats> {
  const found = await db
    .selectFrom('processes as p')
    .leftJoinLateral(
      (eb) => {
        let v = eb.selectFrom('process_versions').select(['version', 'definition', 'deployed_at']).whereRef('key', '=', 'p.key');
        v = query.version !== undefined ? v.where('version', '=', query.version) : v.orderBy('version', 'desc').limit(1);
        return v.as('v');
      },
      (join) => join.onTrue(),
    )
    .select(['v.version', 'v.definition', 'v.deployed_at'])
    .where('p.key', '=', key)
    .executeTakeFirst();
  if (!found) throw new NotFound(`process "${key}"`);
  if (found.version === null) throw new NotFound(query.version !== undefined ? `version ${query.version} of process "${key}"` : `a deployed version of process "${key}"`, query.version !== undefined ? '/version' : undefined);
  const row = { version: found.version, definition: found.definition, deployed_at: found.deployed_at! };
  const def = (typeof row.definition === 'string' ? JSON.parse(row.definition) : row.definition) as Process;

  const rawTo = parseTime(query.to, 'to') ?? now.getTime();
  const rawFrom = parseTime(query.from, 'from') ?? Math.min(row.deployed_at.getTime(), rawTo - 1);
  if (rawTo <= rawFrom) throw new BadRequest(`query: /to must be later than from (${new Date(rawFrom).toISOString()})`, query.to !== undefined ? '/to' : '/from');
  const bucket: StatsBucket = query.bucket ?? (rawTo - rawFrom <= AUTO_HOURS_UP_TO_MS ? 'hour' : 'day');
  const size = bucket === 'hour' ? HOUR_MS : DAY_MS;
  const from = Math.floor(rawFrom / size) * size;
  const to = Math.ceil(rawTo / size) * size;
  const buckets = (to - from) / size;
  if (buckets > MAX_BUCKETS) {
    throw new BadRequest(`query: /bucket ${bucket} gives ${buckets} buckets from ${new Date(from).toISOString()} to ${new Date(to).toISOString()}; at most ${MAX_BUCKETS} (choose day, or a shorter range)`, '/bucket');
  }
  const fromD = new Date(from);
  const toD = new Date(to);
  const version = row.version;

  return db.transaction().setIsolationLevel('repeatable read').execute(async (trx) => {
    const segments = sql.join(rangeSegments(from, to).map((g) => sql`(grain = ${g.grain} and bucket_start >= ${new Date(g.from)} and bucket_start < ${new Date(g.to)})`), sql` or `);
    const durations = await sql<{ node: string; slot: number; n: string; total: string }>`
      select node, slot, sum(n) as n, sum(total) as total from (
        select node, slot, visits as n, total_ms as total from process_stats
          where process_key = ${key} and process_version = ${version} and (${segments})
        union all
        select node, slot, count(*) as n, sum(ms) as total from process_stats_pending
          where process_key = ${key} and process_version = ${version} and kind in ('visit', 'completed') and bucket_start >= ${fromD} and bucket_start < ${toD}
          group by node, slot
      ) d group by node, slot`.execute(trx);

    const step = bucket === 'hour' ? sql`interval '1 hour'` : sql`interval '1 day'`;
    const counts = await sql<{ at: Date; started: string; completed: string; cancelled: string }>`
      select date_bin(${step}, bucket_start, timestamptz '2000-01-01T00:00:00Z') as at,
             sum(started) as started, sum(completed) as completed, sum(cancelled) as cancelled from (
        select bucket_start, started, completed, cancelled from process_throughput
          where process_key = ${key} and process_version = ${version} and bucket_start >= ${fromD} and bucket_start < ${toD}
        union all
        select bucket_start, count(*) filter (where kind = 'started'), count(*) filter (where kind = 'completed'), count(*) filter (where kind = 'cancelled')
          from process_stats_pending
          where process_key = ${key} and process_version = ${version} and kind <> 'visit' and bucket_start >= ${fromD} and bucket_start < ${toD}
          group by bucket_start
      ) c group by 1`.execute(trx);

    // Unfinished instances only (index on status): per status how many, per node the tokens waiting and stuck.
    const current = await sql<{ status: string | null; node: string | null; instances: string; active: string; incidents: string }>`
      select i.status, t->>'nodeId' as node, count(distinct i.id) as instances,
             count(t) filter (where t->>'status' is distinct from 'incident') as active,
             count(t) filter (where t->>'status' = 'incident') as incidents
        from process_instances i left join lateral jsonb_array_elements(i.state->'tokens') t on true
       where i.status in ('running', 'incident') and i.process_key = ${key} and i.process_version = ${version}
       group by grouping sets ((i.status), (t->>'nodeId'))`.execute(trx);
    const open = current.rows.filter((r) => r.node === null && r.status !== null);
    const tokens = current.rows.filter((r) => r.status === null && r.node !== null);

    const slotsOf = new Map<string, SlotCount[]>();
    for (const d of durations.rows) {
      const list = slotsOf.get(d.node) ?? [];
      list.push({ slot: Math.min(MAX_SLOT, Number(d.slot)), n: Number(d.n), totalMs: Number(d.total) });
      slotsOf.set(d.node, list);
    }
    const perNode = new Map(tokens.map((t) => [t.node!, { active: Number(t.active), incidents: Number(t.incidents) }]));
    const ids = [...def.nodes.map((n) => n.id)];
    for (const id of [...slotsOf.keys(), ...perNode.keys()]) if (id !== '' && !ids.includes(id)) ids.push(id);
    const nodes: NodeStats[] = ids.map((id) => {
      const n = def.nodes.find((x) => x.id === id);
      const s = summarize(slotsOf.get(id) ?? []);
      return { nodeId: id, name: n?.name ?? null, type: n?.type ?? null, active: perNode.get(id)?.active ?? 0, incidents: perNode.get(id)?.incidents ?? 0, visits: s.visits, avgMs: s.avgMs, p95Ms: s.p95Ms };
    });

    const perBucket = new Map(counts.rows.map((c) => [new Date(c.at).getTime(), c]));
    const throughput: ProcessStats['throughput'] = [];
    const totals = { started: 0, completed: 0, cancelled: 0 };
    for (let t = from; t < to; t += size) {
      const c = perBucket.get(t);
      const e = { at: new Date(t).toISOString(), started: Number(c?.started ?? 0), completed: Number(c?.completed ?? 0), cancelled: Number(c?.cancelled ?? 0) };
      totals.started += e.started;
      totals.completed += e.completed;
      totals.cancelled += e.cancelled;
      throughput.push(e);
    }
    const whole = summarize(slotsOf.get('') ?? []);
    const openCount = (s: string) => Number(open.find((o) => o.status === s)?.instances ?? 0);
    return {
      process: key,
      version,
      from: fromD.toISOString(),
      to: toD.toISOString(),
      bucket,
      instances: { active: openCount('running'), incident: openCount('incident'), ...totals, avgMs: whole.avgMs, p95Ms: whole.p95Ms },
      nodes,
      throughput,
    };
  });
}
