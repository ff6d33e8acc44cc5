/**
 * Every documented error of the Generic Interface, each triggered by a test: OTOBO's operation
 * codes (`<Op>.MissingParameter`, `.InvalidParameter`, `.AuthFail`, `.AccessDenied`,
 * `TicketUpdate.EmptyRequest`, `TicketGet.NotValidTicketID`, `SessionGet.SessionInvalid` …) with
 * HTTP 200, and the transport's (malformed JSON, unknown route or web service, too large) — never
 * a stack trace, nothing half-written. Authentication by session, credentials and API key, and
 * what a customer user may see. PGlite, and PostgreSQL with TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from './support/db';
import { dataOf, errorOf, PW, startGiHelpdesk, type GiHelpdesk } from './support/generic-interface';
import { ADMIN_PASSWORD } from './support/server';
import { countRows } from './support/tickets';

const article = { Subject: 'Subject', Body: 'Body', ContentType: 'text/plain; charset=utf-8' };
const ticket = { Title: 'Error tests', Queue: 'Sales', State: 'new', Priority: '3 normal', CustomerUser: 'alice' };

describe.each(databaseKinds)('Generic Interface errors on %s', (kind) => {
  let h: GiHelpdesk;
  let sid: string;
  let salesTicket: string;
  const create = (body: Record<string, unknown>) => h.gi.post('/TicketCreate', body);

  beforeAll(async () => {
    h = await startGiHelpdesk(kind);
    sid = dataOf(await h.gi.post('/SessionCreate', { UserLogin: 'agent', Password: PW })).SessionID;
    salesTicket = dataOf(await create({ SessionID: sid, Ticket: ticket, Article: article })).TicketID;
  });
  afterAll(() => h?.close());

  describe('SessionCreate, SessionGet, SessionRemove', () => {
    it('SessionCreate.MissingParameter and SessionCreate.AuthFail', async () => {
      expect(errorOf(await h.gi.post('/SessionCreate', {}), 'SessionCreate.MissingParameter')).toBe('SessionCreate: The request is empty!');
      expect(errorOf(await h.gi.post('/SessionCreate', { UserLogin: 'agent' }), 'SessionCreate.MissingParameter')).toBe('SessionCreate: Password parameter is missing!');
      expect(errorOf(await h.gi.post('/SessionCreate', { UserLogin: 'agent', Password: 'wrong' }), 'SessionCreate.AuthFail')).toBe('SessionCreate: Authorization failing!');
      expect(errorOf(await h.gi.post('/SessionCreate', { CustomerUserLogin: 'alice', Password: 'wrong' }), 'SessionCreate.AuthFail')).toBe('SessionCreate: Authorization failing!');
      // A customer user's session.
      expect(dataOf(await h.gi.post('/SessionCreate', { CustomerUserLogin: 'alice', Password: PW })).SessionID).toBeTruthy();
    });

    it('shares the lock-out of the web login: five failures lock the login, even with the right password', async () => {
      await h.srv.database.db.insertInto('agents').values({ login: 'victim', first_name: 'V', last_name: 'T', email: 'v@x.test', password_hash: (await h.srv.database.db.selectFrom('agents').select('password_hash').where('login', '=', 'agent').executeTakeFirstOrThrow()).password_hash }).execute();
      for (let i = 0; i < 5; i++) await h.gi.post('/SessionCreate', { UserLogin: 'victim', Password: 'wrong' });
      const locked = errorOf(await h.gi.post('/SessionCreate', { UserLogin: 'victim', Password: PW }), 'SessionCreate.AuthFail');
      expect(locked).toMatch(/too many failed logins: this login is locked until/);
      // The web login says the same.
      expect((await h.as.admin!.post('/api/v1/auth/login', { login: 'victim', password: PW })).status).toBe(429);
      // And the credentials in an operation's request.
      expect(errorOf(await h.gi.post('/TicketSearch', { UserLogin: 'victim', Password: PW }), 'TicketSearch.AuthFail')).toMatch(/locked/);
    });

    it('SessionGet.MissingParameter and SessionGet.SessionInvalid; SessionRemove ends a session', async () => {
      expect(errorOf(await h.gi.post('/SessionGet', {}), 'SessionGet.MissingParameter')).toBe('SessionGet: The request is empty!');
      expect(errorOf(await h.gi.post('/SessionGet', { UserLogin: 'agent' }), 'SessionGet.MissingParameter')).toBe('SessionGet: SessionID is missing!');
      expect(errorOf(await h.gi.get('/SessionGet', { SessionID: 'no-such-session' }), 'SessionGet.SessionInvalid')).toBe('SessionGet: SessionID is Invalid!');
      const own = dataOf(await h.gi.post('/SessionCreate', { UserLogin: 'agent', Password: PW })).SessionID;
      expect(dataOf(await h.gi.get('/SessionGet', { SessionID: own })).SessionData.length).toBeGreaterThan(3);
      expect(errorOf(await h.gi.post('/SessionRemove', {}), 'SessionRemove.MissingParameter')).toBe('SessionRemove: SessionID is missing!');
      expect(dataOf(await h.gi.post('/SessionRemove', { SessionID: own }))).toEqual({});
      expect(errorOf(await h.gi.post('/SessionRemove', { SessionID: own }), 'SessionRemove.SessionInvalid')).toBe('SessionRemove: SessionID is Invalid!');
      expect(errorOf(await h.gi.get('/SessionGet', { SessionID: own }), 'SessionGet.SessionInvalid')).toBe('SessionGet: SessionID is Invalid!');
    });

  });

  describe('TicketCreate', () => {
    it('TicketCreate.MissingParameter, in the order OTOBO checks', async () => {
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ Ticket: ticket, Article: article }, 'UserLogin, CustomerUserLogin or SessionID is required!'],
        [{ UserLogin: 'agent', Ticket: ticket, Article: article }, 'Password or SessionID is required!'],
        [{ SessionID: sid, Article: article }, 'Ticket parameter is missing or not valid!'],
        [{ SessionID: sid, Ticket: ticket }, 'Article parameter is missing or not valid!'],
        [{ SessionID: sid, Ticket: ticket, Article: article, DynamicField: 'x' }, 'DynamicField parameter is missing or not valid!'],
        [{ SessionID: sid, Ticket: { ...ticket, Title: '' }, Article: article }, 'Ticket->Title parameter is missing!'],
        [{ SessionID: sid, Ticket: { ...ticket, CustomerUser: undefined }, Article: article }, 'Ticket->CustomerUser parameter is missing!'],
        [{ SessionID: sid, Ticket: { ...ticket, Queue: undefined }, Article: article }, 'Ticket->QueueID or Ticket->Queue parameter is required!'],
        [{ SessionID: sid, Ticket: { ...ticket, State: undefined }, Article: article }, 'Ticket->StateID or Ticket->State parameter is required!'],
        [{ SessionID: sid, Ticket: { ...ticket, Priority: undefined }, Article: article }, 'Ticket->PriorityID or Ticket->Priority parameter is required!'],
        [{ SessionID: sid, Ticket: ticket, Article: { ...article, Subject: undefined } }, 'Article->Subject parameter is missing!'],
        [{ SessionID: sid, Ticket: ticket, Article: { ...article, Body: '' } }, 'Article->Body parameter is missing!'],
        [{ SessionID: sid, Ticket: ticket, Article: { Subject: 's', Body: 'b' } }, 'Article->ContentType or Ticket->MimeType and Article->Charset parameters are required!'],
        [{ SessionID: sid, Ticket: ticket, Article: { Subject: 's', Body: 'b', Charset: 'utf-8' } }, 'Article->MimeType is required!'],
        [{ SessionID: sid, Ticket: ticket, Article: article, DynamicField: { Name: 'Urgency' } }, 'DynamicField->Value parameter is missing!'],
        [{ SessionID: sid, Ticket: ticket, Article: article, Attachment: { Content: 'YQ==', Filename: 'a.txt' } }, 'Attachment->ContentType parameter is missing!'],
        [{ SessionID: sid, Ticket: { ...ticket, State: 'pending reminder' }, Article: article }, "Can't set a ticket on a pending state without pending time!"],
      ];
      for (const [body, message] of cases) expect(errorOf(await create(body), 'TicketCreate.MissingParameter'), message).toBe(`TicketCreate: ${message}`);
    });

    it('TicketCreate.InvalidParameter names the parameter (and why), and writes nothing', async () => {
      const before = { tickets: await countRows(h.srv, 'tickets'), articles: await countRows(h.srv, 'articles'), history: await countRows(h.srv, 'ticket_history'), values: await countRows(h.srv, 'dynamic_field_values') };
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ Ticket: { ...ticket, CustomerUser: 'nobody' } }, 'Ticket->CustomerUser parameter is invalid!'],
        [{ Ticket: { ...ticket, Queue: 'Nowhere' } }, 'Ticket->QueueID or Ticket->Queue parameter is invalid! (unknown queue "Nowhere")'],
        [{ Ticket: { ...ticket, Queue: undefined, QueueID: 'x' } }, 'Ticket->QueueID or Ticket->Queue parameter is invalid!'],
        [{ Ticket: { ...ticket, Lock: 'maybe' } }, 'Ticket->LockID or Ticket->Lock parameter is invalid!'],
        [{ Ticket: { ...ticket, Type: 'Nope' } }, 'Ticket->TypeID or Ticket->Type parameter is invalid! (unknown ticket type "Nope")'],
        [{ Ticket: { ...ticket, State: 'gone' } }, 'Ticket->StateID or Ticket->State parameter is invalid! (unknown state "gone")'],
        [{ Ticket: { ...ticket, Priority: '9 apocalyptic' } }, 'Ticket->PriorityID or Ticket->Priority parameter is invalid! (unknown priority "9 apocalyptic")'],
        [{ Ticket: { ...ticket, Owner: 'ghost' } }, 'Ticket->OwnerID or Ticket->Owner parameter is invalid! (unknown agent "ghost")'],
        [{ Ticket: { ...ticket, State: 'pending reminder', PendingTime: { Diff: 10, Year: 2030 } } }, 'Ticket->PendingTime parameter is invalid!'],
        [{ Ticket: { ...ticket, State: 'pending reminder', PendingTime: { Year: 2030, Month: 2, Day: 30, Hour: 10, Minute: 0 } } }, 'Ticket->PendingTime parameter is invalid!'],
        [{ Article: { ...article, CommunicationChannel: 'Pigeon' } }, 'Article->CommunicationChannel or Article->CommunicationChannelID parameter is invalid or not supported!'],
        [{ Article: { ...article, SenderType: 'robot' } }, 'Article->SenderTypeID or Ticket->SenderType parameter is invalid!'],
        [{ Article: { Subject: 's', Body: 'b', MimeType: 'text plain', Charset: 'utf-8' } }, 'Article->MimeType is invalid!'],
        [{ Article: { Subject: 's', Body: 'b', ContentType: 'nonsense' } }, 'Article->ContentType is invalid!'],
        [{ Article: { ...article, TimeUnit: 'lots' } }, 'Article->TimeUnit parameter is invalid!'],
        [{ DynamicField: { Name: 'NoSuchField', Value: 'x' } }, 'DynamicField->Name parameter is invalid! (no valid dynamic field "NoSuchField")'],
        [{ DynamicField: [{ Name: 'Days', Value: '9999' }] }, 'DynamicField->Value parameter is invalid!'],
        [{ DynamicField: [{ Name: 'Urgency', Value: 'panic' }] }, 'DynamicField->Value parameter is invalid!'],
        [{ Attachment: { Content: 'not base64!', ContentType: 'text/plain', Filename: 'a.txt' } }, 'Attachment->Content parameter is invalid!'],
        [{ Attachment: { Content: 'YQ==', ContentType: 'text/plain', Filename: '../etc/passwd' } }, 'Attachment->Filename is invalid!'],
        [{ Ticket: { ...ticket, ProcessEntityID: 'Process-123' } }, 'Ticket->ProcessEntityID parameter is invalid!'],
      ];
      for (const [change, message] of cases) {
        const text = errorOf(await create({ SessionID: sid, Ticket: ticket, Article: article, ...change }), 'TicketCreate.InvalidParameter');
        expect(text.startsWith(`TicketCreate: ${message}`), `${text} should start with ${message}`).toBe(true);
      }
      expect(await countRows(h.srv, 'tickets')).toBe(before.tickets);
      expect(await countRows(h.srv, 'articles')).toBe(before.articles);
      expect(await countRows(h.srv, 'ticket_history')).toBe(before.history);
      expect(await countRows(h.srv, 'dynamic_field_values')).toBe(before.values);
    });

    it('TicketCreate.AuthFail for a wrong password, an unknown session or a bad API key', async () => {
      const fail = 'TicketCreate: User could not be authenticated!';
      expect(errorOf(await create({ UserLogin: 'agent', Password: 'wrong', Ticket: ticket, Article: article }), 'TicketCreate.AuthFail')).toBe(fail);
      expect(errorOf(await create({ SessionID: 'forged', Ticket: ticket, Article: article }), 'TicketCreate.AuthFail')).toBe(fail);
      expect(errorOf(await h.gi.post('/TicketCreate', { Ticket: ticket, Article: article }, { headers: { 'X-API-Key': 'hd_forged' } }), 'TicketCreate.AuthFail')).toBe(fail);
    });

    it('TicketCreate.AccessDenied without create permission on the queue, or for another customer', async () => {
      expect(errorOf(await create({ UserLogin: 'reader', Password: PW, Ticket: ticket, Article: article }), 'TicketCreate.AccessDenied')).toBe('TicketCreate: Can not create tickets in given Queue or QueueID!');
      const csid = dataOf(await h.gi.post('/SessionCreate', { CustomerUserLogin: 'alice', Password: PW })).SessionID;
      expect(errorOf(await create({ SessionID: csid, Ticket: { ...ticket, CustomerUser: 'bob' }, Article: article }), 'TicketCreate.AccessDenied')).toBe('TicketCreate: Customer users can only create tickets for themselves!');
      expect(errorOf(await create({ SessionID: csid, Ticket: { ...ticket, State: 'open' }, Article: article }), 'TicketCreate.AccessDenied')).toBe('TicketCreate: Ticket->StateID or Ticket->State parameter is not allowed! (customer users cannot set stateId)');
    });

    it('authenticates by an API token in X-API-Key (or Authorization: Bearer)', async () => {
      const token = (await h.as.agent!.post('/api/v1/auth/tokens', { name: 'crm sync' })).body.token as string;
      const byKey = dataOf(await h.gi.post('/TicketCreate', { Ticket: { ...ticket, Title: 'By API key' }, Article: article }, { headers: { 'X-API-Key': token } }));
      const byBearer = dataOf(await h.gi.get(`/Ticket/${byKey.TicketID}`, {}, { authorization: `Bearer ${token}` }));
      expect(byBearer.Ticket[0]).toMatchObject({ Title: 'By API key', Owner: 'agent' });
    });
  });

  describe('TicketGet, TicketSearch, TicketHistoryGet', () => {
    it('TicketGet.AuthFail, MissingParameter, WrongStructure, NotValidTicketID and AccessDenied', async () => {
      expect(errorOf(await h.gi.get('/TicketGet', { TicketID: salesTicket }), 'TicketGet.AuthFail')).toBe('TicketGet: Authorization failing!');
      expect(errorOf(await h.gi.get('/TicketGet', { SessionID: sid }), 'TicketGet.MissingParameter')).toBe('TicketGet: TicketID parameter is missing!');
      expect(errorOf(await h.gi.post('/TicketGet', { SessionID: sid, TicketID: { id: 1 } }), 'TicketGet.WrongStructure')).toBe('TicketGet: Structure for TicketID is not correct!');
      expect(errorOf(await h.gi.get('/TicketGet', { SessionID: sid, TicketID: 'abc' }), 'TicketGet.NotValidTicketID')).toMatch(/^TicketGet: Could not get Ticket data/);
      expect(errorOf(await h.gi.get('/TicketGet', { SessionID: sid, TicketID: '0' }), 'TicketGet.NotValidTicketID')).toMatch(/not a ticket id/);
      // A ticket the caller may not read, and one that does not exist, are refused alike.
      const denied = 'TicketGet: User does not have access to the ticket!';
      expect(errorOf(await h.gi.get('/TicketGet', { UserLogin: 'keeper', Password: PW, TicketID: salesTicket }), 'TicketGet.AccessDenied')).toBe(denied);
      expect(errorOf(await h.gi.get('/TicketGet', { SessionID: sid, TicketID: '99999999' }), 'TicketGet.AccessDenied')).toBe(denied);
      // One forbidden ticket in a list refuses the whole call.
      expect(errorOf(await h.gi.get('/TicketGet', { SessionID: sid, TicketID: `${salesTicket},99999999` }), 'TicketGet.AccessDenied')).toBe(denied);
    });

    it('TicketSearch.AuthFail and InvalidParameter', async () => {
      expect(errorOf(await h.gi.post('/TicketSearch', { Title: 'x' }), 'TicketSearch.AuthFail')).toBe('TicketSearch: Authorization failing!');
      const invalid = async (body: Record<string, unknown>, message: string) =>
        expect(errorOf(await h.gi.post('/TicketSearch', { SessionID: sid, ...body }), 'TicketSearch.InvalidParameter')).toContain(`TicketSearch: ${message}`);
      await invalid({ Queues: ['Nowhere'] }, 'Queues or QueueIDs parameter is invalid! (unknown queue "Nowhere")');
      await invalid({ QueueIDs: ['x'] }, 'QueueIDs parameter is invalid!');
      await invalid({ SortBy: 'Colour' }, 'SortBy parameter is invalid!');
      await invalid({ OrderBy: 'Sideways' }, 'OrderBy parameter is invalid!');
      await invalid({ TicketCreateTimeNewerDate: 'yesterday' }, 'TicketCreateTimeNewerDate parameter is invalid!');
      await invalid({ DynamicField_Days: 5 }, 'DynamicField_Days parameter is invalid!');
      await invalid({ DynamicField_Days: { Near: 5 } }, 'DynamicField_Days parameter is invalid! (unknown operator "Near"');
      await invalid({ DynamicField_Nope: { Equals: 5 } }, 'DynamicField_Nope parameter is invalid!');
      await invalid({ DynamicField_Days: { GreaterThan: 'many' } }, 'DynamicField_Days parameter is invalid!');
      await invalid({ Limit: 0 }, 'Limit parameter is invalid!');
    });

    it('TicketHistoryGet.AuthFail (also for customer users), MissingParameter and AccessDenied', async () => {
      expect(errorOf(await h.gi.post('/TicketHistoryGet', { TicketID: salesTicket }), 'TicketHistoryGet.AuthFail')).toBe('TicketHistoryGet: Authorization failing!');
      expect(errorOf(await h.gi.post('/TicketHistoryGet', { CustomerUserLogin: 'alice', Password: PW, TicketID: salesTicket }), 'TicketHistoryGet.AuthFail')).toBe('TicketHistoryGet: User needs to an Agent!');
      expect(errorOf(await h.gi.post('/TicketHistoryGet', { SessionID: sid }), 'TicketHistoryGet.MissingParameter')).toBe('TicketHistoryGet: TicketID parameter is missing!');
      expect(errorOf(await h.gi.post('/TicketHistoryGet', { UserLogin: 'keeper', Password: PW, TicketID: salesTicket }), 'TicketHistoryGet.AccessDenied')).toBe(`TicketHistoryGet: User does not have access to the ticket ${salesTicket}!`);
      expect(errorOf(await h.gi.post('/TicketHistoryGet', { SessionID: sid, TicketID: { id: 1 } }), 'TicketHistoryGet.WrongStructure')).toBe('TicketHistoryGet: Structure for TicketID is not correct!');
      expect(errorOf(await h.gi.post('/TicketHistoryGet', { SessionID: sid, TicketID: 'abc' }), 'TicketHistoryGet.NotValidTicketID')).toMatch(/not a ticket id/);
    });
  });

  describe('TicketUpdate and TicketDelete', () => {
    it('TicketUpdate.EmptyRequest, MissingParameter, AuthFail', async () => {
      expect(errorOf(await h.gi.call('PUT', '/TicketUpdate'), 'TicketUpdate.EmptyRequest')).toBe('TicketUpdate: The request data is invalid!');
      expect(errorOf(await h.gi.call('PUT', '/TicketUpdate', { SessionID: sid, Ticket: { Title: 'x' } }), 'TicketUpdate.MissingParameter')).toBe('TicketUpdate: TicketID or TicketNumber is required!');
      expect(errorOf(await h.gi.call('PUT', '/TicketUpdate', { TicketID: salesTicket, Ticket: { Title: 'x' } }), 'TicketUpdate.MissingParameter')).toBe('TicketUpdate: UserLogin, CustomerUserLogin or SessionID is required!');
      expect(errorOf(await h.gi.call('PUT', '/TicketUpdate', { UserLogin: 'agent', TicketID: salesTicket }), 'TicketUpdate.MissingParameter')).toBe('TicketUpdate: Password or SessionID is required!');
      expect(errorOf(await h.gi.call('PUT', '/TicketUpdate', { UserLogin: 'agent', Password: 'no', TicketID: salesTicket }), 'TicketUpdate.AuthFail')).toBe('TicketUpdate: User could not be authenticated!');
    });

    it('TicketUpdate.AccessDenied: invisible or missing tickets, and changes without the permission', async () => {
      const denied = 'TicketUpdate: User does not have access to the ticket!';
      expect(errorOf(await h.gi.call('PUT', '/TicketUpdate', { UserLogin: 'keeper', Password: PW, TicketID: salesTicket, Ticket: { Title: 'x' } }), 'TicketUpdate.AccessDenied')).toBe(denied);
      expect(errorOf(await h.gi.call('PUT', '/TicketUpdate', { SessionID: sid, TicketNumber: '000000', Ticket: { Title: 'x' } }), 'TicketUpdate.AccessDenied')).toBe(denied);
      const ro = errorOf(await h.gi.call('PUT', '/TicketUpdate', { UserLogin: 'reader', Password: PW, TicketID: salesTicket, Ticket: { Title: 'x' } }), 'TicketUpdate.AccessDenied');
      expect(ro).toBe("TicketUpdate: you need the 'rw' permission on this ticket's queue");
      // note permission: an internal note may be added, the title not changed — and then nothing is.
      const before = await countRows(h.srv, 'articles');
      expect(errorOf(await h.gi.call('PUT', '/TicketUpdate', { UserLogin: 'noter', Password: PW, TicketID: salesTicket, Ticket: { Title: 'x' }, Article: { ...article, IsVisibleForCustomer: 0 } }), 'TicketUpdate.AccessDenied')).toMatch(/'rw' permission/);
      expect(await countRows(h.srv, 'articles')).toBe(before);
      expect(dataOf(await h.gi.call('PUT', '/TicketUpdate', { UserLogin: 'noter', Password: PW, TicketID: salesTicket, Article: { ...article, IsVisibleForCustomer: 0 } })).ArticleID).toBeTruthy();
    });

    it('TicketUpdate.InvalidParameter and MissingParameter for bad values; nothing half-written', async () => {
      const t = dataOf(await create({ SessionID: sid, Ticket: { ...ticket, Title: 'Atomic' }, Article: article })).TicketID;
      const before = { articles: await countRows(h.srv, 'articles'), history: await countRows(h.srv, 'ticket_history') };
      const cases: Array<[Record<string, unknown>, string, string]> = [
        [{ Ticket: 'x' }, 'InvalidParameter', 'Ticket parameter is not valid!'],
        [{ Ticket: { State: 'gone' } }, 'InvalidParameter', 'Ticket->StateID or Ticket->State parameter is invalid!'],
        [{ Ticket: { State: 'open' }, Article: { ...article, ContentType: 'bad' } }, 'InvalidParameter', 'Article->ContentType is invalid!'],
        [{ Ticket: { State: 'pending reminder' }, Article: article }, 'MissingParameter', "Can't set a ticket on a pending state without pending time!"],
        [{ Ticket: { Title: 'New title' }, DynamicField: { Name: 'Days', Value: 'x' } }, 'InvalidParameter', 'DynamicField->Value parameter is invalid!'],
        [{ DynamicField: { Name: 'Mood', Value: 'x' } }, 'InvalidParameter', 'DynamicField->Name parameter is invalid!'],
        [{ Attachment: { Content: 'YQ==', ContentType: 'text/plain', Filename: 'a.txt' } }, 'InvalidParameter', 'Attachment parameter is invalid!'],
      ];
      for (const [change, kind, message] of cases) {
        const text = errorOf(await h.gi.call('PATCH', `/Ticket/${t}`, { SessionID: sid, ...change }), `TicketUpdate.${kind}`);
        expect(text.startsWith(`TicketUpdate: ${message}`), text).toBe(true);
      }
      expect(await countRows(h.srv, 'articles')).toBe(before.articles);
      expect(await countRows(h.srv, 'ticket_history')).toBe(before.history);
      expect(dataOf(await h.gi.get(`/Ticket/${t}`, { SessionID: sid })).Ticket[0]).toMatchObject({ Title: 'Atomic', State: 'new' });
    });

    it('TicketDelete.MissingParameter, AuthFail and AccessDenied', async () => {
      expect(errorOf(await h.gi.call('DELETE', '/TicketDelete', { SessionID: sid }), 'TicketDelete.MissingParameter')).toBe('TicketDelete: TicketID or TicketNumber is required!');
      expect(errorOf(await h.gi.call('DELETE', '/TicketDelete', { UserLogin: 'agent', Password: 'x', TicketID: salesTicket }), 'TicketDelete.AuthFail')).toBe('TicketDelete: User could not be authenticated!');
      expect(errorOf(await h.gi.call('DELETE', '/TicketDelete', { UserLogin: 'reader', Password: PW, TicketID: salesTicket }), 'TicketDelete.AccessDenied')).toMatch(/'rw' permission/);
      expect(errorOf(await h.gi.call('DELETE', '/TicketDelete', { UserLogin: 'keeper', Password: PW, TicketID: salesTicket }), 'TicketDelete.AccessDenied')).toBe('TicketDelete: User does not have access to the ticket!');
      expect(errorOf(await h.gi.call('DELETE', '/TicketDelete', { CustomerUserLogin: 'alice', Password: PW, TicketID: salesTicket }), 'TicketDelete.AccessDenied')).toBe('TicketDelete: Only agents can delete tickets!');
      expect(errorOf(await h.gi.call('DELETE', '/TicketDelete', { SessionID: sid, TicketID: 'abc' }), 'TicketDelete.NotValidTicketID')).toMatch(/not a ticket id/);
      expect(errorOf(await h.gi.call('DELETE', '/TicketDelete', { SessionID: sid, TicketID: { id: 1 } }), 'TicketDelete.WrongStructure')).toBe('TicketDelete: Structure for TicketID is not correct!');
      expect(dataOf(await h.gi.get(`/Ticket/${salesTicket}`, { SessionID: sid })).Ticket).toHaveLength(1);
    });
  });

  describe('transport errors', () => {
    it('malformed JSON gets a clear error in the envelope, never a stack trace', async () => {
      for (const body of ['{"SessionID": ', '{bad json}', "{'single': 'quotes'}"]) {
        const res = await h.gi.call('POST', '/TicketCreate', body);
        expect(res.status).toBe(400);
        expect(res.body.Error.ErrorCode).toBe('Webservice.InvalidJSON');
        expect(res.body.Error.ErrorMessage).toMatch(/^Error while decoding request content: .*JSON/);
        expect(JSON.stringify(res.body)).not.toMatch(/\bat \S+\.(ts|js):\d+/);
      }
      const list = await h.gi.call('POST', '/TicketCreate', '[1, 2]');
      expect(list.status).toBe(400);
      expect(list.body.Error.ErrorCode).toBe('Webservice.UnsupportedContent');
      const deep = await h.gi.call('POST', '/TicketCreate', `${'['.repeat(100)}${']'.repeat(100)}`);
      expect(deep.body.Error.ErrorCode).toBe('Webservice.InvalidJSON');
      // The same in the other envelope.
      await h.as.admin!.request('PATCH', `/api/v1/webservices/1`, { envelope: 'success-data' });
      const alt = await h.gi.call('POST', '/TicketCreate', '{bad');
      expect(alt.status).toBe(400);
      expect(alt.body).toEqual({ Success: 0, ErrorCode: 'Webservice.InvalidJSON', ErrorMessage: expect.stringMatching(/^Webservice\.InvalidJSON: Error while decoding request content/) });
      await h.as.admin!.request('PATCH', `/api/v1/webservices/1`, { envelope: 'otobo' });
    });

    it('an unknown route is a 404, a known route with another method a 405, an unknown web service a 404', async () => {
      const route = await h.gi.get('/NoSuchRoute');
      expect(route.status).toBe(404);
      expect(route.body).toEqual({ Error: { ErrorCode: 'Webservice.RouteNotFound', ErrorMessage: "HTTP::REST Error while determine Operation for request URI '/NoSuchRoute'." } });
      const method = await h.gi.call('DELETE', '/TicketSearch');
      expect(method.status).toBe(405);
      expect(method.headers.get('allow')).toBe('GET, POST');
      expect(method.body.Error.ErrorCode).toBe('Webservice.MethodNotAllowed');
      const service = await h.gi.on('NoSuchService').get('/Ticket/1');
      expect(service.status).toBe(404);
      expect(service.body.Error.ErrorCode).toBe('Webservice.NotFound');
      expect((await h.gi.on('NoSuchService').otoboUrl().get('/Ticket/1')).status).toBe(404);
      // A disabled web service is not served.
      await h.as.admin!.request('PATCH', '/api/v1/webservices/1', { valid: false });
      expect((await h.gi.get('/TicketSearch', { SessionID: sid })).status).toBe(404);
      await h.as.admin!.request('PATCH', '/api/v1/webservices/1', { valid: true });
      expect((await h.gi.get('/TicketSearch', { SessionID: sid })).status).toBe(200);
    });

    it('a body over the limit is a 413 in the envelope; GET bodies and cookies are ignored', async () => {
      await h.as.admin!.request('PATCH', '/api/v1/webservices/1', { maxLength: 200 });
      const big = await h.gi.post('/TicketCreate', { SessionID: sid, Ticket: ticket, Article: { ...article, Body: 'x'.repeat(500) } });
      expect(big.status).toBe(413);
      expect(big.body.Error.ErrorCode).toBe('Webservice.PayloadTooLarge');
      await h.as.admin!.request('PATCH', '/api/v1/webservices/1', { maxLength: null });
      // A session cookie does not authenticate a Generic Interface call.
      const res = await fetch(h.gi.url('/TicketSearch'), { method: 'POST', headers: { cookie: h.as.agent!.cookie!, 'content-type': 'application/json' }, body: '{}' });
      expect(((await res.json()) as any).Error.ErrorCode).toBe('TicketSearch.AuthFail');
    });

    it('a broken configuration is a 500 in the envelope, without internals', async () => {
      const db = h.srv.database.db;
      const row = await db.selectFrom('webservices').select(['id', 'config']).where('name', '=', 'GenericTicketConnectorREST').executeTakeFirstOrThrow();
      const config = row.config as any;
      const broken = { ...config, routes: [{ route: '/Ghost', methods: [], operation: 'Ghost' }, { route: '/Bogus', methods: [], operation: 'Bogus' }], operations: { ...config.operations, Bogus: { type: 'Bogus::Type' } } };
      await db.updateTable('webservices').set({ config: JSON.stringify(broken) }).where('id', '=', row.id).execute();
      try {
        const ghost = await h.gi.get('/Ghost');
        expect(ghost.status).toBe(500);
        expect(ghost.body.Error).toEqual({ ErrorCode: 'Webservice.InvalidConfiguration', ErrorMessage: "The route '/Ghost' names the operation 'Ghost', which this web service does not define." });
        const bogus = await h.gi.get('/Bogus');
        expect(bogus.status).toBe(500);
        expect(bogus.body.Error.ErrorCode).toBe('Webservice.InternalError');
        expect(bogus.body.Error.ErrorMessage).toMatch(/^internal error \(request [\w-]+\)$/);
      } finally {
        await db.updateTable('webservices').set({ config: JSON.stringify(config) }).where('id', '=', row.id).execute();
      }
    });

    it('the server body limit answers in the envelope too', async () => {
      const { startTestServer } = await import('./support/server');
      const small = await startTestServer(kind, { maxBodyBytes: 100 });
      try {
        const res = await fetch(`${small.url}/api/webservice/GenericTicketConnectorREST/TicketCreate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ x: 'y'.repeat(500) }) });
        expect(res.status).toBe(413);
        expect(((await res.json()) as any).Error.ErrorCode).toBe('Webservice.PayloadTooLarge');
      } finally {
        await small.close();
      }
    });
  });

  describe('customer users', () => {
    it('see their own and their company\'s tickets, never another customer\'s, and only customer-visible articles', async () => {
      const own = dataOf(await create({ SessionID: sid, Ticket: { ...ticket, Title: 'For alice', CustomerUser: 'alice' }, Article: article })).TicketID;
      const colleague = dataOf(await create({ SessionID: sid, Ticket: { ...ticket, Title: 'For carol', CustomerUser: 'carol' }, Article: article })).TicketID;
      const other = dataOf(await create({ SessionID: sid, Ticket: { ...ticket, Title: 'For bob', CustomerUser: 'bob' }, Article: article })).TicketID;
      await h.gi.call('PUT', '/TicketUpdate', { SessionID: sid, TicketID: own, Article: { Subject: 'Internal', Body: 'agents only', ContentType: 'text/plain', IsVisibleForCustomer: 0 } });
      const alice = dataOf(await h.gi.post('/SessionCreate', { CustomerUserLogin: 'alice', Password: PW })).SessionID;

      const mine = dataOf(await h.gi.post('/TicketGet', { SessionID: alice, TicketID: own, AllArticles: 1 })).Ticket[0];
      // The owner's id, as OTOBO answers it; not the agent's login, which the portal does not show either.
      expect(mine).toMatchObject({ Title: 'For alice', Owner: '', OwnerID: String(h.agents.agent) });
      expect(mine.Article.map((a: any) => a.Subject)).toEqual(['Subject']);
      expect(dataOf(await h.gi.post('/TicketGet', { SessionID: alice, TicketID: colleague })).Ticket[0].Title).toBe('For carol');
      expect(errorOf(await h.gi.post('/TicketGet', { SessionID: alice, TicketID: other }), 'TicketGet.AccessDenied')).toBe('TicketGet: User does not have access to the ticket!');
      expect(errorOf(await h.gi.post('/TicketGet', { CustomerUserLogin: 'bob', Password: PW, TicketID: own }), 'TicketGet.AccessDenied')).toBe('TicketGet: User does not have access to the ticket!');

      const found = dataOf(await h.gi.post('/TicketSearch', { SessionID: alice, Title: 'For %' })).TicketID;
      expect(found.sort()).toEqual([own, colleague].sort());
      // A customer follow-up and a portal ticket of her own.
      expect(errorOf(await h.gi.call('PUT', '/TicketUpdate', { SessionID: alice, TicketID: other, Article: article }), 'TicketUpdate.AccessDenied')).toBe('TicketUpdate: User does not have access to the ticket!');
      expect(errorOf(await h.gi.call('PUT', '/TicketUpdate', { SessionID: alice, TicketID: own, Ticket: { State: 'closed successful' } }), 'TicketUpdate.AccessDenied')).toBe('TicketUpdate: customer users cannot change tickets this way');
      const reply = dataOf(await h.gi.call('PUT', '/TicketUpdate', { SessionID: alice, TicketID: own, Article: { Subject: 'Thanks', Body: 'works now', ContentType: 'text/plain' } }));
      expect(reply.ArticleID).toBeTruthy();
      const portal = dataOf(await create({ SessionID: alice, Ticket: { Title: 'From the portal', State: 'new', Priority: '3 normal', CustomerUser: 'alice@customer.test' }, Article: article }));
      // (in the portal's queue Raw, which the agents of this test cannot read; the admin can)
      const seen = dataOf(await h.gi.post('/TicketGet', { UserLogin: 'admin', Password: ADMIN_PASSWORD, TicketID: portal.TicketID, AllArticles: 1 })).Ticket[0];
      expect(seen).toMatchObject({ Queue: 'Raw', CustomerUserID: 'alice', CustomerID: 'ACME' });
      expect(seen.Article[0]).toMatchObject({ SenderType: 'customer', IsVisibleForCustomer: '1' });
    });
  });

  describe('sessions', () => {
    it('a session expires like a web session', async () => {
      const short = dataOf(await h.gi.post('/SessionCreate', { UserLogin: 'agent', Password: PW })).SessionID;
      h.srv.advance(9 * 60 * 60 * 1000);
      expect(errorOf(await h.gi.get('/TicketGet', { SessionID: short, TicketID: salesTicket }), 'TicketGet.AuthFail')).toBe('TicketGet: Authorization failing!');
    });
  });
});
