/**
 * The customer portal's ticket and process calls (through `$lib/api`'s one client) and the shapes
 * they read: the caller's and the company's ticket lists, one ticket with its customer-visible
 * articles, a new ticket or a reply (HTML body, attachments as base64, customer-visible dynamic
 * fields), the processes a customer may start, and a ticket's process as the customer sees it
 * (labelled steps, open customer dialogs).
 */
import { formatBytes, formatDateTime, m } from '$lib/i18n';
import { ApiError, request } from '$lib/api';
import { startOptions, type DialogFieldView, type DialogView, type StartOption } from '$lib/agent/process/api';

export type { DialogView };

/** A ticket of a list, as `GET /tickets` describes it (the fields the portal shows). */
export interface PortalTicketSummary {
  id: number;
  tn: string;
  title: string;
  state: { id: number; name: string; type: string };
  created: string;
  changed: string;
  customerUser: { id: number; login: string } | null;
}

export interface PortalTicketList {
  items: PortalTicketSummary[];
  total: number;
  page: number | null;
  perPage: number;
  nextCursor: string | null;
}

/** Which tickets a list shows. */
export type StateFilter = 'open' | 'closed' | 'all';

export interface TicketQuery {
  /** Only this customer user's tickets (My tickets); without it the company's too, when allowed. */
  customerUser?: number;
  /** Open ones, closed ones, or all. */
  state: StateFilter;
  search: string;
  page: number;
  perPage: number;
}

/**
 * One page of the tickets the caller may see, last changed first.
 *
 * @example
 * const mine = await listTickets({ customerUser: 7, state: 'open', search: '', page: 1, perPage: 20 });
 */
export function listTickets(q: TicketQuery): Promise<PortalTicketList> {
  const params = new URLSearchParams({ sort: 'changed', order: 'desc', page: String(q.page), perPage: String(q.perPage) });
  if (q.customerUser !== undefined) params.set('customerUsers', String(q.customerUser));
  if (q.state !== 'all') params.set('stateTypes', q.state);
  if (q.search.trim()) params.set('query', q.search.trim());
  return request<PortalTicketList>('GET', `/api/v1/tickets?${params}`);
}

/** A ticket as a customer sees it (`GET /tickets/{id}`, view `customer`). */
export interface PortalTicket {
  id: number;
  number: string;
  title: string;
  state: { id: number; name: string; type: string };
  createdAt: string;
  changedAt: string;
  customerUser: { id: number; login: string; name?: string } | null;
  dynamicFields?: Record<string, unknown>;
  /** "We answer by": the first response (else update) deadline, when the ticket's SLA lets the portal show it. */
  answerBy?: string | null;
}

export interface PortalAttachment {
  position: number;
  filename: string;
  contentType: string;
  size: number;
  /** Where it downloads from. */
  url: string;
}

/** A customer-visible article. */
export interface PortalArticle {
  id: number;
  subject: string;
  contentType: 'text/plain' | 'text/html';
  bodyText: string;
  bodyHtml: string | null;
  from: string;
  createdAt: string;
  createdBy: { kind: 'agent' | 'customer'; name: string } | null;
  senderType: string;
  attachments: PortalAttachment[];
}

/**
 * Ticket `id`, or `null` when it does not exist or the caller may not see it (the server answers
 * 404 for both).
 */
export async function getTicket(id: number): Promise<PortalTicket | null> {
  try {
    return await request<PortalTicket>('GET', `/api/v1/tickets/${id}`);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

/** The customer-visible articles of ticket `id`, oldest first. */
export async function listArticles(id: number): Promise<PortalArticle[]> {
  const { items } = await request<{ items: PortalArticle[] }>('GET', `/api/v1/tickets/${id}/articles?perPage=500`);
  return items;
}

/** A file to send with an article, read into base64. */
export interface AttachmentUpload {
  filename: string;
  contentType: string;
  contentBase64: string;
  size: number;
}

/** Reads a chosen file into an attachment to send. */
export function readAttachment(file: File): Promise<AttachmentUpload> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result ?? '');
      resolve({ filename: file.name, contentType: file.type || 'application/octet-stream', contentBase64: url.slice(url.indexOf(',') + 1), size: file.size });
    };
    reader.onerror = () => reject(new Error(m.file_unreadable({ name: file.name })));
    reader.readAsDataURL(file);
  });
}

/** `1536` → `2 kB` / `2 kB` (in the interface language). */
export const formatSize = formatBytes;

export interface ArticleDraft {
  subject?: string;
  body: string;
  contentType: 'text/html' | 'text/plain';
  attachments?: AttachmentUpload[];
}

const wire = (a: ArticleDraft) => ({
  ...(a.subject ? { subject: a.subject } : {}),
  body: a.body,
  contentType: a.contentType,
  ...(a.attachments?.length ? { attachments: a.attachments.map(({ filename, contentType, contentBase64 }) => ({ filename, contentType, contentBase64 })) } : {}),
});

/**
 * Opens a ticket as the caller; field errors come back with paths such as `/title`,
 * `/article/body` or `/dynamicFields/<Name>`.
 *
 * @example
 * const { id } = await createTicket('Printer jams', { body: '<p>It jams.</p>', contentType: 'text/html' }, { Product: 'p1' });
 */
export async function createTicket(title: string, article: ArticleDraft, dynamicFields: Record<string, unknown>, queueId?: number): Promise<{ id: number }> {
  const { id } = await request<{ id: number }>('POST', '/api/v1/tickets', {
    title,
    ...(queueId !== undefined ? { queueId } : {}),
    article: wire(article),
    ...(Object.keys(dynamicFields).length ? { dynamicFields } : {}),
  });
  return { id };
}

/** Adds the caller's reply to ticket `id` (a closed ticket reopens where the state rules say so). */
export function reply(id: number, article: ArticleDraft): Promise<unknown> {
  return request<unknown>('POST', `/api/v1/tickets/${id}/articles`, wire(article));
}

/** A dynamic field definition as `GET /dynamic-fields` gives it (customers: only the customer-visible ones). */
export interface DynamicFieldDef {
  id: number;
  name: string;
  label: string;
  fieldType: string;
  objectType: 'ticket' | 'article';
  config: { possibleValues?: Record<string, string>; defaultValue?: unknown };
}

/** The ticket fields a customer fills in on a new ticket (the server lists customers the customer-visible ones, in the admin's order). */
export async function customerTicketFields(): Promise<DynamicFieldDef[]> {
  const { items } = await request<{ items: DynamicFieldDef[] }>('GET', '/api/v1/dynamic-fields?objectType=ticket&valid=true&perPage=100');
  return items;
}

/** A dynamic field definition as a form field (the dialog renderer's shape). */
export function fieldOfDefinition(d: DynamicFieldDef): DialogFieldView {
  const pv = d.config.possibleValues;
  return {
    field: `DynamicField_${d.name}`,
    label: d.label || d.name,
    type: d.fieldType.toLowerCase(),
    mandatory: false,
    ...(pv ? { allowedValues: Object.entries(pv).map(([value, label]) => ({ value, label })) } : {}),
    ...(d.config.defaultValue !== undefined && d.config.defaultValue !== null ? { default: d.config.defaultValue } : {}),
  };
}

/** A process a customer may start, with its start dialog: the server lists them as for agents. */
export type StartableProcess = StartOption;

/** The processes the caller may start from the portal (the server answers by the caller's interface). */
export const startableProcesses = startOptions;

/** A ticket's process as a customer sees it. */
export interface CustomerProcessView {
  view: 'customer';
  instanceId: number;
  ticketId: number;
  processName: string;
  status: 'running' | 'completed' | 'cancelled';
  createdAt: string;
  completedAt: string | null;
  steps: Array<{ label: string; state: 'done' | 'current' }>;
  dialogs: DialogView[];
}

/** Starts `process` with its start dialog's `fields`; the server opens the ticket. */
export function startProcess(process: string, fields: Record<string, unknown>): Promise<{ ticketId: number }> {
  return request<{ ticketId: number }>('POST', '/api/v1/process-tickets', { process, fields });
}

/** The process of ticket `id`, or `null` when it has none. */
export async function ticketProcess(id: number): Promise<CustomerProcessView | null> {
  try {
    return await request<CustomerProcessView>('GET', `/api/v1/tickets/${id}/process`);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

/** Submits the customer dialog of user task `nodeId`; resolves to the view after the step. */
export function submitDialog(id: number, nodeId: string, tokenId: string, fields: Record<string, unknown>): Promise<CustomerProcessView> {
  return request<CustomerProcessView>('POST', `/api/v1/tickets/${id}/dialogs/${encodeURIComponent(nodeId)}`, { fields, tokenId });
}

/** `2026-05-04T10:30:00Z` → `4 May 2026, 12:30` / `04.05.2026, 12:30` (the interface language, the browser's time zone). */
export function formatWhen(iso: string | null | undefined): string {
  return formatDateTime(iso);
}

/** Whether a state type counts as closed for the customer (closed, merged, removed). */
export const isClosedType = (type: string): boolean => /^(closed|merged|removed)/.test(type);
