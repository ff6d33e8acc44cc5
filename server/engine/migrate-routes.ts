/**
 * `POST /process-instances/migrate` (administrators): move running instances of a process from one
 * version to another with a node mapping, checked before anything is written (see `migrate.ts`).
 */
import { ApiRouter, idSchema } from '../http/api';
import { processKeySchema } from './schema';
import { migrateInstances, type MigrateInput } from './migrate';

const int = { type: 'integer' } as const;
const str = { type: 'string' } as const;
const nodeId = { type: 'string', minLength: 1, maxLength: 200 } as const;

export const migrateBody = {
  type: 'object',
  additionalProperties: false,
  required: ['process', 'fromVersion', 'toVersion'],
  properties: {
    process: processKeySchema,
    fromVersion: idSchema,
    toVersion: idSchema,
    instanceIds: { type: 'array', maxItems: 10000, uniqueItems: true, items: idSchema, description: 'default: every running or stuck instance of fromVersion' },
    mapping: { type: 'object', maxProperties: 1000, propertyNames: nodeId, additionalProperties: nodeId, description: 'old node id → new node id; nodes not named keep their id' },
    dryRun: { type: 'boolean', default: false, description: 'check and report only' },
  },
} as const;

const instanceReport = {
  type: 'object',
  additionalProperties: false,
  required: ['instanceId', 'ticketId', 'result', 'moves', 'timers'],
  properties: {
    instanceId: int,
    ticketId: int,
    result: { enum: ['migrated', 'wouldMigrate', 'skipped', 'failed'] },
    reason: str,
    moves: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['tokenId', 'from', 'to'], properties: { tokenId: str, from: str, to: str } } },
    timers: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, required: ['key', 'change'], properties: { key: str, change: { enum: ['renamed', 'cancelled', 'scheduled'] }, newKey: str } },
    },
  },
} as const;

export const migrateReportSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['process', 'fromVersion', 'toVersion', 'dryRun', 'migrated', 'skipped', 'failed', 'instances'],
  properties: {
    process: str,
    fromVersion: int,
    toVersion: int,
    dryRun: { type: 'boolean' },
    migrated: { ...int, description: 'migrated (or, in a dry run, would migrate)' },
    skipped: int,
    failed: int,
    instances: { type: 'array', items: instanceReport },
  },
} as const;

export function migrateRouter(): ApiRouter {
  const api = new ApiRouter('/process-instances', 'Process tickets');
  api.post<unknown, unknown, MigrateInput>(
    '/migrate',
    {
      summary: 'Migrate running instances to another version of their process (400 naming unmapped nodes and instances before anything changes)',
      auth: 'admin',
      body: migrateBody,
      responses: { 200: migrateReportSchema },
    },
    async (c, { body }) => migrateInstances(c.get('services'), c.get('access'), body),
  );
  return api;
}
