/**
 * `/api/v1/stats/...`: statistic definitions (list, define, change, delete, import/export as JSON),
 * running one (with the axes and filters changed before the run; `preview` stops after `STATS_PREVIEW_TIMEOUT_MS` (10 s) and
 * shows 100 list rows), downloading it as CSV, Excel or PDF, the dimensions to build one from, and
 * the caller's dashboard widgets. Rights: the `stats` group (ro: run, rw: define), checked in the
 * access helper.
 */
import { ApiRouter, idSchema, reply } from '../http/api';
import { BadRequest } from '../errors';
import { listWidgets, putWidget, removeWidget } from './dashboard';
import { exportStat, FORMATS, type OutputFormat } from './export';
import { CHARTS, definitionSchema, LIST_COLUMNS, REF_DIMENSIONS, resultSchema, runParamsSchema, TIME_DIMENSIONS, TIME_GRAINS, type Chart, type RunParams, type StatDefinition } from './schema';
import { createStat, deleteStat, getStat, importStats, listStats, runDefinition, runStat, updateStat } from './service';
import { STATIC_STATS } from './static';

const statView = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'kind', 'systemWide', 'shipped', 'definition', 'changedAt'],
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    kind: { enum: ['matrix', 'list', 'static'] },
    systemWide: { type: 'boolean' },
    shipped: { type: 'boolean' },
    definition: definitionSchema,
    changedAt: { type: 'string', format: 'date-time' },
  },
} as const;

const exportFile = {
  type: 'object',
  additionalProperties: false,
  required: ['format', 'statistics'],
  properties: { format: { const: 'stats-export/1' }, statistics: { type: 'array', maxItems: 500, items: definitionSchema } },
} as const;

const runBody = {
  ...runParamsSchema,
  properties: { ...runParamsSchema.properties, preview: { type: 'boolean', description: 'stop after STATS_PREVIEW_TIMEOUT_MS (default 10 s, then 400 STAT_TIMEOUT); lists: the first 100 rows' } },
} as const;

const widgetView = {
  type: 'object',
  additionalProperties: false,
  required: ['statId', 'name', 'chart', 'position', 'result', 'error'],
  properties: {
    statId: { type: 'integer' },
    name: { type: 'string' },
    chart: { enum: CHARTS },
    position: { type: 'integer' },
    result: { anyOf: [resultSchema, { type: 'null' }] },
    error: { type: ['string', 'null'] },
  },
} as const;

const dimensionsView = {
  type: 'object',
  additionalProperties: false,
  required: ['dimensions', 'timeDimensions', 'grains', 'columns', 'charts', 'dropdownFields', 'static'],
  properties: {
    dimensions: { type: 'array', items: { type: 'string' } },
    timeDimensions: { type: 'array', items: { type: 'string' } },
    grains: { type: 'array', items: { type: 'string' } },
    columns: { type: 'array', items: { type: 'string' } },
    charts: { type: 'array', items: { type: 'string' } },
    dropdownFields: { type: 'array', items: { type: 'string' }, description: 'usable as df:<Name>' },
    static: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['name', 'title', 'description'], properties: { name: { type: 'string' }, title: { type: 'string' }, description: { type: 'string' } } } },
  },
} as const;

const id = { id: idSchema };

/** `?params=` of a download: the run parameters as JSON. */
function parseParams(raw: string | undefined): RunParams | undefined {
  if (!raw) return undefined;
  try {
    const v = JSON.parse(raw) as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
    return v as RunParams;
  } catch {
    throw new BadRequest('params must be a JSON object of run parameters', '/params');
  }
}

export function statsRouter(): ApiRouter {
  const api = new ApiRouter('/stats', 'Statistics');
  const ctx = (c: Parameters<Parameters<typeof api.get>[2]>[0]) => ({ db: c.get('services').database.db, access: c.get('access'), now: c.get('services').now(), timeoutMs: c.get('services').config.statsPreviewTimeoutMs });

  api.get('/', { summary: 'Statistics (needs stats ro)', auth: 'agent', responses: { 200: { type: 'array', items: statView } } }, (c) => listStats(ctx(c).db, ctx(c).access));

  api.post<unknown, unknown, StatDefinition>(
    '/',
    { summary: 'Define a statistic (needs stats rw; system-wide: administrators)', auth: 'agent', body: definitionSchema, responses: { 201: statView } },
    async (c, { body }) => reply(201, await createStat(ctx(c).db, ctx(c).access, body, ctx(c).now)),
  );

  api.get('/dimensions', { summary: 'What statistics are built from: dimensions, time grains, list columns, charts, dropdown fields, static statistics', auth: 'agent', responses: { 200: dimensionsView } }, async (c) => {
    const { db, access } = ctx(c);
    await access.assertStats('ro');
    const fields = await db.selectFrom('dynamic_fields').select('name').where('object_type', '=', 'ticket').where('field_type', '=', 'dropdown').where('valid', '=', true).where('internal', '=', false).orderBy('field_order').orderBy('name').execute();
    return {
      dimensions: [...REF_DIMENSIONS],
      timeDimensions: [...TIME_DIMENSIONS],
      grains: [...TIME_GRAINS],
      columns: [...LIST_COLUMNS],
      charts: [...CHARTS],
      dropdownFields: fields.map((f) => f.name),
      static: Object.entries(STATIC_STATS).map(([name, s]) => ({ name, title: s.title, description: s.description })),
    };
  });

  api.post<unknown, unknown, { definition: StatDefinition; params?: RunParams }>(
    '/preview',
    {
      summary: 'Preview an unsaved definition with the real query (needs stats rw)',
      description: 'Stops after STATS_PREVIEW_TIMEOUT_MS (default 10 s) with 400 STAT_TIMEOUT; lists show their first 100 rows.',
      auth: 'agent',
      body: { type: 'object', additionalProperties: false, required: ['definition'], properties: { definition: definitionSchema, params: runParamsSchema } },
      responses: { 200: resultSchema },
    },
    async (c, { body }) => {
      const { db, access, now, timeoutMs } = ctx(c);
      await access.assertStats('rw');
      return runDefinition(db, access, body.definition, body.params, now, { preview: true, timeoutMs });
    },
  );

  api.get<unknown, { ids?: number[] }>(
    '/export',
    { summary: 'Export statistic definitions as JSON', auth: 'agent', query: { type: 'object', additionalProperties: false, properties: { ids: { type: 'array', items: idSchema, maxItems: 500 } } }, responses: { 200: exportFile } },
    async (c, { query }) => {
      const all = await listStats(ctx(c).db, ctx(c).access);
      const chosen = query.ids?.length ? all.filter((s) => query.ids!.includes(s.id)) : all;
      return { format: 'stats-export/1' as const, statistics: chosen.map((s) => s.definition) };
    },
  );

  api.post<unknown, unknown, { format: string; statistics: StatDefinition[] }>(
    '/import',
    { summary: 'Import statistic definitions (an export file); a definition replaces the one of the same name', auth: 'agent', body: exportFile, responses: { 200: { type: 'array', items: statView } } },
    async (c, { body }) => importStats(ctx(c).db, ctx(c).access, body.statistics, ctx(c).now),
  );

  api.get('/dashboard', { summary: 'My statistic widgets, each with its result', auth: 'agent', responses: { 200: { type: 'array', items: widgetView } } }, (c) => listWidgets(ctx(c).db, ctx(c).access, ctx(c).now));

  api.put<{ id: number }, unknown, { chart: Chart }>(
    '/dashboard/:id',
    { summary: 'Put statistic {id} on my dashboard (or change its chart)', auth: 'agent', params: id, body: { type: 'object', additionalProperties: false, required: ['chart'], properties: { chart: { enum: CHARTS } } }, responses: { 204: null } },
    async (c, { params, body }) => {
      await putWidget(ctx(c).db, ctx(c).access, params.id, body.chart);
      return reply(204, null);
    },
  );

  api.delete<{ id: number }>('/dashboard/:id', { summary: 'Take statistic {id} off my dashboard', auth: 'agent', params: id, responses: { 204: null } }, async (c, { params }) => {
    await removeWidget(ctx(c).db, ctx(c).access, params.id);
    return reply(204, null);
  });

  api.get<{ id: number }>('/:id', { summary: 'A statistic', auth: 'agent', params: id, responses: { 200: statView } }, (c, { params }) => getStat(ctx(c).db, ctx(c).access, params.id));

  api.put<{ id: number }, unknown, StatDefinition>(
    '/:id',
    { summary: 'Change a statistic (needs stats rw)', auth: 'agent', params: id, body: definitionSchema, responses: { 200: statView } },
    (c, { params, body }) => updateStat(ctx(c).db, ctx(c).access, params.id, body, ctx(c).now),
  );

  api.delete<{ id: number }>('/:id', { summary: 'Delete a statistic (needs stats rw)', auth: 'agent', params: id, responses: { 204: null } }, async (c, { params }) => {
    await deleteStat(ctx(c).db, ctx(c).access, params.id);
    return reply(204, null);
  });

  api.post<{ id: number }, unknown, RunParams & { preview?: boolean }>(
    '/:id/run',
    {
      summary: 'Run a statistic as the caller',
      description: 'Counts the tickets the caller may read unless the statistic is system-wide (then it needs stats rw). Changing an axis or filter that is not marked changeable is a 400.',
      auth: 'agent',
      params: id,
      body: runBody,
      responses: { 200: resultSchema },
    },
    (c, { params, body }) => {
      const { preview, ...runParams } = body;
      return runStat(ctx(c).db, ctx(c).access, params.id, runParams, ctx(c).now, preview ? { preview, timeoutMs: ctx(c).timeoutMs } : {});
    },
  );

  api.get<{ id: number; format: OutputFormat }, { params?: string }>(
    '/:id/output/:format',
    {
      summary: 'Download a statistic as CSV, Excel or PDF',
      description: 'Lists stream every row (no cap); `X-Stat-Rows` gives the row count for progress. `params` holds the run parameters as JSON.',
      auth: 'agent',
      params: { ...id, format: { enum: Object.keys(FORMATS) } },
      query: { type: 'object', additionalProperties: false, properties: { params: { type: 'string', maxLength: 20000 } } },
      responses: { 200: { binary: 'application/octet-stream' } },
    },
    (c, { params, query }) => exportStat(ctx(c).db, ctx(c).access, params.id, params.format, parseParams(query.params), ctx(c).now),
  );

  return api;
}
