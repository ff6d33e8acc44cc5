/**
 * Reports: defined over the API, run now and on a cron schedule (a job on the job table), mailed
 * with their PDF and Excel files to a local SMTP capture, with a run history holding the files. A
 * slot runs once: a repeated job for it mails nothing; two server processes on one PostgreSQL mail
 * a scheduled slot once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../server/config';
import { closeMailTransports } from '../server/mail/transport';
import { startWorker, type JobWorker } from '../server/engine/worker';
import { nextSlot, runScheduledReport, type ReportPayload } from '../server/stats/reports';
import { createSchema, databaseKinds, dropSchema, TEST_DATABASE_URL, urlWithSchema } from './support/db';
import { Client } from './support/server';
import { startSmtpCapture, type SmtpCapture } from './support/smtp';
import { freePort, SPAWN_BUDGET_MS, spawnTestTimeout } from './support/spawn';
import { pdfText, startStatsFixture, type StatsFixture } from './support/stats';
import { PW } from './support/tickets';

const statBody = { format: 'stat/1', name: 'Per queue', kind: 'matrix', x: { dimension: 'queue' }, chart: 'bar' };
const report = (statId: number, extra: Record<string, unknown> = {}) => ({
  format: 'report/1',
  name: 'Weekly',
  title: 'Weekly queue report',
  headline: 'ACME helpdesk',
  preamble: 'Tickets per queue.',
  epilogue: 'End of report.',
  language: 'de',
  statistics: [{ statId, chart: 'bar' }],
  formats: ['pdf', 'xlsx'],
  recipients: ['boss@example.test'],
  ...extra,
});

describe.each(databaseKinds)('reports on %s', (kind) => {
  let f: StatsFixture;
  let worker: JobWorker;
  let smtp: SmtpCapture;
  let reportId: number;

  beforeAll(async () => {
    f = await startStatsFixture(kind);
    smtp = await startSmtpCapture();
    f.srv.services.config.mailOut.smtpUrl = smtp.url;
    worker = startWorker(f.srv.services, { loop: false });
  }, 120_000);
  afterAll(async () => {
    await worker?.stop();
    closeMailTransports();
    await smtp?.close();
    await f?.close();
  });

  it('defines a scheduled report and refuses a bad schedule by path', async () => {
    const stat = await f.as.lee!.post('/api/v1/stats', statBody);
    const bad = await f.as.lee!.post('/api/v1/reports', report(stat.body.id, { schedule: { cron: 'every monday', timeZone: 'Europe/Berlin' } }));
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toBe('/schedule/cron');
    expect((await f.as.kim!.post('/api/v1/reports', report(stat.body.id))).status).toBe(403);
    const created = await f.as.lee!.post('/api/v1/reports', report(stat.body.id, { schedule: { cron: '0 7 * * 1', timeZone: 'Europe/Berlin' } }));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    reportId = created.body.id;
    const next = nextSlot('0 7 * * 1', 'Europe/Berlin', f.srv.services.now());
    expect(created.body.nextRunAt).toBe(next.toISOString());
    // Monday 07:00 in Berlin is 05:00 or 06:00 UTC, by the season.
    expect([5, 6]).toContain(next.getUTCHours());
    expect(next.getUTCDay()).toBe(1);
  });

  it('runs now and mails the PDF and Excel files, kept in the run history', async () => {
    const run = await f.as.lee!.post(`/api/v1/reports/${reportId}/run`);
    expect(run.status, JSON.stringify(run.body)).toBe(201);
    await worker.drain();
    const [mail] = await smtp.waitFor(1);
    expect(mail!.to).toEqual(['boss@example.test']);
    expect(mail!.parsed.subject).toBe('ACME helpdesk: Weekly queue report');
    expect(mail!.parsed.text).toContain('Im Anhang');
    const names = mail!.parsed.attachments.map((a) => a.filename);
    expect(names).toEqual(['Weekly-queue-report.pdf', 'Weekly-queue-report.xlsx']);
    const pdf = pdfText(mail!.parsed.attachments[0]!.content);
    expect(pdf).toEqual(expect.arrayContaining(['ACME helpdesk', 'Weekly queue report', 'Tickets per queue.', 'End of report.']));
    // lee reads both queues: 2 in Sales, 3 in Support.
    expect(pdf.join('|')).toContain('queue|tickets|Sales|2|Support|3|Sum|5');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(mail!.parsed.attachments[1]!.content as unknown as ArrayBuffer);
    expect((wb.worksheets[0]!.getRow(4).values as unknown[]).slice(1)).toEqual(['Support', 3]);
    const runs = await f.as.kim!.get(`/api/v1/reports/${reportId}/runs`);
    expect(runs.body).toMatchObject([{ trigger: 'manual', status: 'done', recipients: 'boss@example.test' }]);
    const file = runs.body[0].files[1];
    const dl = await fetch(`${f.srv.url}/api/v1/reports/${reportId}/files/${file.id}`, { headers: { cookie: f.as.kim!.cookie! } });
    expect(dl.status).toBe(200);
    expect(Buffer.from(await dl.arrayBuffer()).equals(mail!.parsed.attachments[1]!.content)).toBe(true);
  });

  it('runs each schedule slot once, as a job, and schedules the next', async () => {
    smtp.mails.splice(0);
    const before = (await f.as.lee!.get(`/api/v1/reports/${reportId}`)).body.nextRunAt as string;
    f.srv.advance(new Date(before).getTime() - f.srv.services.now().getTime() + 1000);
    await worker.drain();
    await worker.drain();
    await smtp.waitFor(1);
    await f.as.lee!.login('lee', PW); // a week later: the session ran out
    const after = (await f.as.lee!.get(`/api/v1/reports/${reportId}`)).body.nextRunAt as string;
    expect(new Date(after).getTime() - new Date(before).getTime()).toBeGreaterThanOrEqual(7 * 24 * 3600_000 - 3600_000);
    // The same slot's job again (a crash after the mail was queued): nothing new.
    const payload: ReportPayload = { reportId, slot: before, cron: '0 7 * * 1', timeZone: 'Europe/Berlin' };
    await runScheduledReport(f.db, payload, f.srv.services.now());
    await worker.drain();
    const runs = (await f.as.lee!.get(`/api/v1/reports/${reportId}/runs`)).body as Array<{ trigger: string; slot: string | null }>;
    expect(runs.filter((r) => r.trigger === 'schedule').map((r) => r.slot)).toEqual([before]);
    expect(smtp.mails).toHaveLength(1);
  });
});

describe.skipIf(!TEST_DATABASE_URL)('a scheduled report with two server processes on one PostgreSQL', { timeout: spawnTestTimeout(2) + 60_000 }, () => {
  const procs: ChildProcess[] = [];
  let schema: string;
  let smtp: SmtpCapture;
  afterAll(async () => {
    for (const p of procs) p.kill('SIGTERM');
    await Promise.all(procs.map((p) => (p.exitCode !== null ? undefined : new Promise((r) => p.on('exit', r)))));
    await smtp?.close();
    if (schema) await dropSchema(schema);
  });

  async function serve(port: number, env: Record<string, string>): Promise<void> {
    const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin/helpdesk.mjs'), 'serve'], { env: { ...process.env, LOG_LEVEL: 'warn', PORT: String(port), WORKER_POLL_MS: '200', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    procs.push(child);
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    const until = Date.now() + SPAWN_BUDGET_MS;
    while (Date.now() < until) {
      if (child.exitCode !== null) throw new Error(`server exited: ${out}`);
      if (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`server did not start: ${out}`);
  }

  it('mails the slot once', async () => {
    schema = await createSchema();
    smtp = await startSmtpCapture();
    const env = { DATABASE_URL: urlWithSchema(schema), SMTP_URL: smtp.url, ADMIN_PASSWORD: 'two-procs-admin-pw' };
    const [p1, p2] = [await freePort(), await freePort()];
    await serve(p1, env);
    await serve(p2, env);
    const admin = new Client(`http://127.0.0.1:${p1}`);
    await admin.login('admin', 'two-procs-admin-pw');
    const stat = await admin.post('/api/v1/stats', statBody);
    expect(stat.status, JSON.stringify(stat.body)).toBe(201);
    // One slot a few seconds from now (cron with seconds), the next a year later.
    const at = new Date(Date.now() + 6000);
    const cron = `${at.getUTCSeconds()} ${at.getUTCMinutes()} ${at.getUTCHours()} ${at.getUTCDate()} ${at.getUTCMonth() + 1} *`;
    const created = await admin.post('/api/v1/reports', report(stat.body.id, { formats: ['xlsx'], schedule: { cron, timeZone: 'UTC' } }));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const [mail] = await smtp.waitFor(1);
    expect(mail!.parsed.attachments.map((a) => a.filename)).toEqual(['Weekly-queue-report.xlsx']);
    // Both processes poll the job table; once the next slot is queued the run is over: one run, one mail.
    const other = new Client(`http://127.0.0.1:${p2}`);
    await other.login('admin', 'two-procs-admin-pw');
    let view = (await other.get(`/api/v1/reports/${created.body.id}`)).body;
    while (new Date(view.nextRunAt).getTime() < Date.now() + 300 * 24 * 3600_000) view = (await other.get(`/api/v1/reports/${created.body.id}`)).body;
    const runs = (await other.get(`/api/v1/reports/${created.body.id}/runs`)).body;
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ trigger: 'schedule', status: 'done' });
    expect(smtp.mails).toHaveLength(1);
  });
});
