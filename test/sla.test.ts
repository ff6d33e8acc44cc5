/**
 * Service levels over the API with a fixed clock, on PGlite and (with TEST_DATABASE_URL) PostgreSQL:
 * calendars and SLAs administered over REST, deadlines recomputed in the transaction of each change,
 * and the complaint cases of issue 20 (update time restarts on an agent answer and pauses while
 * pending; no escalation notice outside working hours, sent at the next working minute, once;
 * solution time not reset on reopen; agent-created email vs phone tickets; a holiday), plus pending
 * auto close.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from './support/db';
import { startEngineHelpdesk, type EngineHelpdesk } from './support/engine';
import { Gi, dataOf } from './support/generic-interface';
import { newTicket, PW } from './support/tickets';

const nineToFive = [{ from: '09:00', to: '17:00' }];
const week = { 1: nineToFive, 2: nineToFive, 3: nineToFive, 4: nineToFive, 5: nineToFive };
/** Berlin is UTC+1 in early March 2026: local 10:00 = 09:00Z. */
const local = (day: number, hhmm: string) => new Date(`2026-03-${String(day).padStart(2, '0')}T${hhmm}:00+01:00`);
const iso = (d: Date) => d.toISOString();

describe.each(databaseKinds)('service levels on %s', (kind) => {
  let h: EngineHelpdesk;
  let calendarId: number;
  let gold: number;

  const at = (d: Date) => h.srv.setClock(d);
  const get = async (id: number) => (await h.as.alice!.get(`/api/v1/tickets/${id}`)).body;
  const patch = async (id: number, body: Record<string, unknown>) => {
    const r = await h.as.alice!.patch(`/api/v1/tickets/${id}`, body);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  };
  const answer = async (id: number, body: Record<string, unknown> = {}) => {
    const r = await h.as.alice!.post(`/api/v1/tickets/${id}/articles`, { channel: 'phone', body: 'We are on it', ...body });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  };
  const escalationMails = async (id: number) =>
    (await h.srv.database.db.selectFrom('mail_log').select(['subject']).where('ticket_id', '=', id).orderBy('id').execute()).map((m) => m.subject).filter((s) => /^Escalat/.test(s));

  beforeAll(async () => {
    h = await startEngineHelpdesk(kind);
    const cal = await h.as.admin!.post('/api/v1/business-calendars', { name: 'Support hours', timeZone: 'Europe/Berlin', week, holidays: [{ date: '2026-03-10', name: 'Company day' }] });
    expect(cal.status, JSON.stringify(cal.body)).toBe(201);
    calendarId = cal.body.id;
    const sla = await h.as.admin!.post('/api/v1/slas', {
      name: 'Gold', calendarId, firstResponseMinutes: 60, firstResponseNotify: 50, updateMinutes: 120, solutionMinutes: 480, portalVisible: true,
    });
    expect(sla.status, JSON.stringify(sla.body)).toBe(201);
    gold = sla.body.id;
    // alice gets notifications for the Support queue.
    expect((await h.as.alice!.put('/api/v1/me/preferences', { myQueues: [h.queues.Support] })).status).toBe(200);
  }, 120_000);
  afterAll(() => h?.close());

  it('administers calendars with clear errors', async () => {
    const bad = await h.as.admin!.post('/api/v1/business-calendars', { name: 'Mars', timeZone: 'Mars/Olympus' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('/timeZone');
    const badRange = await h.as.admin!.patch(`/api/v1/business-calendars/${calendarId}`, { week: { 1: [{ from: '09:00', to: '09:00' }] } });
    expect(badRange.status).toBe(400);
    expect(JSON.stringify(badRange.body)).toContain('/week/1/0');
    const badSla = await h.as.admin!.patch(`/api/v1/slas/${gold}`, { calendarId: 999999 });
    expect(badSla.status).toBe(400);
    expect(JSON.stringify(badSla.body)).toContain('/calendarId');
    const ics = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', 'BEGIN:VEVENT', 'UID:x1', 'DTSTART;VALUE=DATE:20261225', 'DTEND;VALUE=DATE:20261227', 'SUMMARY:Christmas', 'RRULE:FREQ=YEARLY', 'END:VEVENT', 'BEGIN:VEVENT', 'UID:x2', 'DTSTART;VALUE=DATE:20260403', 'SUMMARY:Good Friday', 'END:VEVENT', 'END:VCALENDAR'].join('\r\n');
    const imported = await h.as.admin!.post(`/api/v1/business-calendars/${calendarId}/holidays/import`, { ics });
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    expect(imported.body.holidays).toEqual([
      { date: '2026-03-10', name: 'Company day' },
      { date: '12-25', recurring: true, name: 'Christmas' },
      { date: '12-26', recurring: true, name: 'Christmas' },
      { date: '2026-04-03', name: 'Good Friday' },
    ]);
    const notIcs = await h.as.admin!.post(`/api/v1/business-calendars/${calendarId}/holidays/import`, { ics: 'hello' });
    expect(notIcs.status).toBe(400);
    expect(notIcs.body.error?.path ?? JSON.stringify(notIcs.body)).toContain('/ics');
  });

  it('restarts the update time with each agent answer and stops it while pending', async () => {
    at(local(2, '10:00'));
    const t = await newTicket(h.as.alice!, { title: 'Printer on fire', queue: 'Support', sla: 'Gold', article: { channel: 'phone', senderType: 'customer', body: 'Help' } });
    expect(t.escalation.sla).toEqual({ id: gold, name: 'Gold' });
    expect(t.escalation.firstResponse.due).toBe(iso(local(2, '11:00')));
    expect(t.escalation.update.due).toBe(iso(local(2, '12:00')));
    // 480 working minutes: 7 hours on Monday, one on Tuesday the 3rd: 10:00.
    expect(t.escalation.solution.due).toBe(iso(local(3, '10:00')));

    at(local(2, '10:30'));
    await answer(t.id);
    let v = await get(t.id);
    expect(v.escalation.firstResponse).toEqual({ due: null, escalated: false, metAt: iso(local(2, '10:30')) });
    expect(v.escalation.update.due).toBe(iso(local(2, '12:30')));

    // An internal note is no answer: nothing moves.
    at(local(2, '10:45'));
    await answer(t.id, { channel: 'note', body: 'checked the fuse' });
    expect((await get(t.id)).escalation.update.due).toBe(iso(local(2, '12:30')));

    // Waiting for the customer from 11:00 to 14:00: the update clock stands still (30 minutes used).
    at(local(2, '11:00'));
    await patch(t.id, { state: 'pending reminder', pendingUntil: iso(local(5, '09:00')) });
    v = await get(t.id);
    expect(v.escalation.update.due).toBeNull();
    at(local(2, '14:00'));
    await patch(t.id, { state: 'open' });
    expect((await get(t.id)).escalation.update.due).toBe(iso(local(2, '15:30')));
    expect((await get(t.id)).escalation.escalationAt).toBe(iso(local(2, '15:30')));

    // The Generic Interface gives OTOBO's escalation fields; at 15:00 half an hour of update time is left.
    at(local(2, '15:00'));
    const gi = dataOf(await new Gi(h.srv.url).get(`/Ticket/${t.id}`, { UserLogin: 'alice', Password: PW, Extended: '1' })).Ticket[0];
    const epoch = (d: Date) => String(d.getTime() / 1000);
    expect(gi).toMatchObject({
      EscalationResponseTime: '0',
      EscalationUpdateTime: epoch(local(2, '15:30')),
      EscalationSolutionTime: epoch(local(3, '10:00')),
      EscalationTime: epoch(local(2, '15:30')),
      UpdateTimeDestinationDate: '2026-03-02 14:30:00',
      UpdateTime: 1800,
      UpdateTimeEscalation: 0,
      SolutionTimeDestinationDate: '2026-03-03 09:00:00',
      SolutionTime: 3 * 3600,
      FirstResponse: '2026-03-02 09:30:00',
    });
    expect(gi.FirstResponseTimeDestinationDate).toBeUndefined();
  });

  it('does not reset the solution time on reopen', async () => {
    at(local(2, '10:00'));
    const t = await newTicket(h.as.alice!, { title: 'Reopened', queue: 'Support', sla: 'Gold', customerUser: 'carl', article: { channel: 'phone', senderType: 'customer', body: 'Help' } });
    at(local(2, '15:00'));
    await patch(t.id, { state: 'closed successful' });
    let v = await get(t.id);
    expect(v.escalation.solution).toEqual({ due: null, escalated: false, solvedAt: iso(local(2, '15:00')) });
    expect(v.escalation.escalationAt).toBeNull();
    // The customer writes again on Wednesday: reopened, and the original solution deadline (Tuesday 10:00) applies — escalated.
    at(local(4, '11:00'));
    const follow = await h.as.carl!.post(`/api/v1/tickets/${t.id}/articles`, { body: 'Still broken' });
    expect(follow.status, JSON.stringify(follow.body)).toBe(201);
    v = await get(t.id);
    expect(v.state.type).toBe('open');
    expect(v.escalation.solution).toEqual({ due: iso(local(3, '10:00')), escalated: true, solvedAt: iso(local(2, '15:00')) });
    expect(v.escalation.escalated).toBe(true);
    // The customer sees "we answer by" (Gold allows it): the first response is still due.
    expect((await h.as.carl!.get(`/api/v1/tickets/${t.id}`)).body.answerBy).toBe(iso(local(2, '11:00')));
  });

  it("treats agent-created tickets as OTOBO does: an email to the customer is the first response, a customer's phone call is not", async () => {
    at(local(2, '10:00'));
    const email = await newTicket(h.as.alice!, { title: 'Outbound', queue: 'Support', sla: 'Gold', article: { channel: 'email', senderType: 'agent', to: 'carl@example.test', body: 'Your order' } });
    expect(email.escalation.firstResponse).toEqual({ due: null, escalated: false, metAt: iso(local(2, '10:00')) });
    const phone = await newTicket(h.as.alice!, { title: 'Inbound call', queue: 'Support', sla: 'Gold', article: { channel: 'phone', senderType: 'customer', body: 'Customer called' } });
    expect(phone.escalation.firstResponse.due).toBe(iso(local(2, '11:00')));
  });

  it('skips holidays, and selects an SLA by conditions for tickets without one', async () => {
    // Monday 16:30 + 60 min: 30 Monday, the 10th (Tuesday) is a holiday → Wednesday 09:30.
    const sla = await h.as.admin!.post('/api/v1/slas', { name: 'HR default', calendarId, firstResponseMinutes: 60, conditions: { queueIds: [h.queues.HR] } });
    expect(sla.status, JSON.stringify(sla.body)).toBe(201);
    at(local(9, '16:30'));
    const t = await newTicket(h.as.alice!, { title: 'Holiday', queue: 'HR', article: { channel: 'phone', senderType: 'customer', body: 'Hi' } });
    expect(t.sla).toBeNull();
    expect(t.escalation.sla).toEqual({ id: sla.body.id, name: 'HR default' });
    expect(t.escalation.firstResponse.due).toBe(iso(local(11, '09:30')));
    // Moving it out of HR drops the SLA (same transaction as the move).
    await patch(t.id, { queue: 'Support' });
    expect((await get(t.id)).escalation).toMatchObject({ sla: null, escalationAt: null });
  });

  it('sends escalation notices only inside working hours, at the next working minute, once', async () => {
    // Monday 16:30: first response due Tuesday the 3rd, 09:30; warning (50 %) due Monday 17:00.
    at(local(2, '16:30'));
    const t = await newTicket(h.as.alice!, { title: 'Late call', queue: 'Support', sla: 'Gold', article: { channel: 'phone', senderType: 'customer', body: 'Hi' } });
    expect(t.escalation.firstResponse.due).toBe(iso(local(3, '09:30')));
    await h.worker.drain();
    // Night: the warning is due, nothing is sent.
    at(local(2, '23:00'));
    await h.worker.drain();
    expect(await escalationMails(t.id)).toEqual([]);
    // 09:00 next morning: the warning goes out (once, however often the scan runs).
    at(local(3, '09:00'));
    await h.worker.drain();
    at(local(3, '09:01'));
    await h.worker.drain();
    expect(await escalationMails(t.id)).toEqual([`Escalation warning [${t.number}] Late call: first response due ${iso(local(3, '09:30'))}`]);
    at(local(3, '09:31'));
    await h.worker.drain();
    at(local(3, '09:45'));
    await h.worker.drain();
    expect(await escalationMails(t.id)).toEqual([
      `Escalation warning [${t.number}] Late call: first response due ${iso(local(3, '09:30'))}`,
      `Escalated [${t.number}] Late call: first response was due ${iso(local(3, '09:30'))}`,
    ]);
    // And in the bell of alice (Support is in her My queues), once each.
    const bell = (await h.as.alice!.get('/api/v1/notifications?limit=200')).body.items.filter((n: any) => n.ticketId === t.id);
    expect(bell.map((n: any) => n.event).sort()).toEqual(['escalation', 'escalationWarning']);
  });

  it('filters and sorts ticket lists by escalation', async () => {
    const bound = iso(local(3, '10:00'));
    const res = await h.as.alice!.post('/api/v1/tickets/search', { escalationTo: bound, sort: 'escalation', order: 'asc', perPage: 100 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const times = res.body.items.map((t: any) => t.escalationAt);
    expect(times.length).toBeGreaterThan(1);
    expect(times.every((x: string | null) => x !== null && x <= bound)).toBe(true);
    expect([...times].sort()).toEqual(times);
    expect(res.body.items.map((t: any) => t.title)).toContain('Late call');
  });

  it("filters the Generic Interface's TicketSearch by OTOBO's escalation parameters", async () => {
    at(local(3, '09:00'));
    const gi = new Gi(h.srv.url);
    const search = async (params: Record<string, unknown>) => {
      const r = dataOf(await gi.call('POST', '/TicketSearch', { UserLogin: 'alice', Password: PW, SortBy: 'EscalationTime', OrderBy: 'Up', ...params }));
      return ((r.TicketID ?? []) as string[]).map(Number);
    };
    const rest = async (body: Record<string, unknown>) => {
      const r = await h.as.alice!.post('/api/v1/tickets/search', { ...body, sort: 'escalation', order: 'asc', perPage: 100 });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body.items.map((t: { id: number }) => t.id);
    };
    const now = local(3, '09:00').getTime();
    const minutes = (m: number) => iso(new Date(now - m * 60_000));
    // Escalated by now (older than 0 minutes), and escalating within the next 24 hours (negative minutes lie ahead).
    const escalated = await search({ TicketEscalationTimeOlderMinutes: 0 });
    expect(escalated.length).toBeGreaterThan(0);
    expect(escalated).toEqual(await rest({ escalationTo: minutes(0) }));
    expect(await search({ TicketEscalationTimeNewerMinutes: 0, TicketEscalationTimeOlderMinutes: -24 * 60 })).toEqual(await rest({ escalationFrom: minutes(0), escalationTo: minutes(-24 * 60) }));
    // Each deadline on its own.
    expect(await search({ TicketEscalationSolutionTimeOlderDate: '2026-03-03 09:00:00' })).toEqual(await rest({ solutionDueTo: new Date(Date.parse('2026-03-03T09:00:00Z') + 999).toISOString() }));
    const response = await search({ TicketEscalationResponseTimeOlderMinutes: -600 });
    expect(response).toEqual(await rest({ firstResponseDueTo: minutes(-600) }));
    for (const id of response) expect((await get(id)).escalation.firstResponse.due <= minutes(-600)).toBe(true);
    expect(await search({ TicketEscalationUpdateTimeNewerMinutes: 60 * 24 * 365 })).toEqual(await rest({ updateDueFrom: minutes(60 * 24 * 365) }));
    // Bad minutes are named.
    const bad = await gi.call('POST', '/TicketSearch', { UserLogin: 'alice', Password: PW, TicketEscalationTimeOlderMinutes: 'soon' });
    expect(JSON.stringify(bad.body)).toMatch(/TicketEscalationTimeOlderMinutes parameter is invalid/);
  });

  it('closes a pending auto close ticket at its pending time, with history', async () => {
    at(local(2, '10:00'));
    const t = await newTicket(h.as.alice!, { title: 'Waiting for feedback', queue: 'Support', lock: true });
    await patch(t.id, { state: 'pending auto close+', pendingUntil: iso(local(2, '12:00')) });
    at(local(2, '11:59'));
    await h.worker.drain();
    expect((await get(t.id)).state.name).toBe('pending auto close+');
    at(local(2, '12:00'));
    await h.worker.drain();
    const v = await get(t.id);
    expect(v.state.name).toBe('closed successful');
    expect(v.locked).toBe(false);
    const history = (await h.as.alice!.get(`/api/v1/tickets/${t.id}/history`)).body.items;
    expect(history.map((e: any) => e.message)).toContain('Changed state from "pending auto close+" to "closed successful" (pending time reached).');
  });
});
