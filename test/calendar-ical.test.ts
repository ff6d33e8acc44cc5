/**
 * iCal (issue 22): the private feed URL per calendar and agent (no login, revocable, gone when
 * the agent loses the calendar) parses in a real iCalendar parser (node-ical) with the rule, the
 * exceptions and the changed occurrences; .ics import creates and then updates by UID, and a
 * malformed, oversized or runaway file is refused whole with a 4xx naming the problem.
 * PGlite, and PostgreSQL with TEST_DATABASE_URL.
 */
import ical from 'node-ical';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from './support/db';
import { startHelpdesk, type Helpdesk } from './support/tickets';

describe.each(databaseKinds)('calendar iCal on %s', (kind) => {
  let h: Helpdesk;
  let team: number;
  let teamGroup: number;
  const as = (who: string) => h.as[who]!;
  const count = async () => Number((await h.srv.database.db.selectFrom('appointments').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const fetchFeed = async (path: string) => {
    const r = await fetch(h.srv.url + path);
    return { status: r.status, type: r.headers.get('content-type'), text: await r.text() };
  };

  beforeAll(async () => {
    h = await startHelpdesk(kind, { agents: { writer: { team: ['rw'] }, reader: { team: ['ro'] } } });
    const g = await h.srv.database.db.selectFrom('groups').select('id').where('name', '=', 'team').executeTakeFirstOrThrow();
    teamGroup = g.id;
    team = (await as('admin').post('/api/v1/calendars', { name: 'Team', color: '#3366cc', groupId: g.id })).body.id;
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('serves a private feed that parses with its rule, exception and changed occurrence, until it is revoked', async () => {
    const s = await as('writer').post('/api/v1/calendars/appointments', {
      calendarId: team,
      title: 'Weekly sync',
      description: 'Agenda in the wiki',
      location: 'Room 4',
      timeZone: 'Europe/Berlin',
      start: '2026-03-16T08:00:00Z',
      end: '2026-03-16T09:00:00Z',
      rrule: 'FREQ=WEEKLY;COUNT=5',
    });
    expect(s.status, JSON.stringify(s.body)).toBe(201);
    expect((await as('writer').delete(`/api/v1/calendars/appointments/${s.body.id}?scope=this&occurrence=2026-03-23T08:00:00.000Z`)).status).toBe(204);
    const moved = await as('writer').patch(`/api/v1/calendars/appointments/${s.body.id}`, { scope: 'this', occurrence: '2026-04-06T07:00:00.000Z', title: 'Weekly sync (Easter)', start: '2026-04-07T07:00:00Z', end: '2026-04-07T08:00:00Z' });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);

    const feed = await as('reader').put(`/api/v1/calendars/${team}/feed`);
    expect(feed.status, JSON.stringify(feed.body)).toBe(200);
    expect(feed.body.path).toMatch(/^\/api\/v1\/calendars\/feed\/[A-Za-z0-9_-]+\.ics$/);
    expect(feed.body.url).toBe(h.srv.url + feed.body.path);
    const r = await fetchFeed(feed.body.path);
    expect(r.status).toBe(200);
    expect(r.type).toContain('text/calendar');

    const parsed = ical.sync.parseICS(r.text);
    const ev = Object.values(parsed).find((c: any) => c.type === 'VEVENT' && c.uid === s.body.uid) as any;
    expect(ev.summary).toBe('Weekly sync');
    expect(ev.location).toBe('Room 4');
    expect(ev.rrule.toString()).toContain('FREQ=WEEKLY;COUNT=5');
    expect(new Date(ev.start).toISOString()).toBe('2026-03-16T08:00:00.000Z');
    // The exception and the changed occurrence are in the feed.
    expect(Object.values(ev.exdate ?? {}).map((d: any) => new Date(d).toISOString())).toContain('2026-03-23T08:00:00.000Z');
    // node-ical files each override under two keys (date and date-time).
    const overrides = [...new Set(Object.values(ev.recurrences ?? {}))] as any[];
    expect(overrides.map((o) => [o.summary, new Date(o.recurrenceid).toISOString(), new Date(o.start).toISOString()])).toEqual([['Weekly sync (Easter)', '2026-04-06T07:00:00.000Z', '2026-04-07T07:00:00.000Z']]);

    // A new URL revokes the old one; DELETE revokes it too; unknown tokens are 404.
    const again = await as('reader').put(`/api/v1/calendars/${team}/feed`);
    expect((await fetchFeed(feed.body.path)).status).toBe(404);
    expect((await fetchFeed(again.body.path)).status).toBe(200);
    expect((await as('reader').delete(`/api/v1/calendars/${team}/feed`)).status).toBe(204);
    expect((await fetchFeed(again.body.path)).status).toBe(404);

    // An agent who loses the calendar's group loses the feed.
    const writerFeed = await as('writer').put(`/api/v1/calendars/${team}/feed`);
    expect((await fetchFeed(writerFeed.body.path)).status).toBe(200);
    await h.srv.database.db.deleteFrom('agent_groups').where('agent_id', '=', h.agents.writer!).execute();
    expect((await fetchFeed(writerFeed.body.path)).status).toBe(404);
    await h.srv.database.db.insertInto('agent_groups').values({ agent_id: h.agents.writer!, group_id: teamGroup, permission: 'rw' }).execute();
  });

  const ics = (summary: string, extra = '') =>
    [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//test//EN',
      'BEGIN:VEVENT',
      'UID:imported-1@example.test',
      'DTSTAMP:20260101T000000Z',
      'DTSTART;TZID=Europe/Berlin:20260601T100000',
      'DTEND;TZID=Europe/Berlin:20260601T110000',
      `SUMMARY:${summary}`,
      'RRULE:FREQ=DAILY;COUNT=3',
      'EXDATE;TZID=Europe/Berlin:20260602T100000',
      extra,
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:imported-2@example.test',
      'DTSTAMP:20260101T000000Z',
      'DTSTART;VALUE=DATE:20260610',
      'DTEND;VALUE=DATE:20260611',
      'SUMMARY:Company day',
      'END:VEVENT',
      'END:VCALENDAR',
    ]
      .filter(Boolean)
      .join('\r\n');

  it('imports an .ics file and updates the same events by UID on a second import', async () => {
    const first = await as('writer').post(`/api/v1/calendars/${team}/ics`, { ics: ics('Imported') });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toEqual({ created: 2, updated: 0 });
    const june = async () => (await as('reader').get('/api/v1/calendars/appointments?from=2026-06-01T00:00:00Z&to=2026-06-30T00:00:00Z')).body.items as any[];
    expect((await june()).map((o) => [o.title, o.start, o.allDay])).toEqual([
      ['Imported', '2026-06-01T08:00:00.000Z', false],
      ['Imported', '2026-06-03T08:00:00.000Z', false],
      ['Company day', '2026-06-10T00:00:00.000Z', true],
    ]);
    const second = await as('writer').post(`/api/v1/calendars/${team}/ics`, { ics: ics('Imported again') });
    expect(second.body).toEqual({ created: 0, updated: 2 });
    expect((await june()).map((o) => o.title)).toEqual(['Imported again', 'Imported again', 'Company day']);
  });

  it('refuses a malformed, runaway, unreadable or oversized file whole, naming the problem', async () => {
    const n = await count();
    const post = (text: string) => as('writer').post(`/api/v1/calendars/${team}/ics`, { ics: text });
    const garbage = await post('this is not a calendar');
    expect([garbage.status, garbage.body.error.path, garbage.body.error.code]).toEqual([400, '/ics', 'INVALID_ICS']);
    const runaway = await post(ics('New', '').replace('RRULE:FREQ=DAILY;COUNT=3', 'RRULE:FREQ=MINUTELY;UNTIL=20360101T000000Z').replace('imported-1', 'imported-3'));
    expect([runaway.status, runaway.body.error.path, runaway.body.error.code]).toEqual([400, '/ics/VEVENT[1]/rrule', 'RRULE_TOO_FREQUENT']);
    const noStart = await post(ics('x').replace('DTSTART;VALUE=DATE:20260610\r\n', '').replace('imported-1', 'imported-4'));
    expect([noStart.status, noStart.body.error.path]).toEqual([400, '/ics/VEVENT[2]']);
    const readonly = await as('reader').post(`/api/v1/calendars/${team}/ics`, { ics: ics('x') });
    expect(readonly.status).toBe(403);
    const big = await post(ics('x', `DESCRIPTION:${'a'.repeat(3 * 1024 * 1024)}`));
    expect([big.status, big.body.error.path]).toEqual([413, '/ics']);
    const huge = await fetch(`${h.srv.url}/api/v1/calendars/${team}/ics`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: as('writer').cookie!, 'x-csrf-token': as('writer').csrf! }, body: JSON.stringify({ ics: 'x'.repeat(20 * 1024 * 1024) }) });
    expect(huge.status).toBe(413);
    expect(await count()).toBe(n);
  });
});
