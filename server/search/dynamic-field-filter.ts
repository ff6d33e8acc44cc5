/**
 * Dynamic field filters of a ticket search: `{ name, op, value }` → a condition on ticket `t`
 * over `dynamic_field_values` (jsonb `value` plus the denormalised columns, see
 * `dynamic-fields/values.ts`). The column is chosen by the field type:
 *
 * | type | eq / ne / in | contains / like | gt gte lt lte |
 * | --- | --- | --- | --- |
 * | text, textarea, dropdown | value_text | value_text | – |
 * | multiselect | has that key (jsonb) | value_text | – |
 * | integer | value_num | – | value_num |
 * | checkbox | value_num (1/0) | – | – |
 * | date, datetime | value_date | – | value_date |
 *
 * `ne` also matches tickets without a value; `empty` means no value, `notEmpty` some value.
 * Values are checked against the field's JSON Schema (`valueSchema`); a bad one is a 400 naming
 * the filter's path. A field the caller may not see (customer users: one that is not
 * customer-visible, or internal) is refused as if it did not exist (`access.assertDynamicFieldSearchable`).
 */
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Access } from '../access/access';
import { resolveDynamicField, type DynamicFieldRow } from '../catalog/resolve';
import type { DB } from '../db/schema';
import { valueSchema } from '../dynamic-fields/value-schema';
import { BadRequest, ValidationFailed } from '../errors';
import { check } from '../http/validate';
import { likeSubstring } from './fulltext';
import type { DynamicFieldFilter, DynamicFieldOperator } from './schema';

type Kind = 'text' | 'multi' | 'num' | 'bool' | 'date' | 'datetime';

const KIND: Record<DynamicFieldRow['field_type'], Kind> = {
  text: 'text',
  textarea: 'text',
  dropdown: 'text',
  multiselect: 'multi',
  integer: 'num',
  checkbox: 'bool',
  date: 'date',
  datetime: 'datetime',
};

const ALLOWED: Record<DynamicFieldOperator, Kind[]> = {
  eq: ['text', 'multi', 'num', 'bool', 'date', 'datetime'],
  ne: ['text', 'multi', 'num', 'bool', 'date', 'datetime'],
  in: ['text', 'multi', 'num', 'date', 'datetime'],
  contains: ['text', 'multi'],
  like: ['text', 'multi'],
  gt: ['num', 'date', 'datetime'],
  gte: ['num', 'date', 'datetime'],
  lt: ['num', 'date', 'datetime'],
  lte: ['num', 'date', 'datetime'],
  empty: ['text', 'multi', 'num', 'bool', 'date', 'datetime'],
  notEmpty: ['text', 'multi', 'num', 'bool', 'date', 'datetime'],
};

/**
 * The JSON Schema of ONE compared value: the field's own (a multiselect's single key; never null),
 * without the bounds meant for stored values (asking for `Days > 1000` is fine when 1000 is the max).
 */
function elementSchema(field: DynamicFieldRow): Record<string, unknown> {
  const [, schema] = (valueSchema(field) as { anyOf: Array<Record<string, unknown>> }).anyOf;
  const one = field.field_type === 'multiselect' ? (schema!.items as Record<string, unknown>) : schema!;
  const { minimum: _min, maximum: _max, pattern: _pattern, maxLength: _maxLength, ...rest } = one;
  return rest;
}

/** A query-string value as the field type wants it (`"5"` → 5, `"true"` → true). */
function fromQueryString(kind: Kind, raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  if (kind === 'num' && /^-?\d+$/.test(raw.trim())) return Number(raw);
  if (kind === 'bool' && /^(true|1|false|0)$/.test(raw)) return raw === 'true' || raw === '1';
  return raw;
}

function checkElement(field: DynamicFieldRow, value: unknown, path: string): void {
  try {
    check(elementSchema(field), value, `dynamic field ${field.name}`);
  } catch (e) {
    if (!(e instanceof ValidationFailed)) throw e;
    const problems = ((e.details as Array<{ path: string; message: string }>) ?? []).map((p) => ({
      path: path + (p.path === '/' ? '' : p.path),
      message: p.message,
    }));
    const first = problems[0] ?? { path, message: 'is invalid' };
    throw new ValidationFailed(`dynamic field "${field.name}": ${first.path} ${first.message}`, first.path, problems);
  }
}

/** The SQL value compared with the field's column. */
function sqlValue(kind: Kind, value: unknown): RawBuilder<unknown> {
  switch (kind) {
    case 'num':
      return sql`${value as number}::numeric`;
    case 'bool':
      return sql`${value ? 1 : 0}::numeric`;
    case 'date':
      return sql`${`${value as string}T00:00:00Z`}::timestamptz`;
    case 'datetime':
      return sql`${value as string}::timestamptz`;
    default:
      return sql`${value as string}::text`;
  }
}

const COLUMN: Record<Kind, RawBuilder<unknown>> = {
  text: sql`v.value_text`,
  multi: sql`v.value_text`,
  num: sql`v.value_num`,
  bool: sql`v.value_num`,
  date: sql`v.value_date`,
  datetime: sql`v.value_date`,
};

const COMPARE: Partial<Record<DynamicFieldOperator, string>> = { gt: '>', gte: '>=', lt: '<', lte: '<=' };

/** "has a value": rows holding JSON null, an empty list or an empty string do not count. */
const HAS_VALUE = sql<SqlBool>`v.value not in ('null'::jsonb, '[]'::jsonb, '""'::jsonb)`;

/** `*` and `?` wildcards over the whole value: `ACME*` → `ACME%`. */
function anchoredLike(pattern: string): string {
  return pattern.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%').replace(/\?/g, '_');
}

function equals(kind: Kind, value: unknown): RawBuilder<SqlBool> {
  if (kind === 'multi') return sql<SqlBool>`v.value @> ${JSON.stringify([value])}::jsonb`;
  return sql<SqlBool>`${COLUMN[kind]} = ${sqlValue(kind, value)}`;
}

/**
 * The condition for one filter on ticket `t`.
 *
 * @example
 * await dynamicFieldCondition(db, access, { name: 'Days', op: 'gt', value: 3 }, '/dynamicFields/0')
 * // → exists (select 1 from dynamic_field_values v where v.field_id = $1 and v.object_id = t.id and v.value_num > $2::numeric)
 */
export async function dynamicFieldCondition(db: Kysely<DB>, access: Access, filter: DynamicFieldFilter, path: string, queryString = false): Promise<RawBuilder<SqlBool>> {
  const field = await resolveDynamicField(db, { name: filter.name }, queryString ? path : `${path}/name`);
  // Before anything else tells the field apart from an unknown one.
  access.assertDynamicFieldSearchable(field, queryString ? path : `${path}/name`, filter.name);
  if (field.object_type !== 'ticket') {
    throw new BadRequest(`dynamic field "${field.name}" belongs to articles, not tickets`, queryString ? path : `${path}/name`);
  }
  const kind = KIND[field.field_type];
  const op = filter.op;
  const valuePath = queryString ? path : `${path}/value`;
  if (!ALLOWED[op].includes(kind)) {
    throw new BadRequest(`operator "${op}" does not apply to the ${field.field_type} field "${field.name}"`, queryString ? path : `${path}/op`);
  }
  const raw = queryString && op === 'in' && typeof filter.value === 'string' ? filter.value.split(',') : filter.value;
  const value = queryString ? (Array.isArray(raw) ? raw.map((x) => fromQueryString(kind, x)) : fromQueryString(kind, raw)) : raw;

  let cond: RawBuilder<SqlBool>;
  let negate = false;
  switch (op) {
    case 'empty':
    case 'notEmpty':
      cond = HAS_VALUE;
      negate = op === 'empty';
      break;
    case 'in': {
      if (!Array.isArray(value) || !value.length || value.length > 100) {
        throw new BadRequest(`operator "in" needs a list of 1 to 100 values`, valuePath);
      }
      value.forEach((x, i) => checkElement(field, x, `${valuePath}/${i}`));
      cond =
        kind === 'multi'
          ? sql<SqlBool>`v.value ?| ${value as string[]}::text[]`
          : sql<SqlBool>`${COLUMN[kind]} in (${sql.join(value.map((x) => sqlValue(kind, x)))})`;
      break;
    }
    case 'contains':
    case 'like': {
      if (typeof value !== 'string' || !value) throw new BadRequest(`operator "${op}" needs a non-empty text`, valuePath);
      cond = sql<SqlBool>`v.value_text ilike ${op === 'contains' ? likeSubstring(value) : anchoredLike(value)}`;
      break;
    }
    default: {
      if (value === undefined || value === null) throw new BadRequest(`operator "${op}" needs a value`, valuePath);
      checkElement(field, value, valuePath);
      cond = op === 'eq' || op === 'ne' ? equals(kind, value) : sql<SqlBool>`${COLUMN[kind]} ${sql.raw(COMPARE[op]!)} ${sqlValue(kind, value)}`;
      negate = op === 'ne';
    }
  }
  const exists = sql<SqlBool>`exists (select 1 from dynamic_field_values v where v.field_id = ${field.id} and v.object_id = t.id and ${cond})`;
  return negate ? sql<SqlBool>`not ${exists}` : exists;
}
