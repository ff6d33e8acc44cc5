/**
 * Web services as data, administered at `/api/v1/webservices`: the default
 * `GenericTicketConnectorREST`, creating, changing and deleting services (routes, methods,
 * envelope), importing OTOBO web-service YAML and exporting it, the debugger log (secrets masked,
 * retention), and TicketDelete removing a ticket with everything it owns. PGlite, and PostgreSQL
 * with TEST_DATABASE_URL.
 */
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from './support/db';
import { dataOf, errorOf, PW, SEED_YAML, startGiHelpdesk, type GiHelpdesk } from './support/generic-interface';
import { ADMIN_PASSWORD } from './support/server';

const article = { Subject: 'Subject', Body: 'Body', ContentType: 'text/plain; charset=utf-8' };
const ticket = { Title: 'Admin tests', Queue: 'Sales', State: 'new', Priority: '3 normal', CustomerUser: 'alice' };

describe.each(databaseKinds)('Generic Interface administration on %s', (kind) => {
  let h: GiHelpdesk;
  const admin = () => h.as.admin!;
  const yaml = (path: string, body: string) => admin().request('POST', path, body, { 'content-type': 'application/yaml' });

  beforeAll(async () => {
    h = await startGiHelpdesk(kind);
  });
  afterAll(() => h?.close());

  it('has GenericTicketConnectorREST after install, with OTOBO\'s sample routes and the operation-name routes', async () => {
    const res = await admin().get('/api/v1/webservices');
    expect(res.status).toBe(200);
    const ws = res.body.items.find((w: any) => w.name === 'GenericTicketConnectorREST');
    expect(ws).toMatchObject({ valid: true, envelope: 'otobo', debugLevel: 'error', maxLength: null });
    const routes = ws.routes.map((r: any) => `${r.methods.join('|')} ${r.route} → ${ws.operations[r.operation].type}`);
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /Session → Session::SessionCreate',
        'GET /Session/:SessionID → Session::SessionGet',
        'POST /Ticket → Ticket::TicketCreate',
        'GET /Ticket/:TicketID → Ticket::TicketGet',
        'GET /Ticket → Ticket::TicketSearch',
        'PATCH /Ticket/:TicketID → Ticket::TicketUpdate',
        'GET /TicketHistory/:TicketID → Ticket::TicketHistoryGet',
        'POST /TicketCreate → Ticket::TicketCreate',
        'GET|POST /TicketSearch → Ticket::TicketSearch',
        'GET|POST /TicketGet → Ticket::TicketGet',
        'PUT|PATCH|POST /TicketUpdate → Ticket::TicketUpdate',
        'DELETE|POST /TicketDelete → Ticket::TicketDelete',
        'GET|POST /TicketHistoryGet → Ticket::TicketHistoryGet',
      ]),
    );
  });

  it('is for administrators only', async () => {
    expect((await h.as.agent!.get('/api/v1/webservices')).status).toBe(403);
    expect((await h.as.alice!.get('/api/v1/webservices')).status).toBe(403);
    expect((await fetch(`${h.srv.url}/api/v1/webservices`)).status).toBe(401);
    expect((await h.as.agent!.get('/api/v1/webservices/1/debug-log')).status).toBe(403);
  });

  it('creates, changes and deletes a web service; its routes and envelope take effect at once', async () => {
    const created = await admin().post('/api/v1/webservices', {
      name: 'Monitoring',
      description: 'for the monitoring hook',
      operations: { Login: { type: 'Session::SessionCreate' }, Find: { type: 'Ticket::TicketSearch' }, Open: { type: 'Ticket::TicketCreate', includeTicketData: true } },
      routes: [
        { route: '/login', methods: ['POST'], operation: 'Login' },
        { route: '/tickets/:Queues', methods: ['GET'], operation: 'Find' },
        { route: '/tickets', operation: 'Open' },
      ],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ name: 'Monitoring', envelope: 'otobo', baseUrls: ['/api/webservice/Monitoring', '/otobo/nph-genericinterface.pl/Webservice/Monitoring'] });
    expect(created.body.routes[2].methods).toEqual([]);
    const gi = h.gi.on('Monitoring');
    const sid = dataOf(await gi.post('/login', { UserLogin: 'agent', Password: PW })).SessionID;
    // A route without methods takes any; IncludeTicketData answers with the ticket.
    const opened = dataOf(await gi.call('PUT', '/tickets', { SessionID: sid, Ticket: ticket, Article: article }));
    expect(opened.Ticket).toMatchObject({ TicketID: opened.TicketID, Title: 'Admin tests' });
    expect(dataOf(await gi.get('/tickets/Sales', { SessionID: sid, Title: 'Admin tests' }))).toEqual({ TicketID: [opened.TicketID] });

    // The other envelope.
    const changed = await admin().request('PATCH', `/api/v1/webservices/${created.body.id}`, { envelope: 'success-data' });
    expect(changed.body.envelope).toBe('success-data');
    expect(dataOf(await gi.get('/tickets/Sales', { SessionID: sid, Title: 'Admin tests' }), 'success-data')).toEqual({ TicketID: [opened.TicketID] });
    expect(errorOf(await gi.get('/tickets/Sales', { Title: 'x' }), 'TicketSearch.AuthFail', 'success-data')).toBe('TicketSearch: Authorization failing!');

    // New routes replace the old ones.
    await admin().request('PATCH', `/api/v1/webservices/${created.body.id}`, { routes: [{ route: '/search', methods: ['POST'], operation: 'Find' }] });
    expect((await gi.get('/tickets/Sales', { SessionID: sid })).status).toBe(404);
    expect(dataOf(await gi.post('/search', { SessionID: sid, Title: 'Admin tests' }), 'success-data').TicketID).toEqual([opened.TicketID]);

    expect((await admin().delete(`/api/v1/webservices/${created.body.id}`)).status).toBe(204);
    expect((await gi.post('/search', { SessionID: sid })).status).toBe(404);
    expect((await admin().get(`/api/v1/webservices/${created.body.id}`)).status).toBe(404);
  });

  it('refuses configurations that cannot work, naming the path', async () => {
    const bad = async (body: Record<string, unknown>, path: string, status = 400) => {
      const res = await admin().post('/api/v1/webservices', { name: 'Broken', operations: { A: { type: 'Ticket::TicketGet' } }, routes: [], ...body });
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.body.error.path).toBe(path);
    };
    await bad({ routes: [{ route: '/a', operation: 'Missing' }] }, '/routes/0/operation');
    await bad({ routes: [{ route: 'no-slash', operation: 'A' }] }, '/routes/0/route');
    await bad({ routes: [{ route: '/a/:X/:X', operation: 'A' }] }, '/routes/0/route');
    await bad({ routes: [{ route: '/a', methods: ['TRACE'], operation: 'A' }] }, '/routes/0/methods/0');
    await bad({ operations: { A: { type: 'FAQ::PublicFAQGet' } } }, '/operations/A/type');
    await bad({ name: 'has spaces' }, '/name');
    await bad({ name: 'GenericTicketConnectorREST' }, '/name', 409);
  });

  it('imports an OTOBO web-service YAML, with warnings for what it leaves out', async () => {
    const res = await yaml('/api/v1/webservices/import?name=PythonClient', SEED_YAML);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.warnings).toEqual(['operation PublicFAQGet (type FAQ::PublicFAQGet) is not provided by this helpdesk and was left out']);
    const ws = res.body.webservice;
    expect(ws).toMatchObject({ name: 'PythonClient', description: 'Ticket Connector for the Python client', debugLevel: 'debug', maxLength: 16000000 });
    expect(ws.operations.TicketCreate).toEqual({ type: 'Ticket::TicketCreate', description: 'Create a ticket', includeTicketData: true });
    // Routes in the order OTOBO tries them (by operation name).
    expect(ws.routes.map((r: any) => `${r.operation} ${r.methods.join('|')} ${r.route}`)).toEqual([
      'SessionCreate POST /session',
      'TicketCreate POST /ticket',
      'TicketGet GET|POST /ticket/get',
      'TicketHistoryGet GET|POST /ticket/history',
      'TicketSearch GET|POST /ticket/search',
      'TicketUpdate PUT|PATCH /ticket',
    ]);
    expect((await yaml('/api/v1/webservices/import?name=PythonClient', SEED_YAML)).status).toBe(409);
    const replaced = await yaml('/api/v1/webservices/import?name=PythonClient&replace=true&envelope=success-data', SEED_YAML);
    expect(replaced.status).toBe(200);
    expect(replaced.body.webservice).toMatchObject({ id: ws.id, envelope: 'success-data' });
  });

  it("imports an OTOBO 11 export whose routes name every method OTOBO's admin offers: HEAD and OPTIONS are served, CONNECT and TRACE left out with a warning", async () => {
    const text = readFileSync(new URL('./fixtures/otobo-11-webservice-all-methods.yml', import.meta.url), 'utf8');
    const res = await yaml('/api/v1/webservices/import?name=AllMethods', text);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.warnings).toEqual([
      'route /TicketDiagnose/:TicketID of TicketDiagnose accepts only TRACE, which this helpdesk does not serve; the route was left out',
      'route /Ticket/:TicketID of TicketGet: request method CONNECT is not served and was left out',
      'route /Ticket of TicketSearch: request method TRACE is not served and was left out',
      'operation TicketDiagnose has no route in RouteOperationMapping; clients cannot reach it until one is added',
    ]);
    expect(res.body.webservice.routes.map((r: any) => `${r.operation} ${r.methods.join('|')} ${r.route}`)).toEqual([
      'SessionCreate POST /Session',
      'TicketGet GET|HEAD|OPTIONS /Ticket/:TicketID',
      'TicketSearch GET|POST /Ticket',
    ]);

    const gi = h.gi.on('AllMethods');
    const sid = dataOf(await gi.post('/Session', { UserLogin: 'agent', Password: PW })).SessionID;
    const id = dataOf(await h.gi.post('/TicketCreate', { SessionID: sid, Ticket: { ...ticket, Title: 'All methods' }, Article: article })).TicketID;
    // HEAD: what GET would answer, without the body.
    const head = await fetch(gi.url(`/Ticket/${id}`, { SessionID: sid }), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toContain('application/json');
    expect(await head.text()).toBe('');
    // OPTIONS runs the operation as OTOBO does for a route that lists it.
    const options = dataOf(await gi.call('OPTIONS', `/Ticket/${id}`, undefined, { query: { SessionID: sid } }));
    expect(options.Ticket[0]).toMatchObject({ TicketID: id, Title: 'All methods' });
    // TRACE is not configured on /Ticket any more: 405 naming the methods that are.
    const trace = await new Promise<{ status: number; allow: string | undefined }>((resolve, reject) => {
      const req = httpRequest(gi.url('/Ticket', { SessionID: sid }), { method: 'TRACE' }, (r) => {
        r.resume();
        r.on('end', () => resolve({ status: r.statusCode ?? 0, allow: r.headers.allow as string | undefined }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(trace).toEqual({ status: 405, allow: 'GET, POST' });
  });

  it('refuses YAML it cannot serve: SOAP, no provider, malformed, alias bombs, bad routes', async () => {
    const refused = async (text: string, code: string) => {
      const res = await yaml('/api/v1/webservices/import?name=Refused', text);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.code).toBe(code);
    };
    await refused(SEED_YAML.replace('Type: HTTP::REST', 'Type: HTTP::SOAP'), 'UNSUPPORTED_TRANSPORT');
    await refused('---\nDebugger:\n  DebugThreshold: debug\nProvider:\n  Transport:\n    Type: ""\n', 'NO_PROVIDER');
    await refused('Provider: [unclosed', 'YAML_MALFORMED');
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`)].join('\n');
    await refused(bomb, 'YAML_ALIAS_LIMIT');
    await refused(SEED_YAML.replace('Route: /ticket/get', 'Route: ticket get'), 'INVALID_ROUTE');
    await refused(SEED_YAML.replace('- PUT', '- FETCH'), 'INVALID_METHOD');
    expect((await admin().get('/api/v1/webservices')).body.items.map((w: any) => w.name)).not.toContain('Refused');
  });

  it('exports OTOBO YAML that imports back to the same web service', async () => {
    const list = (await admin().get('/api/v1/webservices')).body.items;
    const original = list.find((w: any) => w.name === 'GenericTicketConnectorREST');
    const res = await fetch(`${h.srv.url}/api/v1/webservices/${original.id}/export`, { headers: { cookie: admin().cookie! } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/yaml');
    expect(res.headers.get('content-disposition')).toContain('GenericTicketConnectorREST.yml');
    const text = await res.text();
    const doc = parse(text);
    expect(doc.Provider.Transport.Type).toBe('HTTP::REST');
    expect(doc.Provider.Transport.Config.RouteOperationMapping.TicketGet).toEqual({ RequestMethod: ['GET'], Route: '/Ticket/:TicketID' });
    // OTOBO maps one route per operation: the second route of TicketGet becomes TicketGet_2.
    expect(doc.Provider.Transport.Config.RouteOperationMapping.TicketGet_2).toEqual({ RequestMethod: ['GET', 'POST'], Route: '/TicketGet' });
    expect(doc.Provider.Operation.TicketGet_2.Type).toBe('Ticket::TicketGet');
    const back = await yaml('/api/v1/webservices/import?name=RoundTrip', text);
    expect(back.status).toBe(201);
    const signature = (w: any) => w.routes.map((r: any) => `${r.methods.join('|')} ${r.route} ${w.operations[r.operation].type}`).sort();
    expect(signature(back.body.webservice)).toEqual(signature(original));
  });

  it('keeps each request and response in the debugger log at level debug, secrets masked, within the retention', async () => {
    const created = await admin().post('/api/v1/webservices', {
      name: 'Debugged',
      debugLevel: 'debug',
      debugRetention: 5,
      operations: { Login: { type: 'Session::SessionCreate' }, Find: { type: 'Ticket::TicketSearch' }, Get: { type: 'Ticket::TicketGet' } },
      routes: [
        { route: '/login', operation: 'Login' },
        { route: '/find', operation: 'Find' },
        { route: '/get/:TicketID', operation: 'Get' },
      ],
    });
    const id = created.body.id;
    const gi = h.gi.on('Debugged');
    const token = (await h.as.agent!.post('/api/v1/auth/tokens', { name: 'debugged' })).body.token as string;
    const sid = dataOf(await gi.post('/login', { UserLogin: 'agent', Password: PW })).SessionID;
    await gi.post('/find', { SessionID: sid, Title: 'x' });
    await gi.get('/find', { Password: PW, UserLogin: 'agent', Title: 'y' });
    await gi.post('/find', { Title: 'z' }, { headers: { 'X-API-Key': token } });
    const failed = await gi.get('/get/abc', { SessionID: sid });
    expect(failed.body.Error.ErrorCode).toBe('TicketGet.NotValidTicketID');

    const log = await admin().get(`/api/v1/webservices/${id}/debug-log`);
    expect(log.status, JSON.stringify(log.body)).toBe(200);
    expect(log.body.total).toBe(5);
    const [last, ...rest] = log.body.items;
    expect(last).toMatchObject({ operation: 'Get', level: 'error', status: 200, summary: 'Get: TicketGet.NotValidTicketID', request: { method: 'GET', route: '/get/abc', query: { SessionID: '***' } } });
    expect(last.response.body.Error.ErrorCode).toBe('TicketGet.NotValidTicketID');
    const byKey = rest[0];
    expect(byKey.request.headers['x-api-key']).toBe('***');
    expect(byKey.request.body).toEqual({ Title: 'z' });
    const login = rest[3];
    expect(login).toMatchObject({ operation: 'Login', level: 'debug', request: { body: { UserLogin: 'agent', Password: '***' } }, response: { body: { SessionID: '***' } } });
    // No secret appears anywhere in the log.
    const all = JSON.stringify(log.body);
    for (const secret of [PW, sid, token]) expect(all).not.toContain(secret);

    // Retention: the oldest entries are pruned.
    for (let i = 0; i < 4; i++) await gi.post('/find', { SessionID: sid, Title: `again ${i}` });
    const pruned = await admin().get(`/api/v1/webservices/${id}/debug-log?perPage=50`);
    expect(pruned.body.total).toBe(5);
    expect(pruned.body.items.map((e: any) => e.request.body?.Title)).toEqual(['again 3', 'again 2', 'again 1', 'again 0', undefined]);

    // At level error only the failures are kept.
    await admin().request('PATCH', `/api/v1/webservices/${id}`, { debugLevel: 'error' });
    expect((await admin().delete(`/api/v1/webservices/${id}/debug-log`)).status).toBe(204);
    await gi.post('/find', { SessionID: sid, Title: 'kept?' });
    await gi.post('/find', { Title: 'no auth' });
    await gi.call('POST', '/find', '{broken');
    const errorsOnly = await admin().get(`/api/v1/webservices/${id}/debug-log`);
    expect(errorsOnly.body.items.map((e: any) => e.summary)).toEqual(['Find: Webservice.InvalidJSON', 'Find: TicketSearch.AuthFail']);
    expect(errorsOnly.body.items[0].request.body).toBe('{broken');
  });

  it('TicketDelete removes a ticket with its articles, attachments, values, links and history', async () => {
    const db = h.srv.database.db;
    const sid = dataOf(await h.gi.post('/SessionCreate', { UserLogin: 'agent', Password: PW })).SessionID;
    const doomed = dataOf(
      await h.gi.post('/TicketCreate', {
        SessionID: sid,
        Ticket: { ...ticket, Title: 'Doomed' },
        Article: article,
        DynamicField: [{ Name: 'Urgency', Value: 'low' }, { Name: 'Mood', Value: 'sad' }],
        Attachment: { Content: 'YWJj', ContentType: 'text/plain', Filename: 'a.txt' },
      }),
    );
    const id = Number(doomed.TicketID);
    const kept = dataOf(await h.gi.post('/TicketCreate', { SessionID: sid, Ticket: { ...ticket, Title: 'Kept' }, Article: article }));
    const merged = dataOf(await h.gi.post('/TicketCreate', { SessionID: sid, Ticket: { ...ticket, Title: 'Merged' }, Article: article }));
    expect((await h.as.agent!.post(`/api/v1/tickets/${kept.TicketID}/links`, { targetTicketId: id })).status).toBe(201);
    expect((await h.as.agent!.post(`/api/v1/tickets/${merged.TicketID}/merge`, { targetTicketId: id })).status).toBe(200);
    await h.as.agent!.post(`/api/v1/tickets/${id}/watch`, {});
    const articleIds = (await db.selectFrom('articles').select('id').where('ticket_id', '=', id).execute()).map((a) => a.id);
    expect(articleIds.length).toBeGreaterThan(0);

    expect(dataOf(await h.gi.call('DELETE', `/Ticket/${id}`, undefined, { query: { SessionID: sid } }))).toEqual({});

    const count = async (table: 'tickets' | 'articles' | 'ticket_history' | 'ticket_links' | 'ticket_watchers' | 'ticket_search', column: string) =>
      Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where(column as never, '=', id as never).executeTakeFirstOrThrow()).n);
    expect(await count('tickets', 'id')).toBe(0);
    expect(await count('articles', 'ticket_id')).toBe(0);
    expect(await count('ticket_history', 'ticket_id')).toBe(0);
    expect(await count('ticket_links', 'target_ticket_id')).toBe(0);
    expect(await count('ticket_watchers', 'ticket_id')).toBe(0);
    expect(await count('ticket_search', 'ticket_id')).toBe(0);
    expect((await db.selectFrom('attachments').select('id').where('article_id', 'in', articleIds).execute()).length).toBe(0);
    const values = await db
      .selectFrom('dynamic_field_values as v')
      .innerJoin('dynamic_fields as f', 'f.id', 'v.field_id')
      .select('f.name')
      .where((eb) => eb.or([eb.and([eb('f.object_type', '=', 'ticket'), eb('v.object_id', '=', id)]), eb.and([eb('f.object_type', '=', 'article'), eb('v.object_id', 'in', articleIds)])]))
      .execute();
    expect(values).toEqual([]);
    // The ticket merged into it no longer points at it; the linked one is untouched.
    expect((await db.selectFrom('tickets').select('merged_into_id').where('id', '=', Number(merged.TicketID)).executeTakeFirstOrThrow()).merged_into_id).toBeNull();
    expect(dataOf(await h.gi.get(`/Ticket/${kept.TicketID}`, { SessionID: sid })).Ticket[0].Title).toBe('Kept');
    expect(errorOf(await h.gi.get(`/Ticket/${id}`, { SessionID: sid }), 'TicketGet.AccessDenied')).toBe('TicketGet: User does not have access to the ticket!');
    expect((await h.as.agent!.get(`/api/v1/tickets/${id}`)).status).toBe(404);
  });

  it('lets an administrator delete any ticket, by number too', async () => {
    const keeper = dataOf(await h.gi.post('/TicketCreate', { UserLogin: 'keeper', Password: PW, Ticket: { ...ticket, Queue: 'Vault', Title: 'In the vault' }, Article: article }));
    expect(errorOf(await h.gi.get(`/Ticket/${keeper.TicketID}`, { UserLogin: 'admin', Password: ADMIN_PASSWORD }), 'TicketGet.AccessDenied')).toBe('TicketGet: User does not have access to the ticket!');
    expect(dataOf(await h.gi.call('DELETE', '/TicketDelete', { UserLogin: 'admin', Password: ADMIN_PASSWORD, TicketNumber: keeper.TicketNumber }))).toEqual({});
    expect(errorOf(await h.gi.get(`/Ticket/${keeper.TicketID}`, { UserLogin: 'keeper', Password: PW }), 'TicketGet.AccessDenied')).toBe('TicketGet: User does not have access to the ticket!');
  });

  it('TicketUpdate with IncludeTicketData answers the ticket and its last article when it adds none', async () => {
    await admin().request('PATCH', '/api/v1/webservices/1', {
      operations: {
        ...(await admin().get('/api/v1/webservices/1')).body.operations,
        TicketUpdate: { type: 'Ticket::TicketUpdate', includeTicketData: true },
      },
    });
    const sid = dataOf(await h.gi.post('/SessionCreate', { UserLogin: 'agent', Password: PW })).SessionID;
    const t = dataOf(await h.gi.post('/TicketCreate', { SessionID: sid, Ticket: ticket, Article: article }));
    const res = dataOf(await h.gi.call('PATCH', `/Ticket/${t.TicketID}`, { SessionID: sid, Ticket: { Lock: 'lock', Owner: 'reader' }, DynamicField: { Name: 'Urgency', Value: 'high' } }));
    expect(res).toMatchObject({ TicketID: t.TicketID, TicketNumber: t.TicketNumber, ArticleID: t.ArticleID });
    expect(res.Ticket).toMatchObject({ Lock: 'lock', LockID: '2', Owner: 'reader' });
    expect(res.Ticket.DynamicField).toContainEqual({ Name: 'Urgency', Value: 'high' });
    expect(res.Ticket.Article).toMatchObject({ ArticleID: t.ArticleID });
  });
});
