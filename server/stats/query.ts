/**
 * Runs matrix and list statistics: one SQL query each, over the tickets the caller may read
 * (`Access.statTicketFilter`), with the definition's filters and the axes/filters the caller
 * changed before running (only those marked changeable). Lists stream from a SQL cursor in
 * batches, so an export of any size holds one batch in memory.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../db/schema';
import type { Access } from '../access/access';
import { BadRequest } from '../errors';
import { checkTimeZone, resolveDimension, timeUnits, type Dimension } from './dimensions';
import type { Axis, Cell, Filter, RunParams, StatDefinition, StatResult } from './schema';

type Sql = RawBuilder<unknown>;

const NONE = '-';

/**
 * The definition as it runs: changeable axes and filters replaced by the caller's, the rest kept.
 * Changing what is not changeable is a 400 naming the field.
 *
 * @example
 * effective(def, { x: { dimension: 'priority' } }); // when def.x.changeable
 */
export function effective(def: StatDefinition, p: RunParams = {}): StatDefinition {
  const out: StatDefinition = { ...def };
  for (const axis of ['x', 'y'] as const) {
    const given = p[axis];
    if (!given) continue;
    if (!def[axis]?.changeable) throw new BadRequest(`the ${axis === 'x' ? 'X' : 'Y'} axis of this statistic is not changeable`, `/${axis}`);
    out[axis] = { ...given, changeable: true };
  }
  if (p.filters) {
    const filters = [...(def.filters ?? [])];
    p.filters.forEach((f, i) => {
      const at = filters.findIndex((d) => d.dimension === f.dimension);
      if (at < 0 || !filters[at]!.changeable) throw new BadRequest(`the filter on ${f.dimension} is not changeable in this statistic`, `/filters/${i}/dimension`);
      filters[at] = { ...f, changeable: true };
    });
    out.filters = filters;
  }
  if (p.timeZone) out.timeZone = p.timeZone;
  if (p.params) out.params = { ...def.params, ...p.params };
  return out;
}

interface Prepared {
  tz: string;
  where: Sql[];
  access: Awaited<ReturnType<Access['statTicketFilter']>>;
}

async function prepare(db: Kysely<DB>, access: Access, def: StatDefinition): Promise<Prepared> {
  const tz = checkTimeZone(def.timeZone ?? 'UTC', '/timeZone');
  const where: Sql[] = [];
  for (const [i, f] of (def.filters ?? []).entries()) {
    const d = await resolveDimension(db, access, f.dimension, undefined, tz, `/filters/${i}/dimension`);
    where.push(d.filter(f as Filter, `/filters/${i}`));
  }
  return { tz, where, access: await access.statTicketFilter(!!def.systemWide) };
}

function base(db: Kysely<DB>, p: Prepared) {
  let q = db.selectFrom('tickets as t').where(p.access);
  for (const w of p.where) q = q.where(w as RawBuilder<boolean>);
  return q;
}

function axisOf(def: StatDefinition, which: 'x' | 'y'): Axis | undefined {
  return def[which];
}

/**
 * Runs a matrix: counts (or time-unit sums) per X value and Y value, with a sum row and column.
 * Without Y it is one column of values per X value.
 *
 * @example
 * await runMatrix(db, access, { format: 'stat/1', name: 'New tickets', kind: 'matrix', x: { dimension: 'created', grain: 'month' }, y: { dimension: 'queue' } });
 * // { columns: ['queue', '2026-01', '2026-02', 'Sum'], rows: [['Raw', 3, 1, 4]], sumRow: ['Sum', 3, 1, 4], sumColumn: true }
 */
export async function runMatrix(db: Kysely<DB>, access: Access, def: StatDefinition, opts: { timeoutMs?: number } = {}): Promise<StatResult> {
  const xAxis = axisOf(def, 'x');
  if (!xAxis) throw new BadRequest('a matrix needs an X axis', '/x');
  const yAxis = axisOf(def, 'y');
  const p = await prepare(db, access, def);
  const x = await resolveDimension(db, access, xAxis.dimension, xAxis.grain, p.tz, '/x/dimension');
  const y = yAxis ? await resolveDimension(db, access, yAxis.dimension, yAxis.grain, p.tz, '/y/dimension') : undefined;
  const measure = def.measure === 'timeUnits' ? sql`sum(${timeUnits})` : sql`count(*)`;
  const inner = base(db, p)
    .select([x.key().as('kx'), (y ? y.key() : sql`null`).as('ky'), measure.as('n')])
    .groupBy(y ? [sql`1`, sql`2`] : [sql`1`]);
  const query = sql<{ x: string | null; y: string | null; n: string | number }>`select ${x.label(sql`g.kx`)} as x, ${y ? y.label(sql`g.ky`) : sql`null`} as y, g.n from (${inner}) g`;
  const rows = await withTimeout(db, opts.timeoutMs, (q) => query.execute(q));
  return pivot(def, xAxis, yAxis, x, y, rows.rows);
}

function pivot(def: StatDefinition, xAxis: Axis, yAxis: Axis | undefined, x: Dimension, y: Dimension | undefined, rows: { x: string | null; y: string | null; n: string | number }[]): StatResult {
  const fx = (v: string | null) => (v === null ? NONE : x.format ? x.format(v) : v);
  const fy = (v: string | null) => (v === null ? NONE : y?.format ? y.format(v) : v);
  const cols = sortLabels([...new Set(rows.map((r) => fx(r.x)))]);
  const title = def.title ?? def.name;
  if (!y) {
    const byX = new Map(rows.map((r) => [fx(r.x), Number(r.n)]));
    const body: Cell[][] = cols.map((c) => [c, byX.get(c) ?? 0]);
    const total = body.reduce((s, r) => s + (r[1] as number), 0);
    return { title, columns: [axisName(xAxis), measureName(def)], rows: body, sumRow: ['Sum', total], sumColumn: false };
  }
  const rowLabels = sortLabels([...new Set(rows.map((r) => fy(r.y)))]);
  const cell = new Map<string, number>();
  for (const r of rows) cell.set(`${fy(r.y)}\u0000${fx(r.x)}`, (cell.get(`${fy(r.y)}\u0000${fx(r.x)}`) ?? 0) + Number(r.n));
  const body: Cell[][] = rowLabels.map((rl) => {
    const values = cols.map((c) => cell.get(`${rl}\u0000${c}`) ?? 0);
    return [rl, ...values, values.reduce((a, b) => a + b, 0)];
  });
  const sums = cols.map((_, i) => body.reduce((s, r) => s + (r[i + 1] as number), 0));
  return {
    title,
    columns: [axisName(yAxis!), ...cols, 'Sum'],
    rows: body,
    sumRow: ['Sum', ...sums, sums.reduce((a, b) => a + b, 0)],
    sumColumn: true,
  };
}

function axisName(a: Axis): string {
  return a.grain && ['created', 'closed', 'changed'].includes(a.dimension) ? `${a.dimension} (${a.grain})` : a.dimension;
}

function measureName(def: StatDefinition): string {
  return def.measure === 'timeUnits' ? 'time units' : 'tickets';
}

/** Natural order, the "none" value last. */
function sortLabels(labels: string[]): string[] {
  return labels.sort((a, b) => (a === NONE ? 1 : b === NONE ? -1 : a.localeCompare(b, 'en', { numeric: true })));
}

/** The preview's refusal when a statistic runs longer than its time limit. */
function tooLong(timeoutMs: number): BadRequest {
  return new BadRequest(`the statistic took longer than the preview's limit of ${timeoutMs} ms; narrow its filters or download it instead`, undefined, { timeoutMs }, 'STAT_TIMEOUT');
}

/**
 * Runs `fn` in a transaction whose statements stop after `timeoutMs` (PostgreSQL's
 * statement_timeout). PGlite runs a query to its end in this thread and has no statement timeout,
 * so there a result that took longer than the limit is refused after the fact: the caller gets the
 * same 400 `STAT_TIMEOUT` on both databases.
 */
async function withTimeout<T>(db: Kysely<DB>, timeoutMs: number | undefined, fn: (q: Kysely<DB>) => Promise<T>): Promise<T> {
  if (!timeoutMs) return fn(db);
  const started = performance.now();
  const result = await db.transaction().execute(async (trx) => {
    await sql`select set_config('statement_timeout', ${String(Math.max(1, Math.round(timeoutMs)))}, true)`.execute(trx);
    try {
      return await fn(trx);
    } catch (e) {
      if (/statement timeout/i.test(String((e as Error).message))) throw tooLong(timeoutMs);
      throw e;
    }
  });
  if (performance.now() - started > timeoutMs) throw tooLong(timeoutMs);
  return result;
}

// ---- lists ----------------------------------------------------------------------------------

const DEFAULT_COLUMNS = ['tn', 'title', 'queue', 'state', 'created'];

interface ListQuery {
  columns: string[];
  query: Sql;
}

async function listQuery(db: Kysely<DB>, access: Access, def: StatDefinition, limit?: number): Promise<ListQuery> {
  const p = await prepare(db, access, def);
  const columns = def.columns ?? DEFAULT_COLUMNS;
  const cells: Sql[] = [];
  for (const [i, c] of columns.entries()) cells.push(await listCell(db, access, c, p.tz, `/columns/${i}`));
  const orderCol = def.orderBy ?? 'created';
  const order = await listOrder(db, access, orderCol, p.tz);
  const dir = def.descending ? sql`desc` : sql`asc`;
  const q = base(db, p).select(cells.map((c, i) => c.as(`c${i}`)));
  const compiled = sql`${q} order by ${order} ${dir} nulls last, t.id ${dir}${limit ? sql` limit ${sql.lit(limit)}` : sql``}`;
  return { columns, query: compiled };
}

async function listCell(db: Kysely<DB>, access: Access, column: string, tz: string, path: string): Promise<Sql> {
  if (column === 'tn') return sql`t.tn`;
  if (column === 'title') return sql`t.title`;
  if (column === 'timeUnits') return sql`${timeUnits}::float8`;
  return (await resolveDimension(db, access, column, undefined, tz, path)).cell();
}

async function listOrder(db: Kysely<DB>, access: Access, column: string, tz: string): Promise<Sql> {
  if (column === 'created') return sql`t.created_at`;
  if (column === 'changed') return sql`t.changed_at`;
  return listCell(db, access, column, tz, '/orderBy');
}

/** The first `limit` rows of a list (the preview, and lists shown in the UI). */
export async function runList(db: Kysely<DB>, access: Access, def: StatDefinition, opts: { limit: number; timeoutMs?: number }): Promise<StatResult> {
  const { columns, query } = await listQuery(db, access, def, opts.limit + 1);
  const r = await withTimeout(db, opts.timeoutMs, (q) => sql<Record<string, Cell>>`${query}`.execute(q));
  const rows = r.rows.slice(0, opts.limit).map((row) => columns.map((_, i) => normalise(row[`c${i}`])));
  return { title: def.title ?? def.name, columns, rows, truncated: r.rows.length > opts.limit };
}

function normalise(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string') return v;
  return String(v);
}

/**
 * Every row of a list, in batches of `batchSize`, from a SQL cursor in one read-only transaction:
 * memory holds one batch whatever the number of rows.
 *
 * @example
 * for await (const batch of streamList(db, access, def)) write(batch);
 */
export async function* streamList(db: Kysely<DB>, access: Access, def: StatDefinition, batchSize = 2000): AsyncGenerator<{ columns: string[]; rows: Cell[][] }> {
  const { columns, query } = await listQuery(db, access, def);
  const trx = await db.startTransaction().execute();
  let ok = false;
  try {
    await sql`declare stat_list no scroll cursor for ${query}`.execute(trx);
    for (;;) {
      const r = await sql<Record<string, unknown>>`fetch ${sql.lit(batchSize)} from stat_list`.execute(trx);
      if (!r.rows.length) break;
      yield { columns, rows: r.rows.map((row) => columns.map((_, i) => normalise(row[`c${i}`]))) };
      if (r.rows.length < batchSize) break;
    }
    ok = true;
  } finally {
    if (ok) await trx.commit().execute();
    else await trx.rollback().execute();
  }
}

/** How many rows a list has (the export's progress total). */
export async function countList(db: Kysely<DB>, access: Access, def: StatDefinition): Promise<number> {
  const p = await prepare(db, access, def);
  const r = await base(db, p).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}
