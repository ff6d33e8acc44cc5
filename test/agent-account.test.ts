/**
 * The agent's account beyond the password (issue 24): an administrator may give a new agent a
 * password that must be replaced at the first login (every other request answers 403
 * `PASSWORD_CHANGE_REQUIRED` until then); a time zone and an out-of-office period in the
 * preferences (bad values refused naming the field); who is away today is listed for the ticket
 * zoom, read in the agent's own time zone, and agents away get no notifications. PGlite, and
 * PostgreSQL with TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, Client } from './support/server';
import { databaseKinds } from './support/db';
import { newTicket, PW, startHelpdesk, type Helpdesk } from './support/tickets';

describe.each(databaseKinds)('the agent account on %s', (kind) => {
  let h: Helpdesk;
  beforeAll(async () => {
    h = await startHelpdesk(kind, {
      queues: { Sales: 'sales' },
      agents: { boss: { sales: ['rw'] }, away: { sales: ['rw'] }, present: { sales: ['rw'] } },
    });
    // A fixed clock (sessions opened before it would have expired: sign in again).
    h.srv.setClock(new Date('2026-12-21T23:30:00Z'));
    await h.as.admin!.login('admin', ADMIN_PASSWORD);
    for (const login of ['boss', 'away', 'present']) await h.as[login]!.login(login, PW);
  });
  afterAll(() => h?.close());

  it('makes a new agent replace the password an administrator gave before doing anything else', async () => {
    const created = await h.as.admin!.post('/api/v1/agents', {
      login: 'newbie', firstName: 'New', lastName: 'Agent', email: 'newbie@example.test', password: 'given-by-admin-1', changePasswordAtLogin: true, groups: { sales: ['rw'] },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.passwordChangeRequired).toBe(true);

    const newbie = new Client(h.srv.url);
    await newbie.login('newbie', 'given-by-admin-1');
    const me = await newbie.get('/api/v1/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.user.passwordChangeRequired).toBe(true);
    expect((await newbie.get('/api/v1/me/preferences')).status).toBe(200);
    const blocked = await newbie.get('/api/v1/tickets');
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await newbie.put('/api/v1/me/preferences', { pageSize: 50 })).status).toBe(403);

    const same = await newbie.post('/api/v1/me/password', { currentPassword: 'given-by-admin-1', newPassword: 'given-by-admin-1' });
    expect(same.status).toBe(400);
    expect((await newbie.post('/api/v1/me/password', { currentPassword: 'given-by-admin-1', newPassword: 'my-own-password-2' })).status).toBe(204);
    expect((await newbie.get('/api/v1/tickets')).status).toBe(200);
    expect((await newbie.get('/api/v1/auth/me')).body.user.passwordChangeRequired).toBe(false);
    expect((await h.as.admin!.get(`/api/v1/agents/${created.body.id}`)).body.passwordChangeRequired).toBe(false);

    // Without the switch (the API's default) a given password is the agent's to keep.
    const plain = await h.as.admin!.post('/api/v1/agents', { login: 'plain', firstName: 'P', lastName: 'A', email: 'plain@example.test', password: 'given-by-admin-3' });
    expect(plain.body.passwordChangeRequired).toBe(false);
  });

  it('keeps a time zone and an out-of-office period, refusing bad ones by field', async () => {
    const zone = await h.as.away!.put('/api/v1/me/preferences', { timeZone: 'Mars/Olympus' });
    expect(zone.status).toBe(400);
    expect(zone.body.error.path).toBe('/timeZone');
    const backwards = await h.as.away!.put('/api/v1/me/preferences', { outOfOffice: { from: '2026-12-24', until: '2026-12-20' } });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.path).toBe('/outOfOffice/until');
    const ok = await h.as.away!.put('/api/v1/me/preferences', { timeZone: 'Europe/Berlin', outOfOffice: { from: '2026-12-22', until: '2027-01-06', note: 'Back after Epiphany' } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ timeZone: 'Europe/Berlin', outOfOffice: { from: '2026-12-22', until: '2027-01-06' } });
    expect((await h.as.present!.get('/api/v1/me/preferences')).body).toMatchObject({ timeZone: 'auto', outOfOffice: null });
  });

  it("lists who is away today in each agent's own time zone", async () => {
    // 23:30 UTC on the 21st is already the 22nd in Berlin: the period has begun.
    const list = await h.as.present!.get('/api/v1/agents/out-of-office');
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([{ agentId: h.agents.away, from: '2026-12-22', until: '2027-01-06', note: 'Back after Epiphany' }]);
    h.srv.setClock(new Date('2026-12-21T22:30:00Z')); // 23:30 in Berlin: not yet
    expect((await h.as.present!.get('/api/v1/agents/out-of-office')).body.items).toEqual([]);
    h.srv.setClock(new Date('2026-12-21T23:45:00Z'));
  });

  it('sends no notification to an agent who is away, and still to the others', async () => {
    const t = await newTicket(h.as.boss!, { title: 'Holiday cover', queue: 'Sales' });
    expect((await h.as.boss!.patch(`/api/v1/tickets/${t.id}`, { owner: 'away', responsible: 'present' })).status).toBe(200);
    const events = async (who: string) =>
      ((await h.as[who]!.get('/api/v1/notifications?limit=200')).body.items as Array<{ ticketId: number; event: string }>).filter((n) => n.ticketId === t.id).map((n) => n.event);
    expect(await events('present')).toEqual(['responsibleChanged']);
    expect(await events('away')).toEqual([]);
    // Back at work: notified again.
    expect((await h.as.away!.put('/api/v1/me/preferences', { outOfOffice: null })).status).toBe(200);
    expect((await h.as.boss!.post(`/api/v1/tickets/${t.id}/articles`, { channel: 'note', subject: 'Cover', body: 'Who covers?' })).status).toBe(201);
    expect(await events('away')).toEqual(['noteAdded']);
  });
});
