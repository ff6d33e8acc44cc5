/**
 * Timers in words and from a simple form. The process format keeps timers as ISO-8601 text
 * (`PT8H`, `2025-03-01T09:00:00Z`, `R3/PT1H`, `R/2025-03-03T09:00:00Z/P1D`); the designer shows them
 * as "after 8 hours", "on Sat 1 Mar 2025 at 09:00 UTC", "3 times every hour", "every Monday at
 * 09:00 UTC" and builds them from "after / every N units (M times, from a start)".
 */
import { parseCycle, parseDateTime, parseDuration, type Duration } from '$engine/index';

export interface TimerSpec {
  duration?: string;
  date?: string;
  cycle?: string;
}

const UNITS: Array<[keyof Duration, string]> = [
  ['years', 'year'], ['months', 'month'], ['weeks', 'week'], ['days', 'day'], ['hours', 'hour'], ['minutes', 'minute'], ['seconds', 'second'],
];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The units of a duration that are set, as [unit, amount]. */
function parts(d: Duration): Array<[keyof Duration, string, number]> {
  return UNITS.filter(([k]) => d[k] !== 0).map(([k, w]) => [k, w, d[k]]);
}

function durationWords(d: Duration): string {
  const p = parts(d).map(([, w, n]) => plural(n, w));
  if (!p.length) return '0 seconds';
  return p.length === 1 ? p[0]! : `${p.slice(0, -1).join(', ')} and ${p[p.length - 1]}`;
}

/** "every hour", "every 2 days", "every 1 day and 12 hours" */
function everyWords(d: Duration): string {
  const p = parts(d);
  if (p.length === 1 && p[0]![2] === 1) return `every ${p[0]![1]}`;
  return `every ${durationWords(d)}`;
}

const pad = (n: number) => String(n).padStart(2, '0');
const clock = (d: Date) => `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
const day = (d: Date) => `${WEEKDAYS[d.getUTCDay()]!.slice(0, 3)} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;

/**
 * A timer in words, or what is wrong with it.
 *
 * @example
 * timerInWords({ duration: 'PT8H' });                      // 'after 8 hours'
 * timerInWords({ cycle: 'R3/PT1H' });                      // '3 times every hour'
 * timerInWords({ cycle: 'R/2025-03-03T09:00:00Z/P1W' });  // 'every Monday at 09:00 UTC, from Mon 3 Mar 2025'
 */
export function timerInWords(spec: TimerSpec): string {
  const set = (['duration', 'date', 'cycle'] as const).filter((k) => spec[k] !== undefined && spec[k] !== '');
  if (set.length === 0) return 'no time set yet';
  if (set.length > 1) return 'set only one of duration, date and cycle';
  if (spec.duration) {
    const d = parseDuration(spec.duration);
    return d.ok ? `after ${durationWords(d.value)}` : d.error;
  }
  if (spec.date) {
    const d = parseDateTime(spec.date);
    if (!d.ok) return d.error;
    const at = new Date(d.value.epochMs);
    return `on ${day(at)} at ${clock(at)}`;
  }
  const c = parseCycle(spec.cycle!);
  if (!c.ok) return c.error;
  const { repetitions, interval, start, end } = c.value;
  let text = everyWords(interval);
  if (start) {
    const s = new Date(start.epochMs);
    const only = parts(interval);
    const unit = only.length === 1 && only[0]![2] === 1 ? only[0]![0] : undefined;
    if (unit === 'weeks') text = `every ${WEEKDAYS[s.getUTCDay()]} at ${clock(s)}`;
    else if (unit === 'days') text = `every day at ${clock(s)}`;
    else if (unit === 'months') text = `every month on day ${s.getUTCDate()} at ${clock(s)}`;
    text += `, from ${day(s)}`;
  }
  if (repetitions !== null) text = `${repetitions === 1 ? 'once' : `${repetitions} times`} ${text}`;
  if (end) text += `, until ${day(new Date(end.epochMs))}`;
  return text;
}

export type TimerUnit = 'minutes' | 'hours' | 'days' | 'weeks' | 'months';
export const TIMER_UNITS: TimerUnit[] = ['minutes', 'hours', 'days', 'weeks', 'months'];

/** The simple form of a timer: "after N units", or "every N units [M times] [from start]". */
export interface TimerForm {
  kind: 'after' | 'every' | 'at';
  amount: number;
  unit: TimerUnit;
  /** every: how many times (empty: without end). */
  times?: number;
  /** every: first time, or at: the instant (ISO date-time). */
  start?: string;
}

/** ISO-8601 duration of `amount` `unit`. */
function isoDuration(amount: number, unit: TimerUnit): string {
  const n = Math.max(0, Math.trunc(amount));
  if (unit === 'minutes') return `PT${n}M`;
  if (unit === 'hours') return `PT${n}H`;
  if (unit === 'days') return `P${n}D`;
  if (unit === 'weeks') return `P${n}W`;
  return `P${n}M`;
}

/**
 * The ISO-8601 timer of a simple form.
 *
 * @example
 * timerFromForm({ kind: 'every', amount: 1, unit: 'hours', times: 3 }); // { cycle: 'R3/PT1H' }
 * timerFromForm({ kind: 'after', amount: 8, unit: 'hours' });           // { duration: 'PT8H' }
 */
export function timerFromForm(form: TimerForm): TimerSpec {
  if (form.kind === 'at') return { date: form.start ?? '' };
  const d = isoDuration(form.amount, form.unit);
  if (form.kind === 'after') return { duration: d };
  const r = form.times && form.times > 0 ? `R${Math.trunc(form.times)}` : 'R';
  return { cycle: form.start ? `${r}/${form.start}/${d}` : `${r}/${d}` };
}

/**
 * The simple form of an ISO-8601 timer, or `undefined` when the form cannot show it (mixed units).
 *
 * @example
 * timerToForm({ cycle: 'R3/PT1H' }); // { kind: 'every', amount: 1, unit: 'hours', times: 3 }
 */
export function timerToForm(spec: TimerSpec): TimerForm | undefined {
  const single = (d: Duration): { amount: number; unit: TimerUnit } | undefined => {
    const p = parts(d);
    if (p.length !== 1) return p.length === 0 ? { amount: 0, unit: 'hours' } : undefined;
    const [k, , n] = p[0]!;
    return (TIMER_UNITS as string[]).includes(k) && Number.isInteger(n) ? { amount: n, unit: k as TimerUnit } : undefined;
  };
  if (spec.duration) {
    const d = parseDuration(spec.duration);
    const s = d.ok ? single(d.value) : undefined;
    return s && { kind: 'after', ...s };
  }
  if (spec.date) {
    const d = parseDateTime(spec.date);
    return d.ok ? { kind: 'at', amount: 1, unit: 'hours', start: d.value.text } : undefined;
  }
  if (spec.cycle) {
    const c = parseCycle(spec.cycle);
    const s = c.ok ? single(c.value.interval) : undefined;
    if (!c.ok || !s || c.value.end) return undefined;
    return { kind: 'every', ...s, times: c.value.repetitions ?? undefined, start: c.value.start?.text };
  }
  return undefined;
}
