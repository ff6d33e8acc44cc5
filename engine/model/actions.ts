/**
 * Transition actions: a registry of typed actions, each with its own JSON Schema and a function
 * listing the named things it refers to. The OTOBO set (TicketQueueSet, TicketStateSet, ...,
 * TicketCreate) plus SendEmail and ExecuteInvoker; `Unsupported` keeps an imported action that could
 * not be converted (reported by the validator, never run).
 */
import type { ReferenceKind } from './fields';
import { hasTemplate } from './templates';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type FieldValue = string | number | boolean | null | Array<string | number | boolean>;

interface ActionBase {
  /** A label, e.g. the OTOBO transition action's name. */
  name?: string;
}

export interface TicketQueueSet extends ActionBase { type: 'TicketQueueSet'; queue: string }
export interface TicketStateSet extends ActionBase {
  type: 'TicketStateSet';
  state: string;
  /** Pending-until time: an ISO date-time or a template. */
  pendingTime?: string;
  /** Pending for this many seconds from now (OTOBO PendingTimeDiff). */
  pendingTimeDiff?: number;
}
export interface TicketOwnerSet extends ActionBase { type: 'TicketOwnerSet'; owner: string }
export interface TicketResponsibleSet extends ActionBase { type: 'TicketResponsibleSet'; responsible: string }
export interface TicketPrioritySet extends ActionBase { type: 'TicketPrioritySet'; priority: string }
export interface TicketLockSet extends ActionBase { type: 'TicketLockSet'; lock: 'lock' | 'unlock' }
export interface TicketTypeSet extends ActionBase { type: 'TicketTypeSet'; ticketType: string }
export interface TicketServiceSet extends ActionBase { type: 'TicketServiceSet'; service: string }
export interface TicketSLASet extends ActionBase { type: 'TicketSLASet'; sla: string }
export interface TicketTitleSet extends ActionBase { type: 'TicketTitleSet'; title: string }
export interface TicketCustomerSet extends ActionBase { type: 'TicketCustomerSet'; customerUser?: string; customerId?: string }
export interface DynamicFieldSet extends ActionBase {
  type: 'DynamicFieldSet';
  /** Dynamic field name (without `DynamicField_`) → value; text values may be templates. */
  fields: Record<string, FieldValue>;
}
export interface ArticleSpec {
  subject?: string;
  body: string;
  channel?: string;
  visibleForCustomer?: boolean;
  senderType?: 'agent' | 'system' | 'customer';
  contentType?: string;
}
export interface TicketArticleCreate extends ActionBase, ArticleSpec {
  type: 'TicketArticleCreate';
  from?: string;
  to?: string;
  cc?: string;
  historyType?: string;
  historyComment?: string;
  timeUnits?: number;
}
export interface TicketCreate extends ActionBase {
  type: 'TicketCreate';
  title: string;
  queue: string;
  state?: string;
  priority?: string;
  ticketType?: string;
  customerUser?: string;
  customerId?: string;
  owner?: string;
  responsible?: string;
  service?: string;
  sla?: string;
  lock?: 'lock' | 'unlock';
  dynamicFields?: Record<string, FieldValue>;
  article?: ArticleSpec;
  /** How the new ticket is linked to the current one. */
  linkAs?: 'child' | 'parent' | 'normal';
}
export interface SendEmail extends ActionBase {
  type: 'SendEmail';
  to: string;
  cc?: string;
  bcc?: string;
  /** A notification template by name; or give subject and body. */
  template?: string;
  subject?: string;
  body?: string;
  contentType?: string;
}
export interface ExecuteInvoker extends ActionBase {
  type: 'ExecuteInvoker';
  webservice: string;
  operation: string;
  params?: Record<string, Json>;
}
/**
 * Answers with a knowledge-base article: adds a ticket article holding the KB article's text (or
 * its title and link), and links the KB article to the ticket. An article the customer may not
 * read never goes into a customer-visible article (the action fails instead).
 */
export interface KbArticleInsert extends ActionBase {
  type: 'KbArticleInsert';
  /** The knowledge-base article's id. */
  article: number;
  /** `text` (default): the article's text; `link`: its title and address. */
  mode?: 'text' | 'link';
  subject?: string;
  /** Text before the article (templates allowed). */
  intro?: string;
  channel?: string;
  visibleForCustomer?: boolean;
  senderType?: 'agent' | 'system';
}
/** An imported action that could not be converted; kept verbatim, reported, never run. */
export interface UnsupportedAction extends ActionBase {
  type: 'Unsupported';
  /** The original module, e.g. `Kernel::System::ProcessManagement::TransitionAction::TicketQueueSet`. */
  module: string;
  reason: string;
  config?: Json;
}

export type Action =
  | TicketQueueSet | TicketStateSet | TicketOwnerSet | TicketResponsibleSet | TicketPrioritySet
  | TicketLockSet | TicketTypeSet | TicketServiceSet | TicketSLASet | TicketTitleSet | TicketCustomerSet
  | DynamicFieldSet | TicketArticleCreate | TicketCreate | SendEmail | ExecuteInvoker | KbArticleInsert | UnsupportedAction;

export type ActionType = Action['type'];

/** A use of a named thing at a JSON path. */
export interface ReferenceUse {
  kind: ReferenceKind;
  name: string;
  path: string;
  /** Web services: the operation used. */
  operation?: string;
  /** Scripts and called processes: the version asked for. */
  version?: number | 'latest';
}

export interface ActionDefinition {
  type: ActionType;
  /** One sentence for palettes and docs. */
  description: string;
  /** The action's JSON Schema (draft 2020-12). */
  schema: Record<string, unknown>;
  /** The named things this action refers to (literal names only; templates are resolved at run time). */
  references(action: Record<string, unknown>, path: string): ReferenceUse[];
}

const name = { type: 'string', minLength: 1, maxLength: 500 };
const text = (max: number) => ({ type: 'string', maxLength: max });
const fieldValue = {
  anyOf: [
    { type: ['string', 'number', 'boolean', 'null'] },
    { type: 'array', maxItems: 1000, items: { type: ['string', 'number', 'boolean'] } },
  ],
};
const fieldMap = {
  type: 'object',
  minProperties: 1,
  propertyNames: { pattern: '^[A-Za-z0-9]+$', description: 'a dynamic field name: letters and digits' },
  additionalProperties: fieldValue,
};
const lock = { enum: ['lock', 'unlock'] };
const senderType = { enum: ['agent', 'system', 'customer'] };
const article = {
  type: 'object',
  required: ['body'],
  additionalProperties: false,
  properties: {
    subject: text(3800), body: text(1_000_000), channel: name, visibleForCustomer: { type: 'boolean' },
    senderType, contentType: text(250),
  },
};

function objectSchema(type: string, properties: Record<string, unknown>, required: string[], extra: Record<string, unknown> = {}) {
  return {
    type: 'object',
    required: ['type', ...required],
    additionalProperties: false,
    properties: { type: { const: type }, name: text(500), ...properties },
    ...extra,
  };
}

/** A literal name (not a template) used at `path`. */
function literal(kind: ReferenceKind, value: unknown, path: string): ReferenceUse[] {
  return typeof value === 'string' && value !== '' && !hasTemplate(value) ? [{ kind, name: value, path }] : [];
}

function mapKeys(kind: ReferenceKind, value: unknown, path: string): ReferenceUse[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.keys(value).map((k) => ({ kind, name: k, path: `${path}/${escapePointer(k)}` }));
}

/** Escapes one JSON-pointer segment (`~` → `~0`, `/` → `~1`). */
export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** A one-property setter action: `{type, [prop]: name}` referring to `kind`. */
function setter(type: ActionType, prop: string, kind: ReferenceKind | null, description: string): ActionDefinition {
  return {
    type,
    description,
    schema: objectSchema(type, { [prop]: name }, [prop]),
    references: (a, p) => (kind ? literal(kind, a[prop], `${p}/${prop}`) : []),
  };
}

const definitions: ActionDefinition[] = [
  setter('TicketQueueSet', 'queue', 'queue', 'Moves the ticket to a queue.'),
  {
    type: 'TicketStateSet',
    description: 'Sets the ticket state, with a pending time for pending states.',
    schema: objectSchema(
      'TicketStateSet',
      { state: name, pendingTime: name, pendingTimeDiff: { type: 'integer', minimum: 0, maximum: 315_360_000 } },
      ['state'],
      { not: { required: ['pendingTime', 'pendingTimeDiff'] }, description: 'takes pendingTime or pendingTimeDiff, not both' },
    ),
    references: (a, p) => literal('state', a.state, `${p}/state`),
  },
  setter('TicketOwnerSet', 'owner', 'agent', 'Sets the ticket owner (an agent login or a template).'),
  setter('TicketResponsibleSet', 'responsible', 'agent', 'Sets the responsible agent (a login or a template).'),
  setter('TicketPrioritySet', 'priority', 'priority', 'Sets the ticket priority.'),
  {
    type: 'TicketLockSet',
    description: 'Locks or unlocks the ticket.',
    schema: objectSchema('TicketLockSet', { lock }, ['lock']),
    references: () => [],
  },
  setter('TicketTypeSet', 'ticketType', 'type', 'Sets the ticket type.'),
  setter('TicketServiceSet', 'service', 'service', 'Sets the ticket service.'),
  setter('TicketSLASet', 'sla', 'sla', 'Sets the ticket SLA.'),
  setter('TicketTitleSet', 'title', null, 'Sets the ticket title (templates allowed).'),
  {
    type: 'TicketCustomerSet',
    description: 'Sets the customer user and/or customer id of the ticket.',
    schema: objectSchema('TicketCustomerSet', { customerUser: name, customerId: name }, [], {
      anyOf: [{ required: ['customerUser'] }, { required: ['customerId'] }],
      description: 'needs customerUser, customerId or both',
    }),
    references: () => [],
  },
  {
    type: 'DynamicFieldSet',
    description: 'Sets dynamic fields of the ticket.',
    schema: objectSchema('DynamicFieldSet', { fields: fieldMap }, ['fields']),
    references: (a, p) => mapKeys('dynamicField', a.fields, `${p}/fields`),
  },
  {
    type: 'TicketArticleCreate',
    description: 'Adds an article (note, email, ...) to the ticket.',
    schema: objectSchema(
      'TicketArticleCreate',
      {
        ...article.properties,
        from: text(1000), to: text(10_000), cc: text(10_000), historyType: text(100), historyComment: text(1000),
        timeUnits: { type: 'number', minimum: 0 },
      },
      ['body'],
    ),
    references: () => [],
  },
  {
    type: 'TicketCreate',
    description: 'Creates another ticket, linked to this one.',
    schema: objectSchema(
      'TicketCreate',
      {
        title: name, queue: name, state: name, priority: name, ticketType: name, customerUser: name, customerId: name,
        owner: name, responsible: name, service: name, sla: name, lock, dynamicFields: fieldMap, article,
        linkAs: { enum: ['child', 'parent', 'normal'] },
      },
      ['title', 'queue'],
    ),
    references: (a, p) => [
      ...literal('queue', a.queue, `${p}/queue`),
      ...literal('state', a.state, `${p}/state`),
      ...literal('priority', a.priority, `${p}/priority`),
      ...literal('type', a.ticketType, `${p}/ticketType`),
      ...literal('service', a.service, `${p}/service`),
      ...literal('sla', a.sla, `${p}/sla`),
      ...literal('agent', a.owner, `${p}/owner`),
      ...literal('agent', a.responsible, `${p}/responsible`),
      ...mapKeys('dynamicField', a.dynamicFields, `${p}/dynamicFields`),
    ],
  },
  {
    type: 'SendEmail',
    description: 'Sends an email, from a notification template or a subject and body (templates allowed).',
    schema: objectSchema(
      'SendEmail',
      { to: name, cc: text(10_000), bcc: text(10_000), template: name, subject: text(3800), body: text(1_000_000), contentType: text(250) },
      ['to'],
      { anyOf: [{ required: ['template'] }, { required: ['subject', 'body'] }], description: 'needs a template, or a subject and a body' },
    ),
    references: (a, p) => literal('emailTemplate', a.template, `${p}/template`),
  },
  {
    type: 'ExecuteInvoker',
    description: 'Calls a web service operation (fire and forget; use a service task to wait for the answer).',
    schema: objectSchema('ExecuteInvoker', { webservice: name, operation: name, params: { type: 'object' } }, ['webservice', 'operation']),
    references: (a, p) =>
      literal('webservice', a.webservice, `${p}/webservice`).map((r) =>
        typeof a.operation === 'string' ? { ...r, operation: a.operation } : r,
      ),
  },
  {
    type: 'KbArticleInsert',
    description: 'Answers with a knowledge-base article: adds its text (or link) as a ticket article and links it to the ticket.',
    schema: objectSchema(
      'KbArticleInsert',
      {
        article: { type: 'integer', minimum: 1 }, mode: { enum: ['text', 'link'] }, subject: text(3800), intro: text(100_000), channel: name,
        visibleForCustomer: { type: 'boolean' }, senderType: { enum: ['agent', 'system'] },
      },
      ['article'],
    ),
    references: () => [],
  },
  {
    type: 'Unsupported',
    description: 'An imported action that could not be converted; it is reported and never runs.',
    schema: objectSchema('Unsupported', { module: name, reason: text(2000), config: {} }, ['module', 'reason']),
    references: () => [],
  },
];

/** Every action type with its schema, by type name. */
export const ACTIONS: Readonly<Record<ActionType, ActionDefinition>> = Object.freeze(
  Object.fromEntries(definitions.map((d) => [d.type, d])) as Record<ActionType, ActionDefinition>,
);

/** The action type names, in registry order. */
export const ACTION_TYPES = definitions.map((d) => d.type) as ActionType[];

/**
 * The definition of an action type, or `undefined` when unknown.
 *
 * @example
 * actionDefinition('TicketQueueSet')?.schema; // { type: 'object', required: ['type', 'queue'], ... }
 */
export function actionDefinition(type: unknown): ActionDefinition | undefined {
  return typeof type === 'string' && Object.prototype.hasOwnProperty.call(ACTIONS, type) ? ACTIONS[type as ActionType] : undefined;
}
