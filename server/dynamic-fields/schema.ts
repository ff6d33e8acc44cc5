/** JSON Schemas of the dynamic field definition endpoints. */
import { dateTime, listQueryProperties } from '../catalog/schema';
import type { DynamicFieldType } from '../db/schema';
import { configSchema } from './config';
import type { DynamicFieldConfig } from './value-schema';

export const FIELD_TYPES: DynamicFieldType[] = ['text', 'textarea', 'dropdown', 'multiselect', 'checkbox', 'date', 'datetime', 'integer'];

const writable = {
  name: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9]+$', description: 'letters and digits only; used as DynamicField_<name>' },
  label: { type: 'string', minLength: 1, maxLength: 200 },
  fieldType: { enum: FIELD_TYPES },
  objectType: { enum: ['ticket', 'article'] },
  config: configSchema,
  internal: { type: 'boolean', description: 'hidden from the UI (the engine keeps its own data in such fields)' },
  customerVisible: { type: 'boolean', description: 'shown in the customer portal: customers may fill it in on new tickets and see its value (default false)' },
  fieldOrder: { type: 'integer', minimum: -1_000_000, maximum: 1_000_000 },
  valid: { type: 'boolean' },
} as const;

export const createFieldBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'label', 'fieldType'],
  properties: writable,
} as const;

export const patchFieldBody = { type: 'object', additionalProperties: false, minProperties: 1, properties: writable } as const;

export interface FieldBody {
  name?: string;
  label?: string;
  fieldType?: DynamicFieldType;
  objectType?: 'ticket' | 'article';
  config?: DynamicFieldConfig;
  internal?: boolean;
  customerVisible?: boolean;
  fieldOrder?: number;
  valid?: boolean;
}

const viewProps = {
  id: { type: 'integer' },
  name: { type: 'string' },
  label: { type: 'string' },
  fieldType: { enum: FIELD_TYPES },
  objectType: { enum: ['ticket', 'article'] },
  config: configSchema,
  internal: { type: 'boolean' },
  customerVisible: { type: 'boolean' },
  fieldOrder: { type: 'integer' },
  valid: { type: 'boolean' },
  valueSchema: { type: 'object', description: 'the JSON Schema every value of this field must satisfy' },
  createdAt: dateTime,
  changedAt: dateTime,
} as const;

export const fieldView = { type: 'object', additionalProperties: false, required: Object.keys(viewProps), properties: viewProps } as const;

export const fieldListQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...listQueryProperties,
    objectType: { enum: ['ticket', 'article'] },
    includeInternal: { type: 'boolean', default: false, description: 'administrators only: list internal fields too' },
  },
} as const;

export interface FieldListQuery {
  page: number;
  perPage: number;
  search?: string;
  valid?: boolean;
  objectType?: 'ticket' | 'article';
  includeInternal: boolean;
}
