/**
 * Dates, numbers, durations and relative times in the reader's language and time zone (the one
 * chosen in the preferences, else the browser's), through `Intl`. Use these instead of printing ISO
 * timestamps or numbers as they are.
 */
import { getLocale } from '$lib/paraglide/runtime';

type When = string | number | Date | null | undefined;

/** The reader's time zone (IANA), or undefined for the browser's. */
let zone: string | undefined;

/** Sets the time zone dates are written in (`auto`, empty or unknown: the browser's). */
export function setTimeZone(timeZone: string | null | undefined): void {
  zone = undefined;
  if (!timeZone || timeZone === 'auto') return;
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    zone = timeZone;
  } catch {
    // an unknown zone: the browser's
  }
}

/** The time zone dates are written in (the browser's when none was chosen). */
export function timeZone(): string {
  return zone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
}

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** The calendar date and clock time of `d` in the reader's time zone. */
export function wallClock(d: Date): WallClock {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: timeZone(), year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' }).formatToParts(d);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour') % 24, minute: get('minute') };
}

/** The instant at which the reader's clock shows `w` (the earlier one when the clock runs twice). */
export function fromWallClock(w: WallClock): Date {
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  let t = asUtc;
  for (let i = 0; i < 2; i++) {
    const seen = wallClock(new Date(t));
    const shown = Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute);
    t += asUtc - shown;
  }
  return new Date(t);
}

function toDate(when: When): Date | null {
  if (when === null || when === undefined || when === '') return null;
  const d = when instanceof Date ? when : new Date(when);
  return Number.isNaN(d.getTime()) ? null : d;
}

/**
 * A date and time: `6 Dec 2026, 15:04` / `06.12.2026, 15:04`.
 *
 * @example
 * formatDateTime('2026-12-06T14:04:00Z') // '06.12.2026, 15:04' in German in Berlin
 */
export function formatDateTime(when: When, options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' }): string {
  const d = toDate(when);
  if (!d) return typeof when === 'string' ? when : '';
  return new Intl.DateTimeFormat(getLocale(), { timeZone: zone, ...options }).format(d);
}

/** A date without the time: `Dec 6, 2026` / `06.12.2026`. */
export function formatDay(when: When): string {
  return formatDateTime(when, { dateStyle: 'medium' });
}

/** A number with the language's separators: `1,234.5` / `1.234,5`. */
export function formatNumber(n: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(getLocale(), options).format(n);
}

/**
 * A duration in milliseconds as its two largest units: `2 hr, 5 min` / `2 Std., 5 Min.`.
 *
 * @example
 * formatDuration(7_500_000) // '2 hr, 5 min'
 */
export function formatDuration(ms: number): string {
  const units: Array<[Intl.NumberFormatOptions['unit'] & string, number]> = [
    ['day', 86_400_000],
    ['hour', 3_600_000],
    ['minute', 60_000],
    ['second', 1000],
  ];
  const parts: string[] = [];
  let rest = Math.max(0, Math.round(ms));
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 || (parts.length === 0 && unit === 'second')) parts.push(formatNumber(n, { style: 'unit', unit, unitDisplay: 'short' }));
    if (parts.length === 2) break;
  }
  if (parts.length === 0) parts.push(formatNumber(ms, { style: 'unit', unit: 'millisecond', unitDisplay: 'short' }));
  return new Intl.ListFormat(getLocale(), { style: 'narrow', type: 'unit' }).format(parts);
}

/**
 * How long ago or ahead a time is: `5 minutes ago`, `vor 5 Minuten`, `tomorrow`, `morgen`.
 *
 * @example
 * formatRelative(Date.now() - 300_000) // '5 minutes ago'
 */
export function formatRelative(when: When, now: Date = new Date()): string {
  const d = toDate(when);
  if (!d) return typeof when === 'string' ? when : '';
  const s = Math.round((d.getTime() - now.getTime()) / 1000);
  const a = Math.abs(s);
  const rtf = new Intl.RelativeTimeFormat(getLocale(), { numeric: 'auto' });
  if (a < 60) return rtf.format(0, 'second');
  if (a < 3600) return rtf.format(Math.round(s / 60), 'minute');
  if (a < 86400) return rtf.format(Math.round(s / 3600), 'hour');
  if (a < 30 * 86400) return rtf.format(Math.round(s / 86400), 'day');
  return formatDay(d);
}

/**
 * A file size: `512 byte`, `12 kB`, `1.5 MB` / `1,5 MB`.
 *
 * @example
 * formatBytes(1_572_864) // '1.5 MB'
 */
export function formatBytes(n: number): string {
  if (n < 1024) return formatNumber(n, { style: 'unit', unit: 'byte', unitDisplay: 'short' });
  if (n < 1048576) return formatNumber(Math.round(n / 1024), { style: 'unit', unit: 'kilobyte', unitDisplay: 'short' });
  return formatNumber(n / 1048576, { style: 'unit', unit: 'megabyte', unitDisplay: 'short', maximumFractionDigits: 1 });
}
