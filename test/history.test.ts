/**
 * Every change to a ticket shows in its history with old → new and who made it; customers and
 * agents without access cannot read it. PGlite, and PostgreSQL with TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from './support/db';
import { createDynamicField, historyLines, newTicket, startHelpdesk, type Helpdesk } from './support/tickets';

describe.each(databaseKinds)('ticket history on %s', (kind) => {
  let h: Helpdesk;
  beforeAll(async () => {
    h = await startHelpdesk(kind, {
      queues: { Sales: 'sales', Support: 'support' },
      agents: { writer: { sales: ['rw'], support: ['rw'] }, helper: { sales: ['rw'] }, outsider: {} },
      customers: { alice: 'ACME', bob: 'BETA' },
      customerQueues: ['Sales', 'Raw'],
    });
    const db = h.srv.database.db;
    await db.insertInto('services').values([{ name: 'Email' }, { name: 'Email::Outbound' }]).execute();
    await db.insertInto('slas').values({ name: 'Gold', first_response_minutes: 60 }).execute();
    await db.insertInto('ticket_types').values({ name: 'Incident' }).execute();
    await createDynamicField(h.srv, 'Tags', 'multiselect', { config: { possibleValues: { a: 'A', b: 'B' } } });
    await createDynamicField(h.srv, 'Due', 'date');
    await createDynamicField(h.srv, 'Approved', 'checkbox');
  });
  afterAll(() => h?.close());

  it('records every field change with old and new value', async () => {
    const t = await newTicket(h.as.writer!, { title: 'Old title', queue: 'Sales', customerUser: 'alice' });
    const patch = (body: object) => h.as.writer!.request('PATCH', `/api/v1/tickets/${t.id}`, body).then((r) => expect(r.status, JSON.stringify(r.body)).toBe(200));
    await patch({ title: 'New title' });
    await patch({ queue: 'Support' });
    await patch({ state: 'pending reminder', pendingUntil: '2031-01-02T03:04:05.000Z' });
    await patch({ state: 'open' });
    await patch({ priority: '1 very low' });
    await patch({ type: 'Incident' });
    await patch({ service: 'Email::Outbound', sla: 'Gold' });
    await patch({ service: null });
    await patch({ owner: 'helper', responsible: 'writer' });
    await patch({ customerUser: 'bob' });
    await patch({ customerId: 'OTHER' });
    await patch({ archived: true });
    await patch({ dynamicFields: { Tags: ['a', 'b'], Due: '2031-02-03', Approved: true } });
    await patch({ dynamicFields: { Tags: ['b'], Approved: false } });
    // a change to the same values writes nothing
    await patch({ title: 'New title', priority: '1 very low' });

    const lines = await historyLines(h.as.writer!, t.id);
    expect(lines).toEqual([
      'NewTicket',
      'CustomerUpdate customerUser: - → alice',
      'CustomerUpdate customerId: - → ACME',
      'OwnerUpdate owner: - → writer',
      'AddNote',
      'TitleUpdate title: Old title → New title',
      'Move queue: Sales → Support',
      'StateUpdate state: new → pending reminder',
      'SetPendingTime pendingUntil: - → 2031-01-02T03:04:05.000Z',
      'StateUpdate state: pending reminder → open',
      'SetPendingTime pendingUntil: 2031-01-02T03:04:05.000Z → -',
      'PriorityUpdate priority: 3 normal → 1 very low',
      'TypeUpdate type: Unclassified → Incident',
      'ServiceUpdate service: - → Email::Outbound',
      'SLAUpdate sla: - → Gold',
      'ServiceUpdate service: Email::Outbound → -',
      'OwnerUpdate owner: writer → helper',
      'ResponsibleUpdate responsible: - → writer',
      'CustomerUpdate customerUser: alice → bob',
      'CustomerUpdate customerId: ACME → BETA',
      'CustomerUpdate customerId: BETA → OTHER',
      'ArchiveFlagUpdate archived: false → true',
      'TicketDynamicFieldUpdate DynamicField_Tags: - → a, b',
      'TicketDynamicFieldUpdate DynamicField_Due: - → 2031-02-03',
      'TicketDynamicFieldUpdate DynamicField_Approved: - → 1',
      'TicketDynamicFieldUpdate DynamicField_Tags: a, b → b',
      'TicketDynamicFieldUpdate DynamicField_Approved: 1 → 0',
    ]);
    const all = (await h.as.writer!.get(`/api/v1/tickets/${t.id}/history?perPage=2&page=2`)).body;
    expect(all).toMatchObject({ total: lines.length, page: 2, perPage: 2 });
    expect(all.items[0]).toMatchObject({
      type: 'CustomerUpdate',
      field: 'customerId',
      who: { kind: 'agent', id: h.agents.writer, login: 'writer', name: 'writer Tester' },
    });
    expect(new Date(all.items[0].at).getTime()).not.toBeNaN();
  });

  it('stores dynamic field values in the columns search filters on', async () => {
    const t = await newTicket(h.as.writer!, { title: 'Columns', queue: 'Sales', dynamicFields: { Tags: ['a', 'b'], Due: '2031-02-03', Approved: true } });
    const rows = await h.srv.database.db
      .selectFrom('dynamic_field_values as v')
      .innerJoin('dynamic_fields as f', 'f.id', 'v.field_id')
      .select(['f.name', 'v.value', 'v.value_text', 'v.value_num', 'v.value_date'])
      .where('v.object_id', '=', t.id)
      .where('f.object_type', '=', 'ticket')
      .orderBy('f.name')
      .execute();
    expect(rows.map((r) => [r.name, r.value, r.value_text, r.value_num === null ? null : Number(r.value_num), r.value_date?.toISOString() ?? null])).toEqual([
      ['Approved', true, null, 1, null],
      ['Due', '2031-02-03', '2031-02-03', null, '2031-02-03T00:00:00.000Z'],
      ['Tags', ['a', 'b'], 'a\nb', null, null],
    ]);
  });

  it('writes the article and who wrote it for customer follow-ups', async () => {
    const t = await newTicket(h.as.alice!, { title: 'From the portal', queueId: h.queues.Sales });
    await h.as.alice!.post(`/api/v1/tickets/${t.id}/articles`, { body: 'more info' });
    const items = (await h.as.writer!.get(`/api/v1/tickets/${t.id}/history`)).body.items;
    const follow = items.find((i: any) => i.type === 'FollowUp');
    expect(follow).toMatchObject({ who: { kind: 'customer', id: h.customers.alice, login: 'alice' } });
    expect(follow.articleId).toEqual(expect.any(Number));
    expect(items[0]).toMatchObject({ type: 'NewTicket', who: { kind: 'customer', login: 'alice' } });
    expect(items.map((i: any) => i.type)).toContain('WebRequestCustomer');
  });

  it('is readable only by agents who may read the ticket', async () => {
    const t = await newTicket(h.as.writer!, { title: 'Private', queue: 'Sales', customerUser: 'alice' });
    expect((await h.as.outsider!.get(`/api/v1/tickets/${t.id}/history`)).status).toBe(404);
    expect((await h.as.alice!.get(`/api/v1/tickets/${t.id}/history`)).status).toBe(403);
    expect((await h.as.helper!.get(`/api/v1/tickets/${t.id}/history`)).status).toBe(200);
  });
});
