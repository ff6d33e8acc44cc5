/**
 * Calendars and appointments (issue 22) over the API: permissions per calendar (ro sees, rw
 * changes, others see nothing), repeating appointments expanded per window (DST, the 31st, leap
 * day), "this / this and following / all" changes and exceptions, bad rules and windows refused
 * with a 4xx naming the problem and nothing written, configuration export/import, reminders as
 * jobs that notify once, ticket links. PGlite, and PostgreSQL with TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeLive } from '../server/live/hub';
import { startWorker, type JobWorker } from '../server/engine/worker';
import { TEST_DATABASE_URL, databaseKinds } from './support/db';
import { newTicket, startHelpdesk, type Helpdesk } from './support/tickets';

describe.each(databaseKinds)('calendars on %s', (kind) => {
  let h: Helpdesk;
  let worker: JobWorker;
  let team: number;
  let secret: number;
  const as = (who: string) => h.as[who]!;
  const window = async (who: string, from: string, to: string, extra = '') => {
    const r = await as(who).get(`/api/v1/calendars/appointments?from=${from}&to=${to}${extra}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.items as any[];
  };
  const create = async (who: string, body: Record<string, unknown>) => {
    const r = await as(who).post('/api/v1/calendars/appointments', { calendarId: team, timeZone: 'Europe/Berlin', ...body });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  };
  const count = async () => Number((await h.srv.database.db.selectFrom('appointments').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    h = await startHelpdesk(kind, {
      queues: { Support: 'support', Other: 'support', Vault: 'vault' },
      agents: { writer: { support: ['rw'], team: ['rw'] }, reader: { support: ['ro'], team: ['ro'] }, outsider: { vault: ['rw'] } },
    });
    if (kind === 'postgres') h.srv.services.config.databaseUrl = TEST_DATABASE_URL;
    worker = startWorker(h.srv.services, { loop: false });
    const groups = await h.srv.database.db.selectFrom('groups').select(['id', 'name']).execute();
    const gid = (n: string) => groups.find((g) => g.name === n)!.id;
    const a = await as('admin').post('/api/v1/calendars', { name: 'Team', color: '#3366cc', groupId: gid('team') });
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    team = a.body.id;
    secret = (await as('admin').post('/api/v1/calendars', { name: 'Vault', color: '#aa0000', groupId: gid('vault') })).body.id;
  }, 120_000);
  afterAll(async () => {
    await worker?.stop();
    await closeLive(h.srv.services);
    await h?.close();
  });

  it('shows a calendar to the agents of its group only, and lets only rw change it', async () => {
    expect((await as('writer').get('/api/v1/calendars')).body.items.map((c: any) => [c.name, c.access])).toEqual([['Team', 'rw']]);
    expect((await as('reader').get('/api/v1/calendars')).body.items.map((c: any) => [c.name, c.access])).toEqual([['Team', 'ro']]);
    expect((await as('outsider').get('/api/v1/calendars')).body.items.map((c: any) => c.name)).toEqual(['Vault']);
    expect((await as('writer').post('/api/v1/calendars', { name: 'Mine', color: '#000000', groupId: 1 })).status).toBe(403);

    const a = await create('writer', { title: 'Planning', start: '2026-06-01T08:00:00Z', end: '2026-06-01T09:00:00Z' });
    const before = await count();
    const ro = await as('reader').post('/api/v1/calendars/appointments', { calendarId: team, title: 'No', start: '2026-06-02T08:00:00Z', end: '2026-06-02T09:00:00Z' });
    expect([ro.status, ro.body.error.code]).toEqual([403, 'PERMISSION_DENIED']);
    expect((await as('reader').patch(`/api/v1/calendars/appointments/${a.id}`, { title: 'Mine now' })).status).toBe(403);
    expect((await as('outsider').get(`/api/v1/calendars/appointments/${a.id}`)).status).toBe(404);
    expect((await as('outsider').post('/api/v1/calendars/appointments', { calendarId: team, title: 'x', start: '2026-06-02T08:00:00Z', end: '2026-06-02T09:00:00Z' })).status).toBe(404);
    expect((await as('writer').post('/api/v1/calendars/appointments', { calendarId: secret, title: 'x', start: '2026-06-02T08:00:00Z', end: '2026-06-02T09:00:00Z' })).status).toBe(404);
    expect(await count()).toBe(before);
    expect((await window('reader', '2026-06-01T00:00:00Z', '2026-06-02T00:00:00Z')).map((o) => [o.title, o.access])).toEqual([['Planning', 'ro']]);
    expect(await window('outsider', '2026-06-01T00:00:00Z', '2026-06-02T00:00:00Z')).toEqual([]);
    expect(await window('outsider', '2026-06-01T00:00:00Z', '2026-06-02T00:00:00Z', `&calendarIds=${team}`)).toEqual([]);
  });

  it('repeats in the time zone across daylight saving, on the 31st and on leap day', async () => {
    await create('writer', { title: 'Stand-up', start: '2027-03-22T08:00:00Z', end: '2027-03-22T08:15:00Z', rrule: 'FREQ=WEEKLY;BYDAY=MO' });
    expect((await window('reader', '2027-03-21T00:00:00Z', '2027-04-06T00:00:00Z')).filter((o) => o.title === 'Stand-up').map((o) => o.start)).toEqual([
      '2027-03-22T08:00:00.000Z',
      '2027-03-29T07:00:00.000Z',
      '2027-04-05T07:00:00.000Z',
    ]);
    await create('writer', { title: 'Month end', timeZone: 'UTC', start: '2027-01-31T10:00:00Z', end: '2027-01-31T11:00:00Z', rrule: 'FREQ=MONTHLY;COUNT=4' });
    expect((await window('reader', '2027-01-01T00:00:00Z', '2027-12-31T00:00:00Z')).filter((o) => o.title === 'Month end').map((o) => o.start.slice(0, 10))).toEqual(['2027-01-31', '2027-03-31', '2027-05-31', '2027-07-31']);
    await create('writer', { title: 'Leap', timeZone: 'UTC', start: '2028-02-29T10:00:00Z', end: '2028-02-29T11:00:00Z', rrule: 'FREQ=YEARLY' });
    const leaps = async (y: number) => (await window('reader', `${y}-01-01T00:00:00Z`, `${y}-12-31T00:00:00Z`)).filter((o) => o.title === 'Leap').length;
    expect([await leaps(2028), await leaps(2029), await leaps(2030), await leaps(2031)]).toEqual([1, 0, 0, 0]);
    expect(await leaps(2032)).toBe(1);
  });

  it('changes one occurrence, this and the following, or all; deleting one leaves an exception', async () => {
    const s = await create('writer', { title: 'Review', timeZone: 'UTC', start: '2029-01-01T09:00:00Z', end: '2029-01-01T10:00:00Z', rrule: 'FREQ=DAILY;COUNT=6' });
    const reviews = async () => (await window('reader', '2029-01-01T00:00:00Z', '2029-01-10T00:00:00Z')).filter((o) => o.title.startsWith('Review'));
    // This occurrence only: moved to the afternoon and renamed.
    const one = await as('writer').patch(`/api/v1/calendars/appointments/${s.id}`, { scope: 'this', occurrence: '2029-01-02T09:00:00.000Z', title: 'Review (moved)', start: '2029-01-02T14:00:00Z', end: '2029-01-02T15:00:00Z' });
    expect(one.status, JSON.stringify(one.body)).toBe(200);
    expect(one.body.parentId).toBe(s.id);
    expect((await reviews()).map((o) => `${o.start.slice(8, 13)} ${o.title}`)).toEqual(['01T09 Review', '02T14 Review (moved)', '03T09 Review', '04T09 Review', '05T09 Review', '06T09 Review']);
    // An exception: the 3rd is cancelled.
    expect((await as('writer').delete(`/api/v1/calendars/appointments/${s.id}?scope=this&occurrence=2029-01-03T09:00:00.000Z`)).status).toBe(204);
    // This and the following: from the 5th an hour later, under a new name; the count goes on.
    const tail = await as('writer').patch(`/api/v1/calendars/appointments/${s.id}`, { scope: 'following', occurrence: '2029-01-05T09:00:00.000Z', title: 'Review late', start: '2029-01-05T10:00:00Z', end: '2029-01-05T11:00:00Z' });
    expect(tail.status, JSON.stringify(tail.body)).toBe(200);
    expect(tail.body.rrule).toBe('FREQ=DAILY;COUNT=2');
    expect((await reviews()).map((o) => `${o.start.slice(8, 13)} ${o.title}`)).toEqual(['01T09 Review', '02T14 Review (moved)', '04T09 Review', '05T10 Review late', '06T10 Review late']);
    // All: the first series moves by half an hour, its exception and changed occurrence with it.
    const all = await as('writer').patch(`/api/v1/calendars/appointments/${s.id}`, { scope: 'all', occurrence: '2029-01-04T09:00:00.000Z', start: '2029-01-04T09:30:00Z', end: '2029-01-04T10:30:00Z' });
    expect(all.status, JSON.stringify(all.body)).toBe(200);
    expect((await reviews()).map((o) => `${o.start.slice(8, 16)} ${o.title}`)).toEqual(['01T09:30 Review', '02T14:00 Review (moved)', '04T09:30 Review', '05T10:00 Review late', '06T10:00 Review late']);
    // Not an occurrence: 400 naming /occurrence, nothing written.
    const n = await count();
    const bad = await as('writer').patch(`/api/v1/calendars/appointments/${s.id}`, { scope: 'this', occurrence: '2029-01-04T11:00:00.000Z', title: 'x' });
    expect([bad.status, bad.body.error.path]).toEqual([400, '/occurrence']);
    expect(await count()).toBe(n);
  });

  it('refuses runaway rules, bad time zones and wide windows with a 4xx naming the problem, writing nothing', async () => {
    const n = await count();
    const post = (body: Record<string, unknown>) => as('writer').post('/api/v1/calendars/appointments', { calendarId: team, title: 'Bad', start: '2030-01-01T09:00:00Z', end: '2030-01-01T09:01:00Z', ...body });
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ rrule: 'FREQ=MINUTELY;UNTIL=20400101T000000Z' }, '/rrule', 'RRULE_TOO_FREQUENT'],
      [{ rrule: 'FREQ=HOURLY' }, '/rrule', 'RRULE_UNBOUNDED'],
      [{ rrule: 'FREQ=DAILY;UNTIL=20500101T000000Z' }, '/rrule', 'RRULE_TOO_MANY'],
      [{ rrule: 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30' }, '/rrule', 'RRULE_EMPTY'],
      [{ rrule: 'FREQ=WEEKLY;BYDAY=XX' }, '/rrule', 'INVALID_RRULE'],
      [{ timeZone: 'Mars/Olympus' }, '/timeZone', 'UNKNOWN_TIME_ZONE'],
      [{ end: '2029-12-31T09:00:00Z' }, '/end', 'END_BEFORE_START'],
    ];
    for (const [body, path, code] of cases) {
      const r = await post(body);
      expect([r.status, r.body.error?.path, r.body.error?.code], JSON.stringify(body)).toEqual([400, path, code]);
    }
    expect(await count()).toBe(n);
    const wide = await as('reader').get('/api/v1/calendars/appointments?from=2026-01-01T00:00:00Z&to=2028-01-01T00:00:00Z');
    expect([wide.status, wide.body.error.path, wide.body.error.code]).toEqual([400, '/to', 'WINDOW_TOO_LARGE']);
  });

  it('links tickets the agent may read and lists the appointments of a ticket', async () => {
    const t = await newTicket(as('writer'), { title: 'Visit customer', queue: 'Support' });
    const vault = await newTicket(as('outsider'), { title: 'Hidden', queue: 'Vault' });
    const bad = await as('writer').post('/api/v1/calendars/appointments', { calendarId: team, title: 'Visit', start: '2026-07-01T08:00:00Z', end: '2026-07-01T09:00:00Z', ticketIds: [t.id, vault.id] });
    expect([bad.status, bad.body.error.path]).toEqual([400, '/ticketIds/1']);
    const a = await create('writer', { title: 'Visit', location: 'Hauptstraße 1, Berlin', start: '2026-07-01T08:00:00Z', end: '2026-07-01T09:00:00Z', ticketIds: [t.id] });
    expect(a.mapUrl).toBe('https://www.openstreetmap.org/search?query=Hauptstra%C3%9Fe%201%2C%20Berlin');
    const linked = await window('reader', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z', `&ticketId=${t.id}`);
    expect(linked.map((o) => [o.title, o.ticketIds])).toEqual([['Visit', [t.id]]]);
  });

  it('exports a calendar configuration and imports it as a new calendar, naming a missing group', async () => {
    const ex = await as('admin').get(`/api/v1/calendars/${team}/export`);
    expect(ex.status).toBe(200);
    expect(ex.body).toMatchObject({ format: 'calendar/1', name: 'Team', color: '#3366cc', group: 'team' });
    const copy = await as('admin').post('/api/v1/calendars/import', { ...ex.body, name: 'Team copy' });
    expect([copy.status, copy.body.name, copy.body.group]).toEqual([200, 'Team copy', 'team']);
    const bad = await as('admin').post('/api/v1/calendars/import', { ...ex.body, name: 'Other', group: 'nope' });
    expect([bad.status, bad.body.error.path]).toEqual([400, '/group']);
    expect((await as('admin').get('/api/v1/calendars')).body.items.map((c: any) => c.name)).not.toContain('Other');
  });

  it('keeps a ticket appointment per matching ticket that moves with its pending time and goes when the ticket stops matching', async () => {
    const rule = await as('admin').post(`/api/v1/calendars/${team}/ticket-rules`, { name: 'Call-backs', queueIds: [h.queues.Support], startFrom: 'pendingTime', durationMinutes: 30, title: 'Call back: {{ticket.title}}' });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    const unknown = await as('admin').post(`/api/v1/calendars/${team}/ticket-rules`, { name: 'x', startFrom: 'dynamicField:Nope' });
    expect([unknown.status, unknown.body.error.path]).toEqual([400, '/startFrom']);
    const t = await newTicket(as('writer'), { title: 'Printer jam', queue: 'Support' });
    const ruled = async () => (await window('reader', '2031-01-01T00:00:00Z', '2031-12-31T00:00:00Z')).filter((o) => o.ruleId === rule.body.id);
    expect(await ruled()).toEqual([]);
    expect((await as('writer').patch(`/api/v1/tickets/${t.id}`, { state: 'pending reminder', pendingUntil: '2031-05-04T10:00:00Z' })).status).toBe(200);
    expect((await ruled()).map((o) => [o.title, o.start, o.end, o.ticketIds])).toEqual([['Call back: Printer jam', '2031-05-04T10:00:00.000Z', '2031-05-04T10:30:00.000Z', [t.id]]]);
    // Moved with the ticket.
    expect((await as('writer').patch(`/api/v1/tickets/${t.id}`, { pendingUntil: '2031-06-01T08:00:00Z' })).status).toBe(200);
    expect((await ruled()).map((o) => o.start)).toEqual(['2031-06-01T08:00:00.000Z']);
    // Agents cannot change it by hand: it follows the ticket.
    const id = (await ruled())[0].id;
    expect((await as('writer').patch(`/api/v1/calendars/appointments/${id}`, { title: 'Mine' })).status).toBe(409);
    // Gone when the ticket leaves the rule's queues.
    expect((await as('writer').patch(`/api/v1/tickets/${t.id}`, { queue: 'Other' })).status).toBe(200);
    expect(await ruled()).toEqual([]);
    expect((await as('writer').patch(`/api/v1/tickets/${t.id}`, { queue: 'Support' })).status).toBe(200);
    expect((await ruled()).map((o) => o.start)).toEqual(['2031-06-01T08:00:00.000Z']);
    // Deleting the rule deletes its appointments.
    expect((await as('admin').delete(`/api/v1/calendars/${team}/ticket-rules/${rule.body.id}`)).status).toBe(204);
    expect(await ruled()).toEqual([]);
  });

  it('reminds the agents of the calendar once before each occurrence, by mail and in the bell', async () => {
    const db = h.srv.database.db;
    const start = new Date(Date.now() + 10 * 60_000);
    start.setUTCSeconds(0, 0);
    const a = await create('writer', { title: 'Board meeting', timeZone: 'UTC', start: start.toISOString(), end: new Date(start.getTime() + 3600_000).toISOString(), rrule: 'FREQ=DAILY;COUNT=3', reminderMinutes: 15 });
    const jobs = () => db.selectFrom('jobs').select(['id', 'payload', 'status', 'run_at']).where('kind', '=', 'appointment-reminder').execute();
    const mine = async () => (await jobs()).filter((j) => (j.payload as any).appointmentId === a.id);
    expect((await mine()).map((j) => (j.payload as any).occurrence)).toEqual([start.toISOString()]);
    await worker.drain();
    const bell = async (who: string) => (await as(who).get('/api/v1/notifications?limit=200')).body.items.filter((n: any) => n.event === 'appointmentReminder');
    expect((await bell('reader')).map((n: any) => n.title)).toEqual([expect.stringContaining('Reminder: Board meeting')]);
    expect(await bell('writer')).toHaveLength(1);
    expect(await bell('outsider')).toEqual([]);
    const mails = (await db.selectFrom('jobs').select('payload').where('kind', '=', 'mail').execute()).map((j) => j.payload as any).filter((m) => m.subject?.startsWith('Reminder: Board meeting'));
    expect(mails.flatMap((m) => m.to).sort()).toEqual(['"reader Tester" <reader@example.test>', '"writer Tester" <writer@example.test>']);
    // The next occurrence's reminder is scheduled; running the worker again sends nothing twice.
    expect((await mine()).map((j) => [(j.payload as any).occurrence, j.status]).sort()).toEqual([
      [start.toISOString(), 'done'],
      [new Date(start.getTime() + 86_400_000).toISOString(), 'ready'],
    ]);
    await worker.drain();
    expect(await bell('reader')).toHaveLength(1);
  });
});
