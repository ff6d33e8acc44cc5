/**
 * JSON Schemas and types of the outbound-services admin API (`/api/v1/outbound-services`). The
 * secret is write-only: bodies may carry `auth.secret`, views only say `hasSecret`.
 */
import type { OutboundOperation } from '../db/tables-outbound';

const str = { type: 'string' } as const;
const ts = { type: 'string', format: 'date-time' } as const;

export const OUTBOUND_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$';
export const outboundNameSchema = { type: 'string', pattern: OUTBOUND_NAME_PATTERN, description: 'letters, digits, dot, dash, underscore' } as const;
export const AUTH_KINDS = ['none', 'basic', 'bearer', 'apiKey'] as const;
export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

const textMap = { type: 'object', maxProperties: 100, additionalProperties: { type: 'string', maxLength: 8000 } } as const;
const pointerMap = { type: 'object', maxProperties: 200, additionalProperties: { type: 'string', maxLength: 1000 } } as const;

const operationSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['method', 'path'],
  properties: {
    description: { type: 'string', maxLength: 2000 },
    method: { enum: METHODS },
    path: { type: 'string', maxLength: 4000, description: 'appended to the base URL, e.g. `/hosts/{{params.host}}` (inserted values are URL-encoded)' },
    query: { ...textMap, description: 'query parameters; values are templates' },
    body: { description: 'a JSON template; a string that is one lone `{{…}}` keeps its type' },
    headers: { ...textMap, description: 'extra headers; values are templates' },
    response: {
      type: 'object',
      additionalProperties: false,
      properties: {
        vars: { ...pointerMap, description: 'process variable → JSON pointer into the answer' },
        dynamicFields: { ...pointerMap, description: 'dynamic field name → JSON pointer into the answer' },
      },
    },
    successStatuses: { type: 'array', maxItems: 50, items: { type: 'integer', minimum: 100, maximum: 599 }, description: 'default: every 2xx' },
  },
} as const;

const authIn = {
  type: 'object',
  additionalProperties: false,
  required: ['kind'],
  properties: {
    kind: { enum: AUTH_KINDS },
    user: { type: 'string', minLength: 1, maxLength: 200, description: 'basic: the user name' },
    header: { type: 'string', minLength: 1, maxLength: 200, description: 'apiKey: the header carrying the key (e.g. X-API-Key)' },
    secret: { type: 'string', minLength: 1, maxLength: 8000, description: 'basic password, bearer token or API key; stored encrypted, never returned. Omit to keep the stored one.' },
  },
} as const;

const settings = {
  description: { type: 'string', maxLength: 2000 },
  baseUrl: { type: 'string', minLength: 1, maxLength: 2000, description: 'http(s) URL the operation paths are appended to' },
  auth: authIn,
  headers: { ...textMap, description: 'default headers of every call' },
  timeoutMs: { type: 'integer', minimum: 1, maximum: 120_000 },
  retries: { type: 'integer', minimum: 0, maximum: 20, description: 'retries after the first attempt when a task does not say' },
  allowList: { type: 'array', maxItems: 200, items: { type: 'string', minLength: 1, maxLength: 300 }, description: 'hosts (`*.corp` for subdomains), addresses and CIDRs that may be called although private or loopback, each optionally with `:port` to allow that port only (`127.0.0.1:8080`, `[::1]:8080`); without a port, every port' },
  operations: { type: 'object', maxProperties: 200, propertyNames: { pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$' }, additionalProperties: operationSchema },
  maxResponseBytes: { type: 'integer', minimum: 1, maximum: 100 * 1024 * 1024 },
} as const;

export const outboundCreateBody = { type: 'object', additionalProperties: false, required: ['name', 'baseUrl'], properties: { name: outboundNameSchema, ...settings } } as const;
export const outboundPutBody = { type: 'object', additionalProperties: false, required: ['baseUrl'], properties: { name: outboundNameSchema, ...settings } } as const;
export const outboundPatchBody = { type: 'object', additionalProperties: false, minProperties: 1, properties: { name: outboundNameSchema, ...settings } } as const;

export const outboundView = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'description', 'baseUrl', 'auth', 'headers', 'timeoutMs', 'retries', 'allowList', 'operations', 'maxResponseBytes', 'createdAt', 'createdBy', 'changedAt', 'changedBy'],
  properties: {
    name: str,
    description: str,
    baseUrl: str,
    auth: {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'hasSecret'],
      properties: { kind: { enum: AUTH_KINDS }, user: str, header: str, hasSecret: { type: 'boolean' } },
    },
    headers: { type: 'object', additionalProperties: str },
    timeoutMs: { type: 'integer' },
    retries: { type: 'integer' },
    allowList: { type: 'array', items: str },
    operations: { type: 'object', additionalProperties: operationSchema },
    maxResponseBytes: { type: 'integer' },
    createdAt: ts,
    createdBy: { type: ['string', 'null'] },
    changedAt: ts,
    changedBy: { type: ['string', 'null'] },
  },
} as const;

export const outboundListView = { type: 'object', additionalProperties: false, required: ['items'], properties: { items: { type: 'array', items: outboundView } } } as const;

const sample = { type: 'object', maxProperties: 1000 } as const;

export const testCallBody = {
  type: 'object',
  additionalProperties: false,
  required: ['operation'],
  properties: {
    operation: { type: 'string', minLength: 1, maxLength: 100 },
    params: sample,
    vars: sample,
    ticket: { ...sample, description: 'a sample ticket as templates see it (`{{ticket.title}}`, `{{ticket.dynamicFields.X}}`)' },
    idempotencyKey: { type: 'string', minLength: 1, maxLength: 200 },
  },
} as const;

export const testCallView = {
  type: 'object',
  additionalProperties: false,
  required: ['ok', 'durationMs'],
  properties: {
    ok: { type: 'boolean' },
    status: { type: 'integer' },
    durationMs: { type: 'number' },
    result: { type: 'object', additionalProperties: false, required: ['vars', 'dynamicFields'], properties: { vars: { type: 'object' }, dynamicFields: { type: 'object' } } },
    body: {},
    error: { type: 'object', additionalProperties: false, required: ['code', 'message', 'retriable'], properties: { code: str, message: str, retriable: { type: 'boolean' } } },
    excerpt: str,
    request: { type: 'object', additionalProperties: false, required: ['method', 'url'], properties: { method: str, url: str } },
  },
} as const;

export interface AuthInput {
  kind: (typeof AUTH_KINDS)[number];
  user?: string;
  header?: string;
  secret?: string;
}

export interface OutboundInput {
  name?: string;
  description?: string;
  baseUrl?: string;
  auth?: AuthInput;
  headers?: Record<string, string>;
  timeoutMs?: number;
  retries?: number;
  allowList?: string[];
  operations?: Record<string, OutboundOperation>;
  maxResponseBytes?: number;
}

export interface TestCallInput {
  operation: string;
  params?: Record<string, unknown>;
  vars?: Record<string, unknown>;
  ticket?: Record<string, unknown>;
  idempotencyKey?: string;
}
