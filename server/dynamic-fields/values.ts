/**
 * Dynamic field values of tickets and articles: validated against the field's JSON Schema
 * (`valueSchema`), stored as jsonb plus denormalised columns that search filters on:
 *
 * | field type | value_text | value_num | value_date |
 * | --- | --- | --- | --- |
 * | text, textarea, dropdown | the string | – | – |
 * | multiselect | keys joined with `\n` | – | – |
 * | date (`YYYY-MM-DD`) | the string | – | midnight UTC |
 * | datetime | – | – | the moment |
 * | integer | – | the number | – |
 * | checkbox | – | 1 / 0 | – |
 *
 * Writing `null` deletes the value. Definitions belong to the catalogue; this file only reads them.
 */
import type { Kysely } from 'kysely';
import { dynamicFieldName } from '../catalog/resolve';
import type { DB, DynamicFieldType } from '../db/schema';
import { BadRequest, ValidationFailed } from '../errors';
import { check } from '../http/validate';
import { valueSchema } from './value-schema';

export type DynamicFieldObject = 'ticket' | 'article';

export interface FieldDefinition {
  id: number;
  name: string;
  label: string;
  field_type: DynamicFieldType;
  object_type: DynamicFieldObject;
  config: Record<string, unknown>;
  internal: boolean;
  customer_visible: boolean;
  valid: boolean;
  changed_at: Date;
}

/** One value that changed, for history. */
export interface ValueChange {
  field: FieldDefinition;
  old: unknown;
  new: unknown;
}

export interface Denormalised {
  value_text: string | null;
  value_num: number | null;
  value_date: Date | null;
}

/** The search columns of a (valid, non-null) value. */
export function denormalise(type: DynamicFieldType, value: unknown): Denormalised {
  const out: Denormalised = { value_text: null, value_num: null, value_date: null };
  switch (type) {
    case 'text':
    case 'textarea':
    case 'dropdown':
      out.value_text = value as string;
      break;
    case 'multiselect':
      out.value_text = (value as string[]).join('\n');
      break;
    case 'date':
      out.value_text = value as string;
      out.value_date = new Date(`${value as string}T00:00:00Z`);
      break;
    case 'datetime':
      out.value_date = new Date(value as string);
      break;
    case 'integer':
      out.value_num = value as number;
      break;
    case 'checkbox':
      out.value_num = value ? 1 : 0;
      break;
  }
  return out;
}

/** A value as history shows it: strings as they are, lists joined with `, `, the rest as JSON. */
export function valueText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'boolean') return value ? '1' : '0';
  return JSON.stringify(value);
}

// valueSchema builds a new object per call; keep one per field version so ajv compiles it once.
const schemas = new Map<string, Record<string, unknown>>();
function schemaOf(f: FieldDefinition): Record<string, unknown> {
  const key = `${f.id}:${f.changed_at.getTime()}:${JSON.stringify(f.config)}`;
  let s = schemas.get(key);
  if (!s) {
    if (schemas.size > 2000) schemas.clear();
    schemas.set(key, (s = valueSchema(f)));
  }
  return s;
}

/** Throws a 400 naming `${path}` (and the inner path) unless `value` is valid for the field. */
export function checkValue(field: FieldDefinition, value: unknown, path: string): void {
  try {
    check(schemaOf(field), value, `dynamic field ${field.name}`);
  } catch (e) {
    if (!(e instanceof ValidationFailed)) throw e;
    const problems = ((e.details as Array<{ path: string; message: string }>) ?? []).map((p) => ({
      path: path + (p.path === '/' ? '' : p.path),
      message: p.message,
    }));
    // anyOf [null, X] reports both branches; the one that is not about null says what is wrong.
    const useful = problems.find((p) => !/must be null|must match a schema in anyOf/.test(p.message)) ?? problems[0];
    throw new ValidationFailed(`${useful?.path ?? path} ${useful?.message ?? 'is invalid'}`, useful?.path ?? path, problems);
  }
}

/** Definitions by name (any object type, valid or not: callers report what is wrong). */
export async function fieldsByName(db: Kysely<DB>, names: string[]): Promise<Map<string, FieldDefinition>> {
  if (!names.length) return new Map();
  const rows = await db
    .selectFrom('dynamic_fields')
    .select(['id', 'name', 'label', 'field_type', 'object_type', 'config', 'internal', 'customer_visible', 'valid', 'changed_at'])
    .where('name', 'in', names)
    .execute();
  return new Map(rows.map((r) => [r.name, r as FieldDefinition]));
}

/** One value to write, with its definition and where it sat in the request. */
export interface CheckedValue {
  field: FieldDefinition;
  value: unknown;
  path: string;
}

/**
 * Checks every value (unknown name, wrong object type, invalid field, invalid value → 400 naming
 * `${pathPrefix}/<Name>`) before writing any. Names may carry OTOBO's `DynamicField_` prefix.
 */
export async function checkValues(
  db: Kysely<DB>,
  objectType: DynamicFieldObject,
  values: Record<string, unknown>,
  pathPrefix = '/dynamicFields',
): Promise<CheckedValue[]> {
  const keys = Object.keys(values);
  const defs = await fieldsByName(db, keys.map(dynamicFieldName));
  const out: CheckedValue[] = [];
  const seen = new Set<number>();
  for (const key of keys) {
    const path = `${pathPrefix}/${key}`;
    const f = defs.get(dynamicFieldName(key));
    if (!f) throw new BadRequest(`unknown dynamic field "${key}"`, path, undefined, 'UNKNOWN_REFERENCE');
    if (f.object_type !== objectType) throw new BadRequest(`dynamic field "${f.name}" belongs to ${f.object_type}s, not ${objectType}s`, path);
    if (!f.valid) throw new BadRequest(`dynamic field "${f.name}" is invalid (disabled)`, path, undefined, 'INVALID_REFERENCE');
    if (seen.has(f.id)) throw new BadRequest(`dynamic field "${f.name}" is given twice`, path);
    seen.add(f.id);
    checkValue(f, values[key], path);
    out.push({ field: f, value: values[key] ?? null, path });
  }
  return out;
}

/**
 * Validates and writes values of one ticket or article; `null` deletes. Resolves to what changed
 * (old → new), in the order given; unchanged values are left out.
 *
 * @example
 * const changes = await setValues(trx, 'ticket', ticketId, { Approved: 'yes', Days: 3 }, '/dynamicFields');
 */
export async function setValues(
  db: Kysely<DB>,
  objectType: DynamicFieldObject,
  objectId: number,
  values: Record<string, unknown>,
  pathPrefix = '/dynamicFields',
): Promise<ValueChange[]> {
  const checked = await checkValues(db, objectType, values, pathPrefix);
  if (!checked.length) return [];
  const current = await db
    .selectFrom('dynamic_field_values')
    .select(['field_id', 'value'])
    .where('object_id', '=', objectId)
    .where(
      'field_id',
      'in',
      checked.map((c) => c.field.id),
    )
    .execute();
  const old = new Map(current.map((r) => [r.field_id, r.value]));
  const changes: ValueChange[] = [];
  for (const { field: f, value: next } of checked) {
    const prev = old.has(f.id) ? old.get(f.id) : null;
    if (JSON.stringify(prev) === JSON.stringify(next)) continue;
    if (next === null) {
      await db.deleteFrom('dynamic_field_values').where('field_id', '=', f.id).where('object_id', '=', objectId).execute();
    } else {
      const row = { value: JSON.stringify(next), ...denormalise(f.field_type, next) };
      await db
        .insertInto('dynamic_field_values')
        .values({ field_id: f.id, object_id: objectId, ...row })
        .onConflict((oc) => oc.columns(['field_id', 'object_id']).doUpdateSet(row))
        .execute();
    }
    changes.push({ field: f, old: prev, new: next });
  }
  return changes;
}

/**
 * Values of several objects of one type: object id → { FieldName: value }. Internal fields are
 * left out unless `includeInternal`; values of invalid fields are left out.
 */
export async function getValues(
  db: Kysely<DB>,
  objectType: DynamicFieldObject,
  objectIds: number[],
  opts: { includeInternal?: boolean; customerVisibleOnly?: boolean } = {},
): Promise<Map<number, Record<string, unknown>>> {
  const out = new Map<number, Record<string, unknown>>(objectIds.map((id) => [id, {}]));
  if (!objectIds.length) return out;
  let q = db
    .selectFrom('dynamic_field_values as v')
    .innerJoin('dynamic_fields as f', 'f.id', 'v.field_id')
    .select(['v.object_id', 'f.name', 'v.value'])
    .where('f.object_type', '=', objectType)
    .where('f.valid', '=', true)
    .where('v.object_id', 'in', objectIds)
    .orderBy('f.field_order')
    .orderBy('f.name');
  if (!opts.includeInternal) q = q.where('f.internal', '=', false);
  if (opts.customerVisibleOnly) q = q.where('f.customer_visible', '=', true);
  for (const r of await q.execute()) out.get(r.object_id)![r.name] = r.value;
  return out;
}
