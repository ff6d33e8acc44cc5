/**
 * Large article bodies must not hold the server's one event loop (a 9.9 MB HTML ticket from a
 * self-registered customer stopped every other request for 12–42 s): a body over MAX_ARTICLE_BYTES
 * is refused with 413 naming the field and the limit, on every way in (REST, portal, Generic
 * Interface, process dialogs), and a large HTML body is sanitised in a worker thread while other
 * requests are answered. Runs on PGlite, and on PostgreSQL when TEST_DATABASE_URL is set.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { renderPoolStats } from '../server/articles/render';
import { databaseKinds } from './support/db';
import { dataOf, errorOf, PW, startGiHelpdesk, type GiHelpdesk } from './support/generic-interface';
import { countRows, newTicket } from './support/tickets';

const LIMIT = 2 * 1024 * 1024; // the default of MAX_ARTICLE_BYTES

describe.each(databaseKinds)('article body limits on %s', (kind) => {
  let h: GiHelpdesk;
  beforeAll(async () => {
    h = await startGiHelpdesk(kind);
  }, 180_000);
  afterAll(() => h?.close());

  const ticket = { title: 'Big', queue: 'Sales', customerUser: 'alice' };
  // LIMIT characters, one byte over the limit in UTF-8 (ü is two bytes).
  const tooBig = `<p>${'x'.repeat(LIMIT - 8)}ü</p>`;

  it('refuses an article body over MAX_ARTICLE_BYTES on REST, the portal and the Generic Interface, naming the field and the limit, storing nothing', async () => {
    expect([tooBig.length, Buffer.byteLength(tooBig)]).toEqual([LIMIT, LIMIT + 1]);
    const before = { tickets: await countRows(h.srv, 'tickets'), articles: await countRows(h.srv, 'articles') };
    const created = await h.as.agent!.post('/api/v1/tickets', { ...ticket, article: { body: tooBig, contentType: 'text/html' } });
    expect(created.status).toBe(413);
    expect(created.body.error).toMatchObject({ code: 'ARTICLE_TOO_LARGE', path: '/article/body', message: expect.stringContaining(`at most ${LIMIT} bytes`) });

    const portal = await h.as.alice!.post('/api/v1/tickets', { title: 'Big', article: { body: tooBig, contentType: 'text/html' } });
    expect(portal.status).toBe(413);
    expect(portal.body.error).toMatchObject({ code: 'ARTICLE_TOO_LARGE', path: '/article/body' });

    const t = await newTicket(h.as.agent!, ticket);
    const before2 = await countRows(h.srv, 'articles');
    const added = await h.as.agent!.post(`/api/v1/tickets/${t.id}/articles`, { body: tooBig });
    expect(added.status).toBe(413);
    expect(added.body.error).toMatchObject({ code: 'ARTICLE_TOO_LARGE', path: '/body', message: expect.stringContaining('MAX_ARTICLE_BYTES') });
    const followUp = await h.as.alice!.post(`/api/v1/tickets/${t.id}/articles`, { body: tooBig });
    expect(followUp.status).toBe(413);
    expect(await countRows(h.srv, 'articles')).toBe(before2);

    const sid = dataOf(await h.gi.post('/SessionCreate', { UserLogin: 'agent', Password: PW })).SessionID;
    const gi = await h.gi.post('/TicketCreate', {
      SessionID: sid,
      Ticket: { Title: 'Big', Queue: 'Sales', State: 'new', Priority: '3 normal', CustomerUser: 'alice' },
      Article: { Subject: 's', Body: tooBig, ContentType: 'text/html; charset=utf-8' },
    });
    expect(errorOf(gi, 'TicketCreate.InvalidParameter')).toContain(`at most ${LIMIT} bytes`);
    const giUpdate = await h.gi.post('/TicketUpdate', { SessionID: sid, TicketID: String(t.id), Article: { Subject: 's', Body: tooBig, ContentType: 'text/plain; charset=utf-8' } });
    expect(errorOf(giUpdate, 'TicketUpdate.InvalidParameter')).toContain('MAX_ARTICLE_BYTES');

    expect(await countRows(h.srv, 'tickets')).toBe(before.tickets + 1);
    expect(await countRows(h.srv, 'articles')).toBe(before.articles + 1);
    // A body at the limit is taken.
    const atLimit = await h.as.agent!.post(`/api/v1/tickets/${t.id}/articles`, { body: 'y'.repeat(LIMIT) });
    expect(atLimit.status).toBe(201);
  }, 180_000);

  it('indexes a ticket whose articles hold megabytes of distinct words (the search document is capped; was a 500 from PostgreSQL\'s tsvector limit)', async () => {
    const words = (prefix: string) => Array.from({ length: 230_000 }, (_, i) => `${prefix}${i.toString(36)}`).join(' ').slice(0, LIMIT);
    const t = await newTicket(h.as.agent!, { ...ticket, article: { body: `firstword ${words('a')}` } });
    const more = await h.as.agent!.post(`/api/v1/tickets/${t.id}/articles`, { body: words('b') });
    expect(more.status, JSON.stringify(more.body).slice(0, 300)).toBe(201);
    const found = await h.as.agent!.post('/api/v1/tickets/search', { query: 'firstword' });
    expect(found.body.items.map((x: { id: number }) => x.id)).toContain(t.id);
  }, 180_000);

  it('sanitises a large HTML body in a worker thread while the server keeps answering other requests', async () => {
    // Deeply nested tables: the sanitiser's cost grows faster than the size (this one takes seconds).
    const hostile = `<script>alert(1)</script>${'<table><tr><td>'.repeat(15_000)}needle-word`;
    const runs = renderPoolStats().runs;
    let done = false;
    const pending = h.as.alice!.post('/api/v1/tickets', { title: 'Nested', article: { body: hostile, contentType: 'text/html' } }).finally(() => {
      done = true;
    });
    await vi.waitFor(() => expect(renderPoolStats().busy).toBeGreaterThan(0), { timeout: 60_000, interval: 5 });
    // While the worker sanitises, a request that reads the database is answered.
    const health = await fetch(`${h.srv.url}/healthz`);
    expect(health.status).toBe(200);
    expect(done).toBe(false);
    const created = await pending;
    expect(created.status, JSON.stringify(created.body).slice(0, 500)).toBe(201);
    expect(renderPoolStats().runs).toBe(runs + 1);
    const articles = await h.as.alice!.get(`/api/v1/tickets/${created.body.id}/articles`);
    const a = articles.body.items[0];
    expect(a.bodyHtml).not.toContain('script');
    expect(a.bodyHtml).toContain('<table>');
    expect(a.bodyText).toContain('needle-word');
    // A small HTML body is sanitised inline, without the pool.
    const small = await h.as.alice!.post('/api/v1/tickets', { title: 'Small', article: { body: '<p onclick="x()">Hi</p>', contentType: 'text/html' } });
    expect(small.status).toBe(201);
    expect(renderPoolStats().runs).toBe(runs + 1);
  }, 180_000);
});
