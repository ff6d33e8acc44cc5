/** `GET /process-instances` (administrators): instances by process, version, status and current node, newest first. */
import { ApiRouter, idSchema } from '../http/api';
import { listInstances, type InstanceListQuery } from './instance-list';

const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const ts = { type: 'string', format: 'date-time' } as const;

const query = {
  type: 'object',
  additionalProperties: false,
  properties: {
    process: { type: 'string', minLength: 1, maxLength: 100 },
    version: idSchema,
    status: { enum: ['active', 'running', 'incident', 'completed', 'cancelled', 'all'], default: 'active', description: 'active = running or incident' },
    node: { type: 'string', minLength: 1, maxLength: 200, description: 'only instances with a token at this node' },
    ticketId: idSchema,
    before: { ...idSchema, description: 'keyset cursor: the `next` of the previous page' },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
  },
} as const;

const listView = {
  type: 'object',
  additionalProperties: false,
  required: ['items', 'next'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['instanceId', 'ticketId', 'ticketNumber', 'ticketTitle', 'process', 'version', 'parentInstanceId', 'status', 'currentNodes', 'incidents', 'createdAt', 'updatedAt', 'completedAt'],
        properties: {
          instanceId: int, ticketId: int, ticketNumber: str, ticketTitle: str, process: str, version: int,
          parentInstanceId: { type: ['integer', 'null'] },
          status: { enum: ['running', 'incident', 'completed', 'cancelled'] },
          currentNodes: {
            type: 'array',
            items: { type: 'object', additionalProperties: false, required: ['nodeId', 'tokenId', 'status'], properties: { nodeId: str, tokenId: str, status: str, wait: str } },
          },
          incidents: {
            type: 'array',
            items: { type: 'object', additionalProperties: false, required: ['nodeId', 'tokenId', 'code', 'message'], properties: { nodeId: str, tokenId: str, code: str, message: str } },
          },
          createdAt: ts, updatedAt: ts, completedAt: { anyOf: [ts, { type: 'null' }] },
        },
      },
    },
    next: { type: ['integer', 'null'], description: 'pass as `before` for the next page; null at the end' },
  },
} as const;

export function instanceListRouter(): ApiRouter {
  const api = new ApiRouter('/process-instances', 'Process tickets');
  api.get<unknown, InstanceListQuery>(
    '/',
    { summary: 'Process instances by process, version, status and current node (newest first, keyset pages)', auth: 'admin', query, responses: { 200: listView } },
    async (c, { query: q }) => listInstances(c.get('services').database.db, q),
  );
  return api;
}
