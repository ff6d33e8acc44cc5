/**
 * Recurrence arithmetic for appointments (RFC 5545 RRULE through `rrule`). A rule repeats in the
 * appointment's time zone: the series is expanded in wall-clock time ("every Monday 09:00 in
 * Europe/Berlin" stays 09:00 across daylight saving) and each occurrence is turned back into an
 * instant. Rules are stored as written and expanded per request window, never materialised; a
 * rule is checked when it is written so that no expansion can run away (too frequent, too many
 * occurrences, no occurrence at all).
 */
import { createRequire } from 'node:module';
import type { Options, RRule as RRuleType } from 'rrule';
import { BadRequest } from '../errors';

// rrule ships a UMD main without named ESM exports; require keeps its types.
const { RRule } = createRequire(import.meta.url)('rrule') as typeof import('rrule');

/** Most occurrences a rule with an end (UNTIL / COUNT) may have. */
export const MAX_SERIES_OCCURRENCES = 5000;
/** How far ahead a rule must yield its first occurrence. */
const FIRST_OCCURRENCE_YEARS = 10;
const DAY = 86_400_000;

// ---- time zones -----------------------------------------------------------------------------

const formats = new Map<string, Intl.DateTimeFormat>();
function format(tz: string): Intl.DateTimeFormat {
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formats.set(tz, f);
  }
  return f;
}

/** Whether `tz` is an IANA time zone this runtime knows. */
export function isTimeZone(tz: string): boolean {
  try {
    format(tz);
    return true;
  } catch {
    return false;
  }
}

/**
 * The wall-clock time of instant `d` in `tz`, as a Date whose UTC fields hold it.
 *
 * @example
 * toWall(new Date('2026-07-01T07:00:00Z'), 'Europe/Berlin'); // 2026-07-01T09:00:00.000Z
 */
export function toWall(d: Date, tz: string): Date {
  const offset = dayOffset(d, tz);
  return offset === undefined ? wallByIntl(d, tz) : new Date(d.getTime() + offset);
}

function wallByIntl(d: Date, tz: string): Date {
  const p: Record<string, number> = {};
  for (const part of format(tz).formatToParts(d)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return new Date(Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!, d.getUTCMilliseconds()));
}

/**
 * Offsets per zone and UTC day, asked of Intl once: a day whose offset is the same at its start
 * and its end has that offset throughout (zones change at most once a day); a day with a change
 * is answered per instant (undefined here).
 */
const offsets = new Map<string, number | null>();
const MAX_CACHED_OFFSETS = 100_000;
function dayOffset(d: Date, tz: string): number | undefined {
  const day = Math.floor(d.getTime() / DAY);
  if (!Number.isFinite(day)) return undefined;
  const key = `${tz} ${day}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const start = new Date(day * DAY);
    const end = new Date(start.getTime() + DAY - 1000);
    const a = wallByIntl(start, tz).getTime() - start.getTime();
    const b = wallByIntl(end, tz).getTime() - end.getTime();
    offset = a === b ? a : null;
    if (offsets.size >= MAX_CACHED_OFFSETS) offsets.clear();
    offsets.set(key, offset);
  }
  return offset ?? undefined;
}

/**
 * The instant at which the wall clock in `tz` shows `wall`'s UTC fields (in a spring-forward gap:
 * the same distance after the gap).
 *
 * @example
 * fromWall(new Date('2026-07-01T09:00:00Z'), 'Europe/Berlin'); // 2026-07-01T07:00:00.000Z
 */
export function fromWall(wall: Date, tz: string): Date {
  const offset = (at: Date) => toWall(at, tz).getTime() - at.getTime();
  const first = new Date(wall.getTime() - offset(wall));
  const second = offset(first);
  return second === offset(wall) ? first : new Date(wall.getTime() - second);
}

// ---- rules ----------------------------------------------------------------------------------

const KEYS = new Set(['FREQ', 'INTERVAL', 'COUNT', 'UNTIL', 'BYDAY', 'BYMONTHDAY', 'BYMONTH', 'BYSETPOS', 'BYYEARDAY', 'BYWEEKNO', 'WKST', 'BYHOUR', 'BYMINUTE']);

/** The rule's options with UNTIL as a wall-clock time in `tz` (a date-only UNTIL counts to its day's end). */
function parse(rule: string, tz: string, path: string): Partial<Options> {
  const text = rule.replace(/^RRULE:/i, '').trim();
  for (const part of text.split(';')) {
    const m = /^([A-Z]+)=([A-Za-z0-9,+\-:]+)$/.exec(part);
    if (!m) throw new BadRequest(`the repeat rule has a malformed part ${JSON.stringify(part)} (expected KEY=VALUE as in RFC 5545)`, path, undefined, 'INVALID_RRULE');
    if (!KEYS.has(m[1]!)) throw new BadRequest(`the repeat rule has an unknown or unsupported part ${m[1]}`, path, undefined, 'INVALID_RRULE');
  }
  let opts: Partial<Options>;
  try {
    opts = RRule.parseString(text);
  } catch (err) {
    throw new BadRequest(`the repeat rule cannot be read: ${(err as Error).message}`, path, undefined, 'INVALID_RRULE');
  }
  if (opts.freq === undefined) throw new BadRequest('the repeat rule needs FREQ', path, undefined, 'INVALID_RRULE');
  const ints: Array<[keyof Options, number, number]> = [['interval', 1, 1000], ['count', 1, MAX_SERIES_OCCURRENCES]];
  for (const [k, min, max] of ints) {
    const v = opts[k];
    if (v !== undefined && v !== null && !(Number.isInteger(v) && (v as number) >= min && (v as number) <= max)) {
      throw new BadRequest(`the repeat rule's ${k.toUpperCase()} must be a whole number from ${min} to ${max}`, path, undefined, 'INVALID_RRULE');
    }
  }
  const days = opts.byweekday;
  if (Array.isArray(days) && days.some((d) => d === undefined || d === null)) throw new BadRequest('the repeat rule has an unknown weekday in BYDAY', path, undefined, 'INVALID_RRULE');
  for (const k of ['bymonthday', 'bymonth', 'bysetpos', 'byyearday', 'byweekno', 'byhour', 'byminute'] as const) {
    const v = opts[k];
    const list = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
    if (list.some((n) => !Number.isInteger(n))) throw new BadRequest(`the repeat rule's ${k.toUpperCase()} must list whole numbers`, path, undefined, 'INVALID_RRULE');
  }
  if (opts.until) {
    const dateOnly = /UNTIL=\d{8}(;|$)/i.test(text);
    opts.until = dateOnly ? new Date(opts.until.getTime() + DAY - 1000) : toWall(opts.until, tz);
  }
  return opts;
}

/** Parsed rules by zone and text (a rule's options depend only on those). */
const parsed = new Map<string, Partial<Options>>();
const MAX_CACHED_RULES = 10_000;
function parseCached(rule: string, tz: string, path: string): Partial<Options> {
  const key = `${tz}\n${rule}`;
  let opts = parsed.get(key);
  if (!opts) {
    opts = parse(rule, tz, path);
    if (parsed.size >= MAX_CACHED_RULES) parsed.clear();
    parsed.set(key, opts);
  }
  return opts;
}

function build(rule: string, start: Date, tz: string, path = '/rrule'): RRuleType {
  return new RRule({ ...parseCached(rule, tz, path), dtstart: toWall(start, tz), tzid: null });
}

const HOUR = 3_600_000;
/**
 * Where to start expanding `opts` (a rule starting at wall-clock `start`) to see everything from
 * `wallFrom` on: the start moved forward by whole periods to shortly before `wallFrom`, so that
 * rrule does not walk every period since the first. Only rules without COUNT (which counts from
 * the first occurrence); the defaults rrule takes from the start (weekday, day of month, month)
 * are written out, and the moved start's own (partial) period ends before `wallFrom`.
 */
function expansionStart(opts: Partial<Options>, start: Date, wallFrom: Date): { dtstart: Date; defaults: Partial<Options> } {
  const none = { dtstart: start, defaults: {} };
  if (opts.count !== undefined && opts.count !== null) return none;
  const interval = opts.interval ?? 1;
  const defaults: Partial<Options> = {};
  const given = (v: unknown) => v !== undefined && v !== null && !(Array.isArray(v) && !v.length);
  if (![opts.byweekno, opts.byyearday, opts.bymonthday, opts.byweekday].some(given)) {
    if (opts.freq === RRule.YEARLY) defaults.bymonth = opts.bymonth ?? start.getUTCMonth() + 1;
    if (opts.freq === RRule.YEARLY || opts.freq === RRule.MONTHLY) defaults.bymonthday = start.getUTCDate();
    if (opts.freq === RRule.WEEKLY) defaults.byweekday = [(start.getUTCDay() + 6) % 7];
  }
  let moved: Date | null = null;
  const byStep = (step: number, margin: number) => {
    const k = Math.floor((wallFrom.getTime() - margin - start.getTime()) / (step * interval));
    return k >= 1 ? new Date(start.getTime() + k * step * interval) : null;
  };
  if (opts.freq === RRule.HOURLY) moved = byStep(HOUR, HOUR);
  else if (opts.freq === RRule.DAILY) moved = byStep(DAY, DAY);
  else if (opts.freq === RRule.WEEKLY) moved = byStep(7 * DAY, 7 * DAY);
  else if (opts.freq === RRule.MONTHLY || opts.freq === RRule.YEARLY) {
    const monthly = opts.freq === RRule.MONTHLY;
    const months = monthly ? interval : 12 * interval;
    const gap = (wallFrom.getUTCFullYear() - start.getUTCFullYear()) * 12 + wallFrom.getUTCMonth() - start.getUTCMonth() - (monthly ? 2 : 13);
    const k = Math.floor(gap / months);
    if (k >= 1) {
      const month = monthly ? start.getUTCMonth() + k * months : 0;
      const year = monthly ? start.getUTCFullYear() : start.getUTCFullYear() + k * interval;
      moved = new Date(Date.UTC(year, month, 1, start.getUTCHours(), start.getUTCMinutes(), start.getUTCSeconds(), start.getUTCMilliseconds()));
    }
  }
  return moved ? { dtstart: moved, defaults } : none;
}

/** A series as stored: the first occurrence, the rule and its exceptions. */
export interface Series {
  start: Date;
  end: Date;
  timeZone: string;
  rrule: string | null;
  /** Original start times (ISO) taken out of the series. */
  exdates?: readonly string[];
}

/**
 * Checks a rule before it is stored and answers the end of its last occurrence (null: it never
 * ends). 400 naming `path` when the rule is malformed, repeats more often than hourly, repeats
 * hourly without an end, has more than MAX_SERIES_OCCURRENCES occurrences, or yields none.
 *
 * @example
 * checkRule({ start, end, timeZone: 'Europe/Berlin', rrule: 'FREQ=WEEKLY;BYDAY=MO' }); // null
 * checkRule({ ..., rrule: 'FREQ=MINUTELY;UNTIL=20360101T000000Z' }); // 400 "repeats more often than hourly"
 */
export function checkRule(s: Series, path = '/rrule'): Date | null {
  if (!s.rrule) return s.end;
  const rule = build(s.rrule, s.start, s.timeZone, path);
  const o = rule.options;
  if (o.freq === RRule.SECONDLY || o.freq === RRule.MINUTELY) {
    throw new BadRequest('the repeat rule repeats more often than hourly; appointments repeat at most hourly', path, undefined, 'RRULE_TOO_FREQUENT');
  }
  const bounded = o.count !== null || o.until !== null;
  if (!bounded && o.freq === RRule.HOURLY) throw new BadRequest('an hourly repeat rule must end (UNTIL or COUNT)', path, undefined, 'RRULE_UNBOUNDED');
  const empty = () => new BadRequest(`the repeat rule yields no occurrence within ${FIRST_OCCURRENCE_YEARS} years of the start`, path, undefined, 'RRULE_EMPTY');
  // rrule only stops at an occurrence (or the year 9999): a rule whose filters never match would
  // run for millions of steps. Probe it first on the last 29 years rrule knows (weekday and leap
  // year patterns repeat within 28), where it must stop quickly either way.
  const probeStart = toWall(s.start, s.timeZone);
  probeStart.setUTCFullYear(9970);
  if (!new RRule({ ...rule.origOptions, dtstart: probeStart, until: null, count: null }).after(probeStart, true)) throw empty();
  const wallStart = toWall(s.start, s.timeZone);
  const horizon = new Date(wallStart.getTime() + FIRST_OCCURRENCE_YEARS * 366 * DAY);
  const first = rule.between(wallStart, horizon, true, (_d, i) => i < 1);
  if (!first.length) throw empty();
  if (!bounded) return null;
  let n = 0;
  let last: Date | undefined;
  rule.all((d) => {
    n++;
    last = d;
    return n <= MAX_SERIES_OCCURRENCES;
  });
  if (!last) throw empty();
  if (n > MAX_SERIES_OCCURRENCES) {
    throw new BadRequest(`the repeat rule expands to more than ${MAX_SERIES_OCCURRENCES} occurrences; end it sooner or repeat less often`, path, undefined, 'RRULE_TOO_MANY');
  }
  return new Date(fromWall(last!, s.timeZone).getTime() + (s.end.getTime() - s.start.getTime()));
}

/** Thrown when a window holds more occurrences than the caller allows. */
export class TooManyOccurrences extends Error {}

/**
 * Expansions already made: series with the same zone, rule (defaults included) and start as moved
 * by `expansionStart` have the same instants in the same padded window, so rrule walks them once.
 * An expansion depends on nothing else (exceptions are applied afterwards), so the shared memo
 * (`expansions`) keeps them across requests: the next month view of the same window expands nothing.
 */
export type ExpansionMemo = Map<string, Date[]>;

/** The expansions shared by every caller (bounded: emptied when full). */
const expansions: ExpansionMemo = new Map();
const MAX_CACHED_EXPANSIONS = 20_000;

/**
 * The start times of the occurrences of `s` that overlap [from, to), exceptions left out, at most
 * `limit` (more: `TooManyOccurrences`).
 *
 * @example
 * occurrences({ start, end, timeZone: 'Europe/Berlin', rrule: 'FREQ=DAILY' }, monthStart, monthEnd, 1000);
 */
export function occurrences(s: Series, from: Date, to: Date, limit: number, memo: ExpansionMemo = expansions): Date[] {
  const dur = s.end.getTime() - s.start.getTime();
  const overlaps = (d: Date) => d < to && (dur === 0 ? d >= from : d.getTime() + dur > from.getTime());
  if (!s.rrule) return overlaps(s.start) ? [s.start] : [];
  // Pad the wall-clock window by a day on each side: offsets never exceed that.
  const wallFrom = new Date(toWall(new Date(from.getTime() - dur), s.timeZone).getTime() - DAY);
  const wallTo = new Date(toWall(to, s.timeZone).getTime() + DAY);
  const opts = parseCached(s.rrule, s.timeZone, '/rrule');
  const { dtstart, defaults } = expansionStart(opts, toWall(s.start, s.timeZone), wallFrom);
  const skip = new Set(s.exdates ?? []);
  const out: Date[] = [];
  const take = (d: Date) => {
    if (overlaps(d) && !(skip.size && skip.has(d.toISOString()))) {
      if (out.length >= limit) throw new TooManyOccurrences();
      out.push(d);
    }
  };
  const key = `${s.timeZone}|${s.rrule}|${JSON.stringify(defaults)}|${dtstart.getTime()}|${wallFrom.getTime()}|${wallTo.getTime()}`;
  const known = memo.get(key);
  if (known) {
    for (const d of known) take(d);
    return out;
  }
  const all: Date[] = [];
  new RRule({ ...opts, ...defaults, dtstart, tzid: null }).between(wallFrom, wallTo, true, (wall) => {
    const d = fromWall(wall, s.timeZone);
    all.push(d);
    take(d);
    return true;
  });
  if (memo === expansions && memo.size >= MAX_CACHED_EXPANSIONS) memo.clear();
  memo.set(key, all);
  return out;
}

/** Occurrences per series and window (see `windowOccurrences`), bounded: emptied when full. */
const windows = new Map<string, Date[]>();
const MAX_CACHED_WINDOWS = 50_000;

/**
 * `occurrences` of one series in one window, remembered: a calendar view asks for the same window
 * again and again. The key is everything the answer depends on (start, end, zone, rule, exceptions
 * and the window), so a changed series is simply another key and nothing needs invalidating.
 */
export function windowOccurrences(s: Series, from: Date, to: Date, limit: number): Date[] {
  if (!s.rrule) return occurrences(s, from, to, limit);
  const key = `${s.start.getTime()}|${s.end.getTime()}|${s.timeZone}|${s.rrule}|${s.exdates?.join(',') ?? ''}|${from.getTime()}|${to.getTime()}`;
  let hit = windows.get(key);
  if (!hit) {
    hit = occurrences(s, from, to, MAX_SERIES_OCCURRENCES * 4);
    if (windows.size >= MAX_CACHED_WINDOWS) windows.clear();
    windows.set(key, hit);
  }
  if (hit.length > limit) throw new TooManyOccurrences();
  return hit;
}

/** Whether `at` is an occurrence of `s` (exceptions count as not). */
export function isOccurrence(s: Series, at: Date): boolean {
  return occurrences(s, at, new Date(at.getTime() + 1), 2).some((d) => d.getTime() === at.getTime());
}

/** The first occurrence of `s` starting at or after `after` (exceptions left out), if any within a year. */
export function nextOccurrence(s: Series, after: Date): Date | null {
  if (!s.rrule) return s.start >= after ? s.start : null;
  const zero = { ...s, end: s.start };
  for (let from = after; from.getTime() < after.getTime() + 366 * DAY; from = new Date(from.getTime() + 31 * DAY)) {
    const hit = occurrences(zero, from, new Date(from.getTime() + 31 * DAY), 10_000)[0];
    if (hit) return hit;
  }
  return null;
}

/**
 * The rule of the part of `s` before `at` ("this and following" splits a series there): the same
 * rule ending just before `at`, and for the rest the rule with a COUNT reduced by the occurrences
 * already past. Null `before` when nothing remains before `at`.
 *
 * @example
 * splitRule(series, at); // { before: 'FREQ=WEEKLY;UNTIL=20260412T065959Z', after: 'FREQ=WEEKLY' }
 */
export function splitRule(s: Series & { rrule: string }, at: Date): { before: string | null; after: string } {
  const rule = build(s.rrule, s.start, s.timeZone);
  const parts = s.rrule.replace(/^RRULE:/i, '').split(';').filter((p) => !/^(UNTIL|COUNT)=/i.test(p));
  const untilStamp = new Date(at.getTime() - 1000).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const before = at > s.start ? [...parts, `UNTIL=${untilStamp}`].join(';') : null;
  let after = s.rrule.replace(/^RRULE:/i, '');
  if (rule.options.count !== null) {
    const used = rule.between(toWall(s.start, s.timeZone), toWall(new Date(at.getTime() - 1), s.timeZone), true).length;
    after = [...parts, `COUNT=${Math.max(1, rule.options.count - used)}`].join(';');
  }
  return { before, after };
}
