/** JSON Schemas of the ticket history timeline. */

export const historyQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    page: { type: 'integer', minimum: 1, default: 1 },
    perPage: { type: 'integer', minimum: 1, maximum: 1000, default: 200 },
  },
} as const;

export interface HistoryQuery {
  page: number;
  perPage: number;
}

const nullableString = { type: ['string', 'null'] } as const;

export const historyItemView = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'type', 'message', 'field', 'old', 'new', 'who', 'at', 'articleId', 'data'],
  properties: {
    id: { type: 'integer' },
    type: { type: 'string', description: 'OTRS history type: NewTicket, StateUpdate, Move, OwnerUpdate, AddNote, Merged, …' },
    message: { type: 'string' },
    field: nullableString,
    old: nullableString,
    new: nullableString,
    who: {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'id', 'login', 'name'],
      properties: {
        kind: { enum: ['agent', 'customer', 'system'] },
        id: { type: ['integer', 'null'] },
        login: nullableString,
        name: nullableString,
      },
    },
    at: { type: 'string', format: 'date-time' },
    articleId: { type: ['integer', 'null'] },
    data: {},
  },
} as const;

export const historyListView = {
  type: 'object',
  additionalProperties: false,
  required: ['items', 'total', 'page', 'perPage'],
  properties: {
    items: { type: 'array', items: historyItemView },
    total: { type: 'integer' },
    page: { type: 'integer' },
    perPage: { type: 'integer' },
  },
} as const;

export interface HistoryItemView {
  id: number;
  type: string;
  message: string;
  field: string | null;
  old: string | null;
  new: string | null;
  who: { kind: 'agent' | 'customer' | 'system'; id: number | null; login: string | null; name: string | null };
  at: string;
  articleId: number | null;
  data: unknown;
}
