/**
 * Dynamic fields in OTOBO's shape: `DynamicField` as one `{Name, Value}`, a list of them (or, for
 * convenience, a `{Name: Value}` map), split into ticket and article fields, with values converted
 * between OTOBO's text forms (`"1"` for a checked checkbox, `"2024-05-01 00:00:00"` for a date,
 * `"42"` for an integer) and the helpdesk's typed values (`valueSchema`). The values themselves are
 * checked by the ticket services, so they are judged as everywhere else.
 */
import type { Kysely } from 'kysely';
import { dynamicFieldName } from '../../catalog/resolve';
import type { DB, DynamicFieldType } from '../../db/schema';
import { fieldsByName, type FieldDefinition } from '../../dynamic-fields/values';
import { opError } from '../envelope';
import { isObject, otoboTime, parseOtoboTime } from '../params';

/** A value as OTOBO clients send it → the helpdesk's typed value (unconvertible ones are passed on to fail validation). */
export function valueFromOtobo(type: DynamicFieldType, value: unknown): unknown {
  if (value === undefined || value === null || value === '') return null;
  const one = Array.isArray(value) && value.length === 1 && type !== 'multiselect' ? value[0] : value;
  switch (type) {
    case 'text':
    case 'textarea':
    case 'dropdown':
      return typeof one === 'number' ? String(one) : one;
    case 'multiselect':
      return (Array.isArray(one) ? one : [one]).map((v) => (typeof v === 'number' ? String(v) : v));
    case 'checkbox':
      if (one === true || one === 1 || one === '1') return true;
      if (one === false || one === 0 || one === '0') return false;
      return one;
    case 'integer':
      return typeof one === 'string' && /^\s*-?\d{1,15}\s*$/.test(one) ? Number(one) : one;
    case 'date': {
      const m = typeof one === 'string' ? /^(\d{4}-\d{2}-\d{2})(?:[ T]00:00(?::00)?)?$/.exec(one.trim()) : null;
      return m ? m[1] : one;
    }
    case 'datetime':
      return parseOtoboTime(one) ?? one;
  }
}

/** A stored value → OTOBO's form. */
export function valueToOtobo(type: DynamicFieldType, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  switch (type) {
    case 'checkbox':
      return value ? '1' : '0';
    case 'integer':
      return String(value);
    case 'date':
      return `${String(value)} 00:00:00`;
    case 'datetime':
      return otoboTime(String(value));
    default:
      return value;
  }
}

export interface SplitFields {
  ticket: Record<string, unknown>;
  article: Record<string, unknown>;
}

/** `{Name, Value}` items from what the client sent, or undefined when the structure is wrong. */
function items(raw: unknown): Array<Record<string, unknown>> | undefined {
  if (Array.isArray(raw)) return raw.every(isObject) ? (raw as Array<Record<string, unknown>>) : undefined;
  if (!isObject(raw)) return undefined;
  if ('Name' in raw) return [raw];
  return Object.entries(raw).map(([Name, Value]) => ({ Name, Value }));
}

/**
 * Reads `DynamicField` of operation `op`: unknown or disabled fields are `InvalidParameter`, a
 * missing `Name` or `Value` is `MissingParameter` (OTOBO's texts), values are converted.
 */
export async function readDynamicFields(db: Kysely<DB>, op: string, raw: unknown): Promise<SplitFields> {
  const out: SplitFields = { ticket: {}, article: {} };
  if (raw === undefined || raw === null) return out;
  const list = items(raw);
  if (!list || (Array.isArray(raw) && !raw.length)) throw opError(op, 'MissingParameter', 'DynamicField parameter is missing or not valid!');
  for (const item of list) {
    for (const key of ['Name', 'Value']) {
      const v = item[key];
      if (v === undefined || v === null || (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean' && !Array.isArray(v))) {
        throw opError(op, 'MissingParameter', `DynamicField->${key} parameter is missing!`);
      }
    }
  }
  const defs = await fieldsByName(db, list.map((i) => dynamicFieldName(String(i.Name))));
  for (const item of list) {
    const name = dynamicFieldName(String(item.Name));
    const f: FieldDefinition | undefined = defs.get(name);
    if (!f || !f.valid) throw opError(op, 'InvalidParameter', `DynamicField->Name parameter is invalid! (no valid dynamic field "${name}")`);
    out[f.object_type][f.name] = valueFromOtobo(f.field_type, item.Value);
  }
  return out;
}
