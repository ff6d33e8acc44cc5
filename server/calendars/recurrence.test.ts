/** Recurrence edge cases: DST, the 31st, leap day, "this and following" split, exceptions, bad rules. */
import { describe, expect, it } from 'vitest';
import { checkRule, fromWall, occurrences, splitRule, toWall, windowOccurrences, type ExpansionMemo, type Series } from './recurrence';

const iso = (ds: Date[]) => ds.map((d) => d.toISOString());
const series = (start: string, minutes: number, rrule: string | null, timeZone = 'Europe/Berlin', exdates: string[] = []): Series => ({
  start: new Date(start),
  end: new Date(new Date(start).getTime() + minutes * 60_000),
  timeZone,
  rrule,
  exdates,
});

describe('recurrence', () => {
  it('keeps the wall-clock time across daylight saving (09:00 Berlin is 08:00 UTC in winter, 07:00 in summer)', () => {
    const s = series('2026-03-23T08:00:00Z', 60, 'FREQ=WEEKLY;BYDAY=MO');
    expect(iso(occurrences(s, new Date('2026-03-20T00:00:00Z'), new Date('2026-04-07T00:00:00Z'), 100))).toEqual([
      '2026-03-23T08:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
      '2026-04-06T07:00:00.000Z',
    ]);
    expect(toWall(new Date('2026-07-01T07:00:00Z'), 'Europe/Berlin').toISOString()).toBe('2026-07-01T09:00:00.000Z');
    expect(fromWall(new Date('2026-10-26T09:00:00Z'), 'Europe/Berlin').toISOString()).toBe('2026-10-26T08:00:00.000Z');
    // New York changes on another day than Berlin.
    const ny = series('2026-03-02T14:00:00Z', 30, 'FREQ=WEEKLY', 'America/New_York');
    expect(iso(occurrences(ny, new Date('2026-03-01T00:00:00Z'), new Date('2026-03-12T00:00:00Z'), 10))).toEqual(['2026-03-02T14:00:00.000Z', '2026-03-09T13:00:00.000Z']);
  });

  it('repeats monthly on the 31st only in months that have one, and on the last day with BYMONTHDAY=-1', () => {
    const s = series('2026-01-31T09:00:00Z', 30, 'FREQ=MONTHLY', 'UTC');
    expect(iso(occurrences(s, new Date('2026-01-01T00:00:00Z'), new Date('2026-06-01T00:00:00Z'), 100))).toEqual([
      '2026-01-31T09:00:00.000Z',
      '2026-03-31T09:00:00.000Z',
      '2026-05-31T09:00:00.000Z',
    ]);
    const last = series('2026-01-31T09:00:00Z', 30, 'FREQ=MONTHLY;BYMONTHDAY=-1', 'UTC');
    expect(iso(occurrences(last, new Date('2026-02-01T00:00:00Z'), new Date('2026-05-01T00:00:00Z'), 100))).toEqual([
      '2026-02-28T09:00:00.000Z',
      '2026-03-31T09:00:00.000Z',
      '2026-04-30T09:00:00.000Z',
    ]);
  });

  it('repeats a leap-day appointment yearly only on leap years', () => {
    const s = series('2024-02-29T10:00:00Z', 60, 'FREQ=YEARLY', 'UTC');
    expect(iso(occurrences(s, new Date('2024-01-01T00:00:00Z'), new Date('2033-01-01T00:00:00Z'), 100))).toEqual([
      '2024-02-29T10:00:00.000Z',
      '2028-02-29T10:00:00.000Z',
      '2032-02-29T10:00:00.000Z',
    ]);
  });

  it('leaves out exceptions and the nth weekday rule finds the 2nd Monday', () => {
    const s = series('2026-01-12T09:00:00Z', 60, 'FREQ=MONTHLY;BYDAY=+2MO;COUNT=4', 'UTC', ['2026-02-09T09:00:00.000Z']);
    expect(iso(occurrences(s, new Date('2026-01-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z'), 100))).toEqual([
      '2026-01-12T09:00:00.000Z',
      '2026-03-09T09:00:00.000Z',
      '2026-04-13T09:00:00.000Z',
    ]);
  });

  it('splits a series for "this and following": the first part ends before, the rest keeps the remaining count', () => {
    const s = { ...series('2026-01-05T09:00:00Z', 60, 'FREQ=WEEKLY;COUNT=6', 'UTC'), rrule: 'FREQ=WEEKLY;COUNT=6' };
    const { before, after } = splitRule(s, new Date('2026-01-19T09:00:00Z'));
    expect(before).toBe('FREQ=WEEKLY;UNTIL=20260119T085959Z');
    expect(after).toBe('FREQ=WEEKLY;COUNT=4');
    expect(occurrences({ ...s, rrule: before }, new Date('2026-01-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z'), 100)).toHaveLength(2);
  });

  it('refuses rules that would run away or are malformed, naming the problem', () => {
    const bad = (rrule: string) => {
      try {
        checkRule(series('2026-01-05T09:00:00Z', 1, rrule, 'UTC'));
        return 'accepted';
      } catch (err) {
        return (err as { code: string }).code;
      }
    };
    expect(bad('FREQ=MINUTELY;UNTIL=20360101T000000Z')).toBe('RRULE_TOO_FREQUENT');
    expect(bad('FREQ=HOURLY')).toBe('RRULE_UNBOUNDED');
    expect(bad('FREQ=HOURLY;UNTIL=20360101T000000Z')).toBe('RRULE_TOO_MANY');
    expect(bad('FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30')).toBe('RRULE_EMPTY');
    expect(bad('FREQ=WEEKLY;BYDAY=XX')).toBe('INVALID_RRULE');
    expect(bad('FREQ=WEEKLY;FOO=1')).toBe('INVALID_RRULE');
    expect(bad('not a rule')).toBe('INVALID_RRULE');
    expect(bad('FREQ=WEEKLY;INTERVAL=abc')).toBe('INVALID_RRULE');
    expect(bad('FREQ=WEEKLY')).toBe('accepted');
    expect(checkRule(series('2026-01-05T09:00:00Z', 60, 'FREQ=DAILY;COUNT=3', 'UTC'))!.toISOString()).toBe('2026-01-07T10:00:00.000Z');
  });

  it('answers a window years after the start exactly as walking the whole series does', () => {
    const rules = [
      'FREQ=DAILY',
      'FREQ=DAILY;INTERVAL=3;BYHOUR=7,18',
      'FREQ=WEEKLY',
      'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR;WKST=SU',
      'FREQ=MONTHLY',
      'FREQ=MONTHLY;INTERVAL=5',
      'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1',
      'FREQ=MONTHLY;BYDAY=+2WE',
      'FREQ=YEARLY',
      'FREQ=YEARLY;INTERVAL=2;BYMONTH=3;BYDAY=-1SU',
      'FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO',
      'FREQ=HOURLY;INTERVAL=7;UNTIL=20290101T000000Z',
      'FREQ=WEEKLY;UNTIL=20280315',
    ];
    const starts = ['2024-01-31T08:30:00Z', '2024-02-29T23:15:00Z', '2025-10-26T00:30:00Z', '2024-01-15T08:30:00Z', '2024-01-22T08:30:00Z'];
    // One memo across all series, as a month view shares it: series must not see each other's occurrences.
    const memo: ExpansionMemo = new Map();
    for (const rule of rules) {
      for (const start of starts) {
        for (const zone of ['Europe/Berlin', 'America/New_York', 'UTC']) {
          const s = series(start, 90, rule, zone);
          const from = new Date('2028-03-20T00:00:00Z');
          const to = new Date('2028-04-03T00:00:00Z');
          const walked = occurrences(s, s.start, to, 100_000).filter((d) => d.getTime() + 90 * 60_000 > from.getTime());
          expect(iso(occurrences(s, from, to, 1000)), `${rule} from ${start} in ${zone}`).toEqual(iso(walked));
          for (let twice = 0; twice < 2; twice++) expect(iso(occurrences(s, from, to, 1000, memo)), `${rule} from ${start} in ${zone}, memo`).toEqual(iso(walked));
          // The per-series window cache answers the same, and an added exception is another answer.
          for (let twice = 0; twice < 2; twice++) expect(iso(windowOccurrences(s, from, to, 1000)), `${rule} from ${start} in ${zone}, cached window`).toEqual(iso(walked));
          if (walked.length) {
            const without = windowOccurrences({ ...s, exdates: [walked[0]!.toISOString()] }, from, to, 1000);
            expect(iso(without), `${rule} from ${start} in ${zone}, exception`).toEqual(iso(walked.slice(1)));
          }
        }
      }
    }
  });
});
