/**
 * Sort orders of ticket lists and the keyset ("cursor") that continues a list after its last row.
 *
 * Every order ends with the ticket id, so it is total and stable. A cursor is an opaque token: the
 * sort, the direction, a fingerprint of the filters, and the sort-key values of the last row as the
 * database printed them (timestamps keep their microseconds). The next page is then
 * `where (keys) > (values)` in the sort's direction: no OFFSET, so deep pages stay as fast as the
 * first one when an index serves the order (`id`, `created`, `changed`: see migration 0006).
 */
import { createHash } from 'node:crypto';
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { BadRequest } from '../errors';
import { SORT_FIELDS, type SortField, type TicketSearchCriteria } from './schema';

type Cast = 'int' | 'text' | 'timestamptz' | 'boolean';

export interface SortKey {
  /** Expression over `t` and the joined `q` (queue), `st` (state), `p` (priority), `o` (owner). */
  expr: RawBuilder<unknown>;
  cast: Cast;
  /** Always ascending, whatever the order (the "is null" flag that puts empty values last). */
  ascending?: boolean;
}

const key = (expr: RawBuilder<unknown>, cast: Cast): SortKey => ({ expr, cast });
/** A nullable key: rows without a value come last in both directions. */
const nullsLast = (col: RawBuilder<unknown>, cast: Cast, filler: RawBuilder<unknown>): SortKey[] => [
  { expr: sql`(${col} is null)`, cast: 'boolean', ascending: true },
  key(sql`coalesce(${col}, ${filler})`, cast),
];

const KEYS: Record<SortField, SortKey[]> = {
  id: [],
  tn: [key(sql`t.tn`, 'text')],
  title: [key(sql`t.title`, 'text')],
  created: [key(sql`t.created_at`, 'timestamptz')],
  changed: [key(sql`t.changed_at`, 'timestamptz')],
  priority: [key(sql`p.name`, 'text')],
  state: [key(sql`st.name`, 'text')],
  queue: [key(sql`q.name`, 'text')],
  owner: nullsLast(sql`o.login`, 'text', sql`''`),
  pendingUntil: nullsLast(sql`t.pending_until`, 'timestamptz', sql`'-infinity'::timestamptz`),
  escalation: nullsLast(sql`t.escalation_at`, 'timestamptz', sql`'-infinity'::timestamptz`),
};

/** The sort keys of a field, ending with the ticket id. */
export function sortKeys(field: SortField): SortKey[] {
  return [...KEYS[field], key(sql`t.id`, 'int')];
}

/** The default direction: newest first for the time stamps, ascending for the rest. */
export function defaultOrder(field: SortField): 'asc' | 'desc' {
  return field === 'created' || field === 'changed' ? 'desc' : 'asc';
}

const dirOf = (k: SortKey, order: 'asc' | 'desc') => (k.ascending ? 'asc' : order);

/** `order by` items for the keys. */
export function orderByItems(keys: SortKey[], order: 'asc' | 'desc'): RawBuilder<unknown> {
  return sql.join(keys.map((k) => sql`${k.expr} ${sql.raw(dirOf(k, order))}`));
}

/** The parameter is sent as text and cast in SQL (PGlite would otherwise type it by the cast). */
const castTo = (value: string, cast: Cast) => sql`cast(cast(${value} as text) as ${sql.raw(cast === 'int' ? 'integer' : cast)})`;

/** The condition "after the row whose sort keys are `values`" in the list's order. */
export function afterCondition(keys: SortKey[], order: 'asc' | 'desc', values: string[]): RawBuilder<SqlBool> {
  const vals = keys.map((k, i) => castTo(values[i]!, k.cast));
  const op = (k: SortKey) => sql.raw(dirOf(k, order) === 'asc' ? '>' : '<');
  if (keys.every((k) => dirOf(k, order) === dirOf(keys[0]!, order))) {
    // One direction: a row comparison, which a composite index serves.
    return sql<SqlBool>`((${sql.join(keys.map((k) => k.expr))}) ${op(keys[0]!)} (${sql.join(vals)}))`;
  }
  const ors = keys.map((k, i) => {
    const eqs = keys.slice(0, i).map((p, j) => sql`${p.expr} = ${vals[j]!}`);
    return sql`(${sql.join([...eqs, sql`${k.expr} ${op(k)} ${vals[i]!}`], sql` and `)})`;
  });
  return sql<SqlBool>`(${sql.join(ors, sql` or `)})`;
}

interface CursorData {
  sort: SortField;
  order: 'asc' | 'desc';
  /** Fingerprint of the filters the list was made with. */
  filters: string;
  values: string[];
}

/** A short fingerprint of everything that decides which tickets a list holds. */
export function filterFingerprint(criteria: TicketSearchCriteria): string {
  const { page: _page, perPage: _perPage, cursor: _cursor, sort: _sort, order: _order, ...filters } = criteria;
  return createHash('sha256').update(JSON.stringify(filters)).digest('base64url').slice(0, 12);
}

export function encodeCursor(data: CursorData): string {
  return Buffer.from(JSON.stringify([data.sort, data.order, data.filters, data.values])).toString('base64url');
}

/** What the database prints for each key type (the database refuses the rest: see `invalidCursor`). */
const VALUE: Record<Cast, RegExp> = {
  int: /^-?\d{1,10}$/,
  boolean: /^(true|false)$/,
  timestamptz: /^(-?infinity|\d{4,}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d{1,6})?([+-]\d\d(:?\d\d){0,2}|Z)?)$/,
  text: /^[^\0]*$/,
};

export const invalidCursor = (why: string) => new BadRequest(`invalid cursor: ${why}`, '/cursor', undefined, 'INVALID_CURSOR');

/** Reads a cursor made for the same sort, direction and filters, or throws a 400 on `/cursor`. */
export function decodeCursor(token: string, expected: Omit<CursorData, 'values'>, keys: SortKey[]): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor('not a cursor of this API');
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) throw invalidCursor('not a cursor of this API');
  const [sort, order, filters, values] = parsed as [unknown, unknown, unknown, unknown];
  if (!SORT_FIELDS.includes(sort as SortField) || (order !== 'asc' && order !== 'desc') || typeof filters !== 'string') {
    throw invalidCursor('not a cursor of this API');
  }
  if (sort !== expected.sort || order !== expected.order) {
    throw invalidCursor(`it continues a list sorted by ${sort} ${order}, not ${expected.sort} ${expected.order}`);
  }
  if (filters !== expected.filters) throw invalidCursor('it continues a list with other filters');
  if (!Array.isArray(values) || values.length !== keys.length || !values.every((v, i) => typeof v === 'string' && VALUE[keys[i]!.cast].test(v))) {
    throw invalidCursor('not a cursor of this API');
  }
  return values as string[];
}
