/**
 * Articles over the REST API: who may add which article, what customers see, sanitised HTML,
 * attachments (bytes, type, length, Content-Disposition, limits), seen/unread per agent, time
 * accounting and customer follow-ups reopening closed tickets. PGlite, and PostgreSQL with
 * TEST_DATABASE_URL.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from './support/db';
import { createDynamicField, historyLines, newTicket, startHelpdesk, type Helpdesk } from './support/tickets';

describe.each(databaseKinds)('articles on %s', (kind) => {
  let h: Helpdesk;
  beforeAll(async () => {
    h = await startHelpdesk(kind, {
      queues: { Sales: 'sales' },
      agents: { writer: { sales: ['rw'] }, other: { sales: ['rw'] }, noter: { sales: ['ro', 'note'] }, reader: { sales: ['ro'] } },
      customers: { alice: 'ACME', bob: 'BETA' },
    });
    await createDynamicField(h.srv, 'Channel', 'text', { objectType: 'article' });
  });
  afterAll(() => h?.close());

  const articlesOf = async (who: string, ticketId: number, query = '') => {
    const res = await h.as[who]!.get(`/api/v1/tickets/${ticketId}/articles${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };

  it('shows customers only the articles visible to them', async () => {
    const t = await newTicket(h.as.writer!, { title: 'Visible?', queue: 'Sales', customerUser: 'alice', article: { channel: 'email', body: 'Dear Alice' } });
    const note = await h.as.writer!.post(`/api/v1/tickets/${t.id}/articles`, { body: 'internal: customer is difficult' });
    expect(note.status, JSON.stringify(note.body)).toBe(201);
    expect(note.body).toMatchObject({ channel: 'note', senderType: 'agent', direction: 'internal', visibleForCustomer: false });
    const forCustomer = await h.as.writer!.post(`/api/v1/tickets/${t.id}/articles`, { channel: 'note', visibleForCustomer: true, body: 'visible note' });
    expect(forCustomer.status).toBe(201);

    const mine = await articlesOf('alice', t.id);
    expect(mine.total).toBe(2);
    expect(mine.items.map((a: any) => a.bodyText)).toEqual(['Dear Alice', 'visible note']);
    expect((await h.as.alice!.get(`/api/v1/articles/${note.body.id}`)).status).toBe(404);
    expect((await h.as.alice!.get(`/api/v1/tickets/${t.id}`)).body.articleCount).toBe(2);
    expect((await articlesOf('writer', t.id)).total).toBe(3);
    expect((await h.as.bob!.get(`/api/v1/articles/${forCustomer.body.id}`)).status).toBe(404);
  });

  it('needs note for notes and rw for other agent articles', async () => {
    const t = await newTicket(h.as.writer!, { title: 'Perms', queue: 'Sales' });
    expect((await h.as.noter!.post(`/api/v1/tickets/${t.id}/articles`, { body: 'a note' })).status).toBe(201);
    const email = await h.as.noter!.post(`/api/v1/tickets/${t.id}/articles`, { channel: 'email', body: 'an answer' });
    expect(email.status).toBe(403);
    expect((await h.as.reader!.post(`/api/v1/tickets/${t.id}/articles`, { body: 'a note' })).status).toBe(403);
    const answer = await h.as.writer!.post(`/api/v1/tickets/${t.id}/articles`, { channel: 'email', to: 'a@b.test', body: 'an answer', timeUnits: 2 });
    expect(answer.body).toMatchObject({ direction: 'outgoing', visibleForCustomer: true, timeUnits: 2 });
    const lines = await historyLines(h.as.writer!, t.id);
    expect(lines).toContain('AddNote');
    expect(lines).toContain('SendAnswer');
    expect(lines).toContain('TimeAccounting timeUnits: 0 → 2');
    expect((await h.as.writer!.get(`/api/v1/tickets/${t.id}`)).body.timeUnits).toBe(2);
  });

  it('stores HTML bodies sanitised, with a text rendering', async () => {
    const t = await newTicket(h.as.writer!, { title: 'HTML', queue: 'Sales' });
    const res = await h.as.writer!.post(`/api/v1/tickets/${t.id}/articles`, {
      contentType: 'text/html',
      body:
        '<p>Hello <b>world</b><script>alert("x")</script></p><img src="x.png" onerror="alert(1)">' +
        '<a href="javascript:alert(2)">bad</a> <a href="https://example.test">good</a><iframe src="https://evil.test"></iframe>' +
        '<div style="background:url(javascript:alert(3))" onmouseover="alert(4)">styled</div>',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const a = (await h.as.writer!.get(`/api/v1/articles/${res.body.id}`)).body;
    expect(a.contentType).toBe('text/html');
    expect(a.bodyHtml).not.toMatch(/script|onerror|onmouseover|javascript:|iframe|style=/i);
    expect(a.bodyHtml).toContain('<b>world</b>');
    expect(a.bodyHtml).toContain('href="https://example.test"');
    expect(a.bodyText).toContain('Hello world');
    expect(a.bodyText).not.toContain('alert');
    // what is stored, not only what is shown
    const stored = await h.srv.database.db.selectFrom('articles').select(['body_html']).where('id', '=', res.body.id).executeTakeFirstOrThrow();
    expect(stored.body_html).toBe(a.bodyHtml);
  });

  it('stores attachments and streams them back with type, length and Content-Disposition', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 3, 255]);
    const text = Buffer.from('Grüße, Welt\n', 'utf8');
    const t = await newTicket(h.as.writer!, {
      title: 'Files',
      queue: 'Sales',
      customerUser: 'alice',
      article: {
        channel: 'email',
        body: 'see attached',
        attachments: [
          { filename: 'Bericht über Ärger.txt', contentType: 'text/plain; charset=utf-8', contentBase64: text.toString('base64') },
          { filename: 'pic.png', contentType: 'image/png', contentBase64: png.toString('base64') },
        ],
        dynamicFields: { Channel: 'mail' },
      },
    });
    const [article] = (await articlesOf('writer', t.id)).items;
    expect(article.dynamicFields).toEqual({ Channel: 'mail' });
    expect(article.attachments).toEqual([
      expect.objectContaining({ position: 1, filename: 'Bericht über Ärger.txt', size: text.length, sha256: createHash('sha256').update(text).digest('hex') }),
      expect.objectContaining({ position: 2, filename: 'pic.png', contentType: 'image/png', size: png.length }),
    ]);
    const get = (who: string, path: string) => fetch(h.srv.url + path, { headers: { cookie: h.as[who]!.cookie! } });

    const r1 = await get('writer', article.attachments[0].url);
    expect(r1.status).toBe(200);
    expect(r1.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(r1.headers.get('content-length')).toBe(String(text.length));
    expect(r1.headers.get('content-disposition')).toBe(
      `attachment; filename="Bericht _ber _rger.txt"; filename*=UTF-8''${encodeURIComponent('Bericht über Ärger.txt')}`,
    );
    expect(Buffer.from(await r1.arrayBuffer())).toEqual(text);

    const r2 = await get('alice', `/api/v1/articles/${article.id}/attachments/2`);
    expect(r2.status).toBe(200);
    expect(r2.headers.get('content-type')).toBe('image/png');
    expect(r2.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(Buffer.from(await r2.arrayBuffer())).toEqual(png);
    expect((await get('writer', `/api/v1/articles/${article.id}/attachments/2?inline=1`)).headers.get('content-disposition')).toMatch(/^inline;/);
    // a text file is never shown inline
    expect((await get('writer', `/api/v1/articles/${article.id}/attachments/1?inline=1`)).headers.get('content-disposition')).toMatch(/^attachment;/);

    expect((await get('writer', `/api/v1/articles/${article.id}/attachments/3`)).status).toBe(404);
    expect((await get('bob', `/api/v1/articles/${article.id}/attachments/1`)).status).toBe(404);
  });

  it('refuses bad base64 and too many attachments, naming the path', async () => {
    const t = await newTicket(h.as.writer!, { title: 'Bad files', queue: 'Sales' });
    const bad = await h.as.writer!.post(`/api/v1/tickets/${t.id}/articles`, {
      body: 'x',
      attachments: [{ filename: 'ok.txt', contentBase64: 'aGVsbG8=' }, { filename: 'bad.txt', contentBase64: 'aGVsbG8' }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toBe('/attachments/1/contentBase64');
    const many = await h.as.writer!.post(`/api/v1/tickets/${t.id}/articles`, {
      body: 'x',
      attachments: Array.from({ length: 21 }, (_, i) => ({ filename: `${i}.txt`, contentBase64: 'eA==' })),
    });
    expect(many.status).toBe(400);
    expect(many.body.error.path).toBe('/attachments');
    expect((await articlesOf('writer', t.id)).total).toBe(1);
  });

  it('keeps read/unread per agent', async () => {
    const t = await newTicket(h.as.writer!, { title: 'Unread', queue: 'Sales' });
    await h.as.writer!.post(`/api/v1/tickets/${t.id}/articles`, { body: 'second' });
    // the author has seen their own articles; the other agent has not
    expect((await h.as.writer!.get(`/api/v1/tickets/${t.id}`)).body.unreadArticleCount).toBe(0);
    expect((await h.as.other!.get(`/api/v1/tickets/${t.id}`)).body.unreadArticleCount).toBe(2);
    const first = await articlesOf('other', t.id);
    expect(first.items.map((a: any) => a.seen)).toEqual([false, false]);
    expect((await h.as.other!.post(`/api/v1/articles/${first.items[0].id}/seen`)).status).toBe(204);
    expect((await h.as.other!.get(`/api/v1/tickets/${t.id}`)).body.unreadArticleCount).toBe(1);
    const marked = await articlesOf('other', t.id, '?markSeen=true');
    expect(marked.items.map((a: any) => a.seen)).toEqual([true, false]); // as it was before this request
    expect((await articlesOf('other', t.id)).items.map((a: any) => a.seen)).toEqual([true, true]);
    expect((await h.as.other!.get(`/api/v1/tickets/${t.id}`)).body.unreadArticleCount).toBe(0);
    expect((await h.as.reader!.get(`/api/v1/tickets/${t.id}`)).body.unreadArticleCount).toBe(2);
  });

  it('reopens a closed ticket on a customer follow-up, which is always a visible portal article', async () => {
    const t = await newTicket(h.as.writer!, { title: 'Closed', queue: 'Sales', customerUser: 'alice', state: 'closed successful' });
    const res = await h.as.alice!.post(`/api/v1/tickets/${t.id}/articles`, { channel: 'note', visibleForCustomer: false, body: 'It is broken again' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ channel: 'portal', senderType: 'customer', visibleForCustomer: true, createdBy: { kind: 'customer', id: h.customers.alice } });
    expect((await h.as.writer!.get(`/api/v1/tickets/${t.id}`)).body.state.name).toBe('open');
    const lines = await historyLines(h.as.writer!, t.id);
    expect(lines).toContain('FollowUp');
    expect(lines).toContain('StateUpdate state: closed successful → open');
    expect((await h.as.alice!.post(`/api/v1/tickets/${t.id}/articles`, { body: 'x', timeUnits: 3 })).status).toBe(403);
  });
});
