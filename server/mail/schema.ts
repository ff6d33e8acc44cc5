/** JSON Schemas of the mail API: ticket mail (reply, forward, redirect, new email ticket), the mail log, mail texts and queue mail settings. */
import { listOf } from '../catalog/schema';
import { attachmentInput, MAX_ATTACHMENTS } from '../articles/schema';

const str = { type: 'string' } as const;
const addrs = { type: 'string', maxLength: 10_000 } as const;
const int = { type: 'integer' } as const;

const mailFields = {
  to: { ...addrs, description: 'recipients, comma separated (`Name <addr>` or `addr`)' },
  cc: addrs,
  bcc: addrs,
  subject: { type: 'string', maxLength: 3800, description: 'the ticket hook is put in front' },
  body: { type: 'string', maxLength: 10_000_000 },
  contentType: { enum: ['text/plain', 'text/html'], default: 'text/plain' },
  attachments: { type: 'array', maxItems: MAX_ATTACHMENTS, items: attachmentInput },
  timeUnits: { type: 'number', minimum: 0, maximum: 100000 },
} as const;

export const ticketMailBody = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'to'],
  properties: {
    kind: { enum: ['reply', 'replyAll', 'forward', 'redirect', 'email'], description: 'redirect sends the article named by articleId unchanged' },
    articleId: { ...int, minimum: 1, description: 'the article answered, forwarded or redirected' },
    ...mailFields,
    nextState: { ...str, description: 'the state the ticket gets with the mail (by name)' },
    nextStateId: { ...int, minimum: 1 },
    pendingUntil: { type: 'string', format: 'date-time' },
  },
} as const;

export const emailTicketBody = {
  type: 'object',
  additionalProperties: false,
  required: ['to', 'subject', 'body'],
  properties: {
    queue: str,
    queueId: { ...int, minimum: 1 },
    customerUser: str,
    customerUserId: { ...int, minimum: 1 },
    state: str,
    priority: str,
    pendingUntil: { type: 'string', format: 'date-time' },
    ...mailFields,
  },
} as const;

export const mailDefaultsView = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'hook', 'salutation', 'signature'],
  properties: {
    from: str,
    hook: { ...str, description: 'the ticket hook put in front of the subject' },
    salutation: { ...str, description: "the queue's salutation rendered for this ticket and agent" },
    signature: { ...str, description: "the queue's signature rendered for this ticket and agent" },
  },
} as const;

const nullableStr = { type: ['string', 'null'] } as const;
const MAIL_STATUS = ['queued', 'retrying', 'sent', 'written', 'failed'] as const;

export const deliveryView = {
  type: 'object',
  additionalProperties: false,
  required: ['status', 'messageId', 'answer', 'at'],
  properties: {
    status: { enum: MAIL_STATUS, description: 'failed: not delivered (answer says why)' },
    messageId: str,
    answer: nullableStr,
    at: { type: 'string', format: 'date-time' },
  },
} as const;

export const mailLogQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    page: { type: 'integer', minimum: 1, default: 1 },
    perPage: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
    status: { enum: MAIL_STATUS },
    ticketId: { ...int, minimum: 1 },
  },
} as const;

/** One entry of the mail log. */
const mailLogEntry = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'messageId', 'purpose', 'ticketId', 'articleId', 'from', 'to', 'cc', 'bcc', 'subject', 'status', 'transport', 'answer', 'attempts', 'file', 'createdAt', 'changedAt', 'emlUrl'],
  properties: {
    id: int,
    messageId: str,
    purpose: str,
    ticketId: { type: ['integer', 'null'] },
    articleId: { type: ['integer', 'null'] },
    from: str,
    to: str,
    cc: str,
    bcc: str,
    subject: str,
    status: { enum: MAIL_STATUS },
    transport: nullableStr,
    answer: { ...nullableStr, description: "the SMTP server's answer, the outbox file, or why it failed" },
    attempts: int,
    file: { ...nullableStr, description: 'the file name in the outbox' },
    createdAt: { type: 'string', format: 'date-time' },
    changedAt: { type: 'string', format: 'date-time' },
    emlUrl: { ...nullableStr, description: 'download of the message as sent (.eml)' },
  },
} as const;

export const mailLogView = listOf(mailLogEntry);

const MAIL_TEXT_KINDS = ['template', 'salutation', 'signature'] as const;

export const mailTextBody = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'name', 'body'],
  properties: {
    kind: { enum: MAIL_TEXT_KINDS },
    name: { type: 'string', minLength: 1, maxLength: 200 },
    subject: { type: 'string', maxLength: 3800 },
    body: { type: 'string', maxLength: 1_000_000, description: 'with OTRS tags (<OTRS_CUSTOMER_REALNAME>) or templates ({{ticket.number}})' },
    contentType: { enum: ['text/plain', 'text/html'] },
    comment: { type: 'string', maxLength: 1000 },
    valid: { type: 'boolean' },
  },
} as const;

export const mailTextView = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'kind', 'name', 'subject', 'body', 'contentType', 'comment', 'valid'],
  properties: {
    id: int,
    kind: { enum: MAIL_TEXT_KINDS },
    name: str,
    subject: str,
    body: str,
    contentType: { enum: ['text/plain', 'text/html'] },
    comment: str,
    valid: { type: 'boolean' },
  },
} as const;

export const mailTextListView = { type: 'object', additionalProperties: false, required: ['items'], properties: { items: { type: 'array', items: mailTextView } } } as const;

export const mailTextQuery = { type: 'object', additionalProperties: false, properties: { kind: { enum: MAIL_TEXT_KINDS } } } as const;

export const queueMailBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    systemAddress: { type: ['string', 'null'], maxLength: 500, description: "the queue's From address; null: MAIL_FROM" },
    salutationId: { type: ['integer', 'null'], minimum: 1 },
    signatureId: { type: ['integer', 'null'], minimum: 1 },
  },
} as const;

export const queueMailView = {
  type: 'object',
  additionalProperties: false,
  required: ['queueId', 'queue', 'systemAddress', 'salutationId', 'signatureId'],
  properties: { queueId: int, queue: str, systemAddress: nullableStr, salutationId: { type: ['integer', 'null'] }, signatureId: { type: ['integer', 'null'] } },
} as const;

export const queueMailListView = { type: 'object', additionalProperties: false, required: ['items'], properties: { items: { type: 'array', items: queueMailView } } } as const;

export const renderBody = {
  type: 'object',
  additionalProperties: false,
  required: ['ticketId', 'text'],
  properties: { ticketId: { ...int, minimum: 1 }, text: { type: 'string', maxLength: 1_000_000 } },
} as const;

export const renderView = { type: 'object', additionalProperties: false, required: ['text'], properties: { text: str } } as const;
