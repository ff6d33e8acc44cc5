/**
 * Date formats of the agent interface: `locale` (as usual in the interface language, via Intl), the
 * language-neutral patterns, `relative`, and `datetime-local` input values.
 */
import { formatDateTime, formatRelative } from '$lib/i18n/format';

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A time in the given format (`locale`, `YYYY-MM-DD HH:mm`, `DD.MM.YYYY HH:mm`, `DD/MM/YYYY HH:mm`,
 * `MM/DD/YYYY hh:mm A` or `relative`), in the browser's time zone.
 *
 * @example
 * formatIn('2026-11-21T08:05:00Z', 'DD.MM.YYYY HH:mm') // '21.11.2026 09:05' in Berlin
 */
export function formatIn(iso: string | null | undefined, format: string, now = new Date()): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const Y = d.getFullYear();
  const M = pad(d.getMonth() + 1);
  const D = pad(d.getDate());
  const h = pad(d.getHours());
  const m = pad(d.getMinutes());
  switch (format) {
    case 'DD.MM.YYYY HH:mm':
      return `${D}.${M}.${Y} ${h}:${m}`;
    case 'DD/MM/YYYY HH:mm':
      return `${D}/${M}/${Y} ${h}:${m}`;
    case 'MM/DD/YYYY hh:mm A': {
      const h12 = d.getHours() % 12 || 12;
      return `${M}/${D}/${Y} ${pad(h12)}:${m} ${d.getHours() < 12 ? 'AM' : 'PM'}`;
    }
    case 'relative':
      return formatRelative(d, now);
    case 'YYYY-MM-DD HH:mm':
      return `${Y}-${M}-${D} ${h}:${m}`;
    default:
      return formatDateTime(d);
  }
}

/** `datetime-local` input value (local time) for an ISO time, and back. */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
