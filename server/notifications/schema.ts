/** JSON Schemas of the notification API: the caller's web notifications and the admins' templates. */
import { NOTIFICATION_EVENT_TYPES, NOTIFICATION_KEYS, RECIPIENT_GROUPS, type RecipientGroup } from './events';

export const notificationListQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 200, default: 20 },
    before: { type: 'integer', minimum: 1, maximum: 2147483647, description: 'only notifications with a smaller id (the next page: the last id of this one)' },
    unread: { type: 'boolean', description: 'only unread ones' },
  },
} as const;

export interface NotificationListQuery {
  limit: number;
  before?: number;
  unread?: boolean;
}

export const notificationView = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'event', 'ticketId', 'ticketNumber', 'articleId', 'title', 'body', 'createdAt', 'read'],
  properties: {
    id: { type: 'integer' },
    event: { enum: NOTIFICATION_EVENT_TYPES, description: 'what happened' },
    ticketId: { type: ['integer', 'null'] },
    ticketNumber: { type: ['string', 'null'] },
    articleId: { type: ['integer', 'null'] },
    title: { type: 'string' },
    body: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    read: { type: 'boolean' },
  },
} as const;

export const notificationListView = {
  type: 'object',
  additionalProperties: false,
  required: ['items', 'unread'],
  properties: {
    items: { type: 'array', items: notificationView },
    unread: { type: 'integer', description: 'how many of all your notifications are unread' },
  },
} as const;

const templateText = { type: 'string', minLength: 1, maxLength: 20000 } as const;

export const templateView = {
  type: 'object',
  additionalProperties: false,
  required: ['key', 'event', 'when', 'label', 'preference', 'enabled', 'recipients', 'allowedRecipients', 'subject', 'body', 'custom'],
  properties: {
    key: { enum: NOTIFICATION_KEYS },
    event: { enum: NOTIFICATION_EVENT_TYPES },
    when: { enum: ['locked', 'unlocked', null], description: 'only while the ticket is locked / unlocked' },
    label: { type: 'string' },
    preference: { type: ['string', 'null'], description: "the agents' notification preference that switches it on or off" },
    enabled: { type: 'boolean' },
    recipients: { type: 'array', items: { enum: RECIPIENT_GROUPS } },
    allowedRecipients: { type: 'array', items: { enum: RECIPIENT_GROUPS } },
    subject: { type: 'string' },
    body: { type: 'string' },
    custom: { type: 'boolean', description: 'changed by an administrator (false: the shipped default)' },
  },
} as const;

export const templateListView = { type: 'object', additionalProperties: false, required: ['items'], properties: { items: { type: 'array', items: templateView } } } as const;

export const templateBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    enabled: { type: 'boolean' },
    recipients: { type: 'array', maxItems: RECIPIENT_GROUPS.length, uniqueItems: true, items: { enum: RECIPIENT_GROUPS } },
    subject: { ...templateText, maxLength: 500 },
    body: templateText,
  },
} as const;

export interface TemplateInput {
  enabled?: boolean;
  recipients?: RecipientGroup[];
  subject?: string;
  body?: string;
}

export const templateKeyParams = { key: { type: 'string', minLength: 1, maxLength: 100 } } as const;
