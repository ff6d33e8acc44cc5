/** JSON Schemas and TypeScript types of the knowledge-base API (`/api/v1/kb/...`). */
import { attachmentInput, MAX_ATTACHMENTS, type AttachmentInput } from '../articles/schema';
import type { KbState } from '../db/schema';

export const KB_STATES: readonly KbState[] = ['internal', 'external', 'public'];
const html = { type: 'string', maxLength: 1_000_000 } as const;
const nullableInt = { type: ['integer', 'null'] } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;

export const categoryInput = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'group'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    parentId: { type: ['integer', 'null'], minimum: 1 },
    group: { anyOf: [{ type: 'string', minLength: 1 }, { type: 'integer', minimum: 1 }], description: 'agents need ro on this group to read the category, rw to write its articles' },
    customerVisible: { type: 'boolean', default: true },
    valid: { type: 'boolean', default: true },
    comment: { type: 'string', maxLength: 2000 },
  },
} as const;

export interface CategoryInput {
  name: string;
  parentId?: number | null;
  group: string | number;
  customerVisible?: boolean;
  valid?: boolean;
  comment?: string;
}

export const categoryView = {
  type: 'object',
  required: ['id', 'parentId', 'name', 'articleCount'],
  properties: {
    id: { type: 'integer' },
    parentId: nullableInt,
    name: { type: 'string' },
    comment: { type: 'string' },
    group: { type: 'string', description: 'agents only' },
    customerVisible: { type: 'boolean' },
    valid: { type: 'boolean' },
    articleCount: { type: 'integer', description: 'articles in this category the caller may read' },
  },
} as const;
export const categoryList = { type: 'object', required: ['items'], properties: { items: { type: 'array', items: categoryView } } } as const;

export const articleInput = {
  type: 'object',
  additionalProperties: false,
  required: ['title', 'categoryId', 'state'],
  properties: {
    title: { type: 'string', minLength: 1, maxLength: 500 },
    categoryId: { type: 'integer', minimum: 1 },
    state: { enum: KB_STATES },
    keywords: { type: 'string', maxLength: 2000 },
    valid: { type: 'boolean' },
    language: { type: 'string', pattern: '^[a-z]{2}(-[A-Za-z]{2})?$' },
    symptom: html,
    problem: html,
    solution: html,
    body: html,
    comment: { type: 'string', maxLength: 20_000 },
    attachments: { type: 'array', maxItems: MAX_ATTACHMENTS, items: attachmentInput, description: 'new attachments to add' },
    removeAttachments: { type: 'array', items: { type: 'integer' }, description: 'attachment ids to remove' },
    note: { type: 'string', maxLength: 500, description: 'what changed (shown in the history)' },
  },
} as const;

export interface ArticleInput {
  title: string;
  categoryId: number;
  state: KbState;
  keywords?: string;
  valid?: boolean;
  language?: string;
  symptom?: string;
  problem?: string;
  solution?: string;
  body?: string;
  comment?: string;
  attachments?: AttachmentInput[];
  removeAttachments?: number[];
  note?: string;
}

const summaryProps = {
  id: { type: 'integer' },
  title: { type: 'string' },
  state: { enum: KB_STATES },
  valid: { type: 'boolean' },
  language: { type: 'string' },
  categoryId: { type: 'integer' },
  category: { type: 'string' },
  keywords: { type: 'string' },
  changedAt: dateTime,
  helpfulYes: { type: 'integer' },
  helpfulNo: { type: 'integer' },
  excerpt: { type: 'string', description: 'HTML: escaped text with the matches in <mark>' },
  rank: { type: 'number' },
} as const;
export const articleSummary = { type: 'object', required: ['id', 'title', 'state', 'categoryId', 'excerpt'], properties: summaryProps } as const;

export const articleList = {
  type: 'object',
  required: ['items', 'total', 'page', 'perPage'],
  properties: {
    items: { type: 'array', items: articleSummary },
    total: { type: 'integer', description: 'how many articles match, counted up to the 200 newest matches (at least the pages asked for); see `more`' },
    more: { type: 'boolean', description: 'true when more articles match than `total` counts' },
    page: { type: 'integer' },
    perPage: { type: 'integer' },
  },
} as const;

export const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    query: { type: 'string', maxLength: 1000 },
    categoryId: { type: 'integer', minimum: 1 },
    state: { enum: KB_STATES },
    valid: { enum: ['true', 'false', 'all'] },
    language: { type: 'string', maxLength: 10 },
    page: { type: 'integer', minimum: 1, default: 1 },
    perPage: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
  },
} as const;

export interface ListQuery {
  query?: string;
  categoryId?: number;
  state?: KbState;
  valid?: 'true' | 'false' | 'all';
  language?: string;
  page?: number;
  perPage?: number;
}

export const suggestQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['text'],
  properties: { text: { type: 'string', maxLength: 20_000 }, limit: { type: 'integer', minimum: 1, maximum: 20, default: 5 } },
} as const;

export const suggestionList = { type: 'object', required: ['items'], properties: { items: { type: 'array', items: articleSummary } } } as const;

const attachmentView = {
  type: 'object',
  required: ['id', 'filename', 'contentType', 'size'],
  properties: { id: { type: 'integer' }, filename: { type: 'string' }, contentType: { type: 'string' }, size: { type: 'integer' }, inline: { type: 'boolean' } },
} as const;

export const linkView = {
  type: 'object',
  properties: {
    tickets: { type: 'array', items: { type: 'object', required: ['id', 'tn', 'title'], properties: { id: { type: 'integer' }, tn: { type: 'string' }, title: { type: 'string' } } } },
    articles: { type: 'array', items: { type: 'object', required: ['id', 'title'], properties: { id: { type: 'integer' }, title: { type: 'string' }, state: { enum: KB_STATES } } } },
  },
} as const;

export const articleView = {
  type: 'object',
  required: ['id', 'title', 'state', 'categoryId', 'revision', 'symptom', 'problem', 'solution', 'body', 'attachments', 'links'],
  properties: {
    ...summaryProps,
    revision: { type: 'integer' },
    symptom: { type: 'string' },
    problem: { type: 'string' },
    solution: { type: 'string' },
    body: { type: 'string' },
    comment: { type: 'string', description: 'internal comment, agents only' },
    createdAt: dateTime,
    createdBy: { type: ['string', 'null'] },
    changedBy: { type: ['string', 'null'] },
    myVote: { type: ['boolean', 'null'] },
    attachments: { type: 'array', items: attachmentView },
    links: linkView,
  },
} as const;

export const revisionList = {
  type: 'object',
  required: ['items'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['revision', 'changedAt'],
        properties: { revision: { type: 'integer' }, changedAt: dateTime, changedBy: { type: ['string', 'null'] }, note: { type: 'string' }, title: { type: 'string' }, state: { enum: KB_STATES } },
      },
    },
  },
} as const;

export const revisionView = { type: 'object', required: ['revision', 'snapshot'], properties: { revision: { type: 'integer' }, changedAt: dateTime, changedBy: { type: ['string', 'null'] }, note: { type: 'string' }, snapshot: { type: 'object' } } } as const;

export const diffView = {
  type: 'object',
  required: ['from', 'to', 'fields'],
  properties: {
    from: { type: 'integer' },
    to: { type: 'integer' },
    fields: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'lines'],
        properties: {
          field: { type: 'string' },
          lines: { type: 'array', items: { type: 'object', required: ['op', 'text'], properties: { op: { enum: ['same', 'add', 'del'] }, text: { type: 'string' } } } },
        },
      },
    },
  },
} as const;

export const voteBody = { type: 'object', additionalProperties: false, required: ['helpful'], properties: { helpful: { type: 'boolean' } } } as const;
export const voteView = { type: 'object', required: ['helpfulYes', 'helpfulNo', 'myVote'], properties: { helpfulYes: { type: 'integer' }, helpfulNo: { type: 'integer' }, myVote: { type: 'boolean' } } } as const;
export const deflectBody = { type: 'object', additionalProperties: false, properties: { subject: { type: 'string', maxLength: 500 } } } as const;

export const linkBody = {
  type: 'object',
  additionalProperties: false,
  description: 'exactly one of ticketId and articleId',
  properties: { ticketId: { type: 'integer', minimum: 1 }, articleId: { type: 'integer', minimum: 1 } },
} as const;

export const insertQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { ticketId: { type: 'integer', minimum: 1 }, format: { enum: ['text', 'link'], default: 'text' } },
} as const;
export const insertView = {
  type: 'object',
  required: ['articleId', 'title', 'text', 'url', 'customerMaySee'],
  properties: {
    articleId: { type: 'integer' },
    title: { type: 'string' },
    text: { type: 'string', description: 'what to insert at the cursor (plain text)' },
    url: { type: 'string' },
    customerMaySee: { type: 'boolean', description: "whether the ticket's customer may read the article (false: internal, or a hidden category)" },
    attachments: { type: 'array', items: attachmentView },
  },
} as const;

export const exportView = {
  type: 'object',
  required: ['format', 'categories', 'articles'],
  properties: {
    format: { const: 'helpdesk-kb/1' },
    categories: { type: 'array', items: { type: 'object' } },
    articles: { type: 'array', items: { type: 'object' } },
  },
} as const;

export interface ExportDocument {
  format: 'helpdesk-kb/1';
  categories: Array<{ key: string; parentKey: string | null; name: string; group: string; customerVisible: boolean; valid: boolean; comment: string }>;
  articles: Array<{ categoryKey: string; title: string; keywords: string; state: KbState; valid: boolean; language: string; symptom: string; problem: string; solution: string; body: string; comment: string }>;
}

export const importBody = {
  type: 'object',
  required: ['format', 'categories', 'articles'],
  properties: {
    format: { const: 'helpdesk-kb/1' },
    parentId: { type: ['integer', 'null'], minimum: 1, description: 'where to put the top category (default: top level)' },
    categories: {
      type: 'array',
      maxItems: 1000,
      items: {
        type: 'object',
        required: ['key', 'name', 'group'],
        properties: { key: { type: 'string' }, parentKey: { type: ['string', 'null'] }, name: { type: 'string', minLength: 1, maxLength: 200 }, group: { type: 'string' }, customerVisible: { type: 'boolean' }, valid: { type: 'boolean' }, comment: { type: 'string' } },
      },
    },
    articles: {
      type: 'array',
      maxItems: 10000,
      items: {
        type: 'object',
        required: ['categoryKey', 'title', 'state'],
        properties: {
          categoryKey: { type: 'string' },
          title: { type: 'string', minLength: 1, maxLength: 500 },
          keywords: { type: 'string' },
          state: { enum: KB_STATES },
          valid: { type: 'boolean' },
          language: { type: 'string' },
          symptom: html,
          problem: html,
          solution: html,
          body: html,
          comment: { type: 'string' },
        },
      },
    },
  },
} as const;
export const importView = { type: 'object', required: ['categories', 'articles'], properties: { categories: { type: 'integer' }, articles: { type: 'integer' } } } as const;
