/**
 * The agent interface's calls to the REST API (through `$lib/api`'s one client) and the shapes it
 * reads: tickets, ticket summaries of lists and search, articles, history, links, preferences, the
 * catalogue lists the forms offer, and bulk results.
 */
import { request } from '$lib/api';

export interface Named {
  id: number;
  name: string;
}
export interface AgentRef {
  id: number;
  login: string;
  name: string;
}

export interface TicketSummary {
  id: number;
  tn: string;
  title: string;
  queue: Named;
  state: Named & { type: string };
  priority: Named;
  type: Named;
  locked: boolean;
  owner: { id: number; login: string } | null;
  responsible: { id: number; login: string } | null;
  customerId: string | null;
  customerUser: { id: number; login: string } | null;
  created: string;
  changed: string;
  pendingUntil: string | null;
  archived: boolean;
  /** The earliest running SLA deadline. */
  escalationAt: string | null;
}

export interface TicketList {
  items: TicketSummary[];
  total: number;
  page: number | null;
  perPage: number;
  nextCursor: string | null;
}

export interface LinkView {
  id: number;
  type: 'normal' | 'parent-child';
  role: 'normal' | 'parent' | 'child';
  ticket: { id: number; number: string; title: string; state: string; stateType: string };
  createdAt: string;
}

export interface Ticket {
  id: number;
  number: string;
  title: string;
  queue: Named;
  state: Named & { type: string };
  priority: Named;
  type: Named;
  service: Named | null;
  sla: Named | null;
  owner: AgentRef | null;
  responsible: AgentRef | null;
  customer: { id: string; name: string | null } | null;
  customerUser: { id: number; login: string; name: string; email: string } | null;
  locked: boolean;
  pendingUntil: string | null;
  archived: boolean;
  mergedInto: { id: number; number: string } | null;
  createdAt: string;
  changedAt: string;
  timeUnits: number;
  watchers: AgentRef[];
  watching: boolean;
  links: LinkView[];
  dynamicFields: Record<string, unknown>;
  articleCount: number;
  unreadArticleCount: number;
  escalation: Escalation | null;
  answerBy: string | null;
}

export interface Deadline {
  due: string | null;
  escalated: boolean;
}

/** SLA deadlines of a ticket (null when its clock does not run). */
export interface Escalation {
  sla: Named | null;
  firstResponse: Deadline & { metAt: string | null };
  update: Deadline;
  solution: Deadline & { solvedAt: string | null };
  escalationAt: string | null;
  escalated: boolean;
}

export interface Attachment {
  position: number;
  filename: string;
  contentType: string;
  size: number;
  inline: boolean;
  contentId: string | null;
  url: string;
}

export interface Article {
  id: number;
  ticketId: number;
  channel: 'email' | 'phone' | 'note' | 'portal' | 'chat' | 'internal';
  senderType: 'agent' | 'customer' | 'system';
  direction: 'incoming' | 'outgoing' | 'internal';
  visibleForCustomer: boolean;
  from: string;
  to: string;
  cc: string;
  subject: string;
  contentType: 'text/plain' | 'text/html';
  bodyText: string;
  bodyHtml: string | null;
  important: boolean;
  timeUnits: number;
  createdAt: string;
  createdBy: { kind: 'agent' | 'customer'; id: number; name: string } | null;
  seen: boolean;
  attachments: Attachment[];
  /** Set for articles that went out by mail; `failed` means not delivered (`answer` says why). */
  delivery?: { status: 'queued' | 'retrying' | 'sent' | 'written' | 'failed'; messageId: string; answer: string | null; at: string };
}

export interface MailText {
  id: number;
  kind: 'template' | 'salutation' | 'signature';
  name: string;
  subject: string;
  body: string;
  contentType: 'text/plain' | 'text/html';
  comment: string;
  valid: boolean;
}

export interface TicketMail {
  kind: 'reply' | 'replyAll' | 'forward' | 'redirect' | 'email';
  articleId?: number;
  to: string;
  cc?: string;
  bcc?: string;
  subject?: string;
  body?: string;
  contentType?: 'text/plain' | 'text/html';
  timeUnits?: number;
  nextStateId?: number;
  pendingUntil?: string;
}

export interface HistoryItem {
  id: number;
  type: string;
  message: string;
  who: { kind: string; login: string | null; name: string | null };
  at: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  perPage: number;
}

export interface ArticleInput {
  channel?: Article['channel'];
  senderType?: Article['senderType'];
  direction?: Article['direction'];
  visibleForCustomer?: boolean;
  from?: string;
  to?: string;
  cc?: string;
  subject?: string;
  body: string;
  contentType?: 'text/plain' | 'text/html';
  timeUnits?: number;
}

/** Search criteria of `POST /tickets/search` (see the API for every filter). */
export interface Criteria {
  query?: string;
  queues?: Array<number | string>;
  states?: Array<number | string>;
  stateTypes?: string[];
  priorities?: Array<number | string>;
  owners?: Array<number | string>;
  responsibles?: Array<number | string>;
  customerIds?: string[];
  customerUsers?: Array<number | string>;
  locked?: boolean;
  archived?: boolean | 'all';
  title?: string;
  tn?: string;
  createdFrom?: string;
  createdTo?: string;
  escalationFrom?: string;
  escalationTo?: string;
  watchedBy?: number | string;
  sort?: string;
  order?: 'asc' | 'desc';
  perPage?: number;
  cursor?: string;
}

export interface BulkResult {
  succeeded: number;
  failed: number;
  results: Array<{ ticketId: number; ok: boolean; error?: { status: number; code: string; message: string } }>;
}

export interface Preferences {
  /** `auto` (the browser's), `en`, `de`. */
  language: string;
  dateFormat: string;
  myQueues: number[];
  columns: string[];
  dashboard: Array<{ id: string; hidden: boolean }>;
  pageSize: number;
  notifications: Record<string, boolean>;
  notificationChannels: { email: boolean; web: boolean };
  /** IANA time zone, or `auto` (the browser's). */
  timeZone: string;
  /** A period away (`YYYY-MM-DD`, both days included), or none. */
  outOfOffice: { from: string; until: string; note?: string } | null;
}

export interface QueueOverviewRow {
  queueId: number;
  queue: string;
  stateId: number;
  state: string;
  stateType: string;
  count: number;
}

export interface DynamicField {
  id: number;
  name: string;
  label: string;
  fieldType: string;
  objectType: 'ticket' | 'article';
  config: { possibleValues?: Record<string, string>; [k: string]: unknown };
  valid: boolean;
}

export interface CustomerUser {
  id: number;
  login: string;
  firstName?: string;
  lastName?: string;
  email: string;
  customerId: string;
}

const base = '/api/v1';

/** An agent away today (`GET /agents/out-of-office`). */
export interface Absence {
  agentId: number;
  from: string;
  until: string;
  note?: string;
}

export const api = {
  outOfOffice: () => request<{ items: Absence[] }>('GET', `${base}/agents/out-of-office`).then((r) => r.items),
  search: (c: Criteria) => request<TicketList>('POST', `${base}/tickets/search`, c),
  ticket: (id: number) => request<Ticket>('GET', `${base}/tickets/${id}`),
  patch: (id: number, body: Record<string, unknown>) => request<Ticket | undefined>('PATCH', `${base}/tickets/${id}`, body),
  lock: (id: number) => request<Ticket>('POST', `${base}/tickets/${id}/lock`),
  unlock: (id: number) => request<Ticket>('DELETE', `${base}/tickets/${id}/lock`),
  watch: (id: number, on: boolean) => request<void>(on ? 'POST' : 'DELETE', `${base}/tickets/${id}/watch`),
  merge: (id: number, targetTicketNumber: string) => request<unknown>('POST', `${base}/tickets/${id}/merge`, { targetTicketNumber }),
  link: (id: number, targetTicketId: number, type: 'normal' | 'parent-child', role?: 'parent' | 'child') =>
    request<LinkView>('POST', `${base}/tickets/${id}/links`, { targetTicketId, type, ...(type === 'parent-child' && role ? { role } : {}) }),
  unlink: (id: number, linkId: number) => request<void>('DELETE', `${base}/tickets/${id}/links/${linkId}`),
  articles: (id: number, markSeen: boolean) => request<Page<Article>>('GET', `${base}/tickets/${id}/articles?perPage=500&markSeen=${markSeen}`),
  sendMail: (id: number, body: TicketMail) => request<Article>('POST', `${base}/tickets/${id}/email`, body),
  mailDefaults: (id: number) => request<{ from: string; hook: string; salutation: string; signature: string }>('GET', `${base}/tickets/${id}/email/defaults`),
  mailTexts: (kind?: MailText['kind']) => request<{ items: MailText[] }>('GET', `${base}/mail/texts?${new URLSearchParams(kind ? { kind } : {})}`),
  renderText: (ticketId: number, text: string) => request<{ text: string }>('POST', `${base}/mail/render`, { ticketId, text }),
  addArticle: (id: number, body: ArticleInput) => request<Article>('POST', `${base}/tickets/${id}/articles`, body),
  split: (ticketId: number, articleId: number, body: Record<string, unknown>) => request<Ticket>('POST', `${base}/tickets/${ticketId}/articles/${articleId}/split`, body),
  history: (id: number) => request<Page<HistoryItem>>('GET', `${base}/tickets/${id}/history?perPage=1000`),
  bulk: (body: Record<string, unknown>) => request<BulkResult>('POST', `${base}/tickets/bulk`, body),
  preferences: () => request<Preferences>('GET', `${base}/me/preferences`),
  savePreferences: (body: Partial<Preferences>) => request<Preferences>('PUT', `${base}/me/preferences`, body),
  changePassword: (currentPassword: string, newPassword: string) => request<void>('POST', `${base}/me/password`, { currentPassword, newPassword }),
  queueOverview: () => request<{ items: QueueOverviewRow[] }>('GET', `${base}/me/queue-overview`),
  unread: (ids: number[]) => (ids.length ? request<{ ticketIds: number[] }>('GET', `${base}/me/unread?tickets=${ids.join(',')}`) : Promise.resolve({ ticketIds: [] })),
  queues: () => request<Page<Named>>('GET', `${base}/queues?perPage=1000`),
  states: () => request<Page<Named & { type?: string; stateType?: string }>>('GET', `${base}/states?perPage=1000`),
  priorities: () => request<Page<Named>>('GET', `${base}/priorities?perPage=1000`),
  agents: () => request<Page<{ id: number; login: string; firstName: string; lastName: string }>>('GET', `${base}/agents?perPage=1000`),
  customerUsers: (search: string) => request<Page<CustomerUser>>('GET', `${base}/customer-users?perPage=20&search=${encodeURIComponent(search)}`),
  customers: (search: string) => request<Page<{ customerId: string; name: string }>>('GET', `${base}/customers?perPage=20&search=${encodeURIComponent(search)}`),
  dynamicFields: () => request<Page<DynamicField>>('GET', `${base}/dynamic-fields?perPage=1000&objectType=ticket`),
};

/** The catalogue the forms offer, loaded once per page load. */
let catalogue: Promise<{ queues: Named[]; states: Array<Named & { type: string }>; priorities: Named[]; agents: Array<{ id: number; login: string; name: string }> }> | undefined;

/**
 * Queues, states (with their type), priorities and agents for selects.
 *
 * @example
 * const { queues } = await loadCatalogue();
 */
export function loadCatalogue() {
  catalogue ??= Promise.all([api.queues(), api.states(), api.priorities(), api.agents()]).then(([q, s, p, a]) => ({
    queues: q.items,
    states: s.items.map((x) => ({ id: x.id, name: x.name, type: x.type ?? x.stateType ?? '' })),
    priorities: p.items,
    agents: a.items.map((x) => ({ id: x.id, login: x.login, name: `${x.firstName} ${x.lastName}`.trim() || x.login })),
  }));
  catalogue.catch(() => (catalogue = undefined));
  return catalogue;
}
