/**
 * Reading OTOBO request data, which arrives loosely typed (query strings are text, JSON bodies may
 * carry numbers or strings for the same parameter), and writing OTOBO's output conventions: ids
 * and values as strings, times as `YYYY-MM-DD HH:MM:SS` (UTC).
 */

import { findUnstorable } from '../http/validate';
import { TransportError } from './envelope';

export type Data = Record<string, unknown>;

/**
 * Refuses request data the database cannot store — a NUL character or a lone UTF-16 surrogate in
 * any value or name, from the body, the query string or the route — with a 400
 * `Webservice.InvalidParameter` naming the parameter (`Ticket/Title`, `Article/0/Body`).
 */
export function assertStorableData(data: Data): void {
  const bad = findUnstorable(data);
  if (bad) throw new TransportError(400, 'Webservice.InvalidParameter', `Invalid request data: parameter ${bad.path.slice(1)} ${bad.problem}.`);
}

/** A plain object (not an array, not null). */
export function isObject(v: unknown): v is Data {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Perl truthiness, as OTOBO tests its flags: `0`, `"0"`, `""`, null and absent are false. */
export function truthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false) return false;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return v !== '' && v !== '0';
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

/** A string value with OTOBO's whitespace trimming; numbers become strings; anything else undefined. */
export function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** A non-empty string, or undefined. */
/** `TwoFactorToken` (Znuny's name for the second factor at login) as text; numbers are accepted too. */
export function twoFactorToken(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return String(v).padStart(6, '0');
  return text(v);
}

export function text(v: unknown): string | undefined {
  const s = str(v);
  return s === undefined || s === '' ? undefined : s;
}

/** A positive integer id given as a number or digits, or undefined when absent; `NaN` when malformed. */
export function idOf(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '';
  if (!/^\d{1,10}$/.test(s)) return NaN;
  const n = Number(s);
  return n >= 1 && n <= 2_147_483_647 ? n : NaN;
}

/** A list from a scalar, an array, or (for `commaSeparated`) a comma-separated string. */
export function list(v: unknown, commaSeparated = false): unknown[] {
  if (v === undefined || v === null || v === '') return [];
  if (Array.isArray(v)) return v.filter((x) => x !== undefined && x !== null && x !== '');
  if (commaSeparated && typeof v === 'string') return v.split(',').map((x) => x.trim()).filter((x) => x !== '');
  return [v];
}

const pad = (n: number) => String(n).padStart(2, '0');

/** OTOBO's time format, in UTC: `2024-05-01 14:03:00`. */
export function otoboTime(d: Date | string | null | undefined): string {
  if (d === null || d === undefined) return '';
  const t = typeof d === 'string' ? new Date(d) : d;
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`;
}

/**
 * An OTOBO time (`YYYY-MM-DD HH:MM:SS`, `YYYY-MM-DD`, or ISO 8601) as an ISO string in UTC, or
 * undefined when it is not one.
 */
export function parseOtoboTime(v: unknown): string | undefined {
  const s = str(v);
  if (!s) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
  if (m) {
    const [, y, mo, d, h = '00', mi = '00', se = '00'] = m;
    const date = new Date(Date.UTC(+y!, +mo! - 1, +d!, +h, +mi, +se));
    if (date.getUTCFullYear() !== +y! || date.getUTCMonth() !== +mo! - 1 || date.getUTCDate() !== +d! || +h > 23 || +mi > 59 || +se > 59) return undefined;
    return date.toISOString();
  }
  const t = Date.parse(s);
  return /^\d{4}-\d{2}-\d{2}T/.test(s) && Number.isFinite(t) ? new Date(t).toISOString() : undefined;
}

/** A string of a number (OTOBO's database values arrive as text). */
export const s = (v: number | string | null | undefined): string => (v === null || v === undefined ? '' : String(v));
