/**
 * Date formats of the agent interface: `locale` (as usual in the interface language, via Intl), the
 * language-neutral patterns, `relative`, and `datetime-local` input values.
 */
import { formatDateTime, formatRelative, fromWallClock, wallClock } from '$lib/i18n/format';

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A time in the given format (`locale`, `YYYY-MM-DD HH:mm`, `DD.MM.YYYY HH:mm`, `DD/MM/YYYY HH:mm`,
 * `MM/DD/YYYY hh:mm A` or `relative`), in the reader's time zone.
 *
 * @example
 * formatIn('2026-11-21T08:05:00Z', 'DD.MM.YYYY HH:mm') // '21.11.2026 09:05' in Berlin
 */
export function formatIn(iso: string | null | undefined, format: string, now = new Date()): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const w = wallClock(d);
  const Y = w.year;
  const M = pad(w.month);
  const D = pad(w.day);
  const h = pad(w.hour);
  const m = pad(w.minute);
  switch (format) {
    case 'DD.MM.YYYY HH:mm':
      return `${D}.${M}.${Y} ${h}:${m}`;
    case 'DD/MM/YYYY HH:mm':
      return `${D}/${M}/${Y} ${h}:${m}`;
    case 'MM/DD/YYYY hh:mm A': {
      const h12 = w.hour % 12 || 12;
      return `${M}/${D}/${Y} ${pad(h12)}:${m} ${w.hour < 12 ? 'AM' : 'PM'}`;
    }
    case 'relative':
      return formatRelative(d, now);
    case 'YYYY-MM-DD HH:mm':
      return `${Y}-${M}-${D} ${h}:${m}`;
    default:
      return formatDateTime(d);
  }
}

/** `datetime-local` input value (the reader's time zone) for an ISO time, and back. */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const w = wallClock(new Date(iso));
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}
export function fromLocalInput(value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
  if (!m) return null;
  const d = fromWallClock({ year: +m[1]!, month: +m[2]!, day: +m[3]!, hour: +m[4]!, minute: +m[5]! });
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
