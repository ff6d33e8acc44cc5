/**
 * Two limits of statistics a user meets: a preview that runs longer than its time limit is stopped
 * with a 400 `STAT_TIMEOUT` that says so (the same statistic still runs without the preview limit),
 * and the PDF of a 500-row list is a table across pages with the header row on every page and
 * every row in it, read back from the file.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from './support/db';
import { createQueue } from './support/fixtures';
import { pdfPages, startStatsFixture, type StatsFixture } from './support/stats';

/** Inserts `n` tickets into `queueId`, numbered `<prefix>00001`…, created a minute apart. */
async function bulkTickets(f: StatsFixture, queueId: number, prefix: string, n: number): Promise<void> {
  await sql`
    insert into tickets (tn, title, queue_id, state_id, priority_id, type_id, created_at, changed_at)
    select ${prefix} || lpad(g::text, 5, '0'), 'bulk ' || g, ${queueId},
      (select id from states where name = 'new'), (select id from priorities where name = '3 normal'),
      (select id from ticket_types where name = 'Unclassified'),
      timestamptz '2026-01-01T00:00:00Z' + g * interval '1 minute', timestamptz '2026-01-01T00:00:00Z' + g * interval '1 minute'
    from generate_series(1, ${n}) g`.execute(f.db);
}

describe.each(databaseKinds)('statistics limits on %s', (kind) => {
  let f: StatsFixture;
  beforeAll(async () => {
    // A preview may run 1 ms: any statistic over thousands of tickets takes longer.
    f = await startStatsFixture(kind, { statsPreviewTimeoutMs: 1 });
    await bulkTickets(f, await createQueue(f.db, 'Heap', 'support'), 'H', 20_000);
    await bulkTickets(f, await createQueue(f.db, 'Bulk', 'support'), 'B', 500);
    // On PGlite the inserts held this process's event loop; let the keep-alive timers that expired
    // meanwhile close their idle connections before the next request picks one of them.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }, 180_000);
  afterAll(async () => f?.close());

  it('stops a preview that runs too long with a 400 that says so, and runs the statistic in full without the preview', async () => {
    const definition = { format: 'stat/1', name: 'Every day', kind: 'matrix', timeZone: 'Europe/Berlin', x: { dimension: 'created', grain: 'day' }, y: { dimension: 'queue' } };
    const preview = await f.as.lee!.post('/api/v1/stats/preview', { definition });
    expect(preview.status, JSON.stringify(preview.body)).toBe(400);
    expect(preview.body.error.code).toBe('STAT_TIMEOUT');
    expect(preview.body.error.message).toMatch(/took longer than the preview's limit of 1 ms; narrow its filters/);

    const created = await f.as.lee!.post('/api/v1/stats', definition);
    expect(created.status).toBe(201);
    const previewRun = await f.as.lee!.post(`/api/v1/stats/${created.body.id}/run`, { preview: true });
    expect(previewRun.status).toBe(400);
    expect(previewRun.body.error.code).toBe('STAT_TIMEOUT');
    const full = await f.as.lee!.post(`/api/v1/stats/${created.body.id}/run`, {});
    expect(full.status, JSON.stringify(full.body)).toBe(200);
    expect(full.body.sumRow.at(-1)).toBe(20_000 + 500 + 5);
  });

  it('writes a 500-row list as a PDF table across pages with the header on every page', async () => {
    const columns = ['tn', 'title', 'queue', 'state'];
    const created = await f.as.lee!.post('/api/v1/stats', { format: 'stat/1', name: 'Bulk list', kind: 'list', columns, orderBy: 'tn', filters: [{ dimension: 'queue', values: ['Bulk'] }] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const res = await fetch(`${f.srv.url}/api/v1/stats/${created.body.id}/output/pdf`, { headers: { cookie: f.as.lee!.cookie! } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('x-stat-rows')).toBe('500');
    const pages = pdfPages(Buffer.from(await res.arrayBuffer()));
    expect(pages.length).toBeGreaterThan(5);
    expect(pages[0]![0]).toBe('Bulk list');
    for (const [i, page] of pages.entries()) {
      const at = page.indexOf('tn');
      expect(at, `page ${i + 1} starts its table with the header`).toBe(i === 0 ? 1 : 0);
      expect(page.slice(at, at + 4)).toEqual(columns);
    }
    const tns = pages.flat().filter((l) => /^B\d{5}$/.test(l));
    expect(tns).toEqual(Array.from({ length: 500 }, (_, i) => `B${String(i + 1).padStart(5, '0')}`));
    // Each row reads tn, title, queue, state.
    const flat = pages.flat();
    const last = flat.indexOf('B00500');
    expect(flat.slice(last, last + 4)).toEqual(['B00500', 'bulk 500', 'Bulk', 'new']);
  });
});
