/**
 * Knowledge base, agent and customer side: articles are sanitised, every change is a revision
 * (history, diff, restore), search ranks and highlights with the ticket search's syntax, suggestions
 * follow typing, votes count once per voter, "solved" records a deflected ticket, and a category
 * exports and imports as JSON.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Access } from '../server/access/access';
import { applyActions } from '../server/engine/actions';
import { contextFor } from '../server/tickets/context';
import { databaseKinds } from './support/db';
import { insertTicket } from './support/search-data';
import { createAgent, createGroup } from './support/fixtures';
import { ADMIN_PASSWORD, Client, startTestServer, type TestServer } from './support/server';

describe.each(databaseKinds)('knowledge base on %s', (kind) => {
  let server: TestServer;
  let admin: Client;
  let writer: Client;
  let category = 0;

  beforeAll(async () => {
    server = await startTestServer(kind);
    await createGroup(server.database.db, 'kb');
    await createAgent(server.database.db, 'writer', 'pw', { groups: { kb: ['rw'] } });
    admin = new Client(server.url);
    await admin.login('admin', ADMIN_PASSWORD);
    writer = new Client(server.url);
    await writer.login('writer', 'pw');
    category = (await admin.post('/api/v1/kb/categories', { name: 'Printers', group: 'kb' })).body.id;
  });
  afterAll(() => server?.close());

  const write = async (body: Record<string, unknown>) => {
    const r = await writer.post('/api/v1/kb/articles', { categoryId: category, state: 'public', ...body });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.id as number;
  };

  it('sanitises sections with the article sanitiser and keeps the internal comment from the public', async () => {
    const id = await write({ title: 'Paper jam', solution: '<p onclick="x()">Pull the <b>tray</b><script>alert(1)</script> <a href="javascript:x">here</a></p>', comment: 'ask Bob first' });
    const view = (await writer.get(`/api/v1/kb/articles/${id}`)).body;
    expect(view.solution).toBe('<p>Pull the <b>tray</b> <a>here</a></p>');
    expect(view.comment).toBe('ask Bob first');
    expect(view.createdBy).toBe('writer Tester');
    const pub = (await new Client(server.url).get(`/api/v1/kb/articles/${id}`)).body;
    expect(pub.comment).toBeUndefined();
    expect(pub.createdBy).toBeUndefined();
  });

  it('records every change as a revision, diffs two revisions and restores an old one', async () => {
    const id = await write({ title: 'Toner low', solution: '<p>Shake the cartridge.</p><p>Close the lid.</p>' });
    expect((await writer.put(`/api/v1/kb/articles/${id}`, { title: 'Toner low', categoryId: category, state: 'external', solution: '<p>Replace the cartridge.</p><p>Close the lid.</p>', note: 'better advice' })).status).toBe(204);
    const history = (await writer.get(`/api/v1/kb/articles/${id}/revisions`)).body.items;
    expect(history.map((r: { revision: number; note: string; state: string }) => [r.revision, r.note, r.state])).toEqual([[2, 'better advice', 'external'], [1, 'Created.', 'public']]);
    const diff = (await writer.get(`/api/v1/kb/articles/${id}/diff?from=1&to=2`)).body;
    expect(diff.fields.map((f: { field: string }) => f.field)).toEqual(['state', 'solution']);
    expect(diff.fields[1].lines).toEqual([
      { op: 'del', text: 'Shake the cartridge.' },
      { op: 'add', text: 'Replace the cartridge.' },
      { op: 'same', text: 'Close the lid.' },
    ]);
    expect((await writer.post(`/api/v1/kb/articles/${id}/revisions/1/restore`)).status).toBe(204);
    const now = (await writer.get(`/api/v1/kb/articles/${id}`)).body;
    expect([now.revision, now.state, now.solution]).toEqual([3, 'public', '<p>Shake the cartridge.</p><p>Close the lid.</p>']);
    expect((await writer.get(`/api/v1/kb/articles/${id}/revisions`)).body.items[0].note).toBe('Restored revision 1.');
    // The search document follows the current revision.
    const found = (await writer.get('/api/v1/kb/articles?query=shake')).body.items.map((i: { id: number }) => i.id);
    expect(found).toContain(id);
    expect((await writer.get(`/api/v1/kb/articles/${id}/diff?from=1&to=9`)).status).toBe(404);
  });

  it('ranks title matches first, highlights the words, and takes the ticket search syntax', async () => {
    const a = await write({ title: 'Scanner offline', body: '<p>The scanner shows offline after sleep. Restart the scanner.</p>' });
    const b = await write({ title: 'Network basics', body: '<p>A scanner may need a fixed address & <b>care</b>.</p>' });
    const r = (await writer.get('/api/v1/kb/articles?query=scanner')).body;
    expect(r.items.map((i: { id: number }) => i.id)).toEqual([a, b]);
    expect(r.items[0].excerpt).toContain('<mark>scanner</mark>');
    expect(r.items[1].excerpt).toContain('&#38;');
    expect(r.items[1].excerpt).not.toContain('<b>');
    expect((await writer.get('/api/v1/kb/articles?query=scanner%20-offline')).body.items.map((i: { id: number }) => i.id)).toEqual([b]);
    expect((await writer.get('/api/v1/kb/articles?query=%22fixed%20address%22')).body.total).toBe(1);
    const bad = await writer.get('/api/v1/kb/articles?query=%22open');
    expect([bad.status, bad.body.error.code, bad.body.error.path]).toEqual([400, 'QUERY_SYNTAX', '/query']);
    // Suggestions while typing: the last, unfinished word counts as a prefix.
    const s = (await new Client(server.url).get(`/api/v1/kb/suggestions?text=${encodeURIComponent('my scan')}`)).body.items;
    expect(s.map((i: { id: number }) => i.id)).toEqual([a, b]);
  });

  it('counts one vote per voter, lets a voter change it, and records a deflected ticket', async () => {
    const id = await write({ title: 'Vote me', body: '<p>x</p>' });
    const anon = new Client(server.url);
    const first = await anon.post(`/api/v1/kb/articles/${id}/vote`, { helpful: true });
    expect(first.body).toEqual({ helpfulYes: 1, helpfulNo: 0, myVote: true });
    const cookie = first.headers.getSetCookie().find((h) => h.startsWith('hd_kb_voter='))!.split(';')[0]!;
    const again = await anon.post(`/api/v1/kb/articles/${id}/vote`, { helpful: false }, { cookie });
    expect(again.body).toEqual({ helpfulYes: 0, helpfulNo: 1, myVote: false });
    expect((await anon.get(`/api/v1/kb/articles/${id}`, { cookie })).body.myVote).toBe(false);
    expect((await writer.post(`/api/v1/kb/articles/${id}/vote`, { helpful: true })).body).toEqual({ helpfulYes: 1, helpfulNo: 1, myVote: true });
    expect((await writer.post(`/api/v1/kb/articles/${id}/vote`, { helpful: true })).body).toEqual({ helpfulYes: 1, helpfulNo: 1, myVote: true });
    expect((await anon.post(`/api/v1/kb/articles/${id}/solved`, { subject: 'cannot vote' })).status).toBe(204);
    const rows = await server.database.db.selectFrom('kb_deflections').select(['article_id', 'subject']).execute();
    expect(rows).toEqual([{ article_id: id, subject: 'cannot vote' }]);
  });

  it('exports a category as JSON and imports it again, all or nothing', async () => {
    const sub = (await admin.post('/api/v1/kb/categories', { name: 'Lasers', group: 'kb', parentId: category })).body.id;
    await writer.post('/api/v1/kb/articles', { categoryId: sub, state: 'internal', title: 'Laser fuser', body: '<p>hot</p>' });
    const exp = (await writer.get(`/api/v1/kb/categories/${category}/export`)).body;
    expect(exp.format).toBe('helpdesk-kb/1');
    expect(exp.categories.map((c: { name: string }) => c.name)).toEqual(['Printers', 'Lasers']);
    expect(exp.articles.some((a: { title: string }) => a.title === 'Laser fuser')).toBe(true);
    const target = (await admin.post('/api/v1/kb/categories', { name: 'Imported', group: 'kb' })).body.id;
    const bad = await admin.post('/api/v1/kb/categories/import', { ...exp, parentId: target, articles: [...exp.articles, { categoryKey: 'nope', title: 'x', state: 'public' }] });
    expect([bad.status, bad.body.error.path]).toEqual([400, `/articles/${exp.articles.length}/categoryKey`]);
    expect((await writer.get('/api/v1/kb/categories')).body.items.length).toBe(3);
    const ok = await admin.post('/api/v1/kb/categories/import', { ...exp, parentId: target });
    expect(ok.body).toEqual({ categories: 2, articles: exp.articles.length });
    const tree = (await writer.get('/api/v1/kb/categories')).body.items;
    expect(tree.filter((c: { name: string }) => c.name === 'Lasers').length).toBe(2);
    expect((await writer.get('/api/v1/kb/articles?query=fuser')).body.total).toBe(2);
  });

  it('a process answers a ticket with a knowledge-base article, never with an internal one to the customer', async () => {
    const db = server.database.db;
    const pub = await write({ title: 'Reset the router', solution: '<p>Hold the reset button for ten seconds.</p>' });
    const internal = await write({ title: 'Router admin password', state: 'internal', body: '<p>hunter2</p>' });
    const ticketId = await insertTicket(db, { title: 'Internet down' });
    const admin = await db.selectFrom('agents').select(['id', 'login']).where('login', '=', 'admin').executeTakeFirstOrThrow();
    const run = (actions: Parameters<typeof applyActions>[2]) =>
      db.transaction().execute((trx) => applyActions(contextFor(trx, Access.system(trx, { kind: 'agent', id: admin.id, login: admin.login, via: 'token' }), server.services), ticketId, actions));
    await run([{ type: 'KbArticleInsert', article: pub, intro: 'Hello,', visibleForCustomer: true }]);
    const last = await db.selectFrom('articles').select(['subject', 'body_text', 'visible_for_customer']).where('ticket_id', '=', ticketId).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(last).toEqual({ subject: 'Reset the router', body_text: 'Hello,\n\nReset the router\n\nHold the reset button for ten seconds.', visible_for_customer: true });
    expect(await db.selectFrom('kb_links').select('article_id').where('ticket_id', '=', ticketId).execute()).toEqual([{ article_id: pub }]);
    await expect(run([{ type: 'KbArticleInsert', article: internal, visibleForCustomer: true }])).rejects.toThrow(/not one customers may read/);
    await run([{ type: 'KbArticleInsert', article: internal, mode: 'link', channel: 'internal' }]);
    const note = await db.selectFrom('articles').select(['body_text', 'visible_for_customer']).where('ticket_id', '=', ticketId).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(note).toEqual({ body_text: `Router admin password: /agent/kb/${internal}`, visible_for_customer: false });
  });
});
