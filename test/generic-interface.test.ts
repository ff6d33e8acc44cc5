/**
 * The Generic Interface as existing OTOBO clients meet it: the example requests of the seed
 * document ("OTOBO Web Services – REST API": SessionCreate, TicketCreate with the `Data` envelope,
 * TicketGet, TicketSearch, TicketUpdate, TicketHistoryGet) replayed against its web service
 * imported from YAML, in both envelopes, with the answers checked field by field; the call
 * pattern of a typical third-party client; OTOBO's sample routes of `GenericTicketConnectorREST`;
 * and OTOBO's own base URL. PGlite, and PostgreSQL with TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from './support/db';
import { dataOf, errorOf, OTOBO_TIME, PW, SEED_YAML, startGiHelpdesk, type GiHelpdesk } from './support/generic-interface';

/** The attributes of OTOBO's TicketGet (without DynamicField/Article, which depend on the options). */
const TICKET_KEYS = [
  'Age', 'ArchiveFlag', 'ChangeBy', 'Changed', 'CreateBy', 'Created', 'CustomerID', 'CustomerUserID', 'EscalationResponseTime',
  'EscalationSolutionTime', 'EscalationTime', 'EscalationUpdateTime', 'GroupID', 'Lock', 'LockID', 'Owner', 'OwnerID', 'Priority',
  'PriorityID', 'Queue', 'QueueID', 'RealTillTimeNotUsed', 'Responsible', 'ResponsibleID', 'SLA', 'SLAID', 'Service', 'ServiceID',
  'State', 'StateID', 'StateType', 'TicketID', 'TicketNumber', 'TimeUnit', 'Title', 'Type', 'TypeID', 'UnlockTimeout', 'UntilTime',
];
const ARTICLE_KEYS = [
  'ArticleID', 'ArticleNumber', 'Bcc', 'Body', 'Cc', 'ChangeBy', 'ChangeTime', 'Charset', 'CommunicationChannel', 'CommunicationChannelID',
  'ContentCharset', 'ContentType', 'CreateBy', 'CreateTime', 'From', 'InReplyTo', 'IncomingTime', 'IsVisibleForCustomer', 'MessageID',
  'MimeType', 'References', 'ReplyTo', 'SenderType', 'SenderTypeID', 'Subject', 'TicketID', 'TimeUnit', 'To',
];
const HISTORY_KEYS = ['ArticleID', 'CreateBy', 'CreateTime', 'HistoryType', 'HistoryTypeID', 'Name', 'OwnerID', 'PriorityID', 'QueueID', 'StateID', 'TicketID', 'TypeID'];
const sorted = (keys: string[]) => [...keys].sort();

/** A ticket of OTOBO's TicketGet: exactly its attributes (plus `extra`), ids and values as strings. */
function expectTicketShape(t: any, extra: string[] = []) {
  expect(Object.keys(t).sort()).toEqual(sorted([...TICKET_KEYS, ...extra]));
  for (const key of TICKET_KEYS) {
    if (key === 'Age' || key === 'UntilTime') expect(typeof t[key], key).toBe('number');
    else expect(typeof t[key], key).toBe('string');
  }
  expect(t.TicketID).toMatch(/^\d+$/);
  expect(t.Created).toMatch(OTOBO_TIME);
  expect(t.Changed).toMatch(OTOBO_TIME);
}

function expectArticleShape(a: any, extra: string[] = []) {
  expect(Object.keys(a).sort()).toEqual(sorted([...ARTICLE_KEYS, ...extra]));
  for (const key of ARTICLE_KEYS) expect(typeof a[key], key).toBe('string');
  expect(a.CreateTime).toMatch(OTOBO_TIME);
}

describe.each(databaseKinds)('Generic Interface on %s', (kind) => {
  let h: GiHelpdesk;
  beforeAll(async () => {
    h = await startGiHelpdesk(kind);
    for (const [name, envelope] of [['Seed', 'otobo'], ['SeedData', 'success-data']]) {
      const res = await h.as.admin!.request('POST', `/api/v1/webservices/import?name=${name}&envelope=${envelope}`, SEED_YAML, { 'content-type': 'application/yaml' });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
  });
  afterAll(() => h?.close());

  describe.each([
    ['Seed', 'otobo'],
    ['SeedData', 'success-data'],
  ] as const)("the seed document's examples on %s (%s envelope)", (service, envelope) => {
    let sid: string;
    let ticketId: string;
    let ticketNumber: string;

    it('SessionCreate: POST /session with the credentials under Data answers a SessionID', async () => {
      const res = await h.gi.on(service).post('/session', { Data: { UserLogin: 'agent', Password: PW } });
      const data = dataOf(res, envelope);
      expect(Object.keys(data)).toEqual(['SessionID']);
      expect(data.SessionID).toMatch(/^[\w-]{20,}$/);
      sid = data.SessionID;
    });

    it('TicketCreate: POST /ticket with Ticket and Article under Data; IncludeTicketData returns the ticket', async () => {
      const res = await h.gi.on(service).post('/ticket', {
        SessionID: sid,
        Data: {
          Ticket: { Title: `Example Ticket ${envelope}`, Queue: 'Sales', State: 'new', Priority: '3 normal', CustomerUser: 'alice' },
          Article: { Subject: 'Test Article', Body: 'This is the article body', ContentType: 'text/plain; charset=utf8' },
        },
      });
      const data = dataOf(res, envelope);
      expect(Object.keys(data).sort()).toEqual(['ArticleID', 'Ticket', 'TicketID', 'TicketNumber']);
      expect(data.TicketID).toMatch(/^\d+$/);
      expect(data.ArticleID).toMatch(/^\d+$/);
      expect(data.TicketNumber).toMatch(/^\d{14,}$/);
      ticketId = data.TicketID;
      ticketNumber = data.TicketNumber;
      // IncludeTicketData: the ticket as TicketGet shows it, with its dynamic fields and the new article as one object.
      const t = data.Ticket;
      expectTicketShape(t, ['Article', 'DynamicField']);
      expect(t).toMatchObject({
        TicketID: ticketId,
        TicketNumber: ticketNumber,
        Title: `Example Ticket ${envelope}`,
        Queue: 'Sales',
        QueueID: String(h.queues.Sales),
        State: 'new',
        StateType: 'new',
        Priority: '3 normal',
        Type: 'Unclassified',
        Owner: 'agent',
        OwnerID: String(h.agents.agent),
        CustomerUserID: 'alice',
        CustomerID: 'ACME',
        Lock: 'unlock',
        LockID: '1',
        ArchiveFlag: 'n',
      });
      expect(t.DynamicField).toEqual([
        { Name: 'Approved', Value: null },
        { Name: 'Days', Value: null },
        { Name: 'DueDate', Value: null },
        { Name: 'Tags', Value: null },
        { Name: 'Urgency', Value: null },
      ]);
      expectArticleShape(t.Article, ['DynamicField']);
      expect(t.Article).toMatchObject({
        ArticleID: data.ArticleID,
        TicketID: ticketId,
        ArticleNumber: '1',
        Subject: 'Test Article',
        Body: 'This is the article body',
        ContentType: 'text/plain; charset=utf-8',
        MimeType: 'text/plain',
        Charset: 'utf-8',
        SenderType: 'agent',
        SenderTypeID: '1',
        CommunicationChannel: 'Internal',
        IsVisibleForCustomer: '1',
        From: '"alice Customer" <alice@customer.test>',
        To: 'Sales',
      });
      expect(t.Article.DynamicField).toEqual([{ Name: 'Mood', Value: null }]);
    });

    it('TicketGet: GET /ticket/get with SessionID, TicketID and AllArticles in the query', async () => {
      const res = await h.gi.on(service).get('/ticket/get', { SessionID: sid, TicketID: ticketId, AllArticles: '1' });
      const data = dataOf(res, envelope);
      expect(Object.keys(data)).toEqual(['Ticket']);
      expect(data.Ticket).toHaveLength(1);
      const t = data.Ticket[0];
      expectTicketShape(t, ['Article']);
      expect(t).toMatchObject({ TicketID: ticketId, TicketNumber: ticketNumber, State: 'new', TimeUnit: '0' });
      expect(t.Article).toHaveLength(1);
      expectArticleShape(t.Article[0]);
      expect(t.Article[0]).toMatchObject({ Subject: 'Test Article', Body: 'This is the article body' });
    });

    it('TicketSearch: GET /ticket/search with a Title wildcard and Queues answers TicketID; no match answers {}', async () => {
      const res = await h.gi.on(service).get('/ticket/search', { SessionID: sid, Title: `Example%${envelope}`, Queues: 'Sales' });
      expect(dataOf(res, envelope)).toEqual({ TicketID: [ticketId] });
      const none = await h.gi.on(service).post('/ticket/search', { Data: { SessionID: sid, Title: 'No such title anywhere' } });
      expect(dataOf(none, envelope)).toEqual({});
    });

    it('TicketUpdate: PUT /ticket with a state, a pending time and a new article under Data', async () => {
      const res = await h.gi.on(service).call('PUT', '/ticket', {
        Data: {
          SessionID: sid,
          TicketID: ticketId,
          Ticket: { State: 'pending reminder', PendingTime: { Diff: 120 } },
          Article: { Subject: 'Update', Body: 'Waiting for the customer', ContentType: 'text/plain; charset=utf8', TimeUnit: 2 },
        },
      });
      const data = dataOf(res, envelope);
      expect(Object.keys(data).sort()).toEqual(['ArticleID', 'Ticket', 'TicketID', 'TicketNumber']);
      expect(data).toMatchObject({ TicketID: ticketId, TicketNumber: ticketNumber });
      expectTicketShape(data.Ticket, ['Article', 'DynamicField']);
      expect(data.Ticket).toMatchObject({ State: 'pending reminder', StateType: 'pending reminder', TimeUnit: '2' });
      expect(data.Ticket.UntilTime).toBeGreaterThan(119 * 60);
      expect(data.Ticket.UntilTime).toBeLessThanOrEqual(120 * 60);
      expect(data.Ticket.Article).toMatchObject({ ArticleID: data.ArticleID, ArticleNumber: '2', Subject: 'Update', TimeUnit: '2' });
    });

    it('TicketHistoryGet: POST /ticket/history answers the history with OTOBO attributes', async () => {
      const res = await h.gi.on(service).post('/ticket/history', { Data: { SessionID: sid, TicketID: ticketId } });
      const data = dataOf(res, envelope);
      expect(Object.keys(data)).toEqual(['TicketHistory']);
      expect(data.TicketHistory).toHaveLength(1);
      const [entry] = data.TicketHistory;
      expect(Object.keys(entry).sort()).toEqual(['History', 'TicketID']);
      expect(entry.TicketID).toBe(ticketId);
      for (const line of entry.History) {
        expect(Object.keys(line).sort()).toEqual(HISTORY_KEYS);
        expect(line.CreateTime).toMatch(OTOBO_TIME);
      }
      const types = entry.History.map((l: any) => l.HistoryType);
      expect(types).toEqual(['NewTicket', 'CustomerUpdate', 'CustomerUpdate', 'OwnerUpdate', 'AddNote', 'StateUpdate', 'SetPendingTime', 'AddNote', 'TimeAccounting']);
      const first = entry.History[0];
      expect(first).toMatchObject({ HistoryTypeID: '1', QueueID: String(h.queues.Sales), OwnerID: String(h.agents.agent), CreateBy: String(h.agents.agent) });
      const state = entry.History.find((l: any) => l.HistoryType === 'StateUpdate');
      expect(state.HistoryTypeID).toBe('27');
      expect(state.StateID).not.toBe(first.StateID);
    });

    it('an operation error is answered with HTTP 200 in the envelope', async () => {
      const res = await h.gi.on(service).post('/ticket', { Data: { SessionID: sid, Ticket: { Queue: 'Sales' }, Article: { Subject: 's', Body: 'b', ContentType: 'text/plain' } } });
      expect(errorOf(res, 'TicketCreate.MissingParameter', envelope)).toBe('TicketCreate: Ticket->Title parameter is missing!');
    });
  });

  it('replays the call pattern of a typical third-party client on the operation-name routes', async () => {
    const gi = h.gi;
    // 1. SessionCreate (the client keeps it for reads).
    const sid = dataOf(await gi.post('/SessionCreate', { UserLogin: 'agent', Password: PW })).SessionID;
    // 2. TicketCreate with UserLogin/Password in the body and a ContentType with charset.
    const created = dataOf(
      await gi.post('/TicketCreate', {
        UserLogin: 'agent',
        Password: PW,
        Ticket: { Title: 'Order 4711: printer', Queue: 'Sales', State: 'new', Priority: '3 normal', CustomerUser: 'alice@customer.test', Type: 'Unclassified' },
        Article: { CommunicationChannel: 'Email', SenderType: 'customer', Subject: 'Order 4711', Body: 'The printer does not print.', ContentType: 'text/plain; charset=utf-8', From: 'alice@customer.test' },
        DynamicField: [
          { Name: 'Urgency', Value: 'high' },
          { Name: 'Days', Value: '3' },
          { Name: 'Approved', Value: '1' },
          { Name: 'DueDate', Value: '2030-01-31 00:00:00' },
          { Name: 'Tags', Value: ['a', 'c'] },
          { Name: 'Mood', Value: 'angry' },
        ],
        Attachment: [{ Content: Buffer.from('order lines').toString('base64'), ContentType: 'text/plain', Filename: 'order.txt' }],
      }),
    );
    expect(Object.keys(created).sort()).toEqual(['ArticleID', 'TicketID', 'TicketNumber']);
    // 3. TicketGet by POST, as the client does.
    const got = dataOf(await gi.post('/TicketGet', { SessionID: sid, TicketID: created.TicketID, AllArticles: 1, DynamicFields: 1, ArticleOrder: 'ASC', ArticleLimit: 5, Attachments: 1 }));
    const t = got.Ticket[0];
    expectTicketShape(t, ['Article', 'DynamicField']);
    expect(t).toMatchObject({ Title: 'Order 4711: printer', CustomerUserID: 'alice', CustomerID: 'ACME' });
    expect(t.DynamicField).toEqual([
      { Name: 'Approved', Value: '1' },
      { Name: 'Days', Value: '3' },
      { Name: 'DueDate', Value: '2030-01-31 00:00:00' },
      { Name: 'Tags', Value: ['a', 'c'] },
      { Name: 'Urgency', Value: 'high' },
    ]);
    expectArticleShape(t.Article[0], ['Attachment', 'DynamicField']);
    expect(t.Article[0]).toMatchObject({ CommunicationChannel: 'Email', CommunicationChannelID: '1', SenderType: 'customer', SenderTypeID: '3', From: 'alice@customer.test' });
    expect(t.Article[0].DynamicField).toEqual([{ Name: 'Mood', Value: 'angry' }]);
    expect(t.Article[0].Attachment).toEqual([
      { Content: Buffer.from('order lines').toString('base64'), ContentAlternative: '', ContentID: '', ContentType: 'text/plain', Disposition: 'attachment', FileID: '1', Filename: 'order.txt', FilesizeRaw: '11' },
    ]);
    // 4. TicketSearch by POST with a title pattern list and queues.
    const other = dataOf(await gi.post('/TicketCreate', { SessionID: sid, Ticket: { Title: 'Unrelated', Queue: 'Sales', State: 'new', Priority: '3 normal', CustomerUser: 'bob' }, Article: { Subject: 's', Body: 'b', ContentType: 'text/plain; charset=utf-8' } }));
    const found = dataOf(await gi.post('/TicketSearch', { UserLogin: 'agent', Password: PW, Title: ['%Order%'], Queues: ['Sales'] }));
    expect(found.TicketID).toContain(created.TicketID);
    expect(found.TicketID).not.toContain(other.TicketID);
    // 5. TicketUpdate by PUT: a state change and a new article.
    const updated = dataOf(
      await gi.call('PUT', '/TicketUpdate', {
        UserLogin: 'agent',
        Password: PW,
        TicketID: created.TicketID,
        Ticket: { State: 'closed successful' },
        Article: { Subject: 'Re: Order 4711', Body: 'Fixed, a paper jam.', ContentType: 'text/plain; charset=utf-8', CommunicationChannel: 'Email', To: 'alice@customer.test' },
      }),
    );
    expect(Object.keys(updated).sort()).toEqual(['ArticleID', 'TicketID', 'TicketNumber']);
    expect(updated).toMatchObject({ TicketID: created.TicketID, TicketNumber: created.TicketNumber });
    // The REST API sees the same ticket: closed, two articles, the reply from the agent.
    const rest = await h.as.agent!.get(`/api/v1/tickets/${created.TicketID}`);
    expect(rest.body).toMatchObject({ state: { name: 'closed successful' }, articleCount: 2, dynamicFields: { Urgency: 'high', Days: 3, Approved: true, DueDate: '2030-01-31', Tags: ['a', 'c'] } });
    const after = dataOf(await gi.post('/TicketGet', { SessionID: sid, TicketID: created.TicketID, AllArticles: 1, ArticleOrder: 'DESC', ArticleLimit: 1 }));
    expect(after.Ticket[0].Article).toHaveLength(1);
    expect(after.Ticket[0].Article[0]).toMatchObject({ ArticleID: updated.ArticleID, ArticleNumber: '2', Subject: 'Re: Order 4711', SenderType: 'agent', To: 'alice@customer.test' });
  });

  it("serves OTOBO's sample routes of GenericTicketConnectorREST", async () => {
    const gi = h.gi;
    const sid = dataOf(await gi.post('/Session', { UserLogin: 'agent', Password: PW })).SessionID;
    const session = dataOf(await gi.get(`/Session/${encodeURIComponent(sid)}`));
    const values = Object.fromEntries(session.SessionData.map((d: any) => [d.Key, d.Value]));
    expect(values).toMatchObject({ UserLogin: 'agent', UserType: 'User', UserID: String(h.agents.agent) });
    expect(session.SessionData.map((d: any) => d.Key)).toEqual([...session.SessionData.map((d: any) => d.Key)].sort());

    const created = dataOf(await gi.post('/Ticket', { SessionID: sid, Ticket: { Title: 'Sample route', QueueID: h.queues.Support, StateID: 1, PriorityID: 3, CustomerUser: 'bob' }, Article: { Subject: 's', Body: '<p>Hi <b>there</b></p>', MimeType: 'text/html', Charset: 'utf-8' } }));
    const got = dataOf(await gi.get(`/Ticket/${created.TicketID}`, { SessionID: sid, AllArticles: '1', Attachments: '1', HTMLBodyAsAttachment: '1' }));
    expect(got.Ticket[0]).toMatchObject({ TicketID: created.TicketID, Queue: 'Support', StateID: '1', PriorityID: '3' });
    const article = got.Ticket[0].Article[0];
    expect(article).toMatchObject({ MimeType: 'text/html', ContentType: 'text/html; charset=utf-8' });
    expect(article.Body).toContain('Hi there');
    expect(article.Attachment).toEqual([expect.objectContaining({ Filename: 'file-2', ContentType: 'text/html; charset="utf-8"' })]);
    expect(Buffer.from(article.Attachment[0].Content, 'base64').toString()).toContain('<b>there</b>');

    expect(dataOf(await gi.get('/Ticket', { SessionID: sid, Title: 'Sample route', QueueIDs: String(h.queues.Support) }))).toEqual({ TicketID: [created.TicketID] });
    const patched = dataOf(await gi.call('PATCH', `/Ticket/${created.TicketID}`, { SessionID: sid, Ticket: { Priority: '5 very high', Title: 'Sample route (urgent)' } }));
    expect(patched).toEqual({ TicketID: created.TicketID, TicketNumber: created.TicketNumber });
    const history = dataOf(await gi.get(`/TicketHistory/${created.TicketID}`, { SessionID: sid }));
    expect(history.TicketHistory[0].History.map((l: any) => l.HistoryType)).toEqual(expect.arrayContaining(['NewTicket', 'PriorityUpdate', 'TitleUpdate']));
    const prio = history.TicketHistory[0].History.find((l: any) => l.HistoryType === 'PriorityUpdate');
    expect(prio).toMatchObject({ HistoryTypeID: '22', PriorityID: '5' });

    // TicketGetList (GET /TicketList) takes comma-separated ids.
    const list = dataOf(await gi.get('/TicketList', { SessionID: sid, TicketID: `${created.TicketID},${created.TicketID}` }));
    expect(list.Ticket.map((x: any) => x.TicketID)).toEqual([created.TicketID]);

    // DELETE /Session/:SessionID ends the session.
    expect(dataOf(await gi.call('DELETE', `/Session/${encodeURIComponent(sid)}`))).toEqual({});
    expect(errorOf(await gi.get(`/Ticket/${created.TicketID}`, { SessionID: sid }), 'TicketGet.AuthFail')).toBe('TicketGet: Authorization failing!');
  });

  it('creates a ticket for a named owner locked, as OTOBO does, unless Lock says otherwise', async () => {
    const base = { UserLogin: 'agent', Password: PW, Article: { Subject: 's', Body: 'b', ContentType: 'text/plain' } };
    const t = { Title: 'For reader', Queue: 'Sales', State: 'open', Priority: '3 normal', CustomerUser: 'alice', Owner: 'reader' };
    const locked = dataOf(await h.gi.post('/TicketCreate', { ...base, Ticket: t }));
    const unlocked = dataOf(await h.gi.post('/TicketCreate', { ...base, Ticket: { ...t, Lock: 'unlock' } }));
    const got = dataOf(await h.gi.get('/TicketGet', { UserLogin: 'agent', Password: PW, TicketID: `${locked.TicketID},${unlocked.TicketID}` })).Ticket;
    expect(got.map((x: any) => [x.Owner, x.Lock, x.LockID])).toEqual([['reader', 'lock', '2'], ['reader', 'unlock', '1']]);
  });

  it('answers the same under OTOBO\'s base URL /otobo/nph-genericinterface.pl/Webservice/<Name>', async () => {
    const otobo = h.gi.otoboUrl();
    const sid = dataOf(await otobo.post('/Session', { UserLogin: 'agent', Password: PW })).SessionID;
    const created = dataOf(await otobo.post('/TicketCreate', { SessionID: sid, Ticket: { Title: 'Via OTOBO URL', Queue: 'Sales', State: 'open', Priority: '2 low', CustomerUser: 'alice' }, Article: { Subject: 's', Body: 'b', ContentType: 'text/plain; charset=utf-8' } }));
    const viaApi = dataOf(await h.gi.get(`/Ticket/${created.TicketID}`, { SessionID: sid }));
    const viaOtobo = dataOf(await otobo.get(`/Ticket/${created.TicketID}`, { SessionID: sid }));
    expect({ ...viaOtobo.Ticket[0], Age: 0 }).toEqual({ ...viaApi.Ticket[0], Age: 0 });
    // The imported web services answer there too, and by id.
    const seed = (await h.as.admin!.get('/api/v1/webservices')).body.items.find((w: any) => w.name === 'Seed');
    expect(seed.baseUrls).toEqual(['/api/webservice/Seed', '/otobo/nph-genericinterface.pl/Webservice/Seed']);
    const byId = await fetch(`${h.srv.url}/otobo/nph-genericinterface.pl/WebserviceID/${seed.id}/ticket/get?SessionID=${encodeURIComponent(sid)}&TicketID=${created.TicketID}`);
    expect(((await byId.json()) as any).Ticket[0].Title).toBe('Via OTOBO URL');
  });

  it('takes data from the body, the query and the route; route placeholders win, then the query', async () => {
    const sid = dataOf(await h.gi.post('/Session', { UserLogin: 'agent', Password: PW })).SessionID;
    const a = dataOf(await h.gi.post('/Ticket', { SessionID: sid, Ticket: { Title: 'A', Queue: 'Sales', State: 'new', Priority: '3 normal', CustomerUser: 'alice' }, Article: { Subject: 's', Body: 'b', ContentType: 'text/plain' } }));
    const b = dataOf(await h.gi.post('/Ticket', { SessionID: sid, Ticket: { Title: 'B', Queue: 'Sales', State: 'new', Priority: '3 normal', CustomerUser: 'alice' }, Article: { Subject: 's', Body: 'b', ContentType: 'text/plain' } }));
    // TicketID in the route beats the one in the query, which beats the body's.
    const res = dataOf(await h.gi.call('PATCH', `/Ticket/${a.TicketID}`, { SessionID: sid, TicketID: b.TicketID, Ticket: { Title: 'A2' } }, { query: { TicketID: b.TicketID } }));
    expect(res.TicketID).toBe(a.TicketID);
    const q = dataOf(await h.gi.post('/TicketGet', { SessionID: sid, TicketID: a.TicketID }, { query: { TicketID: b.TicketID } }));
    expect(q.Ticket[0].Title).toBe('B');
    // Repeated query parameters are lists.
    const list = dataOf(await h.gi.get('/TicketGet', { SessionID: sid, TicketID: [a.TicketID, b.TicketID] }));
    expect(list.Ticket.map((t: any) => t.Title)).toEqual(['A2', 'B']);
  });
});
