/**
 * Business-time arithmetic over a calendar: an IANA time zone, working ranges per weekday (several
 * a day; a range whose end is not after its start runs overnight into the next day) and holidays
 * (one-time `YYYY-MM-DD` or yearly recurring `MM-DD`; a holiday removes the ranges that START on
 * that local day). Pure: no clock, no I/O; time zones come from the platform's `Intl` data, so DST
 * changes are the zone's own (a 09:00–17:00 day stays eight hours; a 00:00–24:00 day on a
 * spring-forward Sunday has 23). SLA deadlines (server/sla) and business-time process timers use it.
 *
 * @example
 * const cal = { timeZone: 'Europe/Berlin', week: { 1: [{ from: '09:00', to: '17:00' }] }, holidays: [] };
 * addWorkingMinutes(cal, new Date('2026-03-02T07:00:00Z'), 90); // Monday 10:30 Berlin = 09:30Z
 */

/** A working range in local wall time, `HH:MM` (`24:00` allowed as an end). */
export interface WorkingRange {
  from: string;
  to: string;
}

export interface Holiday {
  /** `YYYY-MM-DD` (one-time) or `MM-DD` with `recurring: true` (also accepts a full date then: its year is ignored). */
  date: string;
  recurring?: boolean;
  name?: string;
}

export interface BusinessCalendar {
  /** IANA zone, e.g. `Europe/Berlin`. */
  timeZone: string;
  /** Working ranges by weekday, 0 = Sunday … 6 = Saturday (JSON keys are strings). */
  week: Partial<Record<number | string, WorkingRange[]>>;
  holidays?: Holiday[];
}

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Longest stretch searched for working time before giving up (a calendar without any). */
const MAX_DAYS = 800;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether `timeZone` is an IANA zone this platform knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Local wall-clock fields of `ms` in `timeZone`. */
function localParts(timeZone: string, ms: number): { y: number; m: number; d: number; h: number; min: number; s: number } {
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(ms))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { y: p.year!, m: p.month!, d: p.day!, h: p.hour! % 24, min: p.minute!, s: p.second! };
}

/** Offset (local − UTC) in ms of `timeZone` at instant `ms`. */
function offsetAt(timeZone: string, ms: number): number {
  const l = localParts(timeZone, ms);
  return Date.UTC(l.y, l.m - 1, l.d, l.h, l.min, l.s) - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant of local wall time `dayUtc` (midnight UTC of the local date) + `minutes` in `timeZone`.
 * A wall time inside a spring-forward gap maps to the instant after the gap.
 */
function zonedInstant(timeZone: string, dayUtc: number, minutes: number): number {
  const wall = dayUtc + minutes * MINUTE;
  const first = wall - offsetAt(timeZone, wall);
  const second = wall - offsetAt(timeZone, first);
  if (second === first) return first;
  // In a gap the two guesses straddle it; the later one is the first real instant after it.
  return Math.max(first, second);
}

function minutesOf(hhmm: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm);
  if (!m) throw new Error(`not a time of day: ${JSON.stringify(hhmm)}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Problems in a calendar, each with its JSON path (empty when it is usable). */
export function calendarProblems(cal: BusinessCalendar): Array<{ path: string; message: string }> {
  const out: Array<{ path: string; message: string }> = [];
  if (!isValidTimeZone(cal.timeZone)) out.push({ path: '/timeZone', message: `unknown time zone ${JSON.stringify(cal.timeZone)}` });
  for (const [day, ranges] of Object.entries(cal.week ?? {})) {
    if (!/^[0-6]$/.test(day)) out.push({ path: `/week/${day}`, message: 'weekdays are 0 (Sunday) to 6 (Saturday)' });
    (ranges ?? []).forEach((r, i) => {
      for (const k of ['from', 'to'] as const) {
        const v = /^(\d{2}):(\d{2})$/.exec(r[k] ?? '');
        const max = k === 'to' ? 24 * 60 : 24 * 60 - 1;
        if (!v || Number(v[2]) > 59 || Number(v[1]) * 60 + Number(v[2]) > max) out.push({ path: `/week/${day}/${i}/${k}`, message: `give a time of day as HH:MM, not ${JSON.stringify(r[k])}` });
      }
      if (r.from === r.to) out.push({ path: `/week/${day}/${i}`, message: 'a range needs a length (from and to are equal)' });
    });
  }
  (cal.holidays ?? []).forEach((h, i) => {
    const ok = h.recurring ? /^(\d{4}-)?\d{2}-\d{2}$/.test(h.date) : /^\d{4}-\d{2}-\d{2}$/.test(h.date);
    if (!ok) out.push({ path: `/holidays/${i}/date`, message: h.recurring ? 'give MM-DD (or YYYY-MM-DD)' : 'give YYYY-MM-DD' });
  });
  return out;
}

interface Prepared {
  timeZone: string;
  week: Array<Array<[number, number]>>;
  once: Set<string>;
  yearly: Set<string>;
}

const prepared = new WeakMap<BusinessCalendar, Prepared>();
function prepare(cal: BusinessCalendar): Prepared {
  let p = prepared.get(cal);
  if (p) return p;
  const week: Array<Array<[number, number]>> = [];
  for (let d = 0; d < 7; d++) {
    week.push(
      (cal.week[d] ?? cal.week[String(d)] ?? []).map((r): [number, number] => {
        const from = minutesOf(r.from);
        let to = minutesOf(r.to);
        if (to <= from) to += 24 * 60; // overnight
        return [from, to];
      }),
    );
  }
  const once = new Set<string>();
  const yearly = new Set<string>();
  for (const h of cal.holidays ?? []) (h.recurring ? yearly : once).add(h.recurring ? h.date.slice(-5) : h.date);
  p = { timeZone: cal.timeZone, week, once, yearly };
  prepared.set(cal, p);
  return p;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The working intervals (UTC ms, half-open) of the local day starting at `dayUtc`. */
function dayIntervals(p: Prepared, dayUtc: number): Array<[number, number]> {
  const date = new Date(dayUtc);
  const md = `${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  if (p.yearly.has(md) || p.once.has(`${date.getUTCFullYear()}-${md}`)) return [];
  const out: Array<[number, number]> = [];
  for (const [from, to] of p.week[date.getUTCDay()]!) {
    const a = zonedInstant(p.timeZone, dayUtc, from);
    const b = zonedInstant(p.timeZone, dayUtc, to);
    if (b > a) out.push([a, b]);
  }
  return out;
}

/** Midnight UTC of the local date (in the calendar's zone) of `ms`. */
function localDay(p: Prepared, ms: number): number {
  const l = localParts(p.timeZone, ms);
  return Date.UTC(l.y, l.m - 1, l.d);
}

/** Working intervals overlapping [from, ∞), in order, clipped to start at `from`; stops after MAX_DAYS. */
function* intervalsFrom(p: Prepared, from: number): Generator<[number, number]> {
  // Start a day early so an overnight range begun yesterday is seen.
  let day = localDay(p, from) - DAY;
  const pending: Array<[number, number]> = [];
  // Overlapping ranges (Monday 22:00–06:00 and Tuesday 00:00–08:00) count once.
  let done = from;
  for (let i = 0; i <= MAX_DAYS; i++, day += DAY) {
    if (i < MAX_DAYS) pending.push(...dayIntervals(p, day));
    pending.sort((x, y) => x[0] - y[0]);
    // Everything starting before the next local day begins can be emitted.
    const horizon = i < MAX_DAYS ? zonedInstant(p.timeZone, day + DAY, 0) : Infinity;
    while (pending.length && pending[0]![0] < horizon) {
      const [a, b] = pending.shift()!;
      if (b <= done) continue;
      yield [Math.max(a, done), b];
      done = b;
    }
  }
}

/**
 * The instant `minutes` working minutes after `start`; `null` when the calendar has no working time
 * within about two years. Zero minutes gives the next working instant (or `start` itself inside one).
 *
 * @example
 * addWorkingMinutes(cal, new Date('2026-03-06T16:00:00Z'), 120); // Friday 17:00 Berlin + 2h → Monday 11:00
 */
export function addWorkingMinutes(cal: BusinessCalendar, start: Date, minutes: number): Date | null {
  const p = prepare(cal);
  let left = Math.max(0, minutes) * MINUTE;
  for (const [a, b] of intervalsFrom(p, start.getTime())) {
    if (b - a >= left) return new Date(a + left);
    left -= b - a;
  }
  return null;
}

/**
 * Working minutes between `from` and `to` (0 when `to` is not after `from`).
 *
 * @example
 * workingMinutesBetween(cal, new Date('2026-03-02T08:00:00Z'), new Date('2026-03-03T08:00:00Z')); // 480
 */
export function workingMinutesBetween(cal: BusinessCalendar, from: Date, to: Date): number {
  const end = to.getTime();
  if (end <= from.getTime()) return 0;
  let ms = 0;
  for (const [a, b] of intervalsFrom(prepare(cal), from.getTime())) {
    if (a >= end) break;
    ms += Math.min(b, end) - a;
  }
  return ms / MINUTE;
}

/** Whether `at` falls inside working time. */
export function isWorkingTime(cal: BusinessCalendar, at: Date): boolean {
  const t = at.getTime();
  for (const [a] of intervalsFrom(prepare(cal), t)) return a <= t;
  return false;
}

/** `at` itself when inside working time, else the start of the next working interval (`null`: none). */
export function nextWorkingTime(cal: BusinessCalendar, at: Date): Date | null {
  for (const [a] of intervalsFrom(prepare(cal), at.getTime())) return new Date(a);
  return null;
}

/** Around the clock, every day, in UTC: what counts when no calendar applies. */
export const ALWAYS: BusinessCalendar = {
  timeZone: 'UTC',
  week: Object.fromEntries([0, 1, 2, 3, 4, 5, 6].map((d) => [d, [{ from: '00:00', to: '24:00' }]])),
  holidays: [],
};
