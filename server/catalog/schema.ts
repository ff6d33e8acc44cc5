/**
 * JSON Schemas shared by the catalogue endpoints (queues, states, agents, customers, dynamic
 * fields, ...): names, list queries and the list envelope, and the permission matrix.
 */
import { PERMISSIONS } from '../access/access';
import type { Permission } from '../db/schema';
import { idSchema, type JsonSchema } from '../http/api';

/** A row id in a path or body: a positive integer that fits the integer columns (larger ones are a 400, not a database error). */
export const rowIdSchema = idSchema;

/** A display name: not empty, no leading or trailing blanks. */
export const nameSchema = { type: 'string', minLength: 1, maxLength: 200, pattern: '^\\S(.*\\S)?$' } as const;

export const commentSchema = { type: 'string', maxLength: 2000 } as const;

export const dateTime = { type: 'string', format: 'date-time' } as const;

/** `?page=&perPage=&search=&valid=`, the query every catalogue list takes. */
export const listQueryProperties = {
  page: { type: 'integer', minimum: 1, default: 1 },
  perPage: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
  search: { type: 'string', maxLength: 200, description: 'substring of the name (case-insensitive)' },
  valid: { type: 'boolean', description: 'only valid (true) or only retired (false) entries' },
} as const;

export const listQuery = { type: 'object', additionalProperties: false, properties: listQueryProperties } as const;

export interface ListQuery {
  page: number;
  perPage: number;
  search?: string;
  valid?: boolean;
}

/** `{ items }` around an item schema: an unpaged list (`maxItems` when it is capped). */
export function itemsOf(item: JsonSchema, maxItems?: number): JsonSchema {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['items'],
    properties: { items: { type: 'array', ...(maxItems !== undefined ? { maxItems } : {}), items: item } },
  };
}

/** `{ items, total, page, perPage }` around an item schema. */
export function listOf(item: JsonSchema): JsonSchema {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['items', 'total', 'page', 'perPage'],
    properties: {
      items: { type: 'array', items: item },
      total: { type: 'integer', minimum: 0 },
      page: { type: 'integer', minimum: 1 },
      perPage: { type: 'integer', minimum: 1 },
    },
  };
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  perPage: number;
}

/** Permissions on one group, in the canonical order. */
export const permissionList = { type: 'array', uniqueItems: true, items: { enum: [...PERMISSIONS] } } as const;

/** `{ "<group name>": ["ro", "note", ...] }`. */
export const groupPermissionMap = {
  type: 'object',
  propertyNames: { minLength: 1, maxLength: 200 },
  additionalProperties: permissionList,
} as const;

export type GroupPermissionMap = Record<string, Permission[]>;

/** Sorts permissions into the canonical order (ro, move_into, create, note, owner, priority, rw). */
export function canonicalPermissions(perms: Iterable<Permission>): Permission[] {
  const set = new Set(perms);
  return PERMISSIONS.filter((p) => set.has(p));
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/** A `LIKE` pattern matching `text` anywhere, with its wildcards escaped. */
export function containsPattern(text: string): string {
  return `%${escapeLike(text)}%`;
}

/** A `LIKE` pattern matching what starts with `text`, with its wildcards escaped. */
export function prefixPattern(text: string): string {
  return `${escapeLike(text)}%`;
}

/** Whether a database error is a unique-constraint violation (two writers raced for one name). */
export function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505';
}
