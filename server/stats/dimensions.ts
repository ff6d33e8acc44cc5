/**
 * The dimensions a statistic groups, filters and lists by, as SQL over `tickets as t`: each has a
 * grouping key, a label for a key, a filter, and a list cell. Reference dimensions key by id and
 * name their values after grouping (so a matrix over a million tickets groups integers); time
 * dimensions bucket in the statistic's IANA time zone with `AT TIME ZONE` in SQL, so a month is
 * the month of the wall clock there, across DST changes, on PostgreSQL and PGlite alike.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../db/schema';
import { BadRequest } from '../errors';
import type { Access } from '../access/access';
import { REF_DIMENSIONS, TIME_DIMENSIONS, type Filter, type RefDimension, type TimeDimension, type TimeGrain } from './schema';

type Sql = RawBuilder<unknown>;

export interface Dimension {
  /** The grouping key, an expression over `t`. */
  key(): Sql;
  /** The label of a grouping key `k` (a column of the grouped rows). */
  label(k: Sql): Sql;
  /** Turns a label from SQL into what the user sees (hour buckets name their UTC offset). */
  format?(label: string): string;
  /** The condition a filter on this dimension puts on `t`. */
  filter(f: Filter, path: string): Sql;
  /** The cell of a list row. */
  cell(): Sql;
}

/** `queue` → the catalogue table and the ticket column behind a reference dimension. */
const REFS: Record<Exclude<RefDimension, 'stateType' | 'customer'>, { table: string; column: string; name: string }> = {
  queue: { table: 'queues', column: 'queue_id', name: 'name' },
  state: { table: 'states', column: 'state_id', name: 'name' },
  priority: { table: 'priorities', column: 'priority_id', name: 'name' },
  type: { table: 'ticket_types', column: 'type_id', name: 'name' },
  service: { table: 'services', column: 'service_id', name: 'name' },
  sla: { table: 'slas', column: 'sla_id', name: 'name' },
  owner: { table: 'agents', column: 'owner_id', name: 'login' },
  responsible: { table: 'agents', column: 'responsible_id', name: 'login' },
  customerUser: { table: 'customer_users', column: 'customer_user_id', name: 'login' },
};

const GRAIN_FORMAT: Record<Exclude<TimeGrain, 'hour'>, string> = {
  day: 'YYYY-MM-DD',
  week: 'IYYY-"W"IW',
  month: 'YYYY-MM',
  year: 'YYYY',
};

/** Whether `tz` is an IANA time zone name (or UTC); throws a 400 at `path` otherwise. */
export function checkTimeZone(tz: string, path: string): string {
  if (!/^[A-Za-z0-9_+\-/]{1,64}$/.test(tz)) throw new BadRequest(`unknown time zone ${JSON.stringify(tz)}`, path);
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    throw new BadRequest(`unknown time zone ${JSON.stringify(tz)}`, path);
  }
  return tz;
}

/** When a ticket was closed: the last state change of a ticket whose state is of type closed (its creation if it was created closed), else null. */
export const closedAt = sql`(case when t.state_id in (select s.id from states s join state_types st on st.id = s.type_id where st.name = 'closed')
  then coalesce((select max(h.created_at) from ticket_history h where h.ticket_id = t.id and h.type = 'StateUpdate'), t.created_at) end)`;

/** The time units booked on a ticket's articles. */
export const timeUnits = sql`coalesce((select sum(a.time_units) from articles a where a.ticket_id = t.id), 0)`;

function timeColumn(d: TimeDimension): Sql {
  return d === 'created' ? sql`t.created_at` : d === 'changed' ? sql`t.changed_at` : closedAt;
}

function timeDimension(d: TimeDimension, grain: TimeGrain, tz: string): Dimension {
  const col = timeColumn(d);
  const zone = sql.lit(tz);
  const local = sql`(${col} at time zone ${zone})`;
  return {
    key: () =>
      grain === 'hour'
        ? // The UTC instant the local hour starts: the two 02:00 hours of an autumn night stay apart.
          sql`(date_trunc('hour', ${local}) - (${local} - (${col} at time zone 'UTC')))`
        : sql`date_trunc(${sql.lit(grain)}, ${local})`,
    label: (k) => (grain === 'hour' ? sql`to_char(${k}, 'YYYY-MM-DD"T"HH24:MI:SS"Z"')` : sql`to_char(${k}, ${sql.lit(GRAIN_FORMAT[grain])})`),
    format: grain === 'hour' ? (label) => hourLabel(label, tz) : undefined,
    filter: (f, path) => {
      if (f.values?.length) throw new BadRequest(`a time dimension is filtered with from/to, not values`, `${path}/values`);
      const parts: Sql[] = [];
      if (f.from) parts.push(sql`${col} >= ${new Date(f.from)}`);
      if (f.to) parts.push(sql`${col} < ${new Date(f.to)}`);
      if (d === 'closed') parts.push(sql`${col} is not null`);
      return parts.length ? sql.join(parts, sql` and `) : sql`true`;
    },
    cell: () => sql`to_char(${local}, 'YYYY-MM-DD HH24:MI:SS')`,
  };
}

/** `2026-10-25T01:00:00Z` in Europe/Berlin → `2026-10-25 02:00 GMT+1`. */
function hourLabel(iso: string, tz: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23', timeZoneName: 'shortOffset' }).formatToParts(new Date(iso));
  const p = (t: string) => parts.find((x) => x.type === t)?.value ?? '';
  return `${p('year')}-${p('month')}-${p('day')} ${p('hour')}:00 ${p('timeZoneName')}`;
}

function valuesFilter(f: Filter, path: string): string[] {
  if (f.from || f.to) throw new BadRequest('only time dimensions are filtered with from/to', `${path}/${f.from ? 'from' : 'to'}`);
  if (!f.values?.length) throw new BadRequest('a filter needs at least one value', `${path}/values`);
  return f.values;
}

function refDimension(d: RefDimension): Dimension {
  if (d === 'customer') {
    return {
      key: () => sql`t.customer_id`,
      label: (k) => sql`${k}`,
      filter: (f, path) => sql`t.customer_id in (${sql.join(valuesFilter(f, path))})`,
      cell: () => sql`t.customer_id`,
    };
  }
  if (d === 'stateType') {
    return {
      key: () => sql`(select s.type_id from states s where s.id = t.state_id)`,
      label: (k) => sql`(select st.name from state_types st where st.id = ${k})`,
      filter: (f, path) => sql`t.state_id in (select s.id from states s join state_types st on st.id = s.type_id where st.name in (${sql.join(valuesFilter(f, path))}))`,
      cell: () => sql`(select st.name from states s join state_types st on st.id = s.type_id where s.id = t.state_id)`,
    };
  }
  const r = REFS[d];
  const table = sql.table(r.table);
  const name = sql.ref(`x.${r.name}`);
  const column = sql.ref(`t.${r.column}`);
  return {
    key: () => column,
    label: (k) => sql`(select ${name} from ${table} x where x.id = ${k})`,
    filter: (f, path) => sql`${column} in (select x.id from ${table} x where ${name} in (${sql.join(valuesFilter(f, path))}))`,
    cell: () => sql`(select ${name} from ${table} x where x.id = ${column})`,
  };
}

function dropdownDimension(fieldId: number): Dimension {
  const value = sql`(select v.value_text from dynamic_field_values v where v.field_id = ${sql.lit(fieldId)} and v.object_id = t.id)`;
  return {
    key: () => value,
    label: (k) => sql`${k}`,
    filter: (f, path) => sql`exists (select 1 from dynamic_field_values v where v.field_id = ${sql.lit(fieldId)} and v.object_id = t.id and v.value_text in (${sql.join(valuesFilter(f, path))}))`,
    cell: () => value,
  };
}

/**
 * Resolves a dimension name (`queue`, `created`, `df:Colour`) for a statistic running in `tz`.
 * Unknown names, and dynamic fields that are not ticket dropdowns the caller may read, are a 400 at `path`.
 *
 * @example
 * const month = await resolveDimension(db, access, 'created', 'month', 'Europe/Berlin', '/x/dimension');
 */
export async function resolveDimension(db: Kysely<DB>, access: Access, name: string, grain: TimeGrain | undefined, tz: string, path: string): Promise<Dimension> {
  if ((TIME_DIMENSIONS as readonly string[]).includes(name)) return timeDimension(name as TimeDimension, grain ?? 'month', tz);
  if ((REF_DIMENSIONS as readonly string[]).includes(name)) return refDimension(name as RefDimension);
  const m = /^df:([A-Za-z0-9]+)$/.exec(name);
  if (m) {
    const field = await db
      .selectFrom('dynamic_fields')
      .select(['id', 'name', 'field_type', 'object_type', 'internal', 'customer_visible'])
      .where('name', '=', m[1]!)
      .executeTakeFirst();
    if (!field || field.object_type !== 'ticket' || field.field_type !== 'dropdown' || !access.mayReadDynamicField(field)) {
      throw new BadRequest(`no ticket dropdown dynamic field ${JSON.stringify(m[1])}`, path, undefined, 'UNKNOWN_REFERENCE');
    }
    return dropdownDimension(field.id);
  }
  throw new BadRequest(`unknown dimension ${JSON.stringify(name)}`, path);
}
