/**
 * Statistics queries on the real database (PGlite, and PostgreSQL with TEST_DATABASE_URL): every
 * dimension as an axis and as a filter, time buckets in a chosen time zone across DST, sums,
 * changeable axes, list columns, the streamed list, and what an agent's statistic may count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from './support/db';
import { startStatsFixture, type StatsFixture } from './support/stats';
import { runDefinition } from '../server/stats/service';
import { streamList } from '../server/stats/query';
import type { StatDefinition } from '../server/stats/schema';

const matrix = (x: StatDefinition['x'], more: Partial<StatDefinition> = {}): StatDefinition => ({ format: 'stat/1', name: 'm', kind: 'matrix', x, systemWide: true, ...more });
const now = new Date('2026-11-01T00:00:00Z');

describe.each(databaseKinds)('statistics queries on %s', (kind) => {
  let f: StatsFixture;
  beforeAll(async () => {
    f = await startStatsFixture(kind);
  }, 120_000);
  afterAll(async () => f?.close());

  /** A one-axis matrix run by the administrator (system-wide): `{label: count}`. */
  async function counts(def: StatDefinition, login = 'admin'): Promise<Record<string, number>> {
    const r = await runDefinition(f.db, f.access(login), def, undefined, now);
    return Object.fromEntries(r.rows.map((row) => [row[0] as string, row[1] as number]));
  }

  it('groups by each reference dimension and dropdown field', async () => {
    expect(await counts(matrix({ dimension: 'queue' }))).toEqual({ Sales: 2, Support: 3 });
    expect(await counts(matrix({ dimension: 'state' }))).toEqual({ new: 3, open: 1, 'closed successful': 1 });
    expect(await counts(matrix({ dimension: 'stateType' }))).toEqual({ new: 3, open: 1, closed: 1 });
    expect(await counts(matrix({ dimension: 'priority' }))).toEqual({ '3 normal': 4, '5 very high': 1 });
    expect(await counts(matrix({ dimension: 'type' }))).toEqual({ Unclassified: 3, Incident: 2 });
    expect(await counts(matrix({ dimension: 'service' }))).toEqual({ Email: 1, '-': 4 });
    expect(await counts(matrix({ dimension: 'sla' }))).toEqual({ Gold: 1, '-': 4 });
    expect(await counts(matrix({ dimension: 'owner' }))).toEqual({ kim: 1, lee: 2, '-': 2 });
    expect(await counts(matrix({ dimension: 'responsible' }))).toEqual({ kim: 1, '-': 4 });
    expect(await counts(matrix({ dimension: 'customer' }))).toEqual({ acme: 1, '-': 4 });
    expect(await counts(matrix({ dimension: 'customerUser' }))).toEqual({ carol: 1, '-': 4 });
    expect(await counts(matrix({ dimension: 'df:Colour' }))).toEqual({ red: 1, blue: 1, '-': 3 });
  });

  it('filters by each dimension', async () => {
    const filtered = (dimension: string, values: string[]) => counts(matrix({ dimension: 'queue' }, { filters: [{ dimension, values }] }));
    expect(await filtered('queue', ['Support'])).toEqual({ Support: 3 });
    expect(await filtered('state', ['open', 'closed successful'])).toEqual({ Sales: 1, Support: 1 });
    expect(await filtered('stateType', ['closed'])).toEqual({ Support: 1 });
    expect(await filtered('priority', ['5 very high'])).toEqual({ Sales: 1 });
    expect(await filtered('type', ['Incident'])).toEqual({ Sales: 1, Support: 1 });
    expect(await filtered('service', ['Email'])).toEqual({ Sales: 1 });
    expect(await filtered('sla', ['Gold'])).toEqual({ Sales: 1 });
    expect(await filtered('owner', ['lee'])).toEqual({ Sales: 1, Support: 1 });
    expect(await filtered('responsible', ['kim'])).toEqual({ Sales: 1 });
    expect(await filtered('customer', ['acme'])).toEqual({ Sales: 1 });
    expect(await filtered('customerUser', ['carol'])).toEqual({ Sales: 1 });
    expect(await filtered('df:Colour', ['blue'])).toEqual({ Sales: 1 });
    const timed = (dimension: string, from: string, to: string) => counts(matrix({ dimension: 'queue' }, { filters: [{ dimension, from, to }] }));
    expect(await timed('created', '2026-04-01T00:00:00Z', '2026-05-01T00:00:00Z')).toEqual({ Sales: 1, Support: 1 });
    expect(await timed('changed', '2026-05-01T00:00:00Z', '2026-06-01T00:00:00Z')).toEqual({ Sales: 1 });
    expect(await timed('closed', '2026-04-16T00:00:00Z', '2026-04-17T00:00:00Z')).toEqual({ Support: 1 });
  });

  it('buckets created, closed and changed times in the chosen time zone, across DST', async () => {
    const byMonth = (tz: string) => counts(matrix({ dimension: 'created', grain: 'month' }, { timeZone: tz }));
    // t1 was created 2026-03-31T22:30Z: 00:30 on 1 April in Berlin (CEST), still March in UTC.
    expect(await byMonth('Europe/Berlin')).toEqual({ '2026-04': 3, '2026-10': 2 });
    expect(await byMonth('UTC')).toEqual({ '2026-03': 1, '2026-04': 2, '2026-10': 2 });
    expect(await counts(matrix({ dimension: 'created', grain: 'day' }, { timeZone: 'America/New_York' }))).toMatchObject({ '2026-03-31': 1, '2026-10-24': 2 });
    expect(await counts(matrix({ dimension: 'created', grain: 'week' }, { timeZone: 'Europe/Berlin' }))).toEqual({ '2026-W14': 1, '2026-W15': 1, '2026-W16': 1, '2026-W43': 2 });
    expect(await counts(matrix({ dimension: 'created', grain: 'year' }, { timeZone: 'Pacific/Kiritimati' }))).toEqual({ '2026': 5 });
    // The autumn night: 00:30Z and 01:30Z are both 02:30 on the wall clock, in two different hours.
    const hours = await counts(matrix({ dimension: 'created', grain: 'hour' }, { timeZone: 'Europe/Berlin', filters: [{ dimension: 'created', from: '2026-10-24T00:00:00Z', to: '2026-10-26T00:00:00Z' }] }));
    expect(hours).toEqual({ '2026-10-25 02:00 GMT+2': 1, '2026-10-25 02:00 GMT+1': 1 });
    expect(await counts(matrix({ dimension: 'closed', grain: 'day' }, { timeZone: 'Asia/Tokyo' }))).toEqual({ '2026-04-16': 1, '-': 4 });
    expect(await counts(matrix({ dimension: 'changed', grain: 'month' }, { timeZone: 'UTC' }))).toEqual({ '2026-03': 1, '2026-04': 1, '2026-05': 1, '2026-10': 2 });
  });

  it('crosses two dimensions with a sum row and column, and sums time units', async () => {
    const r = await runDefinition(f.db, f.access('admin'), matrix({ dimension: 'created', grain: 'month' }, { y: { dimension: 'queue' }, timeZone: 'Europe/Berlin' }), undefined, now);
    expect(r.columns).toEqual(['queue', '2026-04', '2026-10', 'Sum']);
    expect(r.rows).toEqual([
      ['Sales', 2, 0, 2],
      ['Support', 1, 2, 3],
    ]);
    expect(r.sumRow).toEqual(['Sum', 3, 2, 5]);
    const units = await counts(matrix({ dimension: 'owner' }, { measure: 'timeUnits' }));
    expect(units).toEqual({ kim: 0, lee: 3.5, '-': 0 });
  });

  it('lets the caller change only what is marked changeable', async () => {
    const def = matrix({ dimension: 'queue', changeable: true }, { filters: [{ dimension: 'state', values: ['new'], changeable: true }, { dimension: 'queue', values: ['Sales', 'Support'] }] });
    const r = await runDefinition(f.db, f.access('admin'), def, { x: { dimension: 'priority' }, filters: [{ dimension: 'state', values: ['open'] }] }, now);
    expect(r.rows).toEqual([['5 very high', 1]]);
    await expect(runDefinition(f.db, f.access('admin'), def, { filters: [{ dimension: 'queue', values: ['Sales'] }] }, now)).rejects.toMatchObject({ status: 400, path: '/filters/0/dimension' });
    await expect(runDefinition(f.db, f.access('admin'), def, { y: { dimension: 'queue' } }, now)).rejects.toMatchObject({ status: 400, path: '/y' });
  });

  it('rejects unknown dimensions, fields and time zones with the path', async () => {
    await expect(counts(matrix({ dimension: 'df:Nope' }))).rejects.toMatchObject({ status: 400, path: '/x/dimension' });
    await expect(counts(matrix({ dimension: 'queue' }, { timeZone: 'Mars/Olympus' }))).rejects.toMatchObject({ status: 400, path: '/timeZone' });
    await expect(counts(matrix({ dimension: 'queue' }, { filters: [{ dimension: 'created', values: ['x'] }] }))).rejects.toMatchObject({ status: 400, path: '/filters/0/values' });
  });

  it("counts only the tickets the agent may read, unless the statistic is system-wide (which needs stats rw)", async () => {
    const mine = matrix({ dimension: 'queue' }, { systemWide: false });
    // kim reads Sales; t3..t5 are in Support and neither owned by nor assigned to kim.
    expect(await counts(mine, 'kim')).toEqual({ Sales: 2 });
    expect(await counts(mine, 'lee')).toEqual({ Sales: 2, Support: 3 });
    await expect(counts(matrix({ dimension: 'queue' }), 'kim')).rejects.toMatchObject({ status: 403 });
    expect(await counts(matrix({ dimension: 'queue' }), 'lee')).toEqual({ Sales: 2, Support: 3 });
    await expect(counts(mine, 'nostats')).rejects.toMatchObject({ status: 403 });
  });

  it('lists tickets with chosen columns, sorted, and streams every row in batches', async () => {
    const def: StatDefinition = { format: 'stat/1', name: 'l', kind: 'list', columns: ['title', 'queue', 'owner', 'df:Colour', 'created', 'closed', 'timeUnits'], orderBy: 'created', timeZone: 'Europe/Berlin', filters: [{ dimension: 'queue', values: ['Sales', 'Support'] }] };
    const r = await runDefinition(f.db, f.access('lee'), def, undefined, now);
    expect(r.columns).toEqual(def.columns);
    expect(r.rows).toHaveLength(5);
    expect(r.rows[0]!.slice(1)).toEqual(['Sales', 'kim', 'red', '2026-04-01 00:30:00', null, 0]);
    expect(r.rows[1]!.slice(1)).toEqual(['Sales', 'lee', 'blue', '2026-04-10 12:00:00', null, 3.5]);
    expect(r.rows[2]!.slice(4, 6)).toEqual(['2026-04-15 12:00:00', '2026-04-16 12:00:00']);
    const batches: number[] = [];
    const titles: unknown[] = [];
    for await (const b of streamList(f.db, f.access('kim'), { ...def, descending: true }, 1)) {
      batches.push(b.rows.length);
      titles.push(...b.rows.map((row) => row[0]));
    }
    expect(batches).toEqual([1, 1]);
    expect(titles).toEqual([r.rows[1]![0], r.rows[0]![0]]);
  });
});
