/**
 * TicketSearch and TicketGet's options as OTOBO clients use them: title and number wildcards,
 * catalogue filters by name and id, state types, owners, customers, locks, dynamic fields with
 * OTOBO's operators, time ranges, Limit/SortBy/OrderBy; TicketGet with Extended, ArticleSenderType,
 * GetAttachmentContents and PendingTime as date parts. Only tickets the caller may read are ever
 * found. PGlite, and PostgreSQL with TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from './support/db';
import { dataOf, PW, startGiHelpdesk, type GiHelpdesk } from './support/generic-interface';

const article = { Subject: 'Subject', Body: 'Body', ContentType: 'text/plain; charset=utf-8' };

describe.each(databaseKinds)('TicketSearch on %s', (kind) => {
  let h: GiHelpdesk;
  let sid: string;
  const ids: Record<string, string> = {};
  const search = async (criteria: Record<string, unknown>): Promise<string[]> => dataOf(await h.gi.post('/TicketSearch', { SessionID: sid, ...criteria })).TicketID ?? [];

  beforeAll(async () => {
    h = await startGiHelpdesk(kind);
    sid = dataOf(await h.gi.post('/SessionCreate', { UserLogin: 'agent', Password: PW })).SessionID;
    const make = async (key: string, t: Record<string, unknown>, dynamicFields: Array<{ Name: string; Value: unknown }> = []) => {
      const res = await h.gi.post('/TicketCreate', {
        SessionID: sid,
        Ticket: { Queue: 'Sales', State: 'new', Priority: '3 normal', CustomerUser: 'alice', ...t },
        Article: article,
        ...(dynamicFields.length ? { DynamicField: dynamicFields } : {}),
      });
      ids[key] = dataOf(res).TicketID;
      h.srv.advance(60_000);
    };
    await make('order1', { Title: 'Order 100 paper' }, [{ Name: 'Days', Value: 2 }, { Name: 'Urgency', Value: 'low' }, { Name: 'DueDate', Value: '2030-01-10' }]);
    await make('order2', { Title: 'ORDER 200 toner', Queue: 'Support', Priority: '5 very high', CustomerUser: 'bob' }, [{ Name: 'Days', Value: 10 }, { Name: 'Urgency', Value: 'high' }, { Name: 'Tags', Value: ['a', 'b'] }]);
    await make('invoice', { Title: 'Invoice question', State: 'open', Owner: 'reader', Lock: 'lock' }, [{ Name: 'Days', Value: 5 }, { Name: 'Approved', Value: 1 }]);
    await make('closed', { Title: 'Closed order', State: 'closed successful', CustomerUser: 'carol' });
    await h.gi.post('/TicketCreate', { UserLogin: 'keeper', Password: PW, Ticket: { Title: 'Order in the vault', Queue: 'Vault', State: 'new', Priority: '3 normal', CustomerUser: 'alice' }, Article: article });
  });
  afterAll(() => h?.close());

  it('matches Title with % and * wildcards, case-insensitively, and several titles as alternatives', async () => {
    expect((await search({ Title: '%order%' })).sort()).toEqual([ids.order1, ids.order2, ids.closed].sort());
    expect(await search({ Title: 'Order*paper' })).toEqual([ids.order1]);
    expect((await search({ Title: ['%paper%', '%Invoice%'] })).sort()).toEqual([ids.order1, ids.invoice].sort());
    expect(await search({ Title: '%vault%' })).toEqual([]);
    expect(dataOf(await h.gi.post('/TicketSearch', { SessionID: sid, Title: '%vault%' }))).toEqual({});
  });

  it('filters by queues, states, state types, priorities, owners, customers and locks, by name or id', async () => {
    expect(await search({ Queues: ['Support'] })).toEqual([ids.order2]);
    expect((await search({ QueueIDs: [h.queues.Support, h.queues.Sales], Title: '%order%' })).sort()).toEqual([ids.order1, ids.order2, ids.closed].sort());
    expect(await search({ States: ['open'] })).toEqual([ids.invoice]);
    expect((await search({ StateType: 'Open' })).sort()).toEqual([ids.order1, ids.order2, ids.invoice].sort());
    expect(await search({ StateType: ['Closed'] })).toEqual([ids.closed]);
    expect(await search({ Priorities: ['5 very high'] })).toEqual([ids.order2]);
    expect(await search({ OwnerIDs: [h.agents.reader] })).toEqual([ids.invoice]);
    expect((await search({ CustomerID: 'ACME' })).sort()).toEqual([ids.order1, ids.invoice, ids.closed].sort());
    expect(await search({ CustomerUserLogin: ['bob'] })).toEqual([ids.order2]);
    expect(await search({ Locks: ['lock'] })).toEqual([ids.invoice]);
    expect(await search({ LockIDs: [1], Queues: ['Support'] })).toEqual([ids.order2]);
  });

  it('filters by dynamic fields with OTOBO operators, in both notations', async () => {
    expect(await search({ DynamicField_Days: { GreaterThan: 4, SmallerThanEquals: 5 } })).toEqual([ids.invoice]);
    expect((await search({ DynamicField_Days: { GreaterThanEquals: '5' } })).sort()).toEqual([ids.order2, ids.invoice].sort());
    expect(await search({ DynamicField_Urgency: { Equals: 'high' } })).toEqual([ids.order2]);
    expect((await search({ DynamicField_Urgency: { Equals: ['high', 'low'] } })).sort()).toEqual([ids.order1, ids.order2].sort());
    expect(await search({ DynamicField_Urgency: { Like: 'h*' } })).toEqual([ids.order2]);
    expect(await search({ DynamicField_Approved: { Equals: 1 } })).toEqual([ids.invoice]);
    expect(await search({ DynamicField_DueDate: { SmallerThan: '2030-01-11 00:00:00' } })).toEqual([ids.order1]);
    expect(await search({ DynamicField_Tags: { Equals: 'b' } })).toEqual([ids.order2]);
    expect(await search({ DynamicField: [{ Name: 'Days', SmallerThan: 3 }] })).toEqual([ids.order1]);
  });

  it('filters by ticket number (with wildcards) and creation and change times', async () => {
    const number = dataOf(await h.gi.post('/TicketGet', { SessionID: sid, TicketID: ids.order2 })).Ticket[0].TicketNumber as string;
    expect(await search({ TicketNumber: number })).toEqual([ids.order2]);
    expect((await search({ TicketNumber: `${number.slice(0, 8)}%` })).length).toBe(4);
    const created = dataOf(await h.gi.post('/TicketGet', { SessionID: sid, TicketID: ids.invoice })).Ticket[0].Created as string;
    expect((await search({ TicketCreateTimeNewerDate: created })).sort()).toEqual([ids.invoice, ids.closed].sort());
    expect((await search({ TicketCreateTimeOlderDate: created })).sort()).toEqual([ids.order1, ids.order2, ids.invoice].sort());
    expect(await search({ TicketCreateTimeNewerMinutes: 1, Title: '%' })).toEqual([]);
    expect((await search({ TicketChangeTimeNewerMinutes: 100000 })).length).toBe(4);
  });

  it('sorts by SortBy/OrderBy (default: newest first) and stops at Limit', async () => {
    expect(await search({})).toEqual([ids.closed, ids.invoice, ids.order2, ids.order1]);
    expect(await search({ SortBy: 'Age', OrderBy: 'Up' })).toEqual([ids.order1, ids.order2, ids.invoice, ids.closed]);
    expect((await search({ SortBy: 'Title', OrderBy: 'Up' })).slice(0, 2)).toEqual([ids.closed, ids.invoice]);
    expect(await search({ SortBy: ['Priority'], OrderBy: ['Down'], Limit: 1 })).toEqual([ids.order2]);
    expect(await search({ Limit: 2 })).toEqual([ids.closed, ids.invoice]);
    // Several title alternatives are merged in the same order.
    expect(await search({ Title: ['%paper%', '%toner%', '%Invoice%'], SortBy: 'Created', OrderBy: 'Up' })).toEqual([ids.order1, ids.order2, ids.invoice]);
  });

  it('works by GET with query parameters, lists as repeated parameters', async () => {
    const res = dataOf(await h.gi.get('/TicketSearch', { SessionID: sid, Title: '%order%', Queues: ['Sales', 'Support'], StateType: 'Open', SortBy: 'Age', OrderBy: 'Up' }));
    expect(res).toEqual({ TicketID: [ids.order1, ids.order2] });
    // A query string cannot carry OTOBO's operator objects: `DynamicField_<Name>.<Operator>=value` can.
    expect(dataOf(await h.gi.get('/Ticket', { SessionID: sid, 'DynamicField_Days.GreaterThan': '4', 'DynamicField_Urgency.Equals': 'high' }))).toEqual({ TicketID: [ids.order2] });
  });

  it("takes CustomerUserLogin as a filter even when it is the caller's login, as OTOBO does: company tickets need a SessionID", async () => {
    // OTOBO's TicketSearch passes CustomerUserLogin from the request to the ticket search as a filter
    // on the ticket's customer user, whether or not it also authenticated the caller.
    const byLogin = await search({ SessionID: undefined, CustomerUserLogin: 'alice', Password: PW });
    expect(byLogin).toEqual(expect.arrayContaining([ids.order1, ids.invoice]));
    expect(byLogin).not.toContain(ids.closed); // carol's, of alice's company
    const alice = dataOf(await h.gi.post('/SessionCreate', { CustomerUserLogin: 'alice', Password: PW })).SessionID;
    const bySession = await search({ SessionID: alice });
    expect(bySession).toEqual(expect.arrayContaining([ids.order1, ids.invoice, ids.closed]));
    expect(bySession).not.toContain(ids.order2); // bob's, of another company
    // With a session the filter is an ordinary one, for customers and agents alike.
    expect(await search({ SessionID: alice, CustomerUserLogin: 'carol' })).toEqual([ids.closed]);
    expect(await search({ CustomerUserLogin: 'carol' })).toEqual([ids.closed]);
  });

  it('finds only what the caller may read: keepers see the vault, readers only Sales', async () => {
    expect((await dataOf(await h.gi.post('/TicketSearch', { UserLogin: 'keeper', Password: PW, Title: '%order%' }))).TicketID).toHaveLength(1);
    const reader = dataOf(await h.gi.post('/TicketSearch', { UserLogin: 'reader', Password: PW })).TicketID as string[];
    expect(reader.sort()).toEqual([ids.order1, ids.invoice, ids.closed].sort());
  });

  it('TicketGet: Extended, ArticleSenderType, GetAttachmentContents=0 and PendingTime as date parts', async () => {
    const t = ids.invoice;
    await h.gi.call('PUT', '/TicketUpdate', {
      SessionID: sid,
      TicketID: t,
      Ticket: { State: 'pending reminder', PendingTime: { Year: 2031, Month: 3, Day: 4, Hour: 5, Minute: 6 } },
      Article: { Subject: 'From the customer', Body: 'b', ContentType: 'text/plain', SenderType: 'customer', CommunicationChannel: 'Phone' },
      Attachment: { Content: Buffer.from('hello').toString('base64'), ContentType: 'text/plain', Filename: 'hello.txt' },
    });
    const got = dataOf(await h.gi.post('/TicketGet', { SessionID: sid, TicketID: t, Extended: 1, AllArticles: 1, ArticleSenderType: ['customer'], Attachments: 1, GetAttachmentContents: 0 })).Ticket[0];
    expect(got).toMatchObject({ State: 'pending reminder', RealTillTimeNotUsed: String(Date.UTC(2031, 2, 4, 5, 6) / 1000), Lock: 'lock', FirstLock: expect.stringMatching(/^\d{4}-/), FirstResponse: expect.stringMatching(/^\d{4}-/), FirstResponseInMin: expect.stringMatching(/^\d+$/) });
    // UntilTime counts the seconds from now to the pending time: with Age (seconds since creation) it spans creation → pending time.
    const created = Date.parse(`${(got.Created as string).replace(' ', 'T')}Z`) / 1000;
    expect(got.UntilTime).toBeGreaterThan(0);
    expect(Math.abs(got.Age + got.UntilTime - (Number(got.RealTillTimeNotUsed) - created))).toBeLessThanOrEqual(1);
    expect(got.Article).toHaveLength(1);
    expect(got.Article[0]).toMatchObject({ Subject: 'From the customer', SenderType: 'customer', CommunicationChannel: 'Phone', CommunicationChannelID: '2', ArticleNumber: '2' });
    expect(got.Article[0].Attachment).toEqual([expect.objectContaining({ Filename: 'hello.txt', Content: '', FilesizeRaw: '5' })]);
    // PendingTime given for a state that is not pending is ignored, as OTOBO does.
    const number = got.TicketNumber as string;
    const open = dataOf(await h.gi.call('PUT', '/TicketUpdate', { SessionID: sid, TicketNumber: number, Ticket: { State: 'open', PendingTime: { Diff: 30 } } }));
    expect(open.TicketID).toBe(t);
    expect(dataOf(await h.gi.post('/TicketGet', { SessionID: sid, TicketID: t })).Ticket[0]).toMatchObject({ State: 'open', UntilTime: 0 });
  });
});
