/**
 * The agent's own settings under `/api/v1/me`: preferences with defaults and validation, password
 * change, the dashboard's queue overview and unread flags. PGlite, and PostgreSQL with TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './support/server';
import { databaseKinds } from './support/db';
import { newTicket, PW, startHelpdesk, type Helpdesk } from './support/tickets';

describe.each(databaseKinds)('my settings on %s', (kind) => {
  let h: Helpdesk;
  beforeAll(async () => {
    h = await startHelpdesk(kind, {
      queues: { Sales: 'sales', Secret: 'secret' },
      agents: { seller: { sales: ['rw'] }, boss: { sales: ['rw'], secret: ['rw'] }, changer: { sales: ['rw'] } },
      customers: { alice: 'ACME' },
    });
  });
  afterAll(() => h?.close());

  it('returns defaults, stores changes per agent and resets with null', async () => {
    const first = await h.as.seller!.get('/api/v1/me/preferences');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ language: 'auto', dateFormat: 'locale', myQueues: [], pageSize: 25 });
    const put = await h.as.seller!.request('PUT', '/api/v1/me/preferences', {
      dateFormat: 'DD.MM.YYYY HH:mm',
      myQueues: [h.queues.Sales],
      dashboard: [{ id: 'locked', hidden: false }, { id: 'queues', hidden: true }],
      columns: ['tn', 'title'],
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.dashboard.slice(0, 2)).toEqual([{ id: 'locked', hidden: false }, { id: 'queues', hidden: true }]);
    expect(put.body.dashboard.length).toBeGreaterThan(2);
    expect((await h.as.seller!.get('/api/v1/me/preferences')).body).toMatchObject({ dateFormat: 'DD.MM.YYYY HH:mm', myQueues: [h.queues.Sales], columns: ['tn', 'title'] });
    // another agent is untouched
    expect((await h.as.boss!.get('/api/v1/me/preferences')).body.dateFormat).toBe('locale');
    const reset = await h.as.seller!.request('PUT', '/api/v1/me/preferences', { dateFormat: null });
    expect(reset.body.dateFormat).toBe('locale');
    expect(reset.body.myQueues).toEqual([h.queues.Sales]);
  });

  it('refuses bad values naming the field, and queues the agent may not read', async () => {
    const bad = await h.as.seller!.request('PUT', '/api/v1/me/preferences', { dateFormat: 'dd.mm' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toBe('/dateFormat');
    const secret = await h.as.seller!.request('PUT', '/api/v1/me/preferences', { myQueues: [h.queues.Sales, h.queues.Secret] });
    expect(secret.status).toBe(400);
    expect(secret.body.error.path).toBe('/myQueues/1');
    const unknown = await h.as.seller!.request('PUT', '/api/v1/me/preferences', { colour: 'red' });
    expect(unknown.status).toBe(400);
    expect((await h.as.alice!.get('/api/v1/me/preferences')).status).toBe(403);
  });

  it('changes the password only with the current one', async () => {
    const wrong = await h.as.changer!.post('/api/v1/me/password', { currentPassword: 'nope', newPassword: 'a-new-password' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ code: 'WRONG_PASSWORD', path: '/currentPassword' });
    const short = await h.as.changer!.post('/api/v1/me/password', { currentPassword: PW, newPassword: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.error.path).toBe('/newPassword');
    const other = new Client(h.srv.url);
    await other.login('changer', PW);
    expect((await h.as.changer!.post('/api/v1/me/password', { currentPassword: PW, newPassword: 'a-new-password' })).status).toBe(204);
    // this session stays, the other one ended; the new password works, the old one does not
    expect((await h.as.changer!.get('/api/v1/auth/me')).status).toBe(200);
    expect((await other.get('/api/v1/auth/me')).status).toBe(401);
    expect((await new Client(h.srv.url).post('/api/v1/auth/login', { login: 'changer', password: PW })).status).toBe(401);
    await new Client(h.srv.url).login('changer', 'a-new-password');
  });

  it('counts tickets per queue and state, and flags unread tickets', async () => {
    const a = await newTicket(h.as.boss!, { title: 'One', queue: 'Sales' });
    const b = await newTicket(h.as.boss!, { title: 'Two', queue: 'Sales', state: 'open' });
    await newTicket(h.as.boss!, { title: 'Hidden', queue: 'Secret' });
    const overview = await h.as.seller!.get('/api/v1/me/queue-overview');
    expect(overview.status).toBe(200);
    const sales = overview.body.items.filter((r: any) => r.queue === 'Sales');
    expect(sales.find((r: any) => r.state === 'new').count).toBeGreaterThanOrEqual(1);
    expect(sales.find((r: any) => r.state === 'open').count).toBeGreaterThanOrEqual(1);
    expect(overview.body.items.some((r: any) => r.queue === 'Secret')).toBe(false);

    const unread = await h.as.seller!.get(`/api/v1/me/unread?tickets=${a.id},${b.id}`);
    expect(unread.body.ticketIds).toEqual([a.id, b.id].sort((x, y) => x - y));
    const articles = await h.as.seller!.get(`/api/v1/tickets/${a.id}/articles`);
    for (const art of articles.body.items) await h.as.seller!.post(`/api/v1/articles/${art.id}/seen`);
    expect((await h.as.seller!.get(`/api/v1/me/unread?tickets=${a.id},${b.id}`)).body.ticketIds).toEqual([b.id]);
    // the author has seen their own article
    expect((await h.as.boss!.get(`/api/v1/me/unread?tickets=${a.id}`)).body.ticketIds).toEqual([]);
  });
});
