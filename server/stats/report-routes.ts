/**
 * `/api/v1/reports/...`: reports (bundles of statistics mailed as PDF/Excel, on demand or on a
 * cron schedule), running one now, its run history and the files each run produced. Rights: the
 * `stats` group (ro: read and download, rw: define and run).
 */
import { ApiRouter, idSchema, reply } from '../http/api';
import { deleteReport, getReport, listReports, listRuns, reportSchema, runFile, runReport, saveReport, type ReportDefinition } from './reports';

const reportView = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'definition', 'nextRunAt', 'changedAt'],
  properties: {
    id: { type: 'integer' },
    definition: reportSchema,
    nextRunAt: { type: ['string', 'null'], format: 'date-time', description: 'the next scheduled slot; null without a schedule' },
    changedAt: { type: 'string', format: 'date-time' },
  },
} as const;

const runView = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'trigger', 'slot', 'status', 'error', 'recipients', 'startedAt', 'files'],
  properties: {
    id: { type: 'integer' },
    trigger: { enum: ['manual', 'schedule'] },
    slot: { type: ['string', 'null'] },
    status: { enum: ['done', 'failed'] },
    error: { type: ['string', 'null'] },
    recipients: { type: 'string' },
    startedAt: { type: 'string', format: 'date-time' },
    files: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, required: ['id', 'filename', 'contentType', 'size'], properties: { id: { type: 'integer' }, filename: { type: 'string' }, contentType: { type: 'string' }, size: { type: 'integer' } } },
    },
  },
} as const;

const id = { id: idSchema };

export function reportsRouter(): ApiRouter {
  const api = new ApiRouter('/reports', 'Reports');
  const ctx = (c: Parameters<Parameters<typeof api.get>[2]>[0]) => ({ db: c.get('services').database.db, access: c.get('access'), now: c.get('services').now() });

  api.get('/', { summary: 'Reports (needs stats ro)', auth: 'agent', responses: { 200: { type: 'array', items: reportView } } }, (c) => listReports(ctx(c).db, ctx(c).access));

  api.post<unknown, unknown, ReportDefinition>(
    '/',
    { summary: 'Define a report (needs stats rw); a schedule queues its next slot as a job', auth: 'agent', body: reportSchema, responses: { 201: reportView } },
    async (c, { body }) => reply(201, await saveReport(ctx(c).db, ctx(c).access, body, ctx(c).now)),
  );

  api.get<{ id: number }>('/:id', { summary: 'A report', auth: 'agent', params: id, responses: { 200: reportView } }, (c, { params }) => getReport(ctx(c).db, ctx(c).access, params.id));

  api.put<{ id: number }, unknown, ReportDefinition>(
    '/:id',
    { summary: 'Change a report (needs stats rw); a changed schedule replaces the old one', auth: 'agent', params: id, body: reportSchema, responses: { 200: reportView } },
    (c, { params, body }) => saveReport(ctx(c).db, ctx(c).access, body, ctx(c).now, params.id),
  );

  api.delete<{ id: number }>('/:id', { summary: 'Delete a report with its run history (needs stats rw)', auth: 'agent', params: id, responses: { 204: null } }, async (c, { params }) => {
    await deleteReport(ctx(c).db, ctx(c).access, params.id);
    return reply(204, null);
  });

  api.post<{ id: number }>(
    '/:id/run',
    { summary: 'Run a report now as the caller and mail it to its recipients (needs stats rw)', auth: 'agent', params: id, responses: { 201: { type: 'object', additionalProperties: false, required: ['runId'], properties: { runId: { type: 'integer' } } } } },
    async (c, { params }) => {
      const { db, access, now } = ctx(c);
      await access.assertStats('rw');
      await getReport(db, access, params.id);
      const runId = await runReport(db, access, params.id, now);
      return reply(201, { runId: runId! });
    },
  );

  api.get<{ id: number }>('/:id/runs', { summary: "A report's run history with its files, newest first", auth: 'agent', params: id, responses: { 200: { type: 'array', items: runView } } }, (c, { params }) =>
    listRuns(ctx(c).db, ctx(c).access, params.id),
  );

  api.get<{ id: number; fileId: number }>(
    '/:id/files/:fileId',
    { summary: 'Download a file a report run produced', auth: 'agent', params: { ...id, fileId: idSchema }, responses: { 200: { binary: 'application/octet-stream' } } },
    (c, { params }) => runFile(ctx(c).db, ctx(c).access, params.id, params.fileId),
  );

  return api;
}
