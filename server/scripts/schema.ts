/** JSON Schemas of the script library API. */
const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const ts = { type: 'string', format: 'date-time' } as const;

export const scriptNameSchema = { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,99}$', description: 'lower-case letters, digits, dot, dash, underscore' } as const;
const source = { type: 'string', minLength: 1, maxLength: 200_000 } as const;

export const scriptCreateBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'source'],
  properties: { name: scriptNameSchema, source, description: { type: 'string', maxLength: 2000 } },
} as const;

export const scriptUpdateBody = {
  type: 'object',
  additionalProperties: false,
  required: ['source'],
  properties: { source, description: { type: 'string', maxLength: 2000 } },
} as const;

const jsonObject = { type: 'object', maxProperties: 1000 } as const;

export const scriptRunBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    version: { type: 'integer', minimum: 1 },
    source: { ...source, description: 'run this source instead of a stored version (the designer trying an edit)' },
    ticket: jsonObject,
    params: jsonObject,
    vars: jsonObject,
    timeoutMs: { type: 'integer', minimum: 1, maximum: 10_000 },
  },
} as const;

export const scriptView = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'description', 'version', 'source', 'createdAt', 'changedAt', 'changedBy'],
  properties: { name: str, description: str, version: int, source: str, createdAt: ts, changedAt: ts, changedBy: { type: ['string', 'null'] } },
} as const;

export const scriptSummary = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'description', 'latestVersion', 'createdAt', 'changedAt', 'changedBy'],
  properties: { name: str, description: str, latestVersion: int, createdAt: ts, changedAt: ts, changedBy: { type: ['string', 'null'] } },
} as const;

export const versionList = {
  type: 'object',
  additionalProperties: false,
  required: ['items'],
  properties: {
    items: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['version', 'createdAt', 'createdBy'], properties: { version: int, createdAt: ts, createdBy: { type: ['string', 'null'] } } } },
  },
} as const;

export const runResultView = {
  type: 'object',
  additionalProperties: false,
  required: ['ok', 'durationMs', 'logs'],
  properties: {
    ok: { type: 'boolean' },
    vars: { type: 'object' },
    dynamicFields: { type: 'object' },
    error: {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'message'],
      properties: { kind: str, code: str, message: str, line: int },
    },
    durationMs: { type: 'number' },
    logs: { type: 'array', items: str },
  },
} as const;

export interface ScriptRunInput {
  version?: number;
  source?: string;
  ticket?: Record<string, unknown>;
  params?: Record<string, unknown>;
  vars?: Record<string, unknown>;
  timeoutMs?: number;
}
