/** JSON Schemas of the calendar API: calendars, appointments and their occurrences, feeds, imports, ticket rules. */
import { idSchema } from '../http/api';

const color = { type: 'string', pattern: '^#[0-9a-fA-F]{6}$', description: '`#rrggbb`' } as const;
const name = { type: 'string', minLength: 1, maxLength: 200 } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;

export const calendarView = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'color', 'groupId', 'group', 'valid', 'access'],
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    color: { type: 'string' },
    groupId: { type: 'integer' },
    group: { type: 'string', description: 'the permission group: `ro` on it shows the calendar, `rw` changes its appointments' },
    valid: { type: 'boolean' },
    access: { enum: ['ro', 'rw'], description: "the caller's permission" },
  },
} as const;
export const calendarListView = { type: 'object', additionalProperties: false, required: ['items'], properties: { items: { type: 'array', items: calendarView } } } as const;

export const calendarBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'color', 'groupId'],
  properties: { name, color, groupId: idSchema, valid: { type: 'boolean' } },
} as const;
export const calendarPatch = { ...calendarBody, required: [], minProperties: 1 } as const;
export interface CalendarInput {
  name: string;
  color: string;
  groupId: number;
  valid?: boolean;
}

const timeZone = { type: 'string', minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. `Europe/Berlin`' } as const;
const rrule = {
  type: ['string', 'null'],
  maxLength: 500,
  description: 'RFC 5545 RRULE value without DTSTART, e.g. `FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20261231T230000Z` or `FREQ=MONTHLY;BYDAY=+2TU;COUNT=10`; null: no repeat',
} as const;

export const ticketRuleBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'startFrom'],
  properties: {
    name,
    queueIds: { type: 'array', maxItems: 500, items: idSchema, description: 'tickets of these queues (empty: every queue the rule may see)' },
    states: { type: 'array', maxItems: 100, items: { type: 'string', maxLength: 200 }, description: 'only tickets in these states' },
    priorities: { type: 'array', maxItems: 100, items: { type: 'string', maxLength: 200 } },
    types: { type: 'array', maxItems: 100, items: { type: 'string', maxLength: 200 } },
    startFrom: { type: 'string', minLength: 1, maxLength: 200, description: '`pendingTime`, or `dynamicField:<Name>` (a date/time field); more ticket dates (SLA deadlines) register in `server/calendars/ticket-dates.ts`' },
    durationMinutes: { type: 'integer', minimum: 0, maximum: 525600, default: 30 },
    title: { type: 'string', minLength: 1, maxLength: 300, default: '{{ticket.number}} {{ticket.title}}' },
    valid: { type: 'boolean', default: true },
  },
} as const;
export interface TicketRuleInput {
  name: string;
  queueIds?: number[];
  states?: string[];
  priorities?: string[];
  types?: string[];
  startFrom: string;
  durationMinutes: number;
  title: string;
  valid: boolean;
}
export const ticketRuleView = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'calendarId', 'name', 'queueIds', 'states', 'priorities', 'types', 'startFrom', 'durationMinutes', 'title', 'valid'],
  properties: {
    id: { type: 'integer' },
    calendarId: { type: 'integer' },
    name: { type: 'string' },
    queueIds: { type: 'array', items: { type: 'integer' } },
    states: { type: 'array', items: { type: 'string' } },
    priorities: { type: 'array', items: { type: 'string' } },
    types: { type: 'array', items: { type: 'string' } },
    startFrom: { type: 'string' },
    durationMinutes: { type: 'integer' },
    title: { type: 'string' },
    valid: { type: 'boolean' },
  },
} as const;
export const ticketRuleListView = { type: 'object', additionalProperties: false, required: ['items'], properties: { items: { type: 'array', items: ticketRuleView } } } as const;

const { queueIds: _queueIds, ...ruleByName } = ticketRuleBody.properties;

/** A calendar's configuration as exported and imported (no appointments: those travel as .ics). */
export const calendarConfig = {
  type: 'object',
  additionalProperties: false,
  required: ['format', 'name', 'color', 'group'],
  properties: {
    format: { const: 'calendar/1' },
    name,
    color,
    group: { type: 'string', minLength: 1, maxLength: 200, description: 'the permission group by name' },
    valid: { type: 'boolean' },
    ticketRules: { type: 'array', maxItems: 100, items: { ...ticketRuleBody, properties: { ...ruleByName, queues: { type: 'array', maxItems: 500, items: { type: 'string', maxLength: 200 }, description: 'queues by name' } } } },
  },
} as const;
export interface CalendarConfig {
  format: 'calendar/1';
  name: string;
  color: string;
  group: string;
  valid?: boolean;
  ticketRules?: Array<Omit<TicketRuleInput, 'queueIds'> & { queues?: string[] }>;
}

const appointmentFields = {
  title: { type: 'string', minLength: 1, maxLength: 300 },
  description: { type: 'string', maxLength: 20000 },
  location: { type: 'string', maxLength: 500 },
  allDay: { type: 'boolean' },
  start: dateTime,
  end: dateTime,
  timeZone,
  rrule,
  reminderMinutes: { type: ['integer', 'null'], minimum: 0, maximum: 40320, description: 'remind this many minutes before each occurrence (null: no reminder)' },
  ticketIds: { type: 'array', maxItems: 50, uniqueItems: true, items: idSchema, description: 'linked tickets' },
} as const;

export const appointmentBody = {
  type: 'object',
  additionalProperties: false,
  required: ['calendarId', 'title', 'start', 'end'],
  properties: { calendarId: idSchema, ...appointmentFields },
} as const;
export interface AppointmentInput {
  calendarId: number;
  title: string;
  description?: string;
  location?: string;
  allDay?: boolean;
  start: string;
  end: string;
  timeZone?: string;
  rrule?: string | null;
  reminderMinutes?: number | null;
  ticketIds?: number[];
}

export const appointmentPatch = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    scope: { enum: ['all', 'this', 'following'], default: 'all', description: 'for a repeating appointment: change all occurrences, only `occurrence`, or `occurrence` and every later one' },
    occurrence: { ...dateTime, description: 'the original start of the occurrence (scopes `this` and `following`); with scope `all`, the new start/end given are those of this occurrence' },
    calendarId: idSchema,
    ...appointmentFields,
  },
} as const;
export type AppointmentPatch = Partial<AppointmentInput> & { scope: 'all' | 'this' | 'following'; occurrence?: string };

export const appointmentDeleteQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { scope: appointmentPatch.properties.scope, occurrence: appointmentPatch.properties.occurrence },
} as const;
export interface AppointmentDeleteQuery {
  scope: 'all' | 'this' | 'following';
  occurrence?: string;
}

export const appointmentView = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'uid', 'calendarId', 'title', 'description', 'location', 'mapUrl', 'allDay', 'start', 'end', 'timeZone', 'rrule', 'exdates', 'parentId', 'recurrenceId', 'reminderMinutes', 'ticketIds', 'ruleId', 'access'],
  properties: {
    id: { type: 'integer' },
    uid: { type: 'string' },
    calendarId: { type: 'integer' },
    title: { type: 'string' },
    description: { type: 'string' },
    location: { type: 'string' },
    mapUrl: { type: ['string', 'null'], description: 'an OpenStreetMap search for the location' },
    allDay: { type: 'boolean' },
    start: dateTime,
    end: dateTime,
    timeZone: { type: 'string' },
    rrule: { type: ['string', 'null'] },
    exdates: { type: 'array', items: dateTime },
    parentId: { type: ['integer', 'null'], description: 'the series this row replaces one occurrence of' },
    recurrenceId: { type: ['string', 'null'], format: 'date-time' },
    reminderMinutes: { type: ['integer', 'null'] },
    ticketIds: { type: 'array', items: { type: 'integer' } },
    ruleId: { type: ['integer', 'null'], description: 'the ticket appointment rule that keeps it (changes come from the ticket)' },
    access: { enum: ['ro', 'rw'] },
  },
} as const;

export const occurrenceView = {
  type: 'object',
  additionalProperties: false,
  required: [...appointmentView.required, 'occurrence'],
  properties: { ...appointmentView.properties, occurrence: { type: ['string', 'null'], format: 'date-time', description: 'original start of this occurrence of a repeating appointment (null: not repeating)' } },
} as const;
export const occurrenceListView = { type: 'object', additionalProperties: false, required: ['items'], properties: { items: { type: 'array', items: occurrenceView } } } as const;

export const windowQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    from: { ...dateTime, description: 'window start (default: now)' },
    to: { ...dateTime, description: 'window end (default: from + 7 days; at most 400 days after from)' },
    calendarIds: { type: 'array', maxItems: 500, items: idSchema, description: 'only these calendars (default: every calendar you may see)' },
    ticketId: { ...idSchema, description: 'only appointments linked to this ticket' },
  },
} as const;
export interface WindowQuery {
  from?: string;
  to?: string;
  calendarIds?: number[];
  ticketId?: number;
}

export const feedView = {
  type: 'object',
  additionalProperties: false,
  required: ['url', 'path'],
  properties: { url: { type: 'string', description: 'subscribe to this URL (it holds the secret token; shown once)' }, path: { type: 'string' } },
} as const;

export const icsBody = {
  type: 'object',
  additionalProperties: false,
  required: ['ics'],
  properties: { ics: { type: 'string', minLength: 1, description: 'an iCalendar file (at most 2 MB); events update the appointments with the same UID' } },
} as const;
export const icsImportView = {
  type: 'object',
  additionalProperties: false,
  required: ['created', 'updated'],
  properties: { created: { type: 'integer' }, updated: { type: 'integer' } },
} as const;
