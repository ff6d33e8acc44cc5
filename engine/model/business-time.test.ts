import { describe, expect, it } from 'vitest';
import { addWorkingMinutes, ALWAYS, calendarProblems, isWorkingTime, nextWorkingTime, workingMinutesBetween, type BusinessCalendar } from './business-time';

const nineToFive = [{ from: '09:00', to: '17:00' }];
/** Mon–Fri 09:00–17:00 in Berlin. */
const berlin: BusinessCalendar = { timeZone: 'Europe/Berlin', week: { 1: nineToFive, 2: nineToFive, 3: nineToFive, 4: nineToFive, 5: nineToFive }, holidays: [] };
const iso = (d: Date | null) => d?.toISOString() ?? null;
const at = (s: string) => new Date(s);

describe('addWorkingMinutes', () => {
  it('counts inside one working day', () => {
    // Monday 2026-03-02 10:00 Berlin (CET, UTC+1) = 09:00Z; +90 min → 11:30 local.
    expect(iso(addWorkingMinutes(berlin, at('2026-03-02T09:00:00Z'), 90))).toBe('2026-03-02T10:30:00.000Z');
  });

  it('carries over the night and the weekend', () => {
    // Friday 16:00 local + 120 min: one hour Friday, one hour Monday from 09:00 → Monday 10:00 local.
    expect(iso(addWorkingMinutes(berlin, at('2026-03-06T15:00:00Z'), 120))).toBe('2026-03-09T09:00:00.000Z');
  });

  it('starts a ticket created outside working hours at the next working minute', () => {
    // Saturday night: the clock starts Monday 09:00 local (08:00Z).
    expect(iso(addWorkingMinutes(berlin, at('2026-03-07T22:00:00Z'), 60))).toBe('2026-03-09T09:00:00.000Z');
    // Tuesday 06:00 local: starts at 09:00.
    expect(iso(addWorkingMinutes(berlin, at('2026-03-03T05:00:00Z'), 30))).toBe('2026-03-03T08:30:00.000Z');
    // Zero minutes: the next working instant.
    expect(iso(addWorkingMinutes(berlin, at('2026-03-07T22:00:00Z'), 0))).toBe('2026-03-09T08:00:00.000Z');
  });

  it('ends exactly at the end of a day, not on the next morning', () => {
    expect(iso(addWorkingMinutes(berlin, at('2026-03-02T08:00:00Z'), 480))).toBe('2026-03-02T16:00:00.000Z');
  });

  it('skips one-time and yearly holidays', () => {
    const cal: BusinessCalendar = { ...berlin, holidays: [{ date: '2026-03-09', name: 'one-off' }, { date: '03-10', recurring: true, name: 'yearly' }] };
    // Friday 16:00 + 120: Friday 1h, Mon 9th and Tue 10th are holidays → Wednesday 10:00 local.
    expect(iso(addWorkingMinutes(cal, at('2026-03-06T15:00:00Z'), 120))).toBe('2026-03-11T09:00:00.000Z');
    // The yearly one holds in other years, the one-time one does not.
    expect(isWorkingTime(cal, at('2027-03-10T10:00:00Z'))).toBe(false);
    expect(isWorkingTime(cal, at('2027-03-09T10:00:00Z'))).toBe(true);
  });

  it('keeps local working hours across the spring DST change (Berlin, 29 March 2026)', () => {
    // Friday 27 March 16:00 CET (15:00Z) + 120 min → Monday 30 March 10:00 CEST = 08:00Z.
    expect(iso(addWorkingMinutes(berlin, at('2026-03-27T15:00:00Z'), 120))).toBe('2026-03-30T08:00:00.000Z');
  });

  it('keeps local working hours across the autumn DST change (Berlin, 25 October 2026)', () => {
    // Friday 23 October 16:00 CEST (14:00Z) + 120 → Monday 26 October 10:00 CET = 09:00Z.
    expect(iso(addWorkingMinutes(berlin, at('2026-10-23T14:00:00Z'), 120))).toBe('2026-10-26T09:00:00.000Z');
  });

  it('counts real elapsed minutes on a 24-hour calendar over a DST day (23 and 25 hour days)', () => {
    const allDay: BusinessCalendar = { timeZone: 'Europe/Berlin', week: Object.fromEntries([0, 1, 2, 3, 4, 5, 6].map((d) => [d, [{ from: '00:00', to: '24:00' }]])) };
    expect(workingMinutesBetween(allDay, at('2026-03-28T23:00:00Z'), at('2026-03-29T22:00:00Z'))).toBe(23 * 60);
    expect(workingMinutesBetween(allDay, at('2026-10-24T22:00:00Z'), at('2026-10-25T23:00:00Z'))).toBe(25 * 60);
    expect(iso(addWorkingMinutes(allDay, at('2026-03-29T00:30:00Z'), 60))).toBe('2026-03-29T01:30:00.000Z');
  });

  it('handles a range that begins inside a spring-forward gap', () => {
    // 02:00–04:00 local does not fully exist on 29 March 2026 in Berlin: only 03:00–04:00 CEST (01:00Z–02:00Z).
    const night: BusinessCalendar = { timeZone: 'Europe/Berlin', week: { 0: [{ from: '02:00', to: '04:00' }] } };
    expect(workingMinutesBetween(night, at('2026-03-28T00:00:00Z'), at('2026-03-30T00:00:00Z'))).toBe(60);
  });

  it('runs overnight ranges into the next day (Mon 22:00–06:00)', () => {
    const nights: BusinessCalendar = { timeZone: 'UTC', week: { 1: [{ from: '22:00', to: '06:00' }] } };
    // Monday 2026-03-02 23:00 + 180 min → Tuesday 02:00.
    expect(iso(addWorkingMinutes(nights, at('2026-03-02T23:00:00Z'), 180))).toBe('2026-03-03T02:00:00.000Z');
    // Tuesday 03:00 is still inside Monday's range; Tuesday 22:00 is not.
    expect(isWorkingTime(nights, at('2026-03-03T03:00:00Z'))).toBe(true);
    expect(isWorkingTime(nights, at('2026-03-03T22:30:00Z'))).toBe(false);
    // 8 hours a week: from Tuesday 05:00, 120 minutes → 1 h left Tuesday, 1 h next Monday 23:00.
    expect(iso(addWorkingMinutes(nights, at('2026-03-03T05:00:00Z'), 120))).toBe('2026-03-09T23:00:00.000Z');
  });

  it('counts overlapping ranges once', () => {
    const cal: BusinessCalendar = { timeZone: 'UTC', week: { 1: [{ from: '22:00', to: '06:00' }], 2: [{ from: '00:00', to: '08:00' }] } };
    expect(workingMinutesBetween(cal, at('2026-03-02T00:00:00Z'), at('2026-03-04T00:00:00Z'))).toBe(10 * 60);
  });

  it('uses several ranges a day (lunch break)', () => {
    const lunch: BusinessCalendar = { timeZone: 'America/New_York', week: { 3: [{ from: '08:00', to: '12:00' }, { from: '13:00', to: '17:00' }] } };
    // Wednesday 2026-03-04 11:30 EST (16:30Z) + 60 → 13:30 EST = 18:30Z.
    expect(iso(addWorkingMinutes(lunch, at('2026-03-04T16:30:00Z'), 60))).toBe('2026-03-04T18:30:00.000Z');
    expect(isWorkingTime(lunch, at('2026-03-04T17:30:00Z'))).toBe(false);
  });

  it('uses the calendar zone, not UTC, for weekdays and holidays', () => {
    const tokyo: BusinessCalendar = { timeZone: 'Asia/Tokyo', week: { 1: nineToFive }, holidays: [{ date: '2026-03-09' }] };
    // Sunday 2026-03-08 23:30Z is Monday 08:30 in Tokyo; but Monday the 9th is a holiday there → next Monday 16th 09:00 JST.
    expect(iso(nextWorkingTime(tokyo, at('2026-03-08T23:30:00Z')))).toBe('2026-03-16T00:00:00.000Z');
  });

  it('gives null for a calendar with no working time at all', () => {
    expect(addWorkingMinutes({ timeZone: 'UTC', week: {} }, at('2026-03-02T00:00:00Z'), 10)).toBeNull();
    expect(nextWorkingTime({ timeZone: 'UTC', week: {} }, at('2026-03-02T00:00:00Z'))).toBeNull();
  });
});

describe('workingMinutesBetween', () => {
  it('is the inverse of addWorkingMinutes', () => {
    const start = at('2026-03-05T13:17:00Z');
    for (const m of [0, 1, 59, 480, 481, 2000, 10_000]) {
      const end = addWorkingMinutes(berlin, start, m)!;
      expect(workingMinutesBetween(berlin, start, end)).toBe(m);
    }
  });

  it('is zero backwards and outside working hours', () => {
    expect(workingMinutesBetween(berlin, at('2026-03-03T00:00:00Z'), at('2026-03-02T00:00:00Z'))).toBe(0);
    expect(workingMinutesBetween(berlin, at('2026-03-07T00:00:00Z'), at('2026-03-08T23:00:00Z'))).toBe(0);
  });
});

describe('ALWAYS and calendarProblems', () => {
  it('counts every minute', () => {
    expect(iso(addWorkingMinutes(ALWAYS, at('2026-03-07T22:00:00Z'), 120))).toBe('2026-03-08T00:00:00.000Z');
  });

  it('names each problem by path', () => {
    const problems = calendarProblems({ timeZone: 'Mars/Olympus', week: { 1: [{ from: '9', to: '17:00' }], 8: [] }, holidays: [{ date: '12-25' }] });
    expect(problems.map((p) => p.path)).toEqual(['/timeZone', '/week/1/0/from', '/week/8', '/holidays/0/date']);
    expect(calendarProblems(berlin)).toEqual([]);
  });
});
