/**
 * JSON Schemas and types of ticket lists and search: the search criteria (a JSON body for
 * `POST /tickets/search`, a query string for `GET /tickets`), a ticket summary, and the answer.
 */

export const SORT_FIELDS = ['id', 'tn', 'title', 'created', 'changed', 'priority', 'state', 'queue', 'owner', 'pendingUntil', 'escalation'] as const;
export type SortField = (typeof SORT_FIELDS)[number];

export const DF_OPERATORS = ['eq', 'ne', 'in', 'contains', 'like', 'gt', 'gte', 'lt', 'lte', 'empty', 'notEmpty'] as const;
export type DynamicFieldOperator = (typeof DF_OPERATORS)[number];

export const MAX_PER_PAGE = 200;
export const DEFAULT_PER_PAGE = 25;

/** A catalogue reference in a filter: an id, or a name (agents and customer users: the login). */
export type IdOrName = number | string;

export interface DynamicFieldFilter {
  /** Field name (`Approved`; `DynamicField_Approved` is accepted too). */
  name: string;
  op: DynamicFieldOperator;
  /** Compared value: a value of the field's type (`in`: a list of them; `empty`/`notEmpty`: none). */
  value?: unknown;
  /** Where the filter came from, for messages (set by the query-string reader; default `/dynamicFields/<i>`). */
  path?: string;
}

/** What to search for; every filter given must hold (AND), values within one filter are alternatives (OR). */
export interface TicketSearchCriteria {
  query?: string;
  queues?: IdOrName[];
  states?: IdOrName[];
  /** State type names; `open` means every state type a ticket is still worked in (new, open, pending*). */
  stateTypes?: string[];
  priorities?: IdOrName[];
  types?: IdOrName[];
  /** Agents by id or login; `me` is the caller. */
  owners?: IdOrName[];
  responsibles?: IdOrName[];
  customerIds?: string[];
  customerUsers?: IdOrName[];
  locked?: boolean;
  /** Default `false`: archived tickets only when asked (`true`: only those; `all`: both). */
  archived?: boolean | 'all';
  createdFrom?: string;
  createdTo?: string;
  changedFrom?: string;
  changedTo?: string;
  /** The earliest running SLA deadline (`escalationAt`) in this range; tickets without one never match. */
  escalationFrom?: string;
  escalationTo?: string;
  /** Each SLA deadline in a range (the Generic Interface's `TicketEscalationResponseTime…` and siblings). */
  firstResponseDueFrom?: string;
  firstResponseDueTo?: string;
  updateDueFrom?: string;
  updateDueTo?: string;
  solutionDueFrom?: string;
  solutionDueTo?: string;
  /** Title contains (case-insensitive). */
  title?: string;
  /** Ticket number; `*` is a wildcard. */
  tn?: string;
  /** Tickets watched by this agent (`me`, a login or an id). */
  watchedBy?: IdOrName;
  dynamicFields?: DynamicFieldFilter[];
  sort?: SortField;
  /** Default `desc` for `created`/`changed`, `asc` otherwise. */
  order?: 'asc' | 'desc';
  page?: number;
  perPage?: number;
  /** `nextCursor` of the previous answer: continues after its last ticket (keyset pagination). */
  cursor?: string;
}

const idOrName = {
  anyOf: [
    { type: 'integer', minimum: 1, maximum: 2147483647 },
    { type: 'string', minLength: 1, maxLength: 200 },
  ],
} as const;
const refList = (description: string) => ({ type: 'array', maxItems: 100, items: idOrName, description }) as const;
const stringList = (description: string) =>
  ({ type: 'array', maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 200 }, description }) as const;
const instant = {
  type: 'string',
  anyOf: [{ format: 'date' }, { format: 'date-time' }],
  description: 'YYYY-MM-DD (whole days: From from midnight UTC, To to the end of that day) or an ISO 8601 date-time',
} as const;

const common = {
  query: { type: 'string', maxLength: 1000, description: 'full-text query: words (OR), "phrases", * and ? wildcards, +must, -mustnot, AND/OR/NOT, parentheses' },
  createdFrom: instant,
  createdTo: instant,
  changedFrom: instant,
  changedTo: instant,
  escalationFrom: instant,
  escalationTo: { ...instant, description: 'tickets whose earliest SLA deadline is before this (e.g. now: escalated ones)' },
  firstResponseDueFrom: instant,
  firstResponseDueTo: { ...instant, description: 'tickets whose running first-response deadline is before this' },
  updateDueFrom: instant,
  updateDueTo: { ...instant, description: 'tickets whose running update deadline is before this' },
  solutionDueFrom: instant,
  solutionDueTo: { ...instant, description: 'tickets whose running solution deadline is before this' },
  title: { type: 'string', minLength: 1, maxLength: 500, description: 'the title contains this (case-insensitive)' },
  tn: { type: 'string', minLength: 1, maxLength: 100, description: 'ticket number; * is a wildcard' },
  sort: { type: 'string', enum: SORT_FIELDS, default: 'created' },
  order: { type: 'string', enum: ['asc', 'desc'], description: 'default desc for created/changed, asc otherwise' },
  page: { type: 'integer', minimum: 1, maximum: 1_000_000, default: 1 },
  perPage: { type: 'integer', minimum: 1, maximum: MAX_PER_PAGE, default: DEFAULT_PER_PAGE },
  cursor: { type: 'string', minLength: 1, maxLength: 2000, description: 'nextCursor of the previous page (then page is ignored)' },
} as const;

export const dynamicFieldFilterSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'op'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    op: { type: 'string', enum: DF_OPERATORS },
    value: { description: 'a value of the field type; a list for in; absent for empty/notEmpty' },
  },
} as const;

/** `POST /tickets/search` body. */
export const searchBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...common,
    queues: refList('queue ids or full names'),
    states: refList('state ids or names'),
    stateTypes: stringList('state type names; "open" = new, open and pending*'),
    priorities: refList('priority ids or names'),
    types: refList('ticket type ids or names'),
    owners: refList('agent ids or logins; "me" is the caller'),
    responsibles: refList('agent ids or logins; "me" is the caller'),
    customerIds: stringList('customer (company) ids'),
    customerUsers: refList('customer user ids or logins'),
    locked: { type: 'boolean' },
    archived: { enum: [true, false, 'all'], default: false },
    watchedBy: { ...idOrName, description: '"me", an agent login or id' },
    dynamicFields: { type: 'array', maxItems: 30, items: dynamicFieldFilterSchema },
  },
} as const;

const stringArray = (description: string) =>
  ({ type: 'array', maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 200 }, description: `${description} (comma-separated or repeated)` }) as const;

/** `GET /tickets` query string: the same criteria; dynamic fields as `df.<Name>=v` or `df.<Name>.<op>=v`. */
export const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...common,
    queues: stringArray('queue ids or full names'),
    states: stringArray('state ids or names'),
    stateTypes: stringArray('state type names; "open" = new, open and pending*'),
    priorities: stringArray('priority ids or names'),
    types: stringArray('ticket type ids or names'),
    owners: stringArray('agent ids or logins; "me" is the caller'),
    responsibles: stringArray('agent ids or logins; "me" is the caller'),
    customerIds: stringArray('customer (company) ids'),
    customerUsers: stringArray('customer user ids or logins'),
    locked: { type: 'boolean' },
    archived: { type: 'string', enum: ['true', 'false', 'all'], default: 'false' },
    watchedBy: { type: 'string', minLength: 1, maxLength: 200, description: '"me", an agent login or id' },
  },
  patternProperties: {
    '^df\\.[A-Za-z0-9_]+(\\.[A-Za-z]+)?$': { type: 'string', maxLength: 4000 },
  },
} as const;

/** The query-string form of the criteria, as ajv leaves it. */
export interface ListQuery extends Omit<TicketSearchCriteria, 'queues' | 'states' | 'priorities' | 'types' | 'owners' | 'responsibles' | 'customerUsers' | 'archived' | 'watchedBy' | 'dynamicFields'> {
  queues?: string[];
  states?: string[];
  priorities?: string[];
  types?: string[];
  owners?: string[];
  responsibles?: string[];
  customerUsers?: string[];
  archived?: 'true' | 'false' | 'all';
  watchedBy?: string;
  [dynamicField: `df.${string}`]: string;
}

const ref = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name'],
  properties: { id: { type: 'integer' }, name: { type: 'string' } },
} as const;
const loginRef = {
  anyOf: [
    { type: 'null' },
    { type: 'object', additionalProperties: false, required: ['id', 'login'], properties: { id: { type: 'integer' }, login: { type: 'string' } } },
  ],
} as const;
const dateTime = { type: 'string', format: 'date-time' } as const;

export const ticketSummary = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id', 'tn', 'title', 'queue', 'state', 'priority', 'type', 'locked', 'owner', 'responsible',
    'customerId', 'customerUser', 'created', 'changed', 'pendingUntil', 'archived', 'escalationAt',
  ],
  properties: {
    id: { type: 'integer' },
    tn: { type: 'string' },
    title: { type: 'string' },
    queue: ref,
    state: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'name', 'type'],
      properties: { id: { type: 'integer' }, name: { type: 'string' }, type: { type: 'string' } },
    },
    priority: ref,
    type: ref,
    locked: { type: 'boolean' },
    owner: loginRef,
    responsible: loginRef,
    customerId: { type: ['string', 'null'] },
    customerUser: loginRef,
    created: dateTime,
    changed: dateTime,
    pendingUntil: { anyOf: [{ type: 'null' }, dateTime] },
    archived: { type: 'boolean' },
    escalationAt: { anyOf: [{ type: 'null' }, dateTime], description: 'the earliest running SLA deadline' },
  },
} as const;

export interface TicketSummary {
  id: number;
  tn: string;
  title: string;
  queue: { id: number; name: string };
  state: { id: number; name: string; type: string };
  priority: { id: number; name: string };
  type: { id: number; name: string };
  locked: boolean;
  owner: { id: number; login: string } | null;
  responsible: { id: number; login: string } | null;
  customerId: string | null;
  customerUser: { id: number; login: string } | null;
  created: string;
  changed: string;
  pendingUntil: string | null;
  archived: boolean;
  escalationAt: string | null;
}

export const ticketList = {
  type: 'object',
  additionalProperties: false,
  required: ['items', 'total', 'page', 'perPage', 'nextCursor'],
  properties: {
    items: { type: 'array', items: ticketSummary },
    total: { type: 'integer', description: 'how many tickets match, over all pages (a full-text search counts up to 1,000: see totalCapped)' },
    totalCapped: { type: 'boolean', description: 'true when more tickets match than were counted: total is then 1,000 and means "more than 1,000"' },
    page: { type: ['integer', 'null'], description: 'null when the page was chosen by cursor' },
    perPage: { type: 'integer' },
    nextCursor: { type: ['string', 'null'], description: 'pass as cursor to get the next page; null on the last page' },
  },
} as const;

export interface TicketList {
  items: TicketSummary[];
  total: number;
  /** More tickets match than were counted (`total` is the cap). */
  totalCapped?: boolean;
  page: number | null;
  perPage: number;
  nextCursor: string | null;
}
