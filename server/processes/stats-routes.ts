/**
 * `GET /api/v1/processes/{key}/stats` (administrators): the monitoring figures of a process version
 * for the designer's overlay — see `stats.ts` for what each figure means and where it comes from.
 */
import { ApiRouter } from '../http/api';
import { keySchema } from './schema';
import { processStats, type StatsQuery } from './stats';

const duration = { type: ['integer', 'null'], minimum: 0, description: 'milliseconds; null without data' } as const;
const count = { type: 'integer', minimum: 0 } as const;

/** The query of the stats route. */
export const statsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    version: { type: 'integer', minimum: 1, maximum: 2147483647, description: 'default: the newest version' },
    from: { type: 'string', format: 'date-time', description: 'default: when the version was deployed; widened to the start of its bucket' },
    to: { type: 'string', format: 'date-time', description: 'default: now; widened to the end of its bucket' },
    bucket: { enum: ['hour', 'day'], description: 'throughput bucket (UTC); default hour for up to 7 days, else day' },
  },
} as const;

/** The answer of the stats route. */
export const statsView = {
  type: 'object',
  additionalProperties: false,
  required: ['process', 'version', 'from', 'to', 'bucket', 'instances', 'nodes', 'throughput'],
  properties: {
    process: keySchema,
    version: { type: 'integer', minimum: 1 },
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time' },
    bucket: { enum: ['hour', 'day'] },
    instances: {
      type: 'object',
      additionalProperties: false,
      required: ['active', 'incident', 'started', 'completed', 'cancelled', 'avgMs', 'p95Ms'],
      properties: {
        active: { ...count, description: 'running now, without an incident' },
        incident: { ...count, description: 'with an open incident now' },
        started: { ...count, description: 'started in the range' },
        completed: { ...count, description: 'completed in the range' },
        cancelled: { ...count, description: 'cancelled in the range' },
        avgMs: { ...duration, description: 'average duration of the instances completed in the range' },
        p95Ms: { ...duration, description: 'p95 duration of the instances completed in the range (histogram: within a factor 2^(1/4))' },
      },
    },
    nodes: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['nodeId', 'name', 'type', 'active', 'incidents', 'visits', 'avgMs', 'p95Ms'],
        properties: {
          nodeId: { type: 'string' },
          name: { type: ['string', 'null'] },
          type: { type: ['string', 'null'], description: 'null for a node no longer in this version' },
          active: { ...count, description: 'tokens waiting at the node now' },
          incidents: { ...count, description: 'tokens stuck at the node now' },
          visits: { ...count, description: 'tokens that left the node in the range' },
          avgMs: { ...duration, description: 'average time tokens spent at the node (visits in the range)' },
          p95Ms: duration,
        },
      },
    },
    throughput: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['at', 'started', 'completed', 'cancelled'],
        properties: { at: { type: 'string', format: 'date-time' }, started: count, completed: count, cancelled: count },
      },
    },
  },
} as const;

export function processStatsRouter(): ApiRouter {
  const api = new ApiRouter('/processes', 'Processes');
  api.get<{ key: string }, StatsQuery>(
    '/:key/stats',
    {
      summary: 'Monitoring figures of a process version: instances and tokens per node now, visits, average and p95 durations, throughput',
      description: 'Current figures (active, incident, tokens per node) are as of now; the others cover [from, to) widened to whole buckets. 404 for an unknown process or version.',
      auth: 'admin',
      params: { key: keySchema },
      query: statsQuery,
      responses: { 200: statsView },
    },
    async (c, { params, query }) => processStats(c.get('services').database.db, params.key, query, c.get('services').now()),
  );
  return api;
}
