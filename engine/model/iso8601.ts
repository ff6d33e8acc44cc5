/**
 * ISO-8601 timer expressions, as BPMN timers use them: durations (`PT8H`, `P1DT12H`), date-times
 * (`2025-03-01T09:00:00Z`) and repeating intervals (`R3/PT1H`, `R/P1D`, `R5/2025-03-01T09:00Z/P1W`).
 * Pure functions: parse, describe in words ("every 1 day, 3 times"), and calendar arithmetic in UTC.
 */

/** Parse result: a value, or a sentence saying what is wrong. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export interface Duration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

export interface DateTime {
  /** The text as written. */
  text: string;
  /** Milliseconds since the epoch. */
  epochMs: number;
}

export interface Cycle {
  /** How many times; `null` repeats without end. */
  repetitions: number | null;
  interval: Duration;
  start?: DateTime;
  end?: DateTime;
}

const UNITS: Array<[keyof Duration, string]> = [
  ['years', 'year'], ['months', 'month'], ['weeks', 'week'], ['days', 'day'],
  ['hours', 'hour'], ['minutes', 'minute'], ['seconds', 'second'],
];

const NUM = '(\\d+(?:[.,]\\d+)?)';
const DURATION_RE = new RegExp(`^P(?:${NUM}Y)?(?:${NUM}M)?(?:${NUM}W)?(?:${NUM}D)?(?:T(?:${NUM}H)?(?:${NUM}M)?(?:${NUM}S)?)?$`);

/**
 * Parses an ISO-8601 duration.
 *
 * @example
 * parseDuration('PT8H');   // { ok: true, value: { hours: 8, years: 0, ... } }
 * parseDuration('8 hours'); // { ok: false, error: '"8 hours" is not an ISO-8601 duration ...' }
 */
export function parseDuration(text: string): Parsed<Duration> {
  const bad = (why: string): Parsed<Duration> => ({
    ok: false,
    error: `"${text}" is not an ISO-8601 duration (${why}); write e.g. PT8H, P1D or P1DT12H.`,
  });
  if (typeof text !== 'string' || text.length > 64) return bad('too long or not text');
  const m = DURATION_RE.exec(text);
  if (!m) return bad('expected P, then amounts with Y, M, W, D, and after T: H, M, S');
  if (text.endsWith('T')) return bad('a T must be followed by hours, minutes or seconds');
  const parts = m.slice(1);
  if (parts.every((p) => p === undefined)) return bad('it has no amount');
  const present = parts.map((p, i) => (p === undefined ? -1 : i)).filter((i) => i >= 0);
  const fractional = present.filter((i) => /[.,]/.test(parts[i]!));
  if (fractional.length > 1 || (fractional.length === 1 && fractional[0] !== present[present.length - 1])) {
    return bad('only the smallest unit may have a fraction');
  }
  const value = {} as Duration;
  UNITS.forEach(([key], i) => {
    value[key] = parts[i] === undefined ? 0 : Number(parts[i]!.replace(',', '.'));
  });
  return { ok: true, value };
}

const DATE_TIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)$/;

/**
 * Parses an ISO-8601 date-time with a time zone (`Z` or an offset).
 *
 * @example
 * parseDateTime('2025-03-01T09:00:00+01:00'); // { ok: true, value: { text, epochMs: 1740816000000 } }
 * parseDateTime('2025-02-30T09:00Z');         // { ok: false, error: '... day 30 does not exist ...' }
 */
export function parseDateTime(text: string): Parsed<DateTime> {
  const bad = (why: string): Parsed<DateTime> => ({
    ok: false,
    error: `"${text}" is not an ISO-8601 date-time (${why}); write e.g. 2025-03-01T09:00:00Z.`,
  });
  if (typeof text !== 'string' || text.length > 64) return bad('too long or not text');
  const m = DATE_TIME_RE.exec(text);
  if (!m) return bad('expected YYYY-MM-DDThh:mm[:ss] and a time zone, Z or +hh:mm');
  const [, y, mo, d, h, mi, s = '0', frac = '0', zone] = m;
  const year = Number(y), month = Number(mo), day = Number(d), hour = Number(h), minute = Number(mi), second = Number(s);
  if (month < 1 || month > 12) return bad(`month ${month} does not exist`);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return bad(`day ${day} does not exist in that month`);
  if (hour > 23 || minute > 59 || second > 59) return bad('the time is out of range');
  let offsetMin = 0;
  if (zone !== 'Z') {
    const digits = zone!.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2)), om = Number(digits.slice(2) || '0');
    if (oh > 14 || om > 59) return bad('the time zone offset is out of range');
    offsetMin = (zone!.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  const ms = Math.floor(Number(`0.${frac}`) * 1000);
  const epochMs = Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMin * 60_000;
  return { ok: true, value: { text, epochMs } };
}

/**
 * Parses an ISO-8601 repeating interval: `R[n]/duration`, `R[n]/start/duration` or `R[n]/duration/end`.
 *
 * @example
 * parseCycle('R3/PT1H'); // { ok: true, value: { repetitions: 3, interval: { hours: 1, ... } } }
 * parseCycle('R/P1D');   // repetitions: null (without end)
 */
export function parseCycle(text: string): Parsed<Cycle> {
  const bad = (why: string): Parsed<Cycle> => ({
    ok: false,
    error: `"${text}" is not an ISO-8601 repeating interval (${why}); write e.g. R3/PT1H or R/P1D.`,
  });
  if (typeof text !== 'string' || text.length > 160) return bad('too long or not text');
  if (/^\S+(\s+\S+){4,6}$/.test(text.trim())) return bad('cron expressions are not supported');
  const parts = text.split('/');
  const r = /^R(\d*)$/.exec(parts[0] ?? '');
  if (!r || parts.length < 2 || parts.length > 3) return bad('expected R, an optional count, and /interval');
  const repetitions = r[1] === '' ? null : Number(r[1]);
  if (repetitions === 0) return bad('R0 never repeats');
  let start: DateTime | undefined, end: DateTime | undefined, durText: string;
  if (parts.length === 2) durText = parts[1]!;
  else if (parts[1]!.startsWith('P')) {
    durText = parts[1]!;
    const e = parseDateTime(parts[2]!);
    if (!e.ok) return bad(`the end: ${e.error}`);
    end = e.value;
  } else {
    const s = parseDateTime(parts[1]!);
    if (!s.ok) return bad(`the start: ${s.error}`);
    start = s.value;
    durText = parts[2]!;
  }
  const interval = parseDuration(durText);
  if (!interval.ok) return bad(`the interval: ${interval.error}`);
  if (isZero(interval.value)) return bad('the interval is zero');
  const value: Cycle = { repetitions, interval: interval.value };
  if (start) value.start = start;
  if (end) value.end = end;
  return { ok: true, value };
}

/** A timer as the process format writes it: exactly one of the three. */
export interface TimerSpec {
  duration?: string;
  date?: string;
  cycle?: string;
}

export type Timer =
  | { kind: 'duration'; duration: Duration }
  | { kind: 'date'; date: DateTime }
  | { kind: 'cycle'; cycle: Cycle };

/**
 * Parses whichever of `duration`, `date`, `cycle` a timer has (exactly one must be set).
 *
 * @example
 * parseTimer({ duration: 'PT8H' }); // { ok: true, value: { kind: 'duration', duration: {...} } }
 * parseTimer({});                   // { ok: false, error: 'A timer needs exactly one of ...' }
 */
export function parseTimer(spec: TimerSpec): Parsed<Timer> {
  const set = (['duration', 'date', 'cycle'] as const).filter((k) => spec[k] !== undefined);
  if (set.length !== 1) {
    return { ok: false, error: 'A timer needs exactly one of "duration" (PT8H), "date" (2025-03-01T09:00Z) or "cycle" (R3/PT1H).' };
  }
  if (spec.duration !== undefined) {
    const d = parseDuration(spec.duration);
    return d.ok ? { ok: true, value: { kind: 'duration', duration: d.value } } : d;
  }
  if (spec.date !== undefined) {
    const d = parseDateTime(spec.date);
    return d.ok ? { ok: true, value: { kind: 'date', date: d.value } } : d;
  }
  const c = parseCycle(spec.cycle!);
  return c.ok ? { ok: true, value: { kind: 'cycle', cycle: c.value } } : c;
}

function isZero(d: Duration): boolean {
  return UNITS.every(([k]) => d[k] === 0);
}

function joinWords(parts: string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/**
 * Describes a duration in words.
 *
 * @example
 * describeDuration(parseDuration('P1DT12H').value); // '1 day and 12 hours'
 */
export function describeDuration(d: Duration): string {
  const parts = UNITS.filter(([k]) => d[k] !== 0).map(([k, word]) => `${d[k]} ${word}${d[k] === 1 ? '' : 's'}`);
  return parts.length ? joinWords(parts) : '0 seconds';
}

function describeDate(d: DateTime): string {
  return d.text.replace('T', ' ');
}

/**
 * Describes a repeating interval in words.
 *
 * @example
 * describeCycle(parseCycle('R3/P1D').value); // 'every 1 day, 3 times'
 * describeCycle(parseCycle('R/PT1H').value); // 'every 1 hour, without end'
 */
export function describeCycle(c: Cycle): string {
  let text = `every ${describeDuration(c.interval)}`;
  if (c.start) text += ` from ${describeDate(c.start)}`;
  if (c.repetitions !== null) text += `, ${c.repetitions === 1 ? 'once' : `${c.repetitions} times`}`;
  if (c.end) text += `${c.repetitions === null ? ',' : ''} until ${describeDate(c.end)}`;
  if (c.repetitions === null && !c.end) text += ', without end';
  return text;
}

/**
 * Describes a timer spec in words, or says what is wrong with it.
 *
 * @example
 * describeTimer({ duration: 'PT8H' }); // 'after 8 hours'
 * describeTimer({ cycle: 'R3/P1D' });  // 'every 1 day, 3 times'
 */
export function describeTimer(spec: TimerSpec): string {
  const t = parseTimer(spec);
  if (!t.ok) return t.error;
  if (t.value.kind === 'duration') return `after ${describeDuration(t.value.duration)}`;
  if (t.value.kind === 'date') return `at ${describeDate(t.value.date)}`;
  return describeCycle(t.value.cycle);
}

/**
 * Adds a duration to an instant with UTC calendar arithmetic (months and years keep the day of the
 * month where it exists, else the month's last day).
 *
 * @example
 * addDuration(Date.UTC(2025, 0, 31), parseDuration('P1M').value); // 2025-02-28T00:00Z in ms
 */
export function addDuration(epochMs: number, d: Duration): number {
  const date = new Date(epochMs);
  const wholeMonths = Math.trunc(d.years * 12 + d.months);
  if (wholeMonths !== 0) {
    const day = date.getUTCDate();
    date.setUTCDate(1);
    date.setUTCMonth(date.getUTCMonth() + wholeMonths);
    const last = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
    date.setUTCDate(Math.min(day, last));
  }
  const fixed = ((d.weeks * 7 + d.days) * 24 + d.hours) * 3_600_000 + d.minutes * 60_000 + d.seconds * 1000;
  return date.getTime() + Math.round(fixed);
}

/**
 * The length of a duration in milliseconds, when it has no years or months (whose length depends
 * on the calendar); `undefined` otherwise. Days count 24 hours.
 *
 * @example
 * durationMs(parseDuration('PT8H').value); // 28800000
 */
export function durationMs(d: Duration): number | undefined {
  if (d.years !== 0 || d.months !== 0) return undefined;
  return Math.round(((d.weeks * 7 + d.days) * 24 + d.hours) * 3_600_000 + d.minutes * 60_000 + d.seconds * 1000);
}
