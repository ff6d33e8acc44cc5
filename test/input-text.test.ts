/**
 * Text the database cannot store, refused at the edge: a NUL character (`\u0000`), a lone UTF-16
 * surrogate and bytes that are not UTF-8, in bodies, query strings and path parameters of the
 * native API (also before login) and of the Generic Interface. Each answers a 400 naming where it
 * was, never a 500; nothing is written. JSON sent with another content type is a 415 on `/api/v1`
 * (the Generic Interface stays as lenient as OTOBO). PGlite, and PostgreSQL with TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from './support/db';
import { dataOf, PW, startGiHelpdesk, type GiHelpdesk } from './support/generic-interface';
import { Client } from './support/server';
import { countRows } from './support/tickets';

const NUL = '\u0000';
const LONE = '\ud800';

describe.each(databaseKinds)('text the database cannot store, on %s', (kind) => {
  let h: GiHelpdesk;
  let sid: string;
  const anon = () => new Client(h.srv.url);

  beforeAll(async () => {
    h = await startGiHelpdesk(kind);
    sid = dataOf(await h.gi.post('/SessionCreate', { UserLogin: 'agent', Password: PW })).SessionID;
  });
  afterAll(() => h?.close());

  /** Native API calls with a bad character somewhere; `path` is where the answer must point. */
  const native: { name: string; as: 'anon' | 'admin' | 'agent' | 'alice'; method: string; url: string; body?: (bad: string) => unknown; urlWith?: (bad: string) => string; path: string }[] = [
    { name: 'agent login', as: 'anon', method: 'POST', url: '/api/v1/auth/login', body: (x) => ({ login: `agent${x}`, password: PW }), path: '/login' },
    { name: 'agent login password', as: 'anon', method: 'POST', url: '/api/v1/auth/login', body: (x) => ({ login: 'agent', password: `p${x}` }), path: '/password' },
    { name: 'customer login', as: 'anon', method: 'POST', url: '/api/v1/auth/customer/login', body: (x) => ({ login: `alice${x}`, password: PW }), path: '/login' },
    { name: 'password reset', as: 'anon', method: 'POST', url: '/api/v1/auth/customer/password-reset', body: (x) => ({ email: `a${x}@customer.test` }), path: '/email' },
    { name: 'password reset confirm', as: 'anon', method: 'POST', url: '/api/v1/auth/customer/password-reset/confirm', body: (x) => ({ token: `t${x}`, password: 'Long-enough-1' }), path: '/token' },
    { name: 'ticket title', as: 'agent', method: 'POST', url: '/api/v1/tickets', body: (x) => ({ title: `T${x}`, queue: 'Sales', article: { body: 'b' } }), path: '/title' },
    { name: 'article body', as: 'agent', method: 'POST', url: '/api/v1/tickets', body: (x) => ({ title: 'T', queue: 'Sales', article: { body: `b${x}` } }), path: '/article/body' },
    { name: 'portal ticket', as: 'alice', method: 'POST', url: '/api/v1/tickets', body: (x) => ({ title: `T${x}`, article: { body: 'b' } }), path: '/title' },
    { name: 'search body', as: 'admin', method: 'POST', url: '/api/v1/tickets/search', body: (x) => ({ query: `q${x}` }), path: '/query' },
    { name: 'object key', as: 'admin', method: 'POST', url: '/api/v1/tickets/search', body: (x) => ({ [`q${x}`]: 'x' }), path: `/q${'\u0000'}` },
    { name: 'script name', as: 'admin', method: 'POST', url: '/api/v1/scripts', body: (x) => ({ name: `s${x}`, source: 'return {}' }), path: '/name' },
    { name: 'search query string', as: 'admin', method: 'GET', url: '', urlWith: (x) => `/api/v1/tickets?query=${encodeURIComponent(`q${x}`)}`, path: 'query' },
    { name: 'query string key', as: 'admin', method: 'GET', url: '', urlWith: (x) => `/api/v1/tickets?${encodeURIComponent(`q${x}`)}=1`, path: 'q\\u0000' },
    { name: 'path parameter', as: 'admin', method: 'GET', url: '', urlWith: (x) => `/api/v1/scripts/${encodeURIComponent(`s${x}`)}`, path: 'name' },
  ];

  const clientFor = async (who: 'anon' | 'admin' | 'agent' | 'alice') => (who === 'anon' ? anon() : h.as[who]!);

  it.each(native)('a NUL in $name is a 400 naming it, never a 500', async (t) => {
    const before = await countRows(h.srv, 'tickets');
    const c = await clientFor(t.as);
    const res = t.body ? await c.request(t.method, t.url, t.body(NUL)) : await c.request(t.method, t.urlWith!(NUL));
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.code).toBe('INVALID_CHARACTER');
    expect(res.body.error.message).toMatch(/NUL/);
    if (t.body) expect(res.body.error.path).toBe(t.path.replace(NUL, '\\u0000'));
    else expect(res.body.error.path).toBe(t.path);
    expect(await countRows(h.srv, 'tickets')).toBe(before);
  });

  it.each(native.filter((t) => t.body))('a lone surrogate in $name is a 400 naming it', async (t) => {
    const c = await clientFor(t.as);
    const res = await c.request(t.method, t.url, t.body!(LONE));
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.code).toBe('INVALID_CHARACTER');
    expect(res.body.error.message).toMatch(/lone surrogate/);
    expect(res.body.error.path).toBe(t.path.replace(NUL, '\\ud800'));
  });

  it('refuses a body that is not UTF-8 instead of storing U+FFFD', async () => {
    const before = await countRows(h.srv, 'tickets');
    const bytes = Buffer.concat([Buffer.from('{"title":"caf'), Buffer.from([0xe9]), Buffer.from('","queue":"Sales","article":{"body":"b"}}')]);
    const res = await fetch(h.srv.url + '/api/v1/tickets', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: h.as.admin!.cookie!, 'x-csrf-token': h.as.admin!.csrf! },
      body: bytes,
    });
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(res.status).toBe(400);
    expect(body.error.code).toBe('INVALID_UTF8');
    expect(body.error.message).toMatch(/not valid UTF-8.*byte 13/);
    expect(await countRows(h.srv, 'tickets')).toBe(before);
  });

  it('answers JSON sent as another content type with 415 on /api/v1', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await anon().request('POST', '/api/v1/auth/login', JSON.stringify({ login: 'agent', password: PW }), { 'content-type': type });
      expect(res.status, type).toBe(415);
      expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(res.body.error.message).toMatch(/application\/json/);
    }
    // JSON with a charset or a +json type is fine.
    for (const type of ['application/json; charset=utf-8', 'application/vnd.api+json', 'Application/JSON']) {
      const res = await anon().request('POST', '/api/v1/auth/login', JSON.stringify({ login: 'agent', password: PW }), { 'content-type': type });
      expect(res.status, type).toBe(200);
    }
  });

  it('ignores a NUL in the session cookie', async () => {
    const res = await anon().get('/api/v1/auth/me', { cookie: 'hd_session=a%00b' });
    expect(res.status).toBe(401);
  });

  describe('Generic Interface', () => {
    const gi: { name: string; call: (bad: string) => ReturnType<GiHelpdesk['gi']['post']>; where: string }[] = [
      { name: 'SessionCreate login', call: (x) => h.gi.post('/SessionCreate', { UserLogin: `agent${x}`, Password: PW }), where: 'UserLogin' },
      { name: 'SessionCreate password', call: (x) => h.gi.post('/SessionCreate', { UserLogin: 'agent', Password: `p${x}` }), where: 'Password' },
      {
        name: 'TicketCreate title',
        call: (x) => h.gi.post('/TicketCreate', { SessionID: sid, Ticket: { Title: `T${x}`, Queue: 'Sales', State: 'new', Priority: '3 normal', CustomerUser: 'alice' }, Article: { Subject: 's', Body: 'b', ContentType: 'text/plain; charset=utf-8' } }),
        where: 'Ticket/Title',
      },
      {
        name: 'TicketCreate article body',
        call: (x) => h.gi.post('/TicketCreate', { SessionID: sid, Ticket: { Title: 'T', Queue: 'Sales', State: 'new', Priority: '3 normal', CustomerUser: 'alice' }, Article: [{ Subject: 's', Body: `b${x}`, ContentType: 'text/plain' }] }),
        where: 'Article/0/Body',
      },
      { name: 'TicketSearch query string', call: (x) => h.gi.get('/TicketSearch', { SessionID: sid, Title: `T${x}` }), where: 'Title' },
      { name: 'TicketSearch body', call: (x) => h.gi.post('/TicketSearch', { SessionID: sid, Title: `T${x}` }), where: 'Title' },
    ];

    it.each(gi)('a NUL in $name is a 400 in the envelope naming it', async (t) => {
      const before = await countRows(h.srv, 'tickets');
      const res = await t.call(NUL);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.Error.ErrorCode).toBe('Webservice.InvalidParameter');
      expect(res.body.Error.ErrorMessage).toContain(t.where);
      expect(res.body.Error.ErrorMessage).toMatch(/NUL/);
      expect(await countRows(h.srv, 'tickets')).toBe(before);
    });

    it('a lone surrogate in a body is a 400 naming it', async () => {
      const res = await h.gi.post('/SessionCreate', { UserLogin: `agent${LONE}`, Password: PW });
      expect(res.status).toBe(400);
      expect(res.body.Error.ErrorMessage).toMatch(/UserLogin.*lone surrogate/);
    });

    it('a body that is not UTF-8 is a 400', async () => {
      const bytes = Buffer.concat([Buffer.from('{"UserLogin":"ag'), Buffer.from([0xff, 0xfe]), Buffer.from(`ent","Password":"${PW}"}`)]);
      const res = await fetch(h.gi.url('/SessionCreate'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: bytes });
      const body = (await res.json()) as { Error: { ErrorCode: string; ErrorMessage: string } };
      expect(res.status).toBe(400);
      expect(body.Error.ErrorCode).toBe('Webservice.InvalidJSON');
      expect(body.Error.ErrorMessage).toMatch(/not valid UTF-8/);
    });

    it('stays as lenient as OTOBO about the content type', async () => {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=UTF-8']) {
        const res = await h.gi.post('/SessionCreate', JSON.stringify({ UserLogin: 'agent', Password: PW }), { headers: { 'content-type': type } });
        expect(dataOf(res).SessionID, type).toBeTruthy();
      }
    });
  });
});

describe.each(databaseKinds)('the database refusing text is a 400, never a 500, on %s', (kind) => {
  let h: GiHelpdesk;
  beforeAll(async () => {
    h = await startGiHelpdesk(kind);
  });
  afterAll(() => h?.close());

  it('a process file with a NUL (read as a file, not through the JSON body check) is a 400', async () => {
    const doc = { format: 'process/1', key: 'nul-proc', name: `Name${NUL}`, nodes: [{ id: 's', type: 'startEvent' }, { id: 'e', type: 'endEvent' }], transitions: [{ id: 't', from: 's', to: 'e' }] };
    const res = await h.as.admin!.request('POST', '/api/v1/processes/import', JSON.stringify(doc), { 'content-type': 'application/json' });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.code).toBe('INVALID_CHARACTER');
  });
});
