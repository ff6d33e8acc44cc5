/**
 * JSON Schemas and catalogue field specs of service levels: calendars (time zone, week, holidays)
 * and the SLA and queue fields that refer to them.
 */
import type { Kysely } from 'kysely';
import { calendarProblems, isValidTimeZone } from '../../engine/model/business-time';
import type { FieldSpec } from '../catalog/table';
import type { DB } from '../db/schema';
import { BadRequest } from '../errors';

const time = { type: 'string', pattern: '^([01][0-9]|2[0-4]):[0-5][0-9]$', description: 'local time of day, HH:MM (24:00 as an end)' };
const range = { type: 'object', additionalProperties: false, required: ['from', 'to'], properties: { from: time, to: time } };

export const weekSchema = {
  type: 'object',
  additionalProperties: false,
  description: 'working ranges by weekday, "0" Sunday … "6" Saturday; several ranges a day; a range ending at or before its start runs overnight',
  properties: Object.fromEntries(['0', '1', '2', '3', '4', '5', '6'].map((d) => [d, { type: 'array', maxItems: 12, items: range }])),
};

export const holidaySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['date'],
  properties: {
    date: { type: 'string', pattern: '^(\\d{4}-)?\\d{2}-\\d{2}$', description: 'YYYY-MM-DD (one-time) or MM-DD with recurring: true' },
    recurring: { type: 'boolean', description: 'every year on that day' },
    name: { type: 'string', maxLength: 200 },
  },
};

export const holidaysSchema = { type: 'array', maxItems: 2000, items: holidaySchema };

/** Throws the first problem of a (partial) calendar as a 400 naming its path. */
function assertCalendar(part: Parameters<typeof calendarProblems>[0], prefix: string, path: string): void {
  const p = calendarProblems(part)[0];
  if (p) throw new BadRequest(p.message, p.path.startsWith(prefix) ? path + p.path.slice(prefix.length) : path);
}

export const calendarFields: FieldSpec[] = [
  {
    prop: 'timeZone',
    column: 'time_zone',
    required: true,
    schema: { type: 'string', minLength: 1, maxLength: 100, description: 'IANA time zone, e.g. Europe/Berlin' },
    check: (_db, v, path) => {
      if (!isValidTimeZone(v as string)) throw new BadRequest(`unknown time zone ${JSON.stringify(v)}; give an IANA zone such as "Europe/Berlin"`, path);
    },
  },
  { prop: 'week', column: 'week', json: true, schema: weekSchema, check: (_db, v, path) => assertCalendar({ timeZone: 'UTC', week: v as never }, '/week', path) },
  { prop: 'holidays', column: 'holidays', json: true, schema: holidaysSchema, check: (_db, v, path) => assertCalendar({ timeZone: 'UTC', week: {}, holidays: v as never }, '/holidays', path) },
  { prop: 'isDefault', column: 'is_default', schema: { type: 'boolean', description: 'used when neither the SLA nor the queue names a calendar (one calendar at a time)' } },
];

async function assertCalendarExists(db: Kysely<DB>, v: unknown, path: string): Promise<void> {
  if (v === null) return;
  const c = await db.selectFrom('business_calendars').select('id').where('id', '=', v as number).executeTakeFirst();
  if (!c) throw new BadRequest(`unknown calendar id ${String(v)}`, path, undefined, 'UNKNOWN_REFERENCE');
}

const idOrNull = { type: ['integer', 'null'], minimum: 1, maximum: 2147483647 };

/** `calendarId` on SLAs and queues. */
export const calendarIdField = (description: string): FieldSpec => ({ prop: 'calendarId', column: 'calendar_id', schema: { ...idOrNull, description }, check: assertCalendarExists });

const percent = (what: string) => ({ type: ['integer', 'null'], minimum: 1, maximum: 99, description: `warn (notification) when this percentage of the ${what} time is used (null: no warning)` });
const ids = { type: 'array', maxItems: 500, uniqueItems: true, items: { type: 'integer', minimum: 1, maximum: 2147483647 } };

export const slaConditionsSchema = {
  type: ['object', 'null'],
  additionalProperties: false,
  description: 'selects this SLA for tickets without one when every list given contains the ticket\'s value (null: never selected by conditions)',
  properties: {
    queueIds: ids,
    priorityIds: ids,
    typeIds: ids,
    customerIds: { type: 'array', maxItems: 500, uniqueItems: true, items: { type: 'string', minLength: 1, maxLength: 150 } },
  },
};

export const slaExtraFields: FieldSpec[] = [
  calendarIdField("the business calendar its times count in (null: the queue's, else the default calendar)"),
  { prop: 'firstResponseNotify', column: 'first_response_notify', schema: percent('first response') },
  { prop: 'updateNotify', column: 'update_notify', schema: percent('update') },
  { prop: 'solutionNotify', column: 'solution_notify', schema: percent('solution') },
  {
    prop: 'serviceIds',
    column: 'service_ids',
    json: true,
    schema: { ...ids, description: 'the services this SLA applies to (offered for tickets with these services)' },
    check: async (db, v, path) => {
      const list = v as number[];
      if (!list.length) return;
      const found = await db.selectFrom('services').select('id').where('id', 'in', list).execute();
      const missing = list.find((id) => !found.some((f) => f.id === id));
      if (missing !== undefined) throw new BadRequest(`unknown service id ${missing}`, `${path}/${list.indexOf(missing)}`, undefined, 'UNKNOWN_REFERENCE');
    },
  },
  { prop: 'conditions', column: 'conditions', json: true, schema: slaConditionsSchema },
  { prop: 'portalVisible', column: 'portal_visible', schema: { type: 'boolean', description: 'the customer portal shows "we answer by …" for tickets under this SLA' } },
];
