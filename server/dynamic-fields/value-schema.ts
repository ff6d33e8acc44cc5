/**
 * The JSON Schema a dynamic field's value must satisfy, derived from its type and configuration.
 * One function serves the admin API (default values), ticket/article writes, the Generic Interface
 * and the engine's dialogs, so a value is judged the same way everywhere.
 *
 * Values by type: text/textarea → string; dropdown → one of `possibleValues`' keys; multiselect →
 * array of such keys; checkbox → boolean; date → `YYYY-MM-DD`; datetime → ISO 8601 date-time;
 * integer → integer. `null` clears a value.
 */
import type { DynamicFieldType } from '../db/schema';

export interface DynamicFieldConfig {
  /** dropdown / multiselect: key → display value. */
  possibleValues?: Record<string, string>;
  defaultValue?: unknown;
  /** text / textarea: a regular expression the value must match. */
  regex?: string;
  /** text / textarea: longest allowed value. */
  maxLength?: number;
  /** integer: bounds. */
  min?: number;
  max?: number;
}

export interface FieldLike {
  name: string;
  field_type: DynamicFieldType;
  config: DynamicFieldConfig | Record<string, unknown>;
}

/**
 * @example
 * valueSchema({ name: 'Approved', field_type: 'dropdown', config: { possibleValues: { yes: 'Yes', no: 'No' } } })
 * // → { anyOf: [{ type: 'null' }, { type: 'string', enum: ['yes', 'no'] }] }
 */
export function valueSchema(field: FieldLike): Record<string, unknown> {
  const cfg = field.config as DynamicFieldConfig;
  let schema: Record<string, unknown>;
  switch (field.field_type) {
    case 'text':
    case 'textarea':
      schema = { type: 'string', maxLength: cfg.maxLength ?? (field.field_type === 'text' ? 3800 : 100_000) };
      if (cfg.regex) schema.pattern = cfg.regex;
      break;
    case 'dropdown':
      schema = { type: 'string', enum: Object.keys(cfg.possibleValues ?? {}) };
      break;
    case 'multiselect':
      schema = { type: 'array', uniqueItems: true, items: { type: 'string', enum: Object.keys(cfg.possibleValues ?? {}) } };
      break;
    case 'checkbox':
      schema = { type: 'boolean' };
      break;
    case 'date':
      schema = { type: 'string', format: 'date' };
      break;
    case 'datetime':
      schema = { type: 'string', format: 'date-time' };
      break;
    case 'integer':
      schema = { type: 'integer' };
      if (cfg.min !== undefined) schema.minimum = cfg.min;
      if (cfg.max !== undefined) schema.maximum = cfg.max;
      break;
  }
  return { anyOf: [{ type: 'null' }, schema] };
}
