/**
 * JSON Schemas and types of the agent's own settings under `/api/v1/me`: preferences (date format,
 * my queues, list columns, dashboard layout, notification choices), password change, the queue
 * overview of the dashboard and unread flags for lists.
 */
import { itemsOf } from '../catalog/schema';
import { LANGUAGES } from '../i18n/languages';
import type { OutOfOffice } from './out-of-office';

export const DATE_FORMATS = ['locale', 'YYYY-MM-DD HH:mm', 'DD.MM.YYYY HH:mm', 'DD/MM/YYYY HH:mm', 'MM/DD/YYYY hh:mm A', 'relative'] as const;
export const DASHBOARD_WIDGETS = ['queues', 'locked', 'reminders', 'escalations', 'processDialogs', 'appointments', 'watched'] as const;
export const LIST_COLUMNS = ['tn', 'title', 'queue', 'state', 'priority', 'type', 'owner', 'responsible', 'customer', 'locked', 'created', 'changed', 'pendingUntil', 'escalation'] as const;
export const NOTIFICATIONS = ['newTicket', 'followUp', 'lockTimeout', 'ownerUpdate', 'responsibleUpdate', 'move', 'newNote', 'pendingReminder', 'watchedTickets', 'processDialogs', 'escalation'] as const;
export const NOTIFICATION_CHANNELS = ['email', 'web'] as const;

/** `auto`: the browser's language (Accept-Language), else `DEFAULT_LANGUAGE`. */
export const LANGUAGE_CHOICES = ['auto', ...LANGUAGES] as const;

export type DateFormat = (typeof DATE_FORMATS)[number];
export type DashboardWidget = (typeof DASHBOARD_WIDGETS)[number];
export type ListColumn = (typeof LIST_COLUMNS)[number];

export interface Preferences {
  /** Interface and mail language. */
  language: (typeof LANGUAGE_CHOICES)[number];
  /** `locale`: as is usual in the interface language (Intl); the others are fixed patterns. */
  dateFormat: DateFormat;
  /** Queue ids shown in "My queues". */
  myQueues: number[];
  /** Columns of the ticket lists, in order. */
  columns: ListColumn[];
  /** Dashboard widgets in order, each shown or hidden. */
  dashboard: Array<{ id: DashboardWidget; hidden: boolean }>;
  /** Tickets per page in lists. */
  pageSize: number;
  /** Which notifications the agent wants (`watchedTickets`: everything about tickets they watch). */
  notifications: Record<(typeof NOTIFICATIONS)[number], boolean>;
  /** How the wanted notifications reach the agent: by mail, in the web interface's bell, or both. */
  notificationChannels: Record<(typeof NOTIFICATION_CHANNELS)[number], boolean>;
  /** IANA time zone for dates in the interface and in mails; `auto`: the browser's. */
  timeZone: string;
  /** A period away (shown beside the agent's tickets; no notifications meanwhile), or none. */
  outOfOffice: OutOfOffice | null;
}

export const DEFAULT_PREFERENCES: Preferences = {
  language: 'auto',
  dateFormat: 'locale',
  myQueues: [],
  columns: ['tn', 'title', 'queue', 'state', 'priority', 'owner', 'customer', 'changed'],
  dashboard: DASHBOARD_WIDGETS.map((id) => ({ id, hidden: false })),
  pageSize: 25,
  notifications: { newTicket: true, followUp: true, lockTimeout: true, ownerUpdate: true, responsibleUpdate: true, move: false, newNote: true, pendingReminder: true, watchedTickets: true, processDialogs: true, escalation: true },
  notificationChannels: { email: true, web: true },
  timeZone: 'auto',
  outOfOffice: null,
};

const day = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', format: 'date' } as const;

const idSchema = { type: 'integer', minimum: 1, maximum: 2147483647 } as const;

const preferenceProps = {
  language: { enum: LANGUAGE_CHOICES },
  dateFormat: { enum: DATE_FORMATS },
  myQueues: { type: 'array', maxItems: 500, uniqueItems: true, items: idSchema },
  columns: { type: 'array', minItems: 1, maxItems: LIST_COLUMNS.length, uniqueItems: true, items: { enum: LIST_COLUMNS } },
  dashboard: {
    type: 'array',
    maxItems: DASHBOARD_WIDGETS.length,
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'hidden'],
      properties: { id: { enum: DASHBOARD_WIDGETS }, hidden: { type: 'boolean' } },
    },
  },
  pageSize: { type: 'integer', minimum: 5, maximum: 200 },
  notifications: {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(NOTIFICATIONS.map((n) => [n, { type: 'boolean' }])),
  },
  notificationChannels: {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(NOTIFICATION_CHANNELS.map((n) => [n, { type: 'boolean' }])),
  },
  timeZone: { type: 'string', minLength: 1, maxLength: 100, description: 'an IANA time zone such as Europe/Berlin, or auto' },
  outOfOffice: {
    anyOf: [
      { type: 'object', additionalProperties: false, required: ['from', 'until'], properties: { from: day, until: day, note: { type: 'string', maxLength: 500 } } },
      { type: 'null' },
    ],
  },
} as const;

/** `PUT /me/preferences`: the keys to change (others stay); `null` resets a key to its default. */
export const preferencesBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: Object.fromEntries(Object.entries(preferenceProps).map(([k, s]) => [k, { anyOf: [s, { type: 'null' }] }])),
} as const;

export type PreferencesInput = { [K in keyof Preferences]?: Preferences[K] | null };

export const preferencesView = {
  type: 'object',
  additionalProperties: false,
  required: Object.keys(preferenceProps),
  properties: preferenceProps,
} as const;

export const passwordBody = {
  type: 'object',
  additionalProperties: false,
  required: ['currentPassword', 'newPassword'],
  properties: {
    currentPassword: { type: 'string', minLength: 1, maxLength: 1000 },
    newPassword: { type: 'string', minLength: 8, maxLength: 1000 },
  },
} as const;

export interface PasswordInput {
  currentPassword: string;
  newPassword: string;
}

export const queueOverviewView = itemsOf({
  type: 'object',
  additionalProperties: false,
  required: ['queueId', 'queue', 'stateId', 'state', 'stateType', 'count'],
  properties: {
    queueId: { type: 'integer' },
    queue: { type: 'string' },
    stateId: { type: 'integer' },
    state: { type: 'string' },
    stateType: { type: 'string' },
    count: { type: 'integer' },
  },
});

export interface QueueOverviewRow {
  queueId: number;
  queue: string;
  stateId: number;
  state: string;
  stateType: string;
  count: number;
}

export const unreadQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['tickets'],
  properties: { tickets: { type: 'array', minItems: 1, maxItems: 500, items: idSchema, description: 'ticket ids (comma-separated or repeated)' } },
} as const;

export const unreadView = {
  type: 'object',
  additionalProperties: false,
  required: ['ticketIds'],
  properties: { ticketIds: { type: 'array', items: { type: 'integer' }, description: 'the given tickets that hold articles the caller has not seen' } },
} as const;
