/**
 * Ticket list filters, over GET /tickets (query string) and POST /tickets/search (JSON body).
 *
 * | ticket | queue | state | priority | owner / resp. | customer | created | changed | dynamic fields |
 * | --- | --- | --- | --- | --- | --- | --- | --- | --- |
 * | A Alpha invoice | Misc | new | 1 very low | alice / admin | ACME cu1 | 01-01 | 02-01 | Color red, Tags a b, Days 3, Approved, Due 03-01, Deadline 03-01T12, Note |
 * | B Beta printer (locked) | Raw | open | 5 very high | admin | BETA cu2 | 01-02 | 01-15 | Color blue, Tags c, Days 10, not Approved, Due 04-01, Deadline 03-05T12, Note |
 * | C Gamma invoice (Incident) | Sales::Europe | pending reminder | 3 normal | – | ACME | 01-03 | 03-01 | Days 5 |
 * | D Delta | Misc | closed successful | 2 low | – | – | 01-04 | 01-04 | |
 * | E Epsilon (archived) | Misc | closed successful | 3 normal | – | – | 01-05 | 01-05 | |
 * | F Zeta merged | Raw | merged | 3 normal | – | – | 01-06 | 01-06 | |
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from './support/db';
import { filterFixture, idsOf, type FilterFixture } from './support/search-data';
import { ADMIN_PASSWORD, Client, startTestServer, type TestServer } from './support/server';

describe.each(databaseKinds)('ticket list filters on %s', (kind) => {
  let server: TestServer;
  let admin: Client;
  let fx: FilterFixture;
  type Name = keyof FilterFixture['tickets'];

  beforeAll(async () => {
    server = await startTestServer(kind);
    const db = server.database.db;
    fx = await filterFixture(db);
    await db.insertInto('ticket_watchers').values({ ticket_id: fx.tickets.C, agent_id: fx.agents.admin }).execute();
    admin = new Client(server.url);
    await admin.login('admin', ADMIN_PASSWORD);
  });
  afterAll(() => server?.close());

  const ids = (...names: Name[]) => names.map((n) => fx.tickets[n]);
  /** POST /tickets/search sorted by id; resolves to the ids. */
  const post = async (criteria: Record<string, unknown>) => {
    const res = await admin.post('/api/v1/tickets/search', { sort: 'id', ...criteria });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.total).toBe(res.body.items.length);
    return idsOf(res.body);
  };
  /** GET /tickets?... sorted by id; resolves to the ids. */
  const get = async (qs: string) => {
    const res = await admin.get(`/api/v1/tickets?sort=id&${qs}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return idsOf(res.body);
  };
  const postError = async (criteria: Record<string, unknown>) => {
    const res = await admin.post('/api/v1/tickets/search', criteria);
    expect(res.status).toBe(400);
    return res.body.error as { code: string; message: string; path: string };
  };
  const getError = async (qs: string) => {
    const res = await admin.get(`/api/v1/tickets?${qs}`);
    expect(res.status).toBe(400);
    return res.body.error as { code: string; message: string; path: string };
  };

  it('lists every readable, non-archived ticket newest first, with full summaries', async () => {
    const res = await admin.get('/api/v1/tickets');
    expect(res.status).toBe(200);
    expect(idsOf(res.body)).toEqual(ids('F', 'D', 'C', 'B', 'A'));
    expect(res.body).toMatchObject({ total: 5, page: 1, perPage: 25, nextCursor: null });
    const a = res.body.items.find((t: { id: number }) => t.id === fx.tickets.A);
    expect(a).toEqual({
      id: fx.tickets.A,
      tn: '2026010110000001',
      title: 'Alpha invoice',
      queue: { id: fx.queues.misc, name: 'Misc' },
      state: { id: expect.any(Number), name: 'new', type: 'new' },
      priority: { id: expect.any(Number), name: '1 very low' },
      type: { id: expect.any(Number), name: 'Unclassified' },
      locked: false,
      owner: { id: fx.agents.alice, login: 'alice' },
      responsible: { id: fx.agents.admin, login: 'admin' },
      customerId: 'ACME',
      customerUser: { id: fx.customerUsers.cu1, login: 'cu1' },
      created: '2026-01-01T10:00:00.000Z',
      changed: '2026-02-01T10:00:00.000Z',
      pendingUntil: null,
      archived: false,
      escalationAt: null,
    });
    const c = res.body.items.find((t: { id: number }) => t.id === fx.tickets.C);
    expect(c).toMatchObject({ owner: null, responsible: null, customerUser: null, pendingUntil: '2026-05-01T08:00:00.000Z', type: { name: 'Incident' } });
  });

  it('includes archived tickets only when asked', async () => {
    expect(await post({ archived: true })).toEqual(ids('E'));
    expect(await post({ archived: 'all' })).toEqual(ids('A', 'B', 'C', 'D', 'E', 'F'));
    expect(await post({ archived: false })).toEqual(ids('A', 'B', 'C', 'D', 'F'));
    expect(await get('archived=true')).toEqual(ids('E'));
    expect(await get('archived=all')).toHaveLength(6);
  });

  it('filters by queues, given by name or id', async () => {
    expect(await post({ queues: ['Misc'] })).toEqual(ids('A', 'D'));
    expect(await post({ queues: [fx.queues.raw, 'Sales::Europe'] })).toEqual(ids('B', 'C', 'F'));
    expect(await get('queues=Misc')).toEqual(ids('A', 'D'));
    expect(await get(`queues=${fx.queues.raw},Sales::Europe`)).toEqual(ids('B', 'C', 'F'));
    expect(await get(`queues=${fx.queues.raw}&queues=Misc`)).toEqual(ids('A', 'B', 'D', 'F'));
  });

  it('answers 400 naming the path of an unknown name or id', async () => {
    expect(await postError({ queues: ['Misc', 'Nope'] })).toMatchObject({ code: 'UNKNOWN_REFERENCE', path: '/queues/1', message: 'unknown queue "Nope"' });
    expect(await postError({ queues: [999999] })).toMatchObject({ path: '/queues/0', message: 'unknown queue id 999999' });
    expect(await getError('queues=Misc,Nope')).toMatchObject({ path: '/queues/1' });
    expect(await postError({ states: ['open', 'shut'] })).toMatchObject({ path: '/states/1', message: 'unknown state "shut"' });
    expect(await postError({ stateTypes: ['bogus'] })).toMatchObject({ path: '/stateTypes/0', message: 'unknown state type "bogus"' });
    expect(await postError({ priorities: ['9 urgent'] })).toMatchObject({ path: '/priorities/0' });
    expect(await postError({ types: ['Problem'] })).toMatchObject({ path: '/types/0' });
    expect(await postError({ owners: ['ghost'] })).toMatchObject({ path: '/owners/0', message: 'unknown agent "ghost"' });
    expect(await postError({ responsibles: ['admin', 'ghost'] })).toMatchObject({ path: '/responsibles/1' });
    expect(await postError({ customerUsers: ['nobody'] })).toMatchObject({ path: '/customerUsers/0' });
    expect(await postError({ watchedBy: 'ghost' })).toMatchObject({ path: '/watchedBy' });
    expect(await getError('bogus=1')).toMatchObject({ code: 'VALIDATION_FAILED', path: '/bogus' });
    expect(await postError({ perPage: 201 })).toMatchObject({ code: 'VALIDATION_FAILED', path: '/perPage' });
  });

  it('filters by states and state types ("open" = new, open, pending*)', async () => {
    expect(await post({ states: ['new', 'open'] })).toEqual(ids('A', 'B'));
    expect(await get('states=pending reminder')).toEqual(ids('C'));
    expect(await post({ stateTypes: ['open'] })).toEqual(ids('A', 'B', 'C'));
    expect(await post({ stateTypes: ['closed'] })).toEqual(ids('D'));
    expect(await post({ stateTypes: ['merged', 'pending reminder'] })).toEqual(ids('C', 'F'));
    expect(await get('stateTypes=closed,merged')).toEqual(ids('D', 'F'));
  });

  it('filters by priorities and types', async () => {
    expect(await post({ priorities: ['5 very high'] })).toEqual(ids('B'));
    expect(await post({ priorities: ['1 very low', '2 low'] })).toEqual(ids('A', 'D'));
    expect(await post({ types: ['Incident'] })).toEqual(ids('C'));
    expect(await get('types=Unclassified')).toEqual(ids('A', 'B', 'D', 'F'));
  });

  it('filters by owner and responsible, by login, id or "me"', async () => {
    expect(await post({ owners: ['alice'] })).toEqual(ids('A'));
    expect(await post({ owners: ['me'] })).toEqual(ids('B'));
    expect(await post({ owners: [fx.agents.alice, 'admin'] })).toEqual(ids('A', 'B'));
    expect(await post({ responsibles: ['admin'] })).toEqual(ids('A'));
    expect(await get('responsibles=me')).toEqual(ids('A'));
  });

  it('filters by customer id and customer user', async () => {
    expect(await post({ customerIds: ['ACME'] })).toEqual(ids('A', 'C'));
    expect(await post({ customerUsers: ['cu2'] })).toEqual(ids('B'));
    expect(await get(`customerUsers=${fx.customerUsers.cu1}`)).toEqual(ids('A'));
    expect(await get('customerIds=BETA,ACME')).toEqual(ids('A', 'B', 'C'));
  });

  it('filters by lock', async () => {
    expect(await post({ locked: true })).toEqual(ids('B'));
    expect(await get('locked=false')).toEqual(ids('A', 'C', 'D', 'F'));
  });

  it('filters by created and changed ranges (whole days for dates)', async () => {
    expect(await post({ createdFrom: '2026-01-02', createdTo: '2026-01-03' })).toEqual(ids('B', 'C'));
    expect(await post({ createdFrom: '2026-01-02T00:00:00Z', createdTo: '2026-01-03T00:00:00Z' })).toEqual(ids('B'));
    expect(await post({ createdTo: '2026-01-01T10:00:00Z' })).toEqual(ids('A'));
    expect(await get('changedFrom=2026-02-01')).toEqual(ids('A', 'C'));
    expect(await get('changedTo=2026-01-04')).toEqual(ids('D'));
    expect(await postError({ createdFrom: 'yesterday' })).toMatchObject({ code: 'VALIDATION_FAILED', path: '/createdFrom' });
  });

  it('filters by title (contains, case-insensitive, % is literal)', async () => {
    expect(await post({ title: 'invoice' })).toEqual(ids('A', 'C'));
    expect(await get('title=INVOICE')).toEqual(ids('A', 'C'));
    expect(await post({ title: '%' })).toEqual([]);
  });

  it('filters by ticket number, with * as a wildcard', async () => {
    expect(await post({ tn: '2026010110000001' })).toEqual(ids('A'));
    expect(await post({ tn: '20260102*' })).toEqual(ids('B'));
    expect(await get('tn=*0003')).toEqual(ids('C'));
    expect(await post({ tn: '2026*0*' })).toEqual(ids('A', 'B', 'C', 'D', 'F'));
    expect(await post({ tn: '2026010_10000001' })).toEqual([]);
  });

  it('filters by watcher', async () => {
    expect(await get('watchedBy=me')).toEqual(ids('C'));
    expect(await post({ watchedBy: 'alice' })).toEqual([]);
    expect(await post({ watchedBy: fx.agents.admin })).toEqual(ids('C'));
  });

  it('combines filters with AND', async () => {
    expect(await post({ queues: ['Misc'], stateTypes: ['open'] })).toEqual(ids('A'));
    expect(await post({ customerIds: ['ACME'], title: 'gamma', query: 'invoice' })).toEqual(ids('C'));
  });

  describe('dynamic fields', () => {
    const df = (name: string, op: string, value?: unknown) => ({ dynamicFields: [{ name, op, ...(value === undefined ? {} : { value }) }] });

    it('eq / ne / in on a dropdown (ne includes tickets without a value)', async () => {
      expect(await post(df('Color', 'eq', 'red'))).toEqual(ids('A'));
      expect(await post(df('DynamicField_Color', 'eq', 'blue'))).toEqual(ids('B'));
      expect(await post(df('Color', 'ne', 'red'))).toEqual(ids('B', 'C', 'D', 'F'));
      expect(await post(df('Color', 'in', ['red', 'blue']))).toEqual(ids('A', 'B'));
    });

    it('eq / in / contains on a multiselect', async () => {
      expect(await post(df('Tags', 'eq', 'a'))).toEqual(ids('A'));
      expect(await post(df('Tags', 'eq', 'c'))).toEqual(ids('B'));
      expect(await post(df('Tags', 'in', ['b', 'c']))).toEqual(ids('A', 'B'));
      expect(await post(df('Tags', 'ne', 'a'))).toEqual(ids('B', 'C', 'D', 'F'));
    });

    it('contains / like on text (case-insensitive)', async () => {
      expect(await post(df('Note', 'contains', 'BACK'))).toEqual(ids('A'));
      expect(await post(df('Note', 'like', 'wait*'))).toEqual(ids('B'));
      expect(await post(df('Note', 'like', 'parts'))).toEqual([]);
      expect(await post(df('Note', 'eq', 'call back later'))).toEqual(ids('A'));
    });

    it('compares integers, dates and date-times', async () => {
      expect(await post(df('Days', 'gt', 4))).toEqual(ids('B', 'C'));
      expect(await post(df('Days', 'gte', 5))).toEqual(ids('B', 'C'));
      expect(await post(df('Days', 'lt', 5))).toEqual(ids('A'));
      expect(await post(df('Days', 'lte', 3))).toEqual(ids('A'));
      expect(await post(df('Days', 'eq', 10))).toEqual(ids('B'));
      expect(await post(df('Days', 'gt', 1000))).toEqual([]);
      expect(await post(df('Days', 'in', [3, 5]))).toEqual(ids('A', 'C'));
      expect(await post(df('Due', 'gt', '2026-03-15'))).toEqual(ids('B'));
      expect(await post(df('Due', 'eq', '2026-03-01'))).toEqual(ids('A'));
      expect(await post(df('Deadline', 'lt', '2026-03-02T00:00:00Z'))).toEqual(ids('A'));
      expect(await post(df('Deadline', 'gte', '2026-03-01T12:00:00Z'))).toEqual(ids('A', 'B'));
    });

    it('eq on a checkbox', async () => {
      expect(await post(df('Approved', 'eq', true))).toEqual(ids('A'));
      expect(await post(df('Approved', 'eq', false))).toEqual(ids('B'));
    });

    it('empty and notEmpty', async () => {
      expect(await post(df('Color', 'empty'))).toEqual(ids('C', 'D', 'F'));
      expect(await post(df('Days', 'notEmpty'))).toEqual(ids('A', 'B', 'C'));
    });

    it('several field filters all apply', async () => {
      expect(await post({ dynamicFields: [{ name: 'Days', op: 'gte', value: 3 }, { name: 'Color', op: 'eq', value: 'blue' }] })).toEqual(ids('B'));
    });

    it('reads df.<Name>[.<op>] from the query string', async () => {
      expect(await get('df.Color=red')).toEqual(ids('A'));
      expect(await get('df.Days.gt=4')).toEqual(ids('B', 'C'));
      expect(await get('df.Color.in=red,blue')).toEqual(ids('A', 'B'));
      expect(await get('df.Approved=true')).toEqual(ids('A'));
      expect(await get('df.Color.empty=')).toEqual(ids('C', 'D', 'F'));
      expect(await get('df.Due.lte=2026-03-01&df.Days.eq=3')).toEqual(ids('A'));
    });

    it('answers 400 naming the filter for unknown fields, wrong operators and bad values', async () => {
      expect(await postError(df('Colour', 'eq', 'red'))).toMatchObject({ path: '/dynamicFields/0/name', message: 'unknown dynamic field "Colour"' });
      expect(await postError(df('ArticleOnly', 'eq', 'x'))).toMatchObject({ path: '/dynamicFields/0/name' });
      expect(await postError(df('Color', 'gt', 'red'))).toMatchObject({ path: '/dynamicFields/0/op' });
      expect(await postError(df('Approved', 'contains', 'x'))).toMatchObject({ path: '/dynamicFields/0/op' });
      expect(await postError(df('Days', 'eq', 'many'))).toMatchObject({ code: 'VALIDATION_FAILED', path: '/dynamicFields/0/value' });
      expect(await postError(df('Color', 'eq', 'purple'))).toMatchObject({ path: '/dynamicFields/0/value' });
      expect(await postError(df('Color', 'in', ['red', 'purple']))).toMatchObject({ path: '/dynamicFields/0/value/1' });
      expect(await postError(df('Due', 'gt', '2026-13-01'))).toMatchObject({ path: '/dynamicFields/0/value' });
      expect(await postError(df('Days', 'gt'))).toMatchObject({ path: '/dynamicFields/0/value' });
      expect(await postError(df('Color', 'in', 'red'))).toMatchObject({ path: '/dynamicFields/0/value' });
      expect(await postError(df('Color', 'between', 'red'))).toMatchObject({ code: 'VALIDATION_FAILED', path: '/dynamicFields/0/op' });
      expect(await getError('df.Days.gt=abc')).toMatchObject({ path: '/df.Days.gt' });
      expect(await getError('df.Colour=red')).toMatchObject({ path: '/df.Colour' });
      expect(await getError('df.Color.between=1')).toMatchObject({ path: '/df.Color.between' });
    });
  });
});
