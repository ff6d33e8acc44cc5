/**
 * Merge, links and split over the REST API. PGlite, and PostgreSQL with TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from './support/db';
import { historyLines, newTicket, startHelpdesk, type Helpdesk } from './support/tickets';

describe.each(databaseKinds)('merge, links and split on %s', (kind) => {
  let h: Helpdesk;
  beforeAll(async () => {
    h = await startHelpdesk(kind, {
      queues: { Sales: 'sales', Support: 'support' },
      agents: { writer: { sales: ['rw'], support: ['rw'] }, reader: { sales: ['ro'] }, salesOnly: { sales: ['rw'] } },
      customers: { alice: 'ACME' },
    });
  });
  afterAll(() => h?.close());

  it('merges A into B: A is merged, its articles are reachable from B, and it cannot be undone', async () => {
    const a = await newTicket(h.as.writer!, { title: 'Ticket A', queue: 'Sales', customerUser: 'alice', article: { channel: 'email', body: 'A first' } });
    await h.as.writer!.post(`/api/v1/tickets/${a.id}/articles`, { body: 'A note' });
    await h.as.writer!.post(`/api/v1/tickets/${a.id}/watch`);
    const b = await newTicket(h.as.writer!, { title: 'Ticket B', queue: 'Support', article: { body: 'B first' } });

    const res = await h.as.writer!.post(`/api/v1/tickets/${a.id}/merge`, { targetTicketNumber: b.number });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.movedArticles).toBe(2);
    expect(res.body.source).toMatchObject({ state: { name: 'merged', type: 'merged' }, mergedInto: { id: b.id, number: b.number } });

    const bArticles = (await h.as.writer!.get(`/api/v1/tickets/${b.id}/articles`)).body.items;
    expect(bArticles.map((x: any) => x.bodyText)).toEqual(['A first', 'A note', 'B first']);
    expect(bArticles[0].originalTicketId).toBe(a.id);
    expect(bArticles[2].originalTicketId).toBe(null);
    const aArticles = (await h.as.writer!.get(`/api/v1/tickets/${a.id}/articles`)).body.items;
    expect(aArticles).toHaveLength(1);
    expect(aArticles[0].bodyText).toContain(b.number);
    // The customer of A still sees where the ticket went.
    const forAlice = (await h.as.alice!.get(`/api/v1/tickets/${a.id}/articles`)).body.items;
    expect(forAlice.map((x: any) => x.subject)).toEqual(['Ticket merged']);
    expect((await h.as.alice!.post(`/api/v1/tickets/${a.id}/articles`, { body: 'hello?' })).body.error.code).toBe('TICKET_MERGED');

    const bView = (await h.as.writer!.get(`/api/v1/tickets/${b.id}`)).body;
    expect(bView.watchers.map((w: any) => w.login)).toEqual(['writer']);
    expect(bView.links).toEqual([expect.objectContaining({ type: 'parent-child', role: 'child', ticket: expect.objectContaining({ id: a.id }) })]);
    expect(await historyLines(h.as.writer!, a.id)).toEqual(expect.arrayContaining([`Merged mergedInto: - → ${b.number}`, 'StateUpdate state: new → merged']));
    expect(await historyLines(h.as.writer!, b.id)).toContain(`Merged mergedFrom: - → ${a.number}`);

    // Full-text documents follow the articles.
    const doc = await h.srv.database.db.selectFrom('ticket_search').select('content').where('ticket_id', '=', b.id).executeTakeFirstOrThrow();
    expect(doc.content).toContain('A first');

    const again = await h.as.writer!.post(`/api/v1/tickets/${a.id}/merge`, { targetTicketId: b.id });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_MERGED');
    const c = await newTicket(h.as.writer!, { title: 'Ticket C', queue: 'Sales' });
    expect((await h.as.writer!.post(`/api/v1/tickets/${c.id}/merge`, { targetTicketId: a.id })).body.error.code).toBe('TARGET_MERGED');
    const self = await h.as.writer!.post(`/api/v1/tickets/${c.id}/merge`, { targetTicketId: c.id });
    expect(self.status).toBe(400);
    expect(self.body.error.path).toBe('/targetTicketId');
    expect((await h.as.writer!.request('PATCH', `/api/v1/tickets/${c.id}`, { state: 'merged' })).status).toBe(400);
  });

  it('needs rw on both tickets to merge', async () => {
    const a = await newTicket(h.as.writer!, { title: 'A', queue: 'Sales', owner: 'writer' });
    const b = await newTicket(h.as.writer!, { title: 'B', queue: 'Support', owner: 'writer' });
    // salesOnly cannot see B at all: the target is "unknown"
    const r1 = await h.as.salesOnly!.post(`/api/v1/tickets/${a.id}/merge`, { targetTicketId: b.id });
    expect(r1.status).toBe(400);
    expect(r1.body.error.path).toBe('/targetTicketId');
    // reader can see A but not write it
    const c = await newTicket(h.as.writer!, { title: 'C', queue: 'Sales', owner: 'writer' });
    expect((await h.as.reader!.post(`/api/v1/tickets/${a.id}/merge`, { targetTicketId: c.id })).status).toBe(403);
    expect((await h.as.writer!.get(`/api/v1/tickets/${a.id}`)).body.state.name).toBe('new');
  });

  it('links tickets both ways and removes links from either side', async () => {
    const p = await newTicket(h.as.writer!, { title: 'Parent', queue: 'Sales' });
    const k = await newTicket(h.as.writer!, { title: 'Child', queue: 'Sales' });
    const n = await newTicket(h.as.writer!, { title: 'Neighbour', queue: 'Sales' });
    const pc = await h.as.writer!.post(`/api/v1/tickets/${p.id}/links`, { targetTicketId: k.id, type: 'parent-child', role: 'child' });
    expect(pc.status, JSON.stringify(pc.body)).toBe(201);
    expect(pc.body).toMatchObject({ type: 'parent-child', role: 'child', ticket: { id: k.id, number: k.number, title: 'Child' } });
    const nl = await h.as.writer!.post(`/api/v1/tickets/${k.id}/links`, { targetTicketId: n.id });
    expect(nl.body).toMatchObject({ type: 'normal', role: 'normal' });

    const fromChild = (await h.as.writer!.get(`/api/v1/tickets/${k.id}/links`)).body.items;
    expect(fromChild.map((l: any) => [l.ticket.title, l.role])).toEqual([['Parent', 'parent'], ['Neighbour', 'normal']]);
    const fromNeighbour = (await h.as.reader!.get(`/api/v1/tickets/${n.id}/links`)).body.items;
    expect(fromNeighbour.map((l: any) => [l.ticket.title, l.role])).toEqual([['Child', 'normal']]);

    expect((await h.as.writer!.post(`/api/v1/tickets/${n.id}/links`, { targetTicketId: k.id })).status).toBe(409);
    expect((await h.as.writer!.post(`/api/v1/tickets/${n.id}/links`, { targetTicketId: n.id })).status).toBe(400);
    expect((await h.as.reader!.post(`/api/v1/tickets/${n.id}/links`, { targetTicketId: p.id })).status).toBe(403);

    expect(await historyLines(h.as.writer!, k.id)).toEqual(expect.arrayContaining([`TicketLinkAdd link: - → ${p.number}`, `TicketLinkAdd link: - → ${n.number}`]));
    expect((await h.as.writer!.delete(`/api/v1/tickets/${n.id}/links/${nl.body.id}`)).status).toBe(204);
    expect((await h.as.writer!.get(`/api/v1/tickets/${k.id}/links`)).body.items).toHaveLength(1);
    expect(await historyLines(h.as.writer!, k.id)).toContain(`TicketLinkDelete link: ${n.number} → -`);
    expect((await h.as.writer!.delete(`/api/v1/tickets/${n.id}/links/${pc.body.id}`)).status).toBe(404);
  });

  it('splits an article into a new ticket linked to the original, attachments included', async () => {
    const orig = await newTicket(h.as.writer!, { title: 'Two problems', queue: 'Sales', customerUser: 'alice', priority: '4 high', article: { body: 'first problem' } });
    const second = await h.as.writer!.post(`/api/v1/tickets/${orig.id}/articles`, {
      channel: 'email',
      subject: 'Second problem',
      body: 'the scanner too',
      attachments: [{ filename: 'scan.txt', contentType: 'text/plain', contentBase64: Buffer.from('scan').toString('base64') }],
    });
    const res = await h.as.writer!.post(`/api/v1/tickets/${orig.id}/articles/${second.body.id}/split`, { queue: 'Support' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const split = res.body;
    expect(split).toMatchObject({
      title: 'Second problem',
      queue: { name: 'Support' },
      priority: { name: '4 high' },
      customerUser: { login: 'alice' },
      links: [expect.objectContaining({ type: 'parent-child', role: 'parent', ticket: expect.objectContaining({ id: orig.id }) })],
    });
    expect(split.number).not.toBe(orig.number);
    const [copy] = (await h.as.writer!.get(`/api/v1/tickets/${split.id}/articles`)).body.items;
    expect(copy).toMatchObject({ subject: 'Second problem', bodyText: 'the scanner too', attachments: [expect.objectContaining({ filename: 'scan.txt', size: 4 })] });
    // the original keeps its article
    expect((await h.as.writer!.get(`/api/v1/tickets/${orig.id}`)).body.articleCount).toBe(2);
    expect((await h.as.writer!.get(`/api/v1/tickets/${orig.id}`)).body.links[0]).toMatchObject({ role: 'child', ticket: { id: split.id } });
    expect(await historyLines(h.as.writer!, split.id)).toEqual(expect.arrayContaining(['NewTicket', 'Misc']));
    expect((await historyLines(h.as.writer!, orig.id)).filter((l) => l.startsWith('TicketLinkAdd'))).toHaveLength(1);

    const viaArticle = await h.as.writer!.post(`/api/v1/articles/${second.body.id}/split`, { linkType: 'normal', title: 'Again' });
    expect(viaArticle.status).toBe(201);
    expect(viaArticle.body.links[0]).toMatchObject({ type: 'normal', role: 'normal' });
    expect((await h.as.alice!.post(`/api/v1/articles/${second.body.id}/split`, {})).status).toBe(403);
    expect((await h.as.writer!.post(`/api/v1/tickets/${split.id}/articles/${second.body.id}/split`, {})).status).toBe(404);
  });
});
