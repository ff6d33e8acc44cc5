/**
 * The statistics shipped with the product (OTRS's eleven, as this product computes them, plus
 * closed tickets and average solution time), each run on the statistics fixture and checked number
 * by number. The process statistic reads the process monitoring facts of a process put in place.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from './support/db';
import { insertActiveProcess } from './support/process-rows';
import { startStatsFixture, type StatsFixture } from './support/stats';

describe.each(databaseKinds)('shipped statistics on %s', (kind) => {
  let f: StatsFixture;
  let ids: Record<string, number>;
  beforeAll(async () => {
    f = await startStatsFixture(kind);
    const list = (await f.as.lee!.get('/api/v1/stats')).body as Array<{ id: number; name: string; shipped: boolean }>;
    ids = Object.fromEntries(list.filter((s) => s.shipped).map((s) => [s.name, s.id]));
  }, 120_000);
  afterAll(async () => f?.close());

  const run = async (name: string) => {
    const r = await f.as.lee!.post(`/api/v1/stats/${ids[name]}/run`, {});
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body as { columns: string[]; rows: unknown[][]; sumRow?: unknown[] };
  };
  const minutesUntil = (iso: string) => Math.round((new Date(iso).getTime() - f.srv.services.now().getTime()) / 60_000);

  it('ships thirteen statistics', () => {
    expect(Object.keys(ids)).toHaveLength(13);
  });

  it('New tickets: per queue and month', async () => {
    const r = await run('New tickets');
    expect(r.columns).toEqual(['queue', '2026-03', '2026-04', '2026-10', 'Sum']);
    expect(r.rows).toEqual([
      ['Sales', 1, 1, 0, 2],
      ['Support', 0, 1, 2, 3],
    ]);
    expect(r.sumRow).toEqual(['Sum', 1, 2, 2, 5]);
  });

  it('Closed tickets: per queue and month of closing', async () => {
    const r = await run('Closed tickets');
    expect(r.columns).toEqual(['queue', '2026-04', 'Sum']);
    expect(r.rows).toEqual([['Support', 1, 1]]);
  });

  it('Overview of all tickets: every ticket the agent may read', async () => {
    const r = await run('Overview of all tickets');
    expect(r.rows).toHaveLength(5);
    expect(r.rows.map((row) => row[2])).toEqual(['Sales', 'Sales', 'Support', 'Support', 'Support']);
    const kim = await f.as.kim!.post(`/api/v1/stats/${ids['Overview of all tickets']}/run`, {});
    expect(kim.body.rows).toHaveLength(2);
  });

  it('Tickets by state and priority', async () => {
    const r = await run('Tickets by state and priority');
    expect(r.columns).toEqual(['state', '3 normal', '5 very high', 'Sum']);
    expect(r.rows).toEqual([
      ['closed successful', 1, 0, 1],
      ['new', 3, 0, 3],
      ['open', 0, 1, 1],
    ]);
  });

  it('Accounted time per agent and month', async () => {
    const r = await run('Accounted time per agent and month');
    expect(r.columns).toEqual(['owner', '2026-03', '2026-04', '2026-10', 'Sum']);
    expect(r.rows).toEqual([
      ['kim', 0, 0, 0, 0],
      ['lee', 0, 3.5, 0, 3.5],
      ['-', 0, 0, 0, 0],
    ]);
  });

  it('Most time-consuming tickets', async () => {
    const r = await run('Most time-consuming tickets');
    expect(r.columns).toEqual(['tn', 'title', 'queue', 'owner', 'timeUnits']);
    expect(r.rows[0]!.slice(2)).toEqual(['Sales', 'lee', 3.5]);
    expect(r.rows.slice(1).map((row) => row[4])).toEqual([0, 0, 0, 0]);
  });

  it('Closed tickets by solution time', async () => {
    const r = await run('Closed tickets by solution time');
    expect(r.rows.map((row) => [row[2], row[4]])).toEqual([['Support', 24 * 60]]);
  });

  it('Tickets by first response time', async () => {
    const r = await run('Tickets by first response time');
    expect(r.rows.map((row) => row[4])).toEqual([120, 30]);
  });

  it('Open tickets by time left until the response and solution deadlines', async () => {
    const response = await run('Open tickets by time left until the response deadline');
    expect(response.rows).toHaveLength(1);
    expect(Math.abs((response.rows[0]![4] as number) - minutesUntil('2026-03-31T23:30:00Z'))).toBeLessThanOrEqual(1);
    const solution = await run('Open tickets by time left until the solution deadline');
    expect(solution.rows).toHaveLength(1);
    expect(Math.abs((solution.rows[0]![4] as number) - minutesUntil('2026-04-01T02:30:00Z'))).toBeLessThanOrEqual(1);
  });

  it('Changes of ticket states', async () => {
    const r = await run('Changes of ticket states');
    expect(r.columns).toEqual(['day', 'closed successful', 'Sum']);
    expect(r.rows).toEqual([['2026-04-16', 1, 1]]);
  });

  it('Average solution time per month', async () => {
    const r = await run('Average solution time per month');
    expect(r.rows).toEqual([['2026-04', 1, 1440]]);
  });

  it('Process statistics: instances and time per node from the monitoring facts', async () => {
    const at = new Date(f.srv.services.now().getTime() - 3600_000);
    await insertActiveProcess(f.db, { key: 'vacation', name: 'Vacation', nodes: [{ id: 'approve', type: 'userTask', name: 'Approve' }], transitions: [] } as never, new Date(at.getTime() - 3600_000));
    const hour = new Date(Math.floor(at.getTime() / 3600_000) * 3600_000);
    const fact = (kindOf: 'visit' | 'started' | 'completed', node: string, ms: number) => ({ process_key: 'vacation', process_version: 1, kind: kindOf, node, bucket_start: hour, slot: 0, ms });
    await f.db.insertInto('process_stats_pending').values([fact('started', '', 0), fact('started', '', 0), fact('visit', 'approve', 2000), fact('visit', 'approve', 4000), fact('completed', '', 6000)]).execute();
    const r = await run('Process statistics');
    expect(r.rows).toEqual([
      ['vacation', 1, '(instances)', 2, 1, 0, 1, 6000],
      ['vacation', 1, 'Approve', null, null, null, 2, 3000],
    ]);
    // It counts every instance, so it needs stats rw.
    expect((await f.as.kim!.post(`/api/v1/stats/${ids['Process statistics']}/run`, {})).status).toBe(403);
  });
});
