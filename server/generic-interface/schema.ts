/**
 * Web services as data: the configuration a web service carries (operations by name with their
 * OTOBO type, routes with HTTP methods), and the JSON Schemas and types of the admin API
 * (`/api/v1/webservices`) and its debugger log.
 */
import type { DebugLevel, WebserviceEnvelope } from '../db/schema';

/** The operation types this helpdesk provides, by OTOBO's names (`Provider.Operation.<Name>.Type`). */
export const OPERATION_TYPES = [
  'Session::SessionCreate',
  'Session::SessionGet',
  'Session::SessionRemove',
  'Ticket::TicketCreate',
  'Ticket::TicketGet',
  'Ticket::TicketSearch',
  'Ticket::TicketUpdate',
  'Ticket::TicketHistoryGet',
  'Ticket::TicketDelete',
] as const;
export type OperationType = (typeof OPERATION_TYPES)[number];

/** The request methods a route may accept and this helpdesk serves (HEAD answers without a body). */
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];
/** Methods OTOBO's admin also offers for a route; an import leaves them out with a warning. */
export const IGNORED_METHODS = ['CONNECT', 'TRACE'] as const;

export const ENVELOPES: readonly WebserviceEnvelope[] = ['otobo', 'success-data'];
export const DEBUG_LEVELS: readonly DebugLevel[] = ['debug', 'info', 'notice', 'error'];

export interface OperationConfig {
  type: OperationType;
  description?: string;
  /** TicketCreate / TicketUpdate: answer with the whole ticket too (OTOBO's `IncludeTicketData: 1`). */
  includeTicketData?: boolean;
}

export interface RouteConfig {
  /** OTOBO route syntax: `/Ticket/:TicketID` (placeholders become request data). */
  route: string;
  /** Accepted methods; empty: any. */
  methods: HttpMethod[];
  /** The operation (by name) the route runs. */
  operation: string;
}

/** What the `config` column holds. Routes are tried in order; the first that matches wins. */
export interface WebserviceConfig {
  operations: Record<string, OperationConfig>;
  routes: RouteConfig[];
}

export interface Webservice {
  id: number;
  name: string;
  description: string;
  valid: boolean;
  envelope: WebserviceEnvelope;
  debugLevel: DebugLevel;
  debugRetention: number;
  maxLength: number | null;
  config: WebserviceConfig;
  createdAt: string;
  changedAt: string;
}

// ---- admin API ------------------------------------------------------------------------------------

export const NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$';
const OPERATION_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.: -]{0,99}$';
/** A route: `/` then segments of letters, digits and `-_.~`, or `:Placeholder`. */
export const ROUTE_PATTERN = '^(/([A-Za-z0-9_.~-]+|:[A-Za-z][A-Za-z0-9_]*))+/?$|^/$';

const operationSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['type'],
  properties: {
    type: { enum: OPERATION_TYPES },
    description: { type: 'string', maxLength: 500 },
    includeTicketData: { type: 'boolean' },
  },
} as const;

const routeSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['route', 'operation'],
  properties: {
    route: { type: 'string', maxLength: 300, pattern: ROUTE_PATTERN },
    methods: { type: 'array', uniqueItems: true, maxItems: HTTP_METHODS.length, items: { enum: HTTP_METHODS }, default: [] },
    operation: { type: 'string', pattern: OPERATION_NAME_PATTERN },
  },
} as const;

const configProps = {
  operations: {
    type: 'object',
    maxProperties: 100,
    propertyNames: { pattern: OPERATION_NAME_PATTERN },
    additionalProperties: operationSchema,
  },
  routes: { type: 'array', maxItems: 200, items: routeSchema },
} as const;

const settingProps = {
  description: { type: 'string', maxLength: 1000 },
  valid: { type: 'boolean' },
  envelope: { enum: ENVELOPES, description: '`otobo` (default): the data itself, errors as `{"Error": {...}}`; `success-data`: `{"Success", "ErrorMessage", "Data"}`' },
  debugLevel: { enum: DEBUG_LEVELS, description: 'exchanges at this level or above are kept in the debugger log (`debug`: every request and response)' },
  debugRetention: { type: 'integer', minimum: 1, maximum: 100000, description: 'most debugger entries kept (oldest pruned)' },
  maxLength: { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'null' }], description: 'largest request body in bytes (null: the server limit)' },
} as const;

export const webserviceCreateBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'operations', 'routes'],
  properties: { name: { type: 'string', pattern: NAME_PATTERN }, ...settingProps, ...configProps },
} as const;

export const webservicePatchBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: { name: { type: 'string', pattern: NAME_PATTERN }, ...settingProps, ...configProps },
} as const;

export interface WebserviceInput {
  name?: string;
  description?: string;
  valid?: boolean;
  envelope?: WebserviceEnvelope;
  debugLevel?: DebugLevel;
  debugRetention?: number;
  maxLength?: number | null;
  operations?: Record<string, OperationConfig>;
  routes?: Array<Omit<RouteConfig, 'methods'> & { methods?: HttpMethod[] }>;
}

const str = { type: 'string' } as const;
const isoTime = { type: 'string', format: 'date-time' } as const;

export const webserviceView = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'description', 'valid', 'envelope', 'debugLevel', 'debugRetention', 'maxLength', 'operations', 'routes', 'baseUrls', 'createdAt', 'changedAt'],
  properties: {
    id: { type: 'integer' },
    name: str,
    description: str,
    valid: { type: 'boolean' },
    envelope: { enum: ENVELOPES },
    debugLevel: { enum: DEBUG_LEVELS },
    debugRetention: { type: 'integer' },
    maxLength: { type: ['integer', 'null'] },
    operations: { type: 'object', additionalProperties: operationSchema },
    routes: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['route', 'methods', 'operation'],
        properties: { route: str, methods: { type: 'array', items: { enum: HTTP_METHODS } }, operation: str },
      },
    },
    baseUrls: { type: 'array', items: str, description: 'where clients reach it (append a route)' },
    createdAt: isoTime,
    changedAt: isoTime,
  },
} as const;

export const webserviceListView = {
  type: 'object',
  additionalProperties: false,
  required: ['items'],
  properties: { items: { type: 'array', items: webserviceView } },
} as const;

export const importQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', pattern: NAME_PATTERN, description: 'name of the new web service (OTOBO takes it from the file name)' },
    envelope: { enum: ENVELOPES, default: 'otobo' },
    replace: { type: 'boolean', default: false, description: 'replace the web service of that name if it exists' },
  },
} as const;

export interface ImportQuery {
  name: string;
  envelope: WebserviceEnvelope;
  replace: boolean;
}

export const importView = {
  type: 'object',
  additionalProperties: false,
  required: ['webservice', 'warnings'],
  properties: {
    webservice: webserviceView,
    warnings: { type: 'array', items: str, description: 'what was left out (operations of types this helpdesk does not provide, requester parts)' },
  },
} as const;

export const debugLogQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    page: { type: 'integer', minimum: 1, default: 1 },
    perPage: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
  },
} as const;

export const debugEntryView = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'createdAt', 'requestId', 'remoteAddr', 'operation', 'level', 'summary', 'status', 'request', 'response'],
  properties: {
    id: { type: 'integer' },
    createdAt: isoTime,
    requestId: str,
    remoteAddr: str,
    operation: { type: ['string', 'null'] },
    level: { enum: DEBUG_LEVELS },
    summary: str,
    status: { type: 'integer', description: 'HTTP status of the answer' },
    request: { type: 'object', description: 'method, route, query, headers and body, secrets masked' },
    response: { type: 'object', description: 'status and body, secrets masked' },
  },
} as const;

export const debugLogView = {
  type: 'object',
  additionalProperties: false,
  required: ['items', 'total', 'page', 'perPage'],
  properties: { items: { type: 'array', items: debugEntryView }, total: { type: 'integer' }, page: { type: 'integer' }, perPage: { type: 'integer' } },
} as const;

export interface DebugEntry {
  id: number;
  createdAt: string;
  requestId: string;
  remoteAddr: string;
  operation: string | null;
  level: DebugLevel;
  summary: string;
  status: number;
  request: Record<string, unknown>;
  response: Record<string, unknown>;
}
