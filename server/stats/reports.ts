/**
 * Reports: a bundle of statistics (each with its run parameters and chart) with a title, headline,
 * preamble, epilogue and language, mailed as PDF and/or Excel to recipients — on demand, or on a
 * cron schedule in a time zone. A schedule is a job (kind `stat-report`) due at the next slot on the
 * job table: whichever server process claims it renders the report, records the run with its files,
 * queues the mail through `queueMail` and schedules the next slot, all in one transaction; a run
 * for a slot that exists already (a repeated job) does nothing, so no slot is mailed twice.
 * Statistics run as the report's author (their ticket rights).
 */
import { CronExpressionParser } from 'cron-parser';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { DB } from '../db/schema';
import type { StatReportsTable } from '../db/tables-statistics';
import { Access } from '../access/access';
import { BadRequest, Conflict, NotFound } from '../errors';
import { queueMail } from '../mail/queue';
import { checkTimeZone } from './dimensions';
import { fileName } from './export';
import { pdfBuffer, resultSource, xlsxBuffer } from './output';
import { runDefinition } from './service';
import { effective } from './query';
import { CHARTS, runParamsSchema, type Chart, type RunParams, type StatDefinition, type StatResult } from './schema';

export const REPORT_JOB = 'stat-report';

export const reportSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['format', 'name', 'title', 'statistics'],
  properties: {
    format: { const: 'report/1' },
    name: { type: 'string', minLength: 1, maxLength: 200 },
    title: { type: 'string', minLength: 1, maxLength: 200 },
    headline: { type: 'string', maxLength: 200 },
    preamble: { type: 'string', maxLength: 10000 },
    epilogue: { type: 'string', maxLength: 10000 },
    language: { enum: ['en', 'de'], description: 'language of the mail text (default en)' },
    statistics: {
      type: 'array',
      minItems: 1,
      maxItems: 50,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['statId'],
        properties: { statId: { type: 'integer', minimum: 1 }, params: runParamsSchema, chart: { enum: CHARTS } },
      },
    },
    formats: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: ['pdf', 'xlsx'] }, description: 'attachments (default pdf)' },
    recipients: { type: 'array', maxItems: 100, items: { type: 'string', format: 'email' } },
    schedule: {
      type: 'object',
      additionalProperties: false,
      required: ['cron'],
      properties: { cron: { type: 'string', minLength: 1, maxLength: 100, description: 'cron expression (5 fields, or 6 with seconds first)' }, timeZone: { type: 'string', maxLength: 64 } },
    },
    enabled: { type: 'boolean', description: 'a disabled report keeps its schedule but does not run (default true)' },
  },
} as const;

export interface ReportDefinition {
  format: 'report/1';
  name: string;
  title: string;
  headline?: string;
  preamble?: string;
  epilogue?: string;
  language?: 'en' | 'de';
  statistics: Array<{ statId: number; params?: RunParams; chart?: Chart }>;
  formats?: Array<'pdf' | 'xlsx'>;
  recipients?: string[];
  schedule?: { cron: string; timeZone?: string };
  enabled?: boolean;
}

export interface ReportView {
  id: number;
  definition: ReportDefinition;
  nextRunAt: string | null;
  changedAt: string;
}

export interface ReportPayload {
  reportId: number;
  /** The slot (ISO) this job runs. */
  slot: string;
  cron: string;
  timeZone: string;
}

/** The next slot of a cron schedule after `after`; a bad expression is a 400 at `/schedule/cron`. */
export function nextSlot(cron: string, timeZone: string, after: Date): Date {
  try {
    return CronExpressionParser.parse(cron, { currentDate: after, tz: timeZone }).next().toDate();
  } catch (e) {
    throw new BadRequest(`not a cron expression: ${(e as Error).message}`, '/schedule/cron');
  }
}

async function scheduleNext(db: Kysely<DB> | Transaction<DB>, reportId: number, cron: string, timeZone: string, after: Date, now: Date): Promise<Date> {
  const at = nextSlot(cron, timeZone, after);
  const payload: ReportPayload = { reportId, slot: at.toISOString(), cron, timeZone };
  await db
    .insertInto('jobs')
    .values({ kind: REPORT_JOB, instance_id: null, key: `${REPORT_JOB}:${reportId}:${payload.slot}`, payload: JSON.stringify(payload), run_at: at, created_at: now, max_attempts: 3 })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return at;
}

async function reportView(db: Kysely<DB>, r: Selectable<StatReportsTable>): Promise<ReportView> {
  const next = await db
    .selectFrom('jobs')
    .select('run_at')
    .where('kind', '=', REPORT_JOB)
    .where('status', '=', 'ready')
    .where('key', 'like', `${REPORT_JOB}:${r.id}:%`)
    .where(sql<boolean>`payload->>'cron' = ${r.cron ?? ''} and payload->>'timeZone' = ${r.time_zone}`)
    .orderBy('run_at')
    .executeTakeFirst();
  return { id: r.id, definition: r.definition as ReportDefinition, nextRunAt: r.cron && r.enabled ? (next?.run_at.toISOString() ?? null) : null, changedAt: r.changed_at.toISOString() };
}

async function check(db: Kysely<DB>, def: ReportDefinition): Promise<void> {
  if (def.schedule) {
    checkTimeZone(def.schedule.timeZone ?? 'UTC', '/schedule/timeZone');
    nextSlot(def.schedule.cron, def.schedule.timeZone ?? 'UTC', new Date());
    if (!def.recipients?.length) throw new BadRequest('a scheduled report needs recipients', '/recipients');
  }
  for (const [i, s] of def.statistics.entries()) {
    const found = await db.selectFrom('stat_definitions').select('id').where('id', '=', s.statId).executeTakeFirst();
    if (!found) throw new BadRequest(`no statistic ${s.statId}`, `/statistics/${i}/statId`, undefined, 'UNKNOWN_REFERENCE');
  }
}

export async function listReports(db: Kysely<DB>, access: Access): Promise<ReportView[]> {
  await access.assertStats('ro');
  const rows = await db.selectFrom('stat_reports').selectAll().orderBy('name').execute();
  return Promise.all(rows.map((r) => reportView(db, r)));
}

export async function getReport(db: Kysely<DB>, access: Access, id: number): Promise<ReportView> {
  await access.assertStats('ro');
  const r = await db.selectFrom('stat_reports').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw new NotFound('report');
  return reportView(db, r);
}

/** Creates or replaces (`id`) a report and schedules its next slot. */
export async function saveReport(db: Kysely<DB>, access: Access, def: ReportDefinition, now: Date, id?: number): Promise<ReportView> {
  await access.assertStats('rw');
  await check(db, def);
  const values = { name: def.name, definition: JSON.stringify(def), cron: def.schedule?.cron ?? null, time_zone: def.schedule?.timeZone ?? 'UTC', enabled: def.enabled ?? true, changed_at: now };
  const row = await db.transaction().execute(async (trx) => {
    const taken = await trx.selectFrom('stat_reports').select('id').where('name', '=', def.name).$if(id !== undefined, (q) => q.where('id', '!=', id!)).executeTakeFirst();
    if (taken) throw new Conflict(`a report named ${JSON.stringify(def.name)} exists`, '/name', 'NAME_TAKEN');
    const r =
      id === undefined
        ? await trx.insertInto('stat_reports').values({ ...values, created_by: access.requireAgent().id, created_at: now }).returningAll().executeTakeFirstOrThrow()
        : await trx.updateTable('stat_reports').set(values).where('id', '=', id).returningAll().executeTakeFirst();
    if (!r) throw new NotFound('report');
    // Jobs of an older schedule find it changed and do nothing; this one is the schedule now.
    if (r.cron && r.enabled) await scheduleNext(trx, r.id, r.cron, r.time_zone, now, now);
    return r;
  });
  return reportView(db, row);
}

export async function deleteReport(db: Kysely<DB>, access: Access, id: number): Promise<void> {
  await access.assertStats('rw');
  const r = await db.deleteFrom('stat_reports').where('id', '=', id).executeTakeFirst();
  if (!r.numDeletedRows) throw new NotFound('report');
}

export interface RenderedFile {
  filename: string;
  contentType: string;
  content: Buffer;
}

const MAIL_TEXT = {
  en: (title: string) => `Attached: the report "${title}".`,
  de: (title: string) => `Im Anhang: der Bericht „${title}“.`,
};

/** Runs the report's statistics as `access` and renders its files. */
export async function renderReport(db: Kysely<DB>, access: Access, def: ReportDefinition, now: Date): Promise<RenderedFile[]> {
  const sections: Array<{ result: StatResult; chart: Chart; name: string }> = [];
  for (const item of def.statistics) {
    const s = await db.selectFrom('stat_definitions').select(['name', 'definition']).where('id', '=', item.statId).executeTakeFirst();
    if (!s) throw new BadRequest(`the report names statistic ${item.statId}, which no longer exists`);
    const stored = s.definition as StatDefinition;
    const result = await runDefinition(db, access, stored, item.params, now, { limit: 100_000 });
    sections.push({ result, chart: item.chart ?? effective(stored, item.params).chart ?? 'bar', name: s.name });
  }
  const files: RenderedFile[] = [];
  for (const format of def.formats ?? ['pdf']) {
    if (format === 'pdf') {
      const content = await pdfBuffer({ title: def.title, headline: def.headline, preamble: def.preamble, epilogue: def.epilogue, sections });
      files.push({ filename: fileName(def.title, 'pdf'), contentType: 'application/pdf', content });
    } else {
      const content = await xlsxBuffer(sections.map((s) => ({ name: s.name, title: s.result.title, source: resultSource(s.result) })));
      files.push({ filename: fileName(def.title, 'xlsx'), contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', content });
    }
  }
  return files;
}

/**
 * Runs report `reportId` as `access` now (manual) or for a schedule slot: records the run and its
 * files and queues the mail in one transaction. Resolves to the run id, or null when the slot ran
 * already.
 */
export async function runReport(db: Kysely<DB>, access: Access, reportId: number, now: Date, slot?: string): Promise<number | null> {
  const r = await db.selectFrom('stat_reports').selectAll().where('id', '=', reportId).executeTakeFirst();
  if (!r) throw new NotFound('report');
  const def = r.definition as ReportDefinition;
  let files: RenderedFile[] = [];
  let error: string | null = null;
  try {
    files = await renderReport(db, access, def, now);
  } catch (e) {
    error = (e as Error).message;
  }
  const recipients = def.recipients ?? [];
  return db.transaction().execute(async (trx) => {
    const run = await trx
      .insertInto('stat_report_runs')
      .values({ report_id: r.id, trigger: slot ? 'schedule' : 'manual', slot: slot ?? null, status: error ? 'failed' : 'done', error, recipients: error ? '' : recipients.join(', '), started_at: now, finished_at: new Date(Math.max(now.getTime(), Date.now())) })
      .onConflict((oc) => oc.columns(['report_id', 'slot']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!run) return null;
    for (const f of files) await trx.insertInto('stat_report_files').values({ run_id: run.id, filename: f.filename, content_type: f.contentType, size: f.content.length, content: f.content }).execute();
    if (!error && recipients.length) {
      await queueMail(
        trx,
        {
          purpose: 'report',
          to: recipients,
          subject: def.headline ? `${def.headline}: ${def.title}` : def.title,
          text: MAIL_TEXT[def.language ?? 'en'](def.title),
          auto: true,
          attachments: files.map((f) => ({ filename: f.filename, contentType: f.contentType, content: f.content.toString('base64') })),
        },
        { now },
      );
    }
    if (slot && r.cron && r.enabled) await scheduleNext(trx, r.id, r.cron, r.time_zone, new Date(slot), now);
    return run.id;
  });
}

/** The job kind's work: run the slot if the report still has this schedule, as its author. */
export async function runScheduledReport(db: Kysely<DB>, payload: ReportPayload, now: Date): Promise<void> {
  const r = await db.selectFrom('stat_reports').select(['id', 'cron', 'time_zone', 'enabled', 'created_by']).where('id', '=', payload.reportId).executeTakeFirst();
  if (!r || !r.enabled || r.cron !== payload.cron || r.time_zone !== payload.timeZone) return;
  const author = r.created_by ? await db.selectFrom('agents').select(['id', 'login', 'valid']).where('id', '=', r.created_by).executeTakeFirst() : undefined;
  const access = author?.valid ? new Access(db, { kind: 'agent', id: author.id, login: author.login, via: 'session' }) : new Access(db, undefined);
  await runReport(db, access, r.id, now, payload.slot);
}

export interface RunView {
  id: number;
  trigger: 'manual' | 'schedule';
  slot: string | null;
  status: 'done' | 'failed';
  error: string | null;
  recipients: string;
  startedAt: string;
  files: Array<{ id: number; filename: string; contentType: string; size: number }>;
}

export async function listRuns(db: Kysely<DB>, access: Access, reportId: number): Promise<RunView[]> {
  await getReport(db, access, reportId);
  const runs = await db.selectFrom('stat_report_runs').selectAll().where('report_id', '=', reportId).orderBy('id', 'desc').limit(200).execute();
  const files = runs.length ? await db.selectFrom('stat_report_files').select(['id', 'run_id', 'filename', 'content_type', 'size']).where('run_id', 'in', runs.map((r) => r.id)).orderBy('id').execute() : [];
  return runs.map((r) => ({
    id: r.id,
    trigger: r.trigger,
    slot: r.slot,
    status: r.status,
    error: r.error,
    recipients: r.recipients,
    startedAt: r.started_at.toISOString(),
    files: files.filter((f) => f.run_id === r.id).map((f) => ({ id: f.id, filename: f.filename, contentType: f.content_type, size: f.size })),
  }));
}

export async function runFile(db: Kysely<DB>, access: Access, reportId: number, fileId: number): Promise<Response> {
  await getReport(db, access, reportId);
  const f = await db
    .selectFrom('stat_report_files as f')
    .innerJoin('stat_report_runs as r', 'r.id', 'f.run_id')
    .select(['f.filename', 'f.content_type', 'f.content'])
    .where('f.id', '=', fileId)
    .where('r.report_id', '=', reportId)
    .executeTakeFirst();
  if (!f) throw new NotFound('file');
  return new Response(new Uint8Array(f.content), { headers: { 'content-type': f.content_type, 'content-disposition': `attachment; filename="${f.filename}"` } });
}
