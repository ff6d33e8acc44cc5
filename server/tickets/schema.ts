/**
 * JSON Schemas and TypeScript types of the ticket endpoints: what a client sends to create, change,
 * lock, merge, link and bulk-change tickets, and the ticket view every answer carries. References
 * are given by id or by name (`queueId` or `queue`); nullable ones (`service`, `sla`,
 * `responsible`, `customerUser`) are cleared with `null`.
 */
import { escalationViewSchema } from '../sla/view';
import { idSchema } from '../http/api';
import { articleInput, type ArticleInput } from '../articles/schema';

const name = { type: 'string', minLength: 1, maxLength: 200 } as const;
const nullable = (s: object) => ({ anyOf: [s, { type: 'null' }] }) as const;
const dateTime = { type: 'string', format: 'date-time' } as const;

/** `queue` (name) and `queueId` for one reference. */
function refProps(key: string, canClear = false) {
  return canClear ? { [key]: nullable(name), [`${key}Id`]: nullable(idSchema) } : { [key]: name, [`${key}Id`]: idSchema };
}

const dynamicFieldsInput = {
  type: 'object',
  description: 'Dynamic field values by field name (`Name` or `DynamicField_Name`); null clears a value.',
} as const;

/** The ticket fields that both creation and change accept. */
const fieldProps = {
  ...refProps('queue'),
  ...refProps('state'),
  ...refProps('priority'),
  ...refProps('type'),
  ...refProps('service', true),
  ...refProps('sla', true),
  ...refProps('owner'),
  ...refProps('responsible', true),
  ...refProps('customerUser', true),
  customerId: nullable({ type: 'string', minLength: 1, maxLength: 150 }),
  pendingUntil: nullable(dateTime),
  dynamicFields: dynamicFieldsInput,
};

export const ticketCreateBody = {
  type: 'object',
  additionalProperties: false,
  required: ['title', 'article'],
  properties: {
    title: { type: 'string', minLength: 1, maxLength: 255 },
    ...fieldProps,
    lock: { type: 'boolean', description: 'lock the new ticket for its owner (the caller unless an owner is given)' },
    article: articleInput,
  },
} as const;

export const ticketPatchBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    title: { type: 'string', minLength: 1, maxLength: 255 },
    ...fieldProps,
    archived: { type: 'boolean' },
  },
} as const;

/** The reference fields, as a client sends them (id or name; null clears the nullable ones). */
export interface TicketFieldsInput {
  queue?: string;
  queueId?: number;
  state?: string;
  stateId?: number;
  priority?: string;
  priorityId?: number;
  type?: string;
  typeId?: number;
  service?: string | null;
  serviceId?: number | null;
  sla?: string | null;
  slaId?: number | null;
  owner?: string;
  ownerId?: number;
  responsible?: string | null;
  responsibleId?: number | null;
  customerUser?: string | null;
  customerUserId?: number | null;
  customerId?: string | null;
  pendingUntil?: string | null;
  dynamicFields?: Record<string, unknown>;
}

export interface TicketCreateInput extends TicketFieldsInput {
  title: string;
  lock?: boolean;
  article: ArticleInput;
}

export interface TicketPatchInput extends TicketFieldsInput {
  title?: string;
  archived?: boolean;
}

export const mergeBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  maxProperties: 1,
  properties: { targetTicketId: idSchema, targetTicketNumber: { type: 'string', pattern: '^[0-9]{6,40}$' } },
} as const;

export interface MergeInput {
  targetTicketId?: number;
  targetTicketNumber?: string;
}

export const linkBody = {
  type: 'object',
  additionalProperties: false,
  required: ['targetTicketId'],
  properties: {
    targetTicketId: idSchema,
    type: { enum: ['normal', 'parent-child'], default: 'normal' },
    role: { enum: ['parent', 'child'], description: "parent-child only: the target's role (default child)" },
  },
} as const;

export interface LinkInput {
  targetTicketId: number;
  type?: 'normal' | 'parent-child';
  role?: 'parent' | 'child';
}

export const splitBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    title: { type: 'string', minLength: 1, maxLength: 255 },
    ...refProps('queue'),
    ...refProps('state'),
    ...refProps('priority'),
    linkType: { enum: ['normal', 'parent-child'], default: 'parent-child' },
  },
} as const;

export interface SplitInput {
  title?: string;
  queue?: string;
  queueId?: number;
  state?: string;
  stateId?: number;
  priority?: string;
  priorityId?: number;
  linkType?: 'normal' | 'parent-child';
}

export const bulkBody = {
  type: 'object',
  additionalProperties: false,
  required: ['ticketIds'],
  properties: {
    ticketIds: { type: 'array', minItems: 1, maxItems: 1000, uniqueItems: true, items: idSchema },
    set: {
      type: 'object',
      additionalProperties: false,
      properties: {
        ...refProps('state'),
        ...refProps('queue'),
        ...refProps('owner'),
        ...refProps('priority'),
        pendingUntil: nullable(dateTime),
      },
    },
    note: {
      type: 'object',
      additionalProperties: false,
      required: ['body'],
      properties: {
        subject: { type: 'string', maxLength: 3800 },
        body: { type: 'string', minLength: 1, maxLength: 1_000_000 },
        contentType: { enum: ['text/plain', 'text/html'] },
        visibleForCustomer: { type: 'boolean' },
        timeUnits: { type: 'number', minimum: 0, maximum: 100000 },
      },
    },
  },
} as const;

export interface BulkInput {
  ticketIds: number[];
  set?: Pick<TicketPatchInput, 'state' | 'stateId' | 'queue' | 'queueId' | 'owner' | 'ownerId' | 'priority' | 'priorityId' | 'pendingUntil'>;
  note?: { subject?: string; body: string; contentType?: 'text/plain' | 'text/html'; visibleForCustomer?: boolean; timeUnits?: number };
}

// ---- views ---------------------------------------------------------------------------------------

const int = { type: 'integer' } as const;
const str = { type: 'string' } as const;
const isoTime = { type: 'string', format: 'date-time' } as const;

export const namedView = { type: 'object', additionalProperties: false, required: ['id', 'name'], properties: { id: int, name: str } } as const;
export const agentRefView = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'login', 'name'],
  properties: { id: int, login: str, name: str },
} as const;

export const linkView = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'type', 'role', 'ticket', 'createdAt'],
  properties: {
    id: int,
    type: { enum: ['normal', 'parent-child'] },
    role: { enum: ['normal', 'parent', 'child'], description: "the linked ticket's role relative to this one" },
    ticket: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'number', 'title', 'state', 'stateType'],
      properties: { id: int, number: str, title: str, state: str, stateType: str },
    },
    createdAt: isoTime,
  },
} as const;

export const linkListView = {
  type: 'object',
  additionalProperties: false,
  required: ['items'],
  properties: { items: { type: 'array', items: linkView } },
} as const;

export const ticketView = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id', 'number', 'title', 'view', 'queue', 'state', 'priority', 'type', 'service', 'sla', 'owner', 'responsible',
    'customer', 'customerUser', 'locked', 'pendingUntil', 'archived', 'mergedInto', 'createdAt', 'changedAt', 'timeUnits',
    'watchers', 'watching', 'links', 'dynamicFields', 'articleCount', 'unreadArticleCount', 'escalation', 'answerBy',
  ],
  properties: {
    id: int,
    number: str,
    title: str,
    view: { enum: ['agent', 'customer'], description: 'customer users get a reduced view' },
    queue: namedView,
    state: { type: 'object', additionalProperties: false, required: ['id', 'name', 'type'], properties: { id: int, name: str, type: str } },
    priority: namedView,
    type: namedView,
    service: nullable(namedView),
    sla: nullable(namedView),
    owner: nullable(agentRefView),
    responsible: nullable(agentRefView),
    customer: nullable({
      type: 'object',
      additionalProperties: false,
      required: ['id', 'name'],
      properties: { id: str, name: { type: ['string', 'null'] } },
    }),
    customerUser: nullable({
      type: 'object',
      additionalProperties: false,
      required: ['id', 'login', 'name', 'email'],
      properties: { id: int, login: str, name: str, email: str },
    }),
    locked: { type: 'boolean' },
    pendingUntil: { type: ['string', 'null'], format: 'date-time' },
    archived: { type: 'boolean' },
    mergedInto: nullable({ type: 'object', additionalProperties: false, required: ['id', 'number'], properties: { id: int, number: str } }),
    createdAt: isoTime,
    changedAt: isoTime,
    timeUnits: { type: 'number' },
    watchers: { type: 'array', items: agentRefView },
    watching: { type: 'boolean', description: 'whether the caller watches the ticket' },
    links: { type: 'array', items: linkView },
    dynamicFields: { type: 'object' },
    articleCount: int,
    unreadArticleCount: { type: 'integer', description: 'articles the calling agent has not seen (0 for customers)' },
    escalation: escalationViewSchema,
    answerBy: { type: ['string', 'null'], format: 'date-time', description: 'customer users: "we answer by" (the first response, else update deadline) when the SLA lets the portal show it; null otherwise' },
  },
} as const;

export const bulkResultView = {
  type: 'object',
  additionalProperties: false,
  required: ['results', 'succeeded', 'failed'],
  properties: {
    succeeded: int,
    failed: int,
    results: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['ticketId', 'ok'],
        properties: {
          ticketId: int,
          ok: { type: 'boolean' },
          error: {
            type: 'object',
            additionalProperties: false,
            required: ['status', 'code', 'message'],
            properties: { status: int, code: str, message: str, path: str },
          },
        },
      },
    },
  },
} as const;

export interface BulkResult {
  succeeded: number;
  failed: number;
  results: Array<{ ticketId: number; ok: boolean; error?: { status: number; code: string; message: string; path?: string } }>;
}
