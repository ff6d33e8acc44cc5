/**
 * JSON Schemas and TypeScript types of articles: the article a client sends (with attachments as
 * base64 and dynamic field values) and the article view with attachment metadata and the calling
 * agent's seen flag.
 */
import type { ArticleChannel, Direction, SenderType } from '../db/schema';

export const CHANNELS: readonly ArticleChannel[] = ['email', 'phone', 'note', 'portal', 'chat', 'internal'];
export const SENDER_TYPES: readonly SenderType[] = ['agent', 'customer', 'system'];
export const DIRECTIONS: readonly Direction[] = ['incoming', 'outgoing', 'internal'];

/** Most attachments one article may carry. */
export const MAX_ATTACHMENTS = 20;

export const attachmentInput = {
  type: 'object',
  additionalProperties: false,
  required: ['filename', 'contentBase64'],
  properties: {
    filename: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[^\\u0000-\\u001f/\\\\]+$' },
    contentType: { type: 'string', maxLength: 200, pattern: '^[A-Za-z0-9][\\w.+-]*/[\\w.+-]+( *;[ \\w.+=\\-"]*)?$', default: 'application/octet-stream' },
    contentBase64: { type: 'string' },
    inline: { type: 'boolean' },
    contentId: { type: 'string', maxLength: 250 },
  },
} as const;

export interface AttachmentInput {
  filename: string;
  contentType?: string;
  contentBase64: string;
  inline?: boolean;
  contentId?: string;
}

const addr = { type: 'string', maxLength: 10_000 } as const;

export const articleInput = {
  type: 'object',
  additionalProperties: false,
  required: ['body'],
  properties: {
    channel: { enum: CHANNELS, description: 'agents: default note; customer users: always portal' },
    senderType: { enum: SENDER_TYPES },
    direction: { enum: DIRECTIONS },
    visibleForCustomer: { type: 'boolean', description: 'default: false for notes and internal articles, true otherwise' },
    from: addr,
    to: addr,
    cc: addr,
    subject: { type: 'string', maxLength: 3800 },
    body: { type: 'string', maxLength: 10_000_000 },
    contentType: { enum: ['text/plain', 'text/html'], default: 'text/plain' },
    important: { type: 'boolean' },
    timeUnits: { type: 'number', minimum: 0, maximum: 100000 },
    attachments: { type: 'array', maxItems: MAX_ATTACHMENTS, items: attachmentInput },
    dynamicFields: { type: 'object', description: 'article dynamic field values by name' },
  },
} as const;

export interface ArticleInput {
  channel?: ArticleChannel;
  senderType?: SenderType;
  direction?: Direction;
  visibleForCustomer?: boolean;
  from?: string;
  to?: string;
  cc?: string;
  subject?: string;
  body: string;
  contentType?: 'text/plain' | 'text/html';
  important?: boolean;
  timeUnits?: number;
  attachments?: AttachmentInput[];
  dynamicFields?: Record<string, unknown>;
}

const int = { type: 'integer' } as const;
const str = { type: 'string' } as const;

export const attachmentView = {
  type: 'object',
  additionalProperties: false,
  required: ['position', 'filename', 'contentType', 'size', 'sha256', 'inline', 'contentId', 'url'],
  properties: {
    position: int,
    filename: str,
    contentType: str,
    size: int,
    sha256: str,
    inline: { type: 'boolean' },
    contentId: { type: ['string', 'null'] },
    url: { type: 'string', description: 'where to download it' },
  },
} as const;

export const articleView = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id', 'ticketId', 'originalTicketId', 'channel', 'senderType', 'direction', 'visibleForCustomer', 'from', 'to', 'cc',
    'subject', 'contentType', 'bodyText', 'bodyHtml', 'important', 'messageId', 'flag', 'timeUnits', 'createdAt', 'createdBy', 'seen',
    'attachments', 'dynamicFields',
  ],
  properties: {
    id: int,
    ticketId: int,
    originalTicketId: { type: ['integer', 'null'], description: 'set when a merge moved the article here' },
    channel: { enum: CHANNELS },
    senderType: { enum: SENDER_TYPES },
    direction: { enum: DIRECTIONS },
    visibleForCustomer: { type: 'boolean' },
    from: str,
    to: str,
    cc: str,
    subject: str,
    contentType: { enum: ['text/plain', 'text/html'] },
    bodyText: str,
    bodyHtml: { type: ['string', 'null'], description: 'sanitised HTML' },
    important: { type: 'boolean' },
    messageId: { type: ['string', 'null'], description: "the mail's Message-ID (received or sent mail)" },
    flag: { type: ['string', 'null'], description: '`unexpected-sender`: a mail follow-up from someone who is not the customer, an agent or a recipient of the thread' },
    timeUnits: { type: 'number' },
    createdAt: { type: 'string', format: 'date-time' },
    createdBy: {
      anyOf: [
        {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'id', 'name'],
          properties: { kind: { enum: ['agent', 'customer'] }, id: int, name: str },
        },
        { type: 'null' },
      ],
    },
    seen: { type: 'boolean', description: 'whether the calling agent had seen it (always true for customers)' },
    attachments: { type: 'array', items: attachmentView },
    dynamicFields: { type: 'object' },
    delivery: {
      type: 'object',
      additionalProperties: false,
      required: ['status', 'messageId', 'answer', 'at'],
      description: "articles sent by mail: queued, retrying, sent, written (outbox) or failed (not delivered; answer holds the server's reply)",
      properties: {
        status: { enum: ['queued', 'retrying', 'sent', 'written', 'failed'] },
        messageId: str,
        answer: { type: ['string', 'null'] },
        at: { type: 'string', format: 'date-time' },
      },
    },
  },
} as const;

export const articleListView = {
  type: 'object',
  additionalProperties: false,
  required: ['items', 'total', 'page', 'perPage'],
  properties: {
    items: { type: 'array', items: articleView },
    total: int,
    page: int,
    perPage: int,
  },
} as const;

export const articleListQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    page: { type: 'integer', minimum: 1, default: 1 },
    perPage: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
    markSeen: { type: 'boolean', default: false, description: 'mark the listed articles seen for the calling agent' },
  },
} as const;

export interface ArticleListQuery {
  page: number;
  perPage: number;
  markSeen: boolean;
}
