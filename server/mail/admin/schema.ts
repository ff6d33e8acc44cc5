/**
 * JSON Schemas and types of the inbound-mail admin API (`/api/v1/mail/...`): mail accounts (the
 * password is write-only: `password` in, `hasPassword` out), postmaster filters, auto responses,
 * system addresses and problem mails. Queues are named (`"queue": "Raw"`), as elsewhere in the
 * catalogue admin API.
 */
const str = { type: 'string' } as const;
const ts = { type: 'string', format: 'date-time' } as const;
const tsOrNull = { type: ['string', 'null'], format: 'date-time' } as const;
const name = { type: 'string', minLength: 1, maxLength: 200 } as const;
const queueName = { type: 'string', minLength: 1, maxLength: 200, description: 'a queue name' } as const;
const list = (item: object) => ({ type: 'object', additionalProperties: false, required: ['items'], properties: { items: { type: 'array', items: item } } }) as const;
/** Create body (with `required`), change body (every property optional, at least one). */
const bodies = (properties: Record<string, object>, required: string[]) => ({
  create: { type: 'object', additionalProperties: false, required, properties },
  patch: { type: 'object', additionalProperties: false, minProperties: 1, properties },
});

// ---- mail accounts -------------------------------------------------------------------------------

export const PROTOCOLS = ['imap', 'pop3'] as const;
export const TLS_MODES = ['none', 'starttls', 'tls'] as const;

const accountProps = {
  name: { ...name, pattern: '^[^\\r\\n]+$' },
  protocol: { enum: PROTOCOLS },
  host: { type: 'string', minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9.:\\[\\]_-]+$', description: 'host name or address of the IMAP/POP3 server' },
  port: { type: 'integer', minimum: 1, maximum: 65535 },
  tls: { enum: TLS_MODES, description: '`tls`: implicit TLS (993/995), `starttls`, `none`' },
  login: { type: 'string', minLength: 1, maxLength: 500 },
  password: { type: 'string', minLength: 1, maxLength: 2000, description: 'stored encrypted, never returned; omit on change to keep the stored one' },
  folder: { type: 'string', minLength: 1, maxLength: 500, description: 'IMAP folder (default INBOX)' },
  keep: { type: 'boolean', description: 'keep the messages on the server (IMAP: mark read; POP3: remember) instead of deleting them' },
  queue: { type: ['string', 'null'], minLength: 1, maxLength: 200, description: 'every mail goes to this queue; null: by recipient (system addresses)' },
  intervalSeconds: { type: 'integer', minimum: 30, maximum: 86_400 },
  allowList: { type: 'array', maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 300 }, description: 'hosts, addresses and CIDRs that may be reached although private or loopback' },
  valid: { type: 'boolean', description: 'false: not fetched' },
} as const;
const accountBodies = bodies(accountProps, ['name', 'protocol', 'host', 'login']);
export const accountCreateBody = accountBodies.create;
export const accountPatchBody = accountBodies.patch;

export interface AccountInput {
  name?: string;
  protocol?: 'imap' | 'pop3';
  host?: string;
  port?: number;
  tls?: 'none' | 'starttls' | 'tls';
  login?: string;
  password?: string;
  folder?: string;
  keep?: boolean;
  queue?: string | null;
  intervalSeconds?: number;
  allowList?: string[];
  valid?: boolean;
}

export const accountView = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'protocol', 'host', 'port', 'tls', 'login', 'hasPassword', 'folder', 'keep', 'queue', 'intervalSeconds', 'allowList', 'valid', 'lastFetchAt', 'lastError', 'createdAt'],
  properties: {
    id: { type: 'integer' },
    name: str,
    protocol: { enum: PROTOCOLS },
    host: str,
    port: { type: 'integer' },
    tls: { enum: TLS_MODES },
    login: str,
    hasPassword: { type: 'boolean' },
    folder: str,
    keep: { type: 'boolean' },
    queue: { type: ['string', 'null'] },
    intervalSeconds: { type: 'integer' },
    allowList: { type: 'array', items: str },
    valid: { type: 'boolean' },
    lastFetchAt: tsOrNull,
    lastError: { type: ['string', 'null'] },
    createdAt: ts,
  },
} as const;
export const accountListView = list(accountView);

export const testConnectionView = {
  type: 'object',
  additionalProperties: false,
  required: ['ok', 'message'],
  properties: { ok: { type: 'boolean' }, message: { type: 'string', description: 'what happened, or the server’s error in words' } },
} as const;

// ---- postmaster filters --------------------------------------------------------------------------

const filterProps = {
  name,
  matches: {
    type: 'array',
    minItems: 1,
    maxItems: 50,
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['field', 'regex'],
      properties: {
        field: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[!-9;-~]+$', description: 'a header name (Subject, From, X-Spam-Flag …) or Body' },
        regex: { type: 'string', minLength: 1, maxLength: 2000, description: 'a JavaScript regular expression, matched case-insensitively' },
        negate: { type: 'boolean' },
      },
    },
  },
  actions: {
    type: 'object',
    additionalProperties: false,
    properties: {
      queue: queueName,
      priority: { type: 'string', minLength: 1, maxLength: 200 },
      state: { type: 'string', minLength: 1, maxLength: 200 },
      owner: { type: 'string', minLength: 1, maxLength: 200, description: 'an agent login' },
      dynamicFields: { type: 'object', maxProperties: 100 },
      ignore: { type: 'boolean', description: 'drop the mail (no ticket)' },
      internal: { type: 'boolean', description: 'the article is not visible to the customer' },
    },
  },
  stop: { type: 'boolean', description: 'a match ends the evaluation (default true)' },
  valid: { type: 'boolean' },
} as const;
const filterBodies = bodies(filterProps, ['name', 'matches', 'actions']);
export const filterCreateBody = filterBodies.create;
export const filterPatchBody = filterBodies.patch;

export interface FilterInput {
  name?: string;
  matches?: Array<{ field: string; regex: string; negate?: boolean }>;
  actions?: { queue?: string; priority?: string; state?: string; owner?: string; dynamicFields?: Record<string, unknown>; ignore?: boolean; internal?: boolean };
  stop?: boolean;
  valid?: boolean;
}

export const filterView = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'matches', 'actions', 'stop', 'valid', 'createdAt'],
  properties: { id: { type: 'integer' }, name: str, matches: filterProps.matches, actions: { type: 'object' }, stop: { type: 'boolean' }, valid: { type: 'boolean' }, createdAt: ts },
} as const;
export const filterListView = list(filterView);

// ---- auto responses ------------------------------------------------------------------------------

export const RESPONSE_KINDS = ['new', 'follow_up', 'reject'] as const;
const responseProps = {
  queue: queueName,
  kind: { enum: RESPONSE_KINDS, description: '`new`: a new ticket, `follow_up`: a follow-up, `reject`: a rejected follow-up' },
  subject: { type: 'string', minLength: 1, maxLength: 500, pattern: '^[^\\r\\n]*$', description: 'template: OTRS tags (<OTRS_TICKET_TicketNumber>) and {{ticket.…}}' },
  body: { type: 'string', minLength: 1, maxLength: 100_000 },
  valid: { type: 'boolean' },
} as const;
const responseBodies = bodies(responseProps, ['queue', 'kind', 'subject', 'body']);
export const responseCreateBody = responseBodies.create;
export const responsePatchBody = responseBodies.patch;

export interface ResponseInput {
  queue?: string;
  kind?: 'new' | 'follow_up' | 'reject';
  subject?: string;
  body?: string;
  valid?: boolean;
}

export const responseView = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'queue', 'kind', 'subject', 'body', 'valid'],
  properties: { id: { type: 'integer' }, queue: str, kind: { enum: RESPONSE_KINDS }, subject: str, body: str, valid: { type: 'boolean' } },
} as const;
export const responseListView = list(responseView);

// ---- system addresses ----------------------------------------------------------------------------

const addressProps = {
  address: { type: 'string', minLength: 3, maxLength: 320, pattern: '^[^@\\s<>",;]+@[^@\\s<>",;]+$', description: 'an email address the helpdesk receives mail for' },
  displayName: { type: 'string', maxLength: 200, pattern: '^[^\\r\\n]*$' },
  queue: { ...queueName, description: 'mail to this address goes to this queue' },
  valid: { type: 'boolean' },
} as const;
const addressBodies = bodies(addressProps, ['address', 'queue']);
export const addressCreateBody = addressBodies.create;
export const addressPatchBody = addressBodies.patch;

export interface AddressInput {
  address?: string;
  displayName?: string;
  queue?: string;
  valid?: boolean;
}

export const addressView = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'address', 'displayName', 'queue', 'valid', 'createdAt'],
  properties: { id: { type: 'integer' }, address: str, displayName: str, queue: str, valid: { type: 'boolean' }, createdAt: ts },
} as const;
export const addressListView = list(addressView);

// ---- problem mails -------------------------------------------------------------------------------

export const problemView = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'source', 'code', 'reason', 'size', 'from', 'subject', 'messageId', 'queue', 'receivedAt'],
  properties: {
    id: { type: 'integer' },
    source: { type: 'string', description: '`smtp`, `pipe`, `account:<name>`, `reprocess`' },
    code: { type: 'string', description: 'MALFORMED, PARSE_FAILED, PARSE_TIMEOUT, TOO_LARGE, TOO_MANY_ATTACHMENTS, NO_QUEUE, SENDER_LIMIT, PROCESSING_FAILED' },
    reason: str,
    size: { type: 'integer' },
    from: str,
    subject: str,
    messageId: { type: ['string', 'null'] },
    queue: { type: ['string', 'null'] },
    receivedAt: ts,
  },
} as const;
export const problemListView = list(problemView);

export const reprocessView = {
  type: 'object',
  additionalProperties: false,
  required: ['outcome'],
  properties: {
    outcome: { enum: ['new-ticket', 'follow-up', 'reject', 'ignore', 'sender-limit', 'problem'] },
    ticketId: { type: 'integer' },
    tn: str,
    articleId: { type: 'integer' },
    code: str,
    reason: str,
  },
} as const;
