/** JSON Schemas of the incidents API (query, bodies and exact response views). */

const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const ts = { type: 'string', format: 'date-time' } as const;
const nullable = (s: Record<string, unknown>) => ({ ...s, type: [s.type as string, 'null'] });

export const incidentStatuses = ['open', 'resolved', 'all'] as const;
export type IncidentStatusFilter = (typeof incidentStatuses)[number];

export const incidentListQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { enum: incidentStatuses, default: 'open', description: 'open (default), resolved or all' },
    process: { type: 'string', minLength: 1, maxLength: 100, description: 'process key' },
    code: { type: 'string', minLength: 1, maxLength: 100, description: 'incident code, e.g. SCRIPT_ERROR' },
    ticketId: { type: 'integer', minimum: 1, maximum: 2147483647 },
    instanceId: { type: 'integer', minimum: 1, maximum: 2147483647, description: 'the instance the incident is on' },
    rootInstanceId: { type: 'integer', minimum: 1, maximum: 2147483647, description: 'a root instance: its incidents and those of its child processes' },
    cursor: { type: 'string', pattern: '^[1-9][0-9]{0,18}$', description: 'nextCursor of the previous page' },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
  },
} as const;

export interface IncidentListQuery {
  status: IncidentStatusFilter;
  process?: string;
  code?: string;
  ticketId?: number;
  instanceId?: number;
  rootInstanceId?: number;
  cursor?: string;
  limit: number;
}

export const retryBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    vars: { type: 'object', maxProperties: 500, description: 'process variables merged in before the retry' },
    dynamicFields: { type: 'object', maxProperties: 500, description: "dynamic field name → value, set on the ticket (history names you) before the retry" },
  },
} as const;

export interface RetryInput {
  vars?: Record<string, unknown>;
  dynamicFields?: Record<string, unknown>;
}

export const skipBody = {
  type: 'object',
  additionalProperties: false,
  required: ['toNodeId'],
  properties: { toNodeId: { type: 'string', minLength: 1, maxLength: 200, description: 'the node the token moves to' } },
} as const;

export const cancelBody = {
  type: 'object',
  additionalProperties: false,
  properties: { reason: { type: 'string', maxLength: 2000 } },
} as const;

export const incidentView = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id', 'status', 'instanceId', 'rootInstanceId', 'instanceStatus', 'ticketId', 'ticketNumber', 'process', 'version', 'node', 'nodeName',
    'token', 'code', 'message', 'details', 'raisedAt', 'resolvedAt', 'resolvedHow', 'resolvedBy',
  ],
  properties: {
    id: int,
    status: { enum: ['open', 'resolved'] },
    instanceId: int,
    rootInstanceId: int,
    instanceStatus: { ...str, description: 'running, incident, completed or cancelled' },
    ticketId: int,
    ticketNumber: str,
    process: str,
    version: int,
    node: str,
    nodeName: str,
    token: str,
    code: str,
    message: str,
    details: {},
    raisedAt: ts,
    resolvedAt: nullable(ts),
    resolvedHow: { ...nullable(str), description: 'retry, skip, cancel, caught, superseded, or the event that made a condition hold' },
    resolvedBy: { ...nullable(str), description: 'login of whoever resolved it, or system' },
  },
} as const;

export const incidentListView = {
  type: 'object',
  additionalProperties: false,
  required: ['items', 'nextCursor'],
  properties: {
    items: { type: 'array', items: incidentView },
    nextCursor: { ...nullable(str), description: 'pass as cursor for the next page; null on the last page' },
  },
} as const;

export const incidentContextView = {
  type: 'object',
  additionalProperties: false,
  required: ['incident', 'ticket', 'readOnly', 'variables', 'nodes'],
  properties: {
    incident: incidentView,
    ticket: { type: 'object', description: 'the ticket as GET /tickets/{id} shows it; administrators see it whatever their queue rights' },
    readOnly: { type: 'boolean', description: 'true when the caller holds no rw permission on the ticket (the operations view shows it read-only)' },
    variables: { type: 'object', description: "the instance's process variables" },
    nodes: {
      type: 'array',
      description: "the version's nodes a token may be skipped to, by name",
      items: { type: 'object', additionalProperties: false, required: ['id', 'name', 'type'], properties: { id: str, name: str, type: str } },
    },
  },
} as const;
