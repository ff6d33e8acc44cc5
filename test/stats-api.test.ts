/**
 * The statistics REST API on the real database: who may define and run statistics, running with
 * a changed axis, CSV / Excel / PDF downloads read back (exceljs reads the workbook; the PDF's text
 * holds the title and the table), import/export of definitions, and dashboard widgets.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from './support/db';
import { pdfText, startStatsFixture, type StatsFixture } from './support/stats';

const newTickets = {
  format: 'stat/1',
  name: 'Tickets per queue and month',
  kind: 'matrix',
  timeZone: 'Europe/Berlin',
  x: { dimension: 'created', grain: 'month', changeable: true },
  y: { dimension: 'queue' },
  chart: 'stackedBar',
};

describe.each(databaseKinds)('statistics API on %s', (kind) => {
  let f: StatsFixture;
  let statId: number;
  beforeAll(async () => {
    f = await startStatsFixture(kind);
  }, 120_000);
  afterAll(async () => f?.close());

  it('lets stats rw define, stats ro run, and nobody else in', async () => {
    const denied = await f.as.kim!.post('/api/v1/stats', newTickets);
    expect(denied.status, JSON.stringify(denied.body)).toBe(403);
    expect((await f.as.nostats!.get('/api/v1/stats')).status).toBe(403);
    const bad = await f.as.lee!.post('/api/v1/stats', { ...newTickets, timeZone: 'Nowhere/Land' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toBe('/timeZone');
    expect((await f.as.lee!.post('/api/v1/stats', { ...newTickets, systemWide: true })).status).toBe(403);
    const created = await f.as.lee!.post('/api/v1/stats', newTickets);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    statId = created.body.id;
    const list = await f.as.kim!.get('/api/v1/stats');
    expect(list.status).toBe(200);
    expect(list.body.map((s: { name: string }) => s.name)).toEqual(expect.arrayContaining(['New tickets', 'Closed tickets by solution time', newTickets.name]));
  });

  it('runs as the caller, with the changeable axis changed before the run', async () => {
    const kim = await f.as.kim!.post(`/api/v1/stats/${statId}/run`, {});
    expect(kim.status, JSON.stringify(kim.body)).toBe(200);
    expect(kim.body.rows).toEqual([['Sales', 2, 2]]);
    const lee = await f.as.lee!.post(`/api/v1/stats/${statId}/run`, { x: { dimension: 'priority' } });
    expect(lee.body.columns).toEqual(['queue', '3 normal', '5 very high', 'Sum']);
    expect(lee.body.sumRow).toEqual(['Sum', 4, 1, 5]);
    const fixed = await f.as.lee!.post(`/api/v1/stats/${statId}/run`, { y: { dimension: 'state' } });
    expect(fixed.status).toBe(400);
    expect(fixed.body.error.path).toBe('/y');
  });

  it('downloads CSV, Excel and PDF that read back to the same table', async () => {
    const csv = await f.as.lee!.get(`/api/v1/stats/${statId}/output/csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toContain('Tickets-per-queue-and-month.csv');
    expect(csv.body).toBe('queue,2026-04,2026-10,Sum\r\nSales,2,0,2\r\nSupport,1,2,3\r\nSum,3,2,5\r\n');
    const params = encodeURIComponent(JSON.stringify({ x: { dimension: 'priority' } }));
    const res = await fetch(`${f.srv.url}/api/v1/stats/${statId}/output/xlsx?params=${params}`, { headers: { cookie: f.as.lee!.cookie! } });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const values = (n: number) => (ws.getRow(n).values as unknown[]).slice(1);
    expect(values(1)).toEqual([newTickets.name]);
    expect(values(2)).toEqual(['queue', '3 normal', '5 very high', 'Sum']);
    expect(values(3)).toEqual(['Sales', 1, 1, 2]);
    expect(values(5)).toEqual(['Sum', 4, 1, 5]);
    const pdf = await fetch(`${f.srv.url}/api/v1/stats/${statId}/output/pdf`, { headers: { cookie: f.as.lee!.cookie! } });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const text = pdfText(Buffer.from(await pdf.arrayBuffer()));
    expect(text).toContain(newTickets.name);
    expect(text.join('|')).toContain('queue|2026-04|2026-10|Sum|Sales|2|0|2|Support|1|2|3|Sum|3|2|5');
  });

  it('streams a list export with its row count', async () => {
    const stats = (await f.as.lee!.get('/api/v1/stats')).body as Array<{ id: number; name: string }>;
    const overview = stats.find((s) => s.name === 'Overview of all tickets')!;
    const csv = await f.as.kim!.get(`/api/v1/stats/${overview.id}/output/csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('x-stat-rows')).toBe('2');
    const lines = (csv.body as string).trim().split('\r\n');
    expect(lines[0]).toBe('tn,title,queue,state,priority,owner,customerUser,created,closed');
    expect(lines).toHaveLength(3);
    expect(lines.slice(1).every((l) => l.includes(',Sales,'))).toBe(true);
  });

  it('exports and imports definitions as JSON', async () => {
    const exp = await f.as.lee!.get(`/api/v1/stats/export?ids=${statId}`);
    expect(exp.body).toEqual({ format: 'stats-export/1', statistics: [newTickets] });
    const renamed = { ...newTickets, name: 'Imported copy' };
    const imp = await f.as.lee!.post('/api/v1/stats/import', { format: 'stats-export/1', statistics: [renamed] });
    expect(imp.status).toBe(200);
    expect(imp.body[0].definition).toEqual(renamed);
    const bad = await f.as.lee!.post('/api/v1/stats/import', { format: 'stats-export/1', statistics: [{ ...renamed, kind: 'cube' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toBe('/statistics/0/kind');
  });

  it('puts a statistic on the agent dashboard with its result', async () => {
    expect((await f.as.kim!.put(`/api/v1/stats/dashboard/${statId}`, { chart: 'pie' })).status).toBe(204);
    const w = await f.as.kim!.get('/api/v1/stats/dashboard');
    expect(w.status).toBe(200);
    expect(w.body).toMatchObject([{ statId, chart: 'pie', error: null, result: { rows: [['Sales', 2, 2]] } }]);
    expect((await f.as.kim!.delete(`/api/v1/stats/dashboard/${statId}`)).status).toBe(204);
    expect((await f.as.kim!.get('/api/v1/stats/dashboard')).body).toEqual([]);
  });
});
