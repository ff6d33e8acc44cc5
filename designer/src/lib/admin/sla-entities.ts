/**
 * The service-level admin entities as configurations of the one list/edit component: business
 * calendars (time zone, working hours per weekday, holidays, the default) and SLAs (the three times
 * with their warning percentages, calendar, services, selection conditions, portal visibility).
 * Labels come from the message catalogues.
 */
import { m } from '$lib/i18n';
import { request } from '$lib/api';
import type { EntityConfig, FormField, Option } from './entity';

type Row = Record<string, unknown>;

const text = (r: Row, k: string) => (r[k] === null || r[k] === undefined ? '' : String(r[k]));
const byName = (r: Row) => text(r, 'name');

/** Weekdays Monday first, as the API numbers them ("0" is Sunday). */
export const WEEKDAYS = ['1', '2', '3', '4', '5', '6', '0'] as const;

/** The localised short or long name of a weekday ("0" Sunday … "6" Saturday). */
export function weekdayName(day: string, width: 'short' | 'long' = 'long'): string {
  // 2023-01-01 was a Sunday.
  return new Intl.DateTimeFormat(undefined, { weekday: width, timeZone: 'UTC' }).format(Date.UTC(2023, 0, 1 + Number(day)));
}

/** Choices by id from a catalogue list, loaded once per call site. */
function idsOf(endpoint: string): () => Promise<Option[]> {
  let hit: Promise<Option[]> | undefined;
  return () => {
    hit ??= request<{ items: Row[] }>('GET', `${endpoint}?perPage=1000`).then(({ items }) => items.map((r) => ({ value: String(r.id), label: text(r, 'name') })));
    hit.catch(() => (hit = undefined));
    return hit;
  };
}

/** Customers by their customer id. */
const customers = () =>
  request<{ items: Row[] }>('GET', '/api/v1/customers?perPage=1000').then(({ items }) => items.map((r) => ({ value: text(r, 'customerId'), label: `${text(r, 'name')} (${text(r, 'customerId')})` })));

/** A queue's calendar (`calendarId` on `/api/v1/queues`). */
export function queueCalendarField(): FormField {
  return { key: 'calendarId', label: m.bc_queue_calendar(), kind: 'select', numeric: true, emptyIsNull: true, options: idsOf('/api/v1/business-calendars') };
}

function timeZones(): Option[] {
  const list = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return ['UTC', ...list.filter((z) => z !== 'UTC')].map((z) => ({ value: z, label: z }));
}

const valid = (): FormField => ({ key: 'valid', label: m.bc_valid(), kind: 'checkbox', initial: true });
const comment = (): FormField => ({ key: 'comment', label: m.bc_comment(), kind: 'textarea' });

/** Working days of a week as "Mon, Tue, …". */
function workingDays(r: Row): string {
  const week = (r.week ?? {}) as Record<string, unknown[]>;
  return WEEKDAYS.filter((d) => (week[d]?.length ?? 0) > 0)
    .map((d) => weekdayName(d, 'short'))
    .join(', ');
}

export function businessCalendarsEntity(): EntityConfig<Row> {
  const nineToFive = [{ from: '09:00', to: '17:00' }];
  return {
    title: m.bc_title(),
    singular: m.bc_singular(),
    endpoint: '/api/v1/business-calendars',
    name: byName,
    search: true,
    canDelete: true,
    intro: m.bc_intro(),
    columns: [
      { label: m.bc_name(), value: byName },
      { label: m.bc_time_zone(), value: (r) => text(r, 'timeZone') },
      { label: m.bc_col_hours(), value: workingDays, secondary: true },
      { label: m.bc_col_default(), value: (r) => (r.isDefault === true ? m.bc_yes() : ''), secondary: true },
    ],
    fields: [
      { key: 'name', label: m.bc_name(), kind: 'text', required: true },
      { key: 'timeZone', label: m.bc_time_zone(), kind: 'select', options: timeZones(), required: true, initial: 'UTC' },
      { key: 'isDefault', label: m.bc_default(), kind: 'checkbox', initial: false },
      { key: 'week', label: m.bc_week(), kind: 'custom', help: m.bc_week_help(), initial: { 1: nineToFive, 2: nineToFive, 3: nineToFive, 4: nineToFive, 5: nineToFive } },
      { key: 'holidays', label: m.bc_holidays(), kind: 'custom', initial: [] },
      comment(),
      valid(),
    ],
  };
}

const CONDITIONS = ['queueIds', 'priorityIds', 'typeIds', 'customerIds'] as const;

export function slasEntity(): EntityConfig<Row> {
  const minutes = (key: string, label: string): FormField => ({ key, label, kind: 'number', emptyIsNull: true, help: m.slaa_minutes_help() });
  const notify = (key: string): FormField => ({ key, label: m.slaa_notify(), kind: 'number', emptyIsNull: true });
  const ids = (key: string, label: string, endpoint: string, help?: string): FormField => ({ key, label, kind: 'multiselect', numeric: true, options: idsOf(endpoint), ...(help ? { help } : {}) });
  const time = (r: Row, k: string) => (typeof r[k] === 'number' ? m.slaa_minutes({ n: String(r[k]) }) : '–');
  return {
    title: m.slaa_title(),
    singular: m.slaa_singular(),
    endpoint: '/api/v1/slas',
    name: byName,
    search: true,
    canDelete: true,
    intro: m.slaa_intro(),
    columns: [
      { label: m.slaa_name(), value: byName },
      { label: m.slaa_col_times(), value: (r) => [time(r, 'firstResponseMinutes'), time(r, 'updateMinutes'), time(r, 'solutionMinutes')].join(' / ') },
    ],
    fields: [
      { key: 'name', label: m.slaa_name(), kind: 'text', required: true },
      minutes('firstResponseMinutes', m.slaa_first_response()),
      notify('firstResponseNotify'),
      minutes('updateMinutes', m.slaa_update()),
      notify('updateNotify'),
      minutes('solutionMinutes', m.slaa_solution()),
      notify('solutionNotify'),
      { key: 'calendarId', label: m.slaa_calendar(), kind: 'select', numeric: true, emptyIsNull: true, options: idsOf('/api/v1/business-calendars'), help: m.slaa_calendar_help() },
      { key: 'portalVisible', label: m.slaa_portal_visible(), kind: 'checkbox', initial: false },
      ids('serviceIds', m.slaa_services(), '/api/v1/services'),
      ids('conditions.queueIds', m.slaa_cond_queues(), '/api/v1/queues'),
      ids('conditions.priorityIds', m.slaa_cond_priorities(), '/api/v1/priorities'),
      ids('conditions.typeIds', m.slaa_cond_types(), '/api/v1/types'),
      { key: 'conditions.customerIds', label: m.slaa_cond_customers(), kind: 'multiselect', options: customers, help: m.slaa_cond_help() },
      comment(),
      valid(),
    ],
    // Nothing ticked in any condition list: not chosen by conditions at all (an empty object would match every ticket).
    finish: (body) => {
      const c = body.conditions as Record<string, unknown[]> | undefined;
      if (c && CONDITIONS.every((k) => !c[k]?.length)) body.conditions = null;
      return body;
    },
  };
}
