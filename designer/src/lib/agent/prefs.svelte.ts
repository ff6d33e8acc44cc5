/**
 * The signed-in agent's preferences, shared by every agent page: loaded once, saved through
 * `PUT /me/preferences`. `formatDate()` writes a time in the agent's chosen (language-neutral) format
 * (see `dates.ts`).
 */
import { setTimeZone } from '$lib/i18n/format';
import { formatIn, fromLocalInput, toLocalInput } from './dates';
import { api, type Preferences } from './tickets';

export const prefs = $state<{ value: Preferences | null }>({ value: null });

let loading: Promise<Preferences> | null = null;

/** The preferences (asking the server once per page load). */
export function loadPreferences(): Promise<Preferences> {
  if (prefs.value) return Promise.resolve(prefs.value);
  loading ??= api.preferences().then(keep).finally(() => (loading = null));
  return loading;
}

/** Saves some keys and keeps the answer. */
export async function savePreferences(change: Partial<Preferences>): Promise<Preferences> {
  return keep(await api.savePreferences(change));
}

/** Keeps the preferences and writes dates in their time zone from now on. */
function keep(p: Preferences): Preferences {
  prefs.value = p;
  setTimeZone(p.timeZone);
  return p;
}

/** Forgets the loaded preferences (sign-out). */
export function forgetPreferences(): void {
  prefs.value = null;
  setTimeZone(undefined);
}

/**
 * A time in the agent's date format (or the one given), in the agent's time zone.
 *
 * @example
 * formatDate(ticket.changed) // '2026-11-21 09:05'
 */
export function formatDate(iso: string | null | undefined, format = prefs.value?.dateFormat ?? 'locale'): string {
  return formatIn(iso, format);
}

export { fromLocalInput, toLocalInput };
