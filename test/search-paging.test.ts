/**
 * Sorting (every sort field, both directions, stable tie-break by id) and both paginations:
 * page/perPage with a total, and the keyset cursor (`nextCursor`), which must walk every ticket
 * exactly once in the same order, whatever the sort. Fixture: see search-filters.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from './support/db';
import { filterFixture, idsOf, insertTicket, type FilterFixture } from './support/search-data';
import { ADMIN_PASSWORD, Client, startTestServer, type TestServer } from './support/server';

describe.each(databaseKinds)('ticket list sorting and pagination on %s', (kind) => {
  let server: TestServer;
  let admin: Client;
  let fx: FilterFixture;
  type Name = keyof FilterFixture['tickets'];

  beforeAll(async () => {
    server = await startTestServer(kind);
    const db = server.database.db;
    fx = await filterFixture(db);
    admin = new Client(server.url);
    await admin.login('admin', ADMIN_PASSWORD);
  });
  afterAll(() => server?.close());

  const ids = (...names: Name[]) => names.map((n) => fx.tickets[n]);
  const list = async (criteria: Record<string, unknown>) => {
    const res = await admin.post('/api/v1/tickets/search', criteria);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const sorted = async (sort: string, order?: string) => idsOf(await list({ sort, ...(order ? { order } : {}) }));

  /** Walks a list page by page through nextCursor; resolves to every id seen. */
  const walk = async (criteria: Record<string, unknown>, perPage: number) => {
    const seen: number[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 50; i++) {
      const body = await list({ ...criteria, perPage, ...(cursor ? { cursor } : {}) });
      expect(body.total).toBe(5);
      expect(body.page).toBe(cursor ? null : 1);
      seen.push(...idsOf(body));
      if (!body.nextCursor) return seen;
      expect(body.items).toHaveLength(perPage);
      cursor = body.nextCursor;
    }
    throw new Error('the cursor never ended');
  };

  it('sorts by every field, ascending and descending, ties broken by id', async () => {
    expect(await sorted('id')).toEqual(ids('A', 'B', 'C', 'D', 'F'));
    expect(await sorted('id', 'desc')).toEqual(ids('F', 'D', 'C', 'B', 'A'));
    expect(await sorted('tn')).toEqual(ids('A', 'B', 'C', 'D', 'F'));
    expect(await sorted('title')).toEqual(ids('A', 'B', 'D', 'C', 'F'));
    expect(await sorted('title', 'desc')).toEqual(ids('F', 'C', 'D', 'B', 'A'));
    expect(await sorted('created')).toEqual(ids('F', 'D', 'C', 'B', 'A')); // default: newest first
    expect(await sorted('created', 'asc')).toEqual(ids('A', 'B', 'C', 'D', 'F'));
    expect(await sorted('changed')).toEqual(ids('C', 'A', 'B', 'F', 'D'));
    expect(await sorted('priority')).toEqual(ids('A', 'D', 'C', 'F', 'B'));
    expect(await sorted('priority', 'desc')).toEqual(ids('B', 'F', 'C', 'D', 'A'));
    expect(await sorted('state')).toEqual(ids('D', 'F', 'A', 'B', 'C'));
    expect(await sorted('queue')).toEqual(ids('A', 'D', 'B', 'F', 'C'));
    expect(await sorted('queue', 'desc')).toEqual(ids('C', 'F', 'B', 'D', 'A'));
    // No owner / no pending time: last in both directions.
    expect(await sorted('owner')).toEqual(ids('B', 'A', 'C', 'D', 'F'));
    expect(await sorted('owner', 'desc')).toEqual(ids('A', 'B', 'F', 'D', 'C'));
    expect(await sorted('pendingUntil')).toEqual(ids('C', 'A', 'B', 'D', 'F'));
    const get = await admin.get('/api/v1/tickets?sort=queue&order=desc');
    expect(idsOf(get.body)).toEqual(ids('C', 'F', 'B', 'D', 'A'));
  });

  it('pages with page/perPage and reports the total', async () => {
    const p2 = await list({ sort: 'id', perPage: 2, page: 2 });
    expect(p2).toMatchObject({ total: 5, page: 2, perPage: 2 });
    expect(idsOf(p2)).toEqual(ids('C', 'D'));
    expect(typeof p2.nextCursor).toBe('string');
    const p3 = await list({ sort: 'id', perPage: 2, page: 3 });
    expect(idsOf(p3)).toEqual(ids('F'));
    expect(p3.nextCursor).toBeNull();
    const p4 = await list({ sort: 'id', perPage: 2, page: 4 });
    expect(p4).toMatchObject({ items: [], total: 5, nextCursor: null });
    const get = await admin.get('/api/v1/tickets?sort=id&perPage=3&page=2');
    expect(get.body).toMatchObject({ total: 5, page: 2, perPage: 3 });
    expect(idsOf(get.body)).toEqual(ids('D', 'F'));
  });

  it('walks every sort with the cursor, each ticket exactly once, in the sort order', async () => {
    for (const sort of ['id', 'tn', 'title', 'created', 'changed', 'priority', 'state', 'queue', 'owner', 'pendingUntil']) {
      for (const order of ['asc', 'desc']) {
        const all = idsOf(await list({ sort, order }));
        for (const perPage of [1, 2]) expect(await walk({ sort, order }, perPage), `${sort} ${order} by ${perPage}`).toEqual(all);
      }
    }
  });

  it('continues a GET list with its cursor', async () => {
    const first = await admin.get('/api/v1/tickets?perPage=2&queues=Misc,Raw');
    expect(idsOf(first.body)).toEqual(ids('F', 'D'));
    const next = await admin.get(`/api/v1/tickets?perPage=2&queues=Misc,Raw&cursor=${first.body.nextCursor}`);
    expect(next.body).toMatchObject({ page: null, total: 4 });
    expect(idsOf(next.body)).toEqual(ids('B', 'A'));
    expect(next.body.nextCursor).toBeNull();
  });

  it('refuses a cursor of another sort, other filters, or no cursor at all', async () => {
    const { nextCursor } = await list({ sort: 'title', perPage: 2 });
    const err = async (criteria: Record<string, unknown>) => {
      const res = await admin.post('/api/v1/tickets/search', criteria);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'INVALID_CURSOR', path: '/cursor' });
      return res.body.error.message as string;
    };
    expect(await err({ sort: 'created', cursor: nextCursor })).toBe('invalid cursor: it continues a list sorted by title asc, not created desc');
    expect(await err({ sort: 'title', order: 'desc', cursor: nextCursor })).toContain('sorted by title asc');
    expect(await err({ sort: 'title', queues: ['Misc'], cursor: nextCursor })).toBe('invalid cursor: it continues a list with other filters');
    expect(await err({ sort: 'title', cursor: 'garbage' })).toBe('invalid cursor: not a cursor of this API');
    const forged = Buffer.from(JSON.stringify(['id', 'asc', JSON.parse(Buffer.from(nextCursor, 'base64url').toString())[2], ['1; drop table tickets']])).toString('base64url');
    expect(await err({ sort: 'id', cursor: forged })).toBe('invalid cursor: not a cursor of this API');
    const badDate = Buffer.from(JSON.stringify(['created', 'desc', JSON.parse(Buffer.from(nextCursor, 'base64url').toString())[2], ['2026-19-99 99:00:00+00', '1']])).toString('base64url');
    expect(await err({ cursor: badDate })).toBe('invalid cursor: not a cursor of this API');
  });

  it('keeps sub-millisecond creation times apart across cursor pages', async () => {
    const db = server.database.db;
    const made: number[] = [];
    for (const us of ['000100', '000200', '000300']) {
      made.push(await insertTicket(db, { title: 'Microsecond twin', created: `2026-02-01 10:00:00.${us}+00` }));
    }
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const body = await list({ title: 'microsecond twin', perPage: 1, ...(cursor ? { cursor } : {}) });
      seen.push(...idsOf(body));
      cursor = body.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...made].reverse());
  });
});
