/**
 * Checks a dynamic field's type-specific configuration, naming the JSON path of the first problem
 * (`/config/possibleValues`): which settings each type takes, dropdown and multiselect need
 * possible values, a regex must compile, `min` must not exceed `max`, and the default value must
 * satisfy the field's own value schema (`valueSchema`), so it is judged as every value is.
 */
import type { DynamicFieldType } from '../db/schema';
import { BadRequest, ValidationFailed } from '../errors';
import { check } from '../http/validate';
import { valueSchema, type DynamicFieldConfig } from './value-schema';

/** The settings each field type takes. */
export const SETTINGS: Record<DynamicFieldType, ReadonlyArray<keyof DynamicFieldConfig>> = {
  text: ['defaultValue', 'regex', 'maxLength'],
  textarea: ['defaultValue', 'regex', 'maxLength'],
  dropdown: ['possibleValues', 'defaultValue'],
  multiselect: ['possibleValues', 'defaultValue'],
  checkbox: ['defaultValue'],
  date: ['defaultValue'],
  datetime: ['defaultValue'],
  integer: ['defaultValue', 'min', 'max'],
};

/** The body schema of `config` (shapes only; `checkFieldConfig` applies the per-type rules). */
export const configSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    possibleValues: {
      type: 'object',
      description: 'dropdown/multiselect: key → display value',
      propertyNames: { minLength: 1, maxLength: 200 },
      additionalProperties: { type: 'string', maxLength: 1000 },
    },
    defaultValue: { description: 'must be a valid value of the field' },
    regex: { type: 'string', minLength: 1, maxLength: 1000, description: 'text/textarea: values must match it' },
    maxLength: { type: 'integer', minimum: 1, maximum: 100_000, description: 'text/textarea: longest value' },
    min: { type: 'integer', description: 'integer: smallest value' },
    max: { type: 'integer', description: 'integer: largest value' },
  },
} as const;

const at = (key: string) => `/config/${key}`;

/**
 * @example
 * checkFieldConfig('Approved', 'dropdown', { possibleValues: {} });
 * // throws BadRequest 'dropdown fields need at least one possible value' at /config/possibleValues
 */
export function checkFieldConfig(name: string, fieldType: DynamicFieldType, config: DynamicFieldConfig): void {
  const allowed = SETTINGS[fieldType];
  for (const key of Object.keys(config)) {
    if (!allowed.includes(key as keyof DynamicFieldConfig)) {
      throw new BadRequest(`"${key}" is not a setting of ${fieldType} fields (they take: ${allowed.join(', ')})`, at(key), undefined, 'VALIDATION_FAILED');
    }
  }
  if (allowed.includes('possibleValues') && !Object.keys(config.possibleValues ?? {}).length) {
    throw new BadRequest(`${fieldType} fields need at least one possible value`, at('possibleValues'), undefined, 'VALIDATION_FAILED');
  }
  if (config.regex !== undefined) {
    try {
      new RegExp(config.regex, 'u');
    } catch (e) {
      throw new BadRequest(`regex does not compile: ${(e as Error).message}`, at('regex'), undefined, 'VALIDATION_FAILED');
    }
  }
  if (config.min !== undefined && config.max !== undefined && config.min > config.max) {
    throw new BadRequest(`min (${config.min}) is greater than max (${config.max})`, at('min'), undefined, 'VALIDATION_FAILED');
  }
  if (config.defaultValue !== undefined) {
    try {
      check(valueSchema({ name, field_type: fieldType, config }), config.defaultValue, 'default value');
    } catch (e) {
      if (!(e instanceof ValidationFailed)) throw e;
      const problems = (e.details as Array<{ path: string; message: string }>).map((p) => ({
        path: at('defaultValue') + (p.path === '/' ? '' : p.path),
        message: p.message,
      }));
      // The value schema is `anyOf [null, <type>]`: the problem that is not about null is the useful one.
      const first = problems.find((p) => !/must be null|must match a schema in anyOf/.test(p.message)) ?? problems[0]!;
      throw new ValidationFailed(`config: defaultValue is not a valid ${fieldType} value: ${first.path} ${first.message}`, first.path, problems);
    }
  }
}
