/**
 * The statistic definition format (`stat/1`), as JSON Schemas the API validates with and the
 * OpenAPI document shows. A definition is what import/export reads and writes.
 *
 * - matrix: counts (or sums of time units) over an X dimension and an optional Y dimension;
 * - list: tickets with chosen columns;
 * - static: one of the shipped computations (`static.ts`) with its parameters.
 * Every statistic has filters; an axis or filter marked `changeable` may be replaced by the
 * caller when running (`RunParams`).
 */
export const TIME_GRAINS = ['hour', 'day', 'week', 'month', 'year'] as const;
export const REF_DIMENSIONS = ['queue', 'state', 'stateType', 'priority', 'type', 'service', 'sla', 'owner', 'responsible', 'customer', 'customerUser'] as const;
export const TIME_DIMENSIONS = ['created', 'closed', 'changed'] as const;
export const LIST_COLUMNS = ['tn', 'title', ...REF_DIMENSIONS, ...TIME_DIMENSIONS, 'timeUnits'] as const;
export const CHARTS = ['table', 'bar', 'stackedBar', 'line', 'pie'] as const;

export type TimeGrain = (typeof TIME_GRAINS)[number];
export type RefDimension = (typeof REF_DIMENSIONS)[number];
export type TimeDimension = (typeof TIME_DIMENSIONS)[number];

/** `queue`, `created`, … or `df:<Name>` (a dropdown dynamic field). */
const dimensionName = {
  type: 'string',
  pattern: `^(${[...REF_DIMENSIONS, ...TIME_DIMENSIONS].join('|')}|df:[A-Za-z0-9]+)$`,
  description: 'a dimension: queue, state, stateType, priority, type, service, sla, owner, responsible, customer, customerUser, created, closed, changed, or df:<Name> for a dropdown dynamic field',
} as const;

export const axisSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['dimension'],
  properties: {
    dimension: dimensionName,
    grain: { enum: TIME_GRAINS, description: 'for time dimensions: the bucket (default month)' },
    changeable: { type: 'boolean', description: 'the caller may choose another dimension or grain when running' },
  },
} as const;

export const filterSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['dimension'],
  properties: {
    dimension: dimensionName,
    values: { type: 'array', maxItems: 1000, items: { type: 'string', maxLength: 500 }, description: 'keep tickets whose value (name or login) is one of these' },
    from: { type: 'string', format: 'date-time', description: 'time dimensions: from this instant (inclusive)' },
    to: { type: 'string', format: 'date-time', description: 'time dimensions: before this instant' },
    changeable: { type: 'boolean' },
  },
} as const;

const columnName = { type: 'string', pattern: `^(${LIST_COLUMNS.join('|')}|df:[A-Za-z0-9]+)$` } as const;

export const definitionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['format', 'name', 'kind'],
  properties: {
    format: { const: 'stat/1' },
    name: { type: 'string', minLength: 1, maxLength: 200 },
    title: { type: 'string', maxLength: 200 },
    description: { type: 'string', maxLength: 4000 },
    kind: { enum: ['matrix', 'list', 'static'] },
    systemWide: { type: 'boolean', description: 'count every ticket, not only those the running agent may read (administrators only)' },
    timeZone: { type: 'string', maxLength: 64, description: 'IANA time zone for time buckets and dates (default UTC)' },
    x: axisSchema,
    y: axisSchema,
    measure: { enum: ['count', 'timeUnits'], description: 'matrix cells: number of tickets (default) or the sum of their time units' },
    filters: { type: 'array', maxItems: 50, items: filterSchema },
    columns: { type: 'array', minItems: 1, maxItems: 50, items: columnName },
    orderBy: { ...columnName, description: 'list: sort column (default created)' },
    descending: { type: 'boolean' },
    static: { type: 'string', maxLength: 64, description: 'static: the shipped computation' },
    params: { type: 'object', additionalProperties: { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] }, description: 'static: its parameters' },
    chart: { enum: CHARTS, description: 'how the UI shows the result by default' },
  },
} as const;

export interface Axis {
  dimension: string;
  grain?: TimeGrain;
  changeable?: boolean;
}
export interface Filter {
  dimension: string;
  values?: string[];
  from?: string;
  to?: string;
  changeable?: boolean;
}
export type Chart = (typeof CHARTS)[number];
export interface StatDefinition {
  format: 'stat/1';
  name: string;
  title?: string;
  description?: string;
  kind: 'matrix' | 'list' | 'static';
  systemWide?: boolean;
  timeZone?: string;
  x?: Axis;
  y?: Axis;
  measure?: 'count' | 'timeUnits';
  filters?: Filter[];
  columns?: string[];
  orderBy?: string;
  descending?: boolean;
  static?: string;
  params?: Record<string, string | number | boolean>;
  chart?: Chart;
}

/** What the caller may change when running: axes and filters that are marked changeable. */
export const runParamsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    x: axisSchema,
    y: axisSchema,
    filters: { type: 'array', maxItems: 50, items: filterSchema, description: 'replace the changeable filters of the same dimension' },
    timeZone: { type: 'string', maxLength: 64 },
    params: { type: 'object', additionalProperties: { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] } },
  },
} as const;
export interface RunParams {
  x?: Axis;
  y?: Axis;
  filters?: Filter[];
  timeZone?: string;
  params?: Record<string, string | number | boolean>;
}

/** A statistic's result: a table with a header row, body rows and (for matrices) sums. */
export const resultSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['title', 'columns', 'rows'],
  properties: {
    title: { type: 'string' },
    columns: { type: 'array', items: { type: 'string' }, description: 'header: the first names the row label' },
    rows: { type: 'array', items: { type: 'array', items: { type: ['string', 'number', 'null'] } } },
    sumRow: { type: 'array', items: { type: ['string', 'number', 'null'] }, description: 'matrix: the column sums (first cell "Sum")' },
    sumColumn: { type: 'boolean', description: 'matrix: the last column is the row sum' },
    truncated: { type: 'boolean', description: 'list previews: more rows exist than were returned' },
  },
} as const;
export type Cell = string | number | null;
export interface StatResult {
  title: string;
  columns: string[];
  rows: Cell[][];
  sumRow?: Cell[];
  sumColumn?: boolean;
  truncated?: boolean;
}
