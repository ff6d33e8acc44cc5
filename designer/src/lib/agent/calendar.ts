/** The calendar API as the agent UI uses it: calendars, appointment occurrences in a window, changes. */
import { request } from '$lib/api';

export interface CalendarInfo {
  id: number;
  name: string;
  color: string;
  groupId: number;
  group: string;
  valid: boolean;
  access: 'ro' | 'rw';
}

export interface Occurrence {
  id: number;
  uid: string;
  calendarId: number;
  title: string;
  description: string;
  location: string;
  mapUrl: string | null;
  allDay: boolean;
  start: string;
  end: string;
  timeZone: string;
  rrule: string | null;
  parentId: number | null;
  recurrenceId: string | null;
  reminderMinutes: number | null;
  ticketIds: number[];
  ruleId: number | null;
  access: 'ro' | 'rw';
  occurrence: string | null;
}

export interface AppointmentFields {
  calendarId: number;
  title: string;
  description: string;
  location: string;
  allDay: boolean;
  start: string;
  end: string;
  timeZone: string;
  rrule: string | null;
  reminderMinutes: number | null;
  ticketIds: number[];
}

export type Scope = 'all' | 'this' | 'following';

export const calendarApi = {
  calendars: () => request<{ items: CalendarInfo[] }>('GET', '/api/v1/calendars'),
  window: (from: Date, to: Date, extra: { ticketId?: number } = {}) => {
    const q = new URLSearchParams({ from: from.toISOString(), to: to.toISOString() });
    if (extra.ticketId) q.set('ticketId', String(extra.ticketId));
    return request<{ items: Occurrence[] }>('GET', `/api/v1/calendars/appointments?${q}`);
  },
  create: (body: AppointmentFields) => request<Occurrence>('POST', '/api/v1/calendars/appointments', body),
  update: (id: number, body: Partial<AppointmentFields> & { scope: Scope; occurrence?: string }) => request<Occurrence>('PATCH', `/api/v1/calendars/appointments/${id}`, body),
  remove: (id: number, scope: Scope, occurrence: string | null) => {
    const q = new URLSearchParams({ scope });
    if (occurrence) q.set('occurrence', occurrence);
    return request<null>('DELETE', `/api/v1/calendars/appointments/${id}?${q}`);
  },
  feed: (id: number) => request<{ url: string; path: string }>('PUT', `/api/v1/calendars/${id}/feed`),
};

/** The repeat presets the dialog offers (RFC 5545 RRULE without end); `custom` takes a rule as typed. */
export const REPEAT_PRESETS = {
  none: null,
  daily: 'FREQ=DAILY',
  weekdays: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
  weekly: 'FREQ=WEEKLY',
  monthly: 'FREQ=MONTHLY',
  yearly: 'FREQ=YEARLY',
} as const;
export type RepeatPreset = keyof typeof REPEAT_PRESETS | 'custom';

/** Splits a stored rule into a preset (or custom) and its end (UNTIL date or COUNT). */
export function readRule(rrule: string | null): { preset: RepeatPreset; custom: string; until: string; count: string } {
  if (!rrule) return { preset: 'none', custom: '', until: '', count: '' };
  const parts = rrule.split(';');
  const base = parts.filter((p) => !/^(UNTIL|COUNT)=/.test(p)).join(';');
  const until = /UNTIL=(\d{4})(\d{2})(\d{2})/.exec(rrule);
  const count = /COUNT=(\d+)/.exec(rrule)?.[1] ?? '';
  const preset = (Object.entries(REPEAT_PRESETS).find(([, v]) => v === base)?.[0] as RepeatPreset | undefined) ?? 'custom';
  return { preset, custom: base, until: until ? `${until[1]}-${until[2]}-${until[3]}` : '', count };
}

/** The rule of a preset (or custom text) with its end. */
export function buildRule(preset: RepeatPreset, custom: string, until: string, count: string): string | null {
  const base = preset === 'custom' ? custom.trim().replace(/^RRULE:/i, '') : REPEAT_PRESETS[preset];
  if (!base) return null;
  if (count) return `${base};COUNT=${count}`;
  if (until) return `${base};UNTIL=${until.replace(/-/g, '')}T235959Z`;
  return base;
}

/** The next full hour and the hour after it (a new appointment's default), as ISO strings. */
export function nextHour(): { start: string; end: string } {
  const start = Math.ceil(Date.now() / 3_600_000) * 3_600_000;
  return { start: new Date(start).toISOString(), end: new Date(start + 3_600_000).toISOString() };
}

/** Local midnight today. */
export const todayStart = (): Date => new Date(new Date().toDateString());
