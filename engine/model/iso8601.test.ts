import { describe, expect, it } from 'vitest';
import { addDuration, describeCycle, describeDuration, describeTimer, durationMs, parseCycle, parseDateTime, parseDuration, parseTimer } from './iso8601';

function ok<T>(r: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

describe('ISO-8601 durations', () => {
  it.each([
    ['PT8H', { hours: 8 }, 28_800_000],
    ['P1D', { days: 1 }, 86_400_000],
    ['P1DT12H', { days: 1, hours: 12 }, 129_600_000],
    ['P2W', { weeks: 2 }, 1_209_600_000],
    ['PT1.5S', { seconds: 1.5 }, 1500],
    ['PT0,5H', { hours: 0.5 }, 1_800_000],
  ])('parses %s', (text, parts, ms) => {
    const d = ok(parseDuration(text));
    expect(d).toMatchObject(parts);
    expect(durationMs(d)).toBe(ms);
  });

  it.each(['8h', 'P', 'PT', 'P1DT', 'P1.5DT2H', '', 'PT-1H', 'P1Y2M3DT4H5M6S7S'])('refuses %j with a hint', (text) => {
    const r = parseDuration(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/write e\.g\. PT8H/);
  });

  it('has no fixed length when it has months or years', () => {
    expect(durationMs(ok(parseDuration('P1M')))).toBeUndefined();
  });

  it('is described in words', () => {
    expect(describeDuration(ok(parseDuration('P1DT12H')))).toBe('1 day and 12 hours');
    expect(describeDuration(ok(parseDuration('P1Y2M3D')))).toBe('1 year, 2 months and 3 days');
    expect(describeDuration(ok(parseDuration('PT1M')))).toBe('1 minute');
  });

  it('adds months by the calendar, keeping the day where it exists', () => {
    const jan31 = Date.UTC(2025, 0, 31, 9);
    expect(new Date(addDuration(jan31, ok(parseDuration('P1M')))).toISOString()).toBe('2025-02-28T09:00:00.000Z');
    expect(new Date(addDuration(jan31, ok(parseDuration('P1Y1DT1H')))).toISOString()).toBe('2026-02-01T10:00:00.000Z');
  });
});

describe('ISO-8601 date-times', () => {
  it('parses with Z or an offset', () => {
    expect(ok(parseDateTime('2025-03-01T09:00:00Z')).epochMs).toBe(Date.UTC(2025, 2, 1, 9));
    expect(ok(parseDateTime('2025-03-01T09:00+01:00')).epochMs).toBe(Date.UTC(2025, 2, 1, 8));
    expect(ok(parseDateTime('2025-03-01T09:00:00.250-0230')).epochMs).toBe(Date.UTC(2025, 2, 1, 11, 30, 0, 250));
  });

  it.each([
    ['2025-02-30T09:00Z', /day 30 does not exist/],
    ['2025-13-01T09:00Z', /month 13/],
    ['2025-03-01T24:00Z', /out of range/],
    ['2025-03-01T09:00', /time zone/],
    ['tomorrow', /not an ISO-8601 date-time/],
  ])('refuses %s', (text, why) => {
    const r = parseDateTime(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(why);
  });
});

describe('ISO-8601 repeating intervals', () => {
  it('reads counted and endless cycles, with a start or an end', () => {
    expect(ok(parseCycle('R3/PT1H'))).toMatchObject({ repetitions: 3, interval: { hours: 1 } });
    expect(ok(parseCycle('R/P1D')).repetitions).toBeNull();
    expect(ok(parseCycle('R5/2025-03-01T09:00Z/P1W')).start?.epochMs).toBe(Date.UTC(2025, 2, 1, 9));
    expect(ok(parseCycle('R/PT12H/2025-12-31T00:00Z')).end?.text).toBe('2025-12-31T00:00Z');
  });

  it('describes them as a person would say them', () => {
    expect(describeCycle(ok(parseCycle('R3/P1D')))).toBe('every 1 day, 3 times');
    expect(describeCycle(ok(parseCycle('R/PT1H')))).toBe('every 1 hour, without end');
    expect(describeCycle(ok(parseCycle('R1/P2W')))).toBe('every 2 weeks, once');
    expect(describeCycle(ok(parseCycle('R5/2025-03-01T09:00Z/P1W')))).toBe('every 1 week from 2025-03-01 09:00Z, 5 times');
    expect(describeCycle(ok(parseCycle('R/P1D/2025-12-31T00:00Z')))).toBe('every 1 day, until 2025-12-31 00:00Z');
  });

  it.each([
    ['0 0 * * *', /cron/],
    ['R0/PT1H', /never repeats/],
    ['R3/PT0S', /zero/],
    ['R3', /expected R/],
    ['R3/2025-13-01T00:00Z/PT1H', /the start/],
    ['PT1H', /expected R/],
  ])('refuses %s', (text, why) => {
    const r = parseCycle(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(why);
  });
});

describe('timers', () => {
  it('need exactly one of duration, date and cycle', () => {
    expect(parseTimer({}).ok).toBe(false);
    expect(parseTimer({ duration: 'PT1H', cycle: 'R/PT1H' }).ok).toBe(false);
    expect(ok(parseTimer({ cycle: 'R/PT1H' })).kind).toBe('cycle');
  });

  it('are described in words', () => {
    expect(describeTimer({ duration: 'PT8H' })).toBe('after 8 hours');
    expect(describeTimer({ date: '2025-03-01T09:00Z' })).toBe('at 2025-03-01 09:00Z');
    expect(describeTimer({ cycle: 'R3/P1D' })).toBe('every 1 day, 3 times');
  });
});
