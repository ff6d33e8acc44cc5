/** JSON Schemas of the process-ticket API (bodies and exact response views). */
import { idSchema } from '../http/api';
import { itemsOf } from '../catalog/schema';
import { ticketCreateBody } from '../tickets/schema';

const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const ts = { type: 'string', format: 'date-time' } as const;
const json = {} as const;

export const processKeySchema = { type: 'string', minLength: 1, maxLength: 100 } as const;

export const processTicketBody = {
  type: 'object',
  additionalProperties: false,
  required: ['process'],
  properties: {
    process: processKeySchema,
    ticket: { ...ticketCreateBody, description: 'the ticket (as `POST /tickets`); without it the ticket is made from the start dialog' },
    fields: { type: 'object', maxProperties: 500, description: "the start dialog's fields: `Title`, `Queue`, ..., `DynamicField_<Name>`, `Article`" },
  },
} as const;

export const startBody = {
  type: 'object',
  additionalProperties: false,
  required: ['process'],
  properties: { process: processKeySchema, fields: { type: 'object', maxProperties: 500, description: "the start dialog's fields, as for `POST /process-tickets`" } },
} as const;

export const submitBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    fields: { type: 'object', maxProperties: 500, description: 'field name (`Title`, `Queue`, `DynamicField_<Name>`, `Article` {subject, body}) → value' },
    tokenId: { type: 'string', maxLength: 50, description: 'the waiting token, when several wait at the same task' },
    instanceId: { ...idSchema, description: 'the instance, when a called process on the same ticket has a task of the same id open' },
  },
} as const;

const dialogField = {
  type: 'object',
  additionalProperties: false,
  required: ['field', 'label', 'type', 'display', 'mandatory'],
  properties: {
    field: str,
    label: str,
    type: { ...str, description: 'a ticket field kind (text, queue, state, priority, type, service, sla, agent, customerUser, datetime, article) or a dynamic field type' },
    display: { enum: ['shown', 'mandatory'] },
    mandatory: { type: 'boolean' },
    allowedValues: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['value', 'label'], properties: { value: str, label: str } } },
    default: json,
    description: str,
  },
} as const;

export const dialogViewSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['nodeId', 'tokenId', 'name', 'interfaces', 'requiredLock', 'fields'],
  properties: {
    nodeId: str,
    tokenId: str,
    instanceId: int,
    name: str,
    description: str,
    interfaces: { type: 'array', items: { enum: ['agent', 'customer'] } },
    submitText: str,
    submitAdvice: str,
    requiredLock: { type: 'boolean' },
    fields: { type: 'array', items: dialogField },
    rules: { type: 'array', description: 'field rules: show, hide or require `fields` while the comparison `when` holds on the form (see the process format)', items: { type: 'object' } },
    hiddenValues: { type: 'object', description: 'the values of hidden fields the rules test' },
  },
} as const;

const pathEntry = {
  type: 'object',
  additionalProperties: false,
  required: ['at', 'event'],
  properties: { at: ts, event: str, node: str, tokenId: str, transition: str, why: str, by: str, code: str },
} as const;

/** A called instance as the parent's view lists it. */
const childInstanceSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['instanceId', 'parentInstanceId', 'ticketId', 'binding', 'callActivity', 'process', 'processName', 'version', 'status', 'createdAt', 'completedAt', 'currentNodes', 'incidents'],
  properties: {
    instanceId: int,
    parentInstanceId: int,
    ticketId: int,
    binding: { enum: ['same-ticket', 'child-ticket'] },
    callActivity: { type: ['string', 'null'] },
    process: str,
    processName: str,
    version: int,
    status: { enum: ['running', 'incident', 'completed', 'cancelled'] },
    createdAt: ts,
    completedAt: { anyOf: [ts, { type: 'null' }] },
    currentNodes: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, required: ['nodeId', 'name', 'tokenId', 'status'], properties: { nodeId: str, name: str, tokenId: str, status: str, wait: str } },
    },
    incidents: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, required: ['tokenId', 'nodeId', 'code', 'message', 'at'], properties: { tokenId: str, nodeId: str, code: str, message: str, at: ts } },
    },
  },
} as const;

export const processViewSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['instanceId', 'ticketId', 'process', 'processName', 'version', 'status', 'createdAt', 'updatedAt', 'completedAt', 'currentNodes', 'incidents', 'dialogs', 'path', 'pathDropped'],
  properties: {
    instanceId: int,
    ticketId: int,
    process: str,
    processName: str,
    version: int,
    status: { enum: ['running', 'incident', 'completed', 'cancelled'] },
    createdAt: ts,
    updatedAt: ts,
    completedAt: { anyOf: [ts, { type: 'null' }] },
    currentNodes: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, required: ['nodeId', 'name', 'tokenId', 'status'], properties: { nodeId: str, name: str, tokenId: str, status: str, wait: str } },
    },
    incidents: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, required: ['tokenId', 'nodeId', 'code', 'message', 'at'], properties: { tokenId: str, nodeId: str, code: str, message: str, at: ts } },
    },
    dialogs: { type: 'array', items: dialogViewSchema },
    children: { type: 'array', description: 'the instances started by call activities (all depths)', items: childInstanceSchema },
    path: { type: 'array', items: pathEntry },
    pathDropped: int,
    names: { type: 'object', description: "the nodes' and transitions' names in the reader's language, by id", additionalProperties: str },
  },
} as const;

/** `GET /process-tickets/startable`. */
export const startableView = itemsOf({
  type: 'object',
  additionalProperties: false,
  required: ['key', 'name', 'version', 'dialog'],
  properties: { key: str, name: str, description: str, version: int, dialog: { anyOf: [dialogViewSchema, { type: 'null' }] } },
});

/** The customer's view of the process of their ticket (`view: "customer"`; see customer-view.ts). */
export const customerProcessViewSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['view', 'instanceId', 'ticketId', 'processName', 'status', 'createdAt', 'completedAt', 'steps', 'dialogs'],
  properties: {
    view: { const: 'customer' },
    instanceId: int,
    ticketId: int,
    processName: str,
    status: { enum: ['running', 'completed', 'cancelled'] },
    createdAt: ts,
    completedAt: { anyOf: [ts, { type: 'null' }] },
    steps: {
      type: 'array',
      description: 'the steps the admin labelled, in the order reached',
      items: { type: 'object', additionalProperties: false, required: ['label', 'state'], properties: { label: str, state: { enum: ['done', 'current'] } } },
    },
    dialogs: { type: 'array', items: dialogViewSchema },
  },
} as const;

/** What the process endpoints answer: the full view to agents, the customer view to customer users. */
export const processOrCustomerView = { anyOf: [processViewSchema, customerProcessViewSchema] } as const;

export const logViewSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['items', 'total', 'page', 'perPage'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'at', 'kind', 'node', 'transition', 'message', 'actor'],
        properties: { id: int, at: ts, kind: str, node: { type: ['string', 'null'] }, transition: { type: ['string', 'null'] }, message: str, actor: { type: ['string', 'null'] } },
      },
    },
    total: int,
    page: int,
    perPage: int,
  },
} as const;

export const pageQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { page: { type: 'integer', minimum: 1, default: 1 }, perPage: { type: 'integer', minimum: 1, maximum: 1000, default: 200 } },
} as const;
