/**
 * Customer users may filter their tickets only by the dynamic fields they may see (customer-visible,
 * not internal): a filter on any other field would read its value one prefix at a time
 * (`Hidden like secretB1Q*` → tickets, `secretB1Z*` → none). REST (JSON body and query string) and
 * the Generic Interface's TicketSearch refuse it with a 400 naming the field, exactly as they
 * answer for a field that does not exist. PGlite, and PostgreSQL with TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from './support/db';
import { dataOf, errorOf, PW, startGiHelpdesk, type GiHelpdesk } from './support/generic-interface';
import { idsOf, setDynamicFieldValue } from './support/search-data';
import { createDynamicField } from './support/tickets';

describe.each(databaseKinds)('customer users search only by the fields they may see on %s', (kind) => {
  let h: GiHelpdesk;
  const t: Record<string, number> = {};

  beforeAll(async () => {
    h = await startGiHelpdesk(kind);
    const db = h.srv.database.db;
    await createDynamicField(h.srv, 'Hidden', 'text');
    const shown = await createDynamicField(h.srv, 'Shown', 'text');
    await db.updateTable('dynamic_fields').set({ customer_visible: true }).where('id', '=', shown).execute();
    const make = async (title: string, dynamicFields: Record<string, unknown>) => {
      const res = await h.as.agent!.post('/api/v1/tickets', { title, queue: 'Sales', customerUser: 'alice', article: { body: 'hello' }, dynamicFields });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as number;
    };
    t.one = await make('one', { Hidden: 'secretB1Q-one', Shown: 'blue' });
    const secret = await db.selectFrom('dynamic_fields').select('id').where('name', '=', 'Secret').executeTakeFirstOrThrow();
    await setDynamicFieldValue(db, secret.id, 'text', t.one, 'engine-data');
    t.two = await make('two', { Hidden: 'secretB1Q-two', Shown: 'green' });
  }, 120_000);
  afterAll(() => h?.close());

  const search = (who: string, body: Record<string, unknown>) => h.as[who]!.post('/api/v1/tickets/search', { sort: 'id', ...body });
  const like = (name: string, value: string) => ({ dynamicFields: [{ name, op: 'like', value }] });

  it('refuses a filter on a field the customer may not see (POST /tickets/search), as for an unknown field', async () => {
    for (const [name, value] of [['Hidden', 'secretB1Q*'], ['Hidden', 'secretB1Z*'], ['Secret', 'engine*'], ['DynamicField_Hidden', 's*']] as const) {
      const res = await search('alice', like(name, value));
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.path).toBe('/dynamicFields/0/name');
      expect(res.body.error.message).toContain(`"${name}"`);
      expect(res.body.items).toBeUndefined();
    }
    for (const op of ['eq', 'ne', 'empty', 'notEmpty', 'contains']) {
      const res = await search('alice', { dynamicFields: [{ name: 'Hidden', op, ...(op.endsWith('mpty') ? {} : { value: 'x' }) }] });
      expect(res.status, op).toBe(400);
    }
    const unknown = await search('alice', like('NoSuchField', 'x*'));
    expect(unknown.status).toBe(400);
    const hidden = await search('alice', like('Hidden', 'x*'));
    expect(hidden.body.error.code).toBe(unknown.body.error.code);
    expect(hidden.body.error.message.replace('Hidden', 'NoSuchField')).toBe(unknown.body.error.message);
  });

  it('refuses the same filter in the query string of GET /tickets', async () => {
    for (const q of ['df.Hidden.like=secretB1Q*', 'df.Hidden=secretB1Q-one', 'df.Hidden.notEmpty=1', 'df.Secret.like=e*']) {
      const res = await h.as.alice!.get(`/api/v1/tickets?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.error.path).toBe(`/${q.split('=')[0]}`);
      expect(res.body.error.message).toMatch(/"(Hidden|Secret)"/);
    }
  });

  it('still lets the customer filter by customer-visible fields, and agents by any field', async () => {
    let res = await search('alice', like('Shown', 'bl*'));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(idsOf(res.body)).toEqual([t.one]);
    res = await h.as.alice!.get('/api/v1/tickets?df.Shown=green');
    expect(idsOf(res.body)).toEqual([t.two]);
    res = await search('agent', like('Hidden', 'secretB1Q*'));
    expect(idsOf(res.body)).toEqual([t.one, t.two]);
  });

  it('refuses it in the Generic Interface TicketSearch too', async () => {
    const sid = dataOf(await h.gi.post('/SessionCreate', { CustomerUserLogin: 'alice', Password: PW })).SessionID;
    for (const param of [{ DynamicField_Hidden: { Like: 'secretB1Q*' } }, { DynamicField: { Name: 'Hidden', Equals: 'secretB1Q-one' } }, { DynamicField_Secret: { Like: 'e*' } }]) {
      const message = errorOf(await h.gi.post('/TicketSearch', { SessionID: sid, ...param }), 'TicketSearch.InvalidParameter');
      expect(message).toMatch(/"(Hidden|Secret)"/);
    }
    const unknown = errorOf(await h.gi.post('/TicketSearch', { SessionID: sid, DynamicField_Nothing: { Like: 'x*' } }), 'TicketSearch.InvalidParameter');
    const hidden = errorOf(await h.gi.post('/TicketSearch', { SessionID: sid, DynamicField_Hidden: { Like: 'x*' } }), 'TicketSearch.InvalidParameter');
    expect(hidden.replaceAll('Hidden', 'Nothing')).toBe(unknown);
    expect(dataOf(await h.gi.post('/TicketSearch', { SessionID: sid, DynamicField_Shown: { Equals: 'blue' } })).TicketID).toEqual([String(t.one)]);
    const agentSid = dataOf(await h.gi.post('/SessionCreate', { UserLogin: 'agent', Password: PW })).SessionID;
    expect(dataOf(await h.gi.post('/TicketSearch', { SessionID: agentSid, DynamicField_Hidden: { Like: 'secretB1Q*' } })).TicketID?.sort()).toEqual([String(t.one), String(t.two)].sort());
  });
});
