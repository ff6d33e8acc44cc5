/**
 * The process side of a ticket as the agent interface sees it: the types of the server's process
 * view (current nodes, path, open dialogs with their fields) and the calls that read and move it —
 * read the process of a ticket, submit a dialog, start a process on a ticket, list the processes an
 * agent may start with their start dialog, create a process ticket, fetch a version's BPMN diagram.
 * Everything goes through `$lib/api` (one client, one error shape).
 */
import { ApiError, download, request } from '$lib/api';
import type { Dialog, FieldRule } from '$lib/engine';

/** One field of an open dialog, as `GET /tickets/{id}/process` describes it. */
export interface DialogFieldView {
  /** `Title`, `Queue`, …, `DynamicField_<Name>`, `Article`. */
  field: string;
  label: string;
  /** A ticket field kind (text, queue, state, priority, type, service, sla, agent, customerUser, datetime, article) or a dynamic field type. */
  type: string;
  display?: 'shown' | 'mandatory';
  mandatory: boolean;
  allowedValues?: Array<{ value: string; label: string }>;
  default?: unknown;
  description?: string;
}

/** A dialog the caller may answer (or the start dialog of a process). */
export interface DialogView {
  nodeId: string;
  tokenId: string;
  name: string;
  description?: string;
  submitText?: string;
  submitAdvice?: string;
  requiredLock: boolean;
  fields: DialogFieldView[];
  /** Field rules: show, hide or require fields by another field's value (judged by `formStates`). */
  rules?: FieldRule[];
  /** Values of hidden fields the rules test. */
  hiddenValues?: Record<string, unknown>;
}

export interface PathEntryView {
  at: string;
  event: string;
  node?: string;
  tokenId?: string;
  transition?: string;
  why?: string;
  by?: string;
  code?: string;
}

/** `GET /api/v1/tickets/{id}/process`. */
export interface ProcessView {
  instanceId: number;
  ticketId: number;
  process: string;
  processName: string;
  version: number;
  status: 'running' | 'incident' | 'completed' | 'cancelled';
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  currentNodes: Array<{ nodeId: string; name: string; tokenId: string; status: string; wait?: string }>;
  incidents: Array<{ tokenId: string; nodeId: string; code: string; message: string; at: string }>;
  dialogs: DialogView[];
  path: PathEntryView[];
  pathDropped: number;
  /** The nodes' and transitions' names in the reader's language, by id. */
  names?: Record<string, string>;
}

/**
 * The BPMN XML with the names of `names` put on its elements (the reader's language on the
 * diagram). Elements not in `names` keep theirs.
 */
export function withNames(xml: string, names: Record<string, string> | undefined): string {
  if (!names || !Object.keys(names).length || typeof DOMParser === 'undefined') return xml;
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length) return xml;
  for (const el of Array.from(doc.getElementsByTagName('*'))) {
    const id = el.getAttribute('id');
    if (id && el.hasAttribute('name') && names[id] !== undefined) el.setAttribute('name', names[id]);
  }
  return new XMLSerializer().serializeToString(doc);
}

/** A process an agent may start: its newest active version and that version's start dialog. */
export interface StartableProcess {
  key: string;
  name: string;
  description?: string;
  version: number;
  /** The start dialog as a form (no dialog: the ticket only needs a title, a queue and a text). */
  dialog: DialogView | null;
  /** Fields the start dialog sets without showing them (the server writes their defaults). */
  hiddenFields: string[];
  /** Their defaults, e.g. `{ Title: 'Leave request' }`. */
  hiddenDefaults: Record<string, unknown>;
}

const ticketUrl = (ticketId: number) => `/api/v1/tickets/${ticketId}`;

/**
 * The process of a ticket, or `null` when the ticket has none (404 from the process endpoint for a
 * ticket that exists).
 *
 * @example
 * const view = await ticketProcess(42); // null: offer "Start process"
 */
export async function ticketProcess(ticketId: number): Promise<ProcessView | null> {
  try {
    return await request<ProcessView>('GET', `${ticketUrl(ticketId)}/process`);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404 && /process/i.test(err.message)) return null;
    throw err;
  }
}

/**
 * Submits the dialog of user task `nodeId`; resolves to the view after the process moved on.
 * A field error throws `ApiError` with `path` `/fields/<Field>`.
 *
 * @example
 * await submitDialog(42, 'approve', 'k3', { DynamicField_Approved: 'yes' });
 */
export function submitDialog(ticketId: number, nodeId: string, tokenId: string, fields: Record<string, unknown>): Promise<ProcessView> {
  return request<ProcessView>('POST', `${ticketUrl(ticketId)}/dialogs/${encodeURIComponent(nodeId)}`, { fields, tokenId });
}

/** Starts `process` on an existing ticket with its start dialog's `fields` (409 when it has a process already). */
export function startProcess(ticketId: number, process: string, fields: Record<string, unknown> = {}): Promise<ProcessView> {
  return request<ProcessView>('POST', `${ticketUrl(ticketId)}/process`, { process, fields });
}

/** A process the caller may start now, as the server lists it (`GET /process-tickets/startable`). */
export interface StartOption {
  key: string;
  name: string;
  description?: string;
  version: number;
  /** The start dialog as a form, hidden fields left out (the server applies them). */
  dialog: DialogView | null;
}

/** The processes the caller's interface may start now, by name. */
export async function startOptions(): Promise<StartOption[]> {
  return (await request<{ items: StartOption[] }>('GET', '/api/v1/process-tickets/startable')).items;
}

/** The ticket part of `POST /process-tickets` (as `POST /tickets`). */
export interface TicketDraft {
  title: string;
  queue?: string;
  article: { subject?: string; body: string };
  [key: string]: unknown;
}

/** Creates a ticket and starts `process` on it with the start dialog's `fields`, in one transaction. */
export function createProcessTicket(process: string, ticket: TicketDraft, fields: Record<string, unknown>): Promise<ProcessView> {
  return request<ProcessView>('POST', '/api/v1/process-tickets', { process, ticket, fields });
}

interface ProcessSummary {
  key: string;
  name: string;
  latestVersion: number | null;
  state: string | null;
}

interface VersionSummary {
  version: number;
  state: string;
}

interface VersionDetail {
  version: number;
  name: string;
  definition: { name: string; description?: string; start: { interfaces: string[]; dialog?: Dialog } };
}

/** Turns a process definition's start dialog into the form the dialog renderer shows. */
export function startDialogView(dialog: Dialog): DialogView {
  return {
    nodeId: '',
    tokenId: '',
    name: dialog.name ?? 'Start',
    ...(dialog.description ? { description: dialog.description } : {}),
    ...(dialog.submitText ? { submitText: dialog.submitText } : {}),
    ...(dialog.submitAdvice ? { submitAdvice: dialog.submitAdvice } : {}),
    requiredLock: false,
    fields: dialog.fields
      .filter((f) => f.display !== 'hidden')
      .map((f) => ({
        field: f.field,
        label: f.label ?? '',
        type: '',
        display: f.display as 'shown' | 'mandatory',
        mandatory: f.display === 'mandatory',
        ...(f.default !== undefined && f.default !== null ? { default: f.default } : {}),
        ...(f.description ? { description: f.description } : {}),
      })),
  };
}

/**
 * The processes an agent may start now: those with an active version whose start interfaces
 * include the agent interface, newest active version each, with its start dialog.
 *
 * @example
 * const processes = await startableProcesses(); // [{ key: 'leave-request', dialog: {...} }, ...]
 */
export async function startableProcesses(): Promise<StartableProcess[]> {
  const { items } = await request<{ items: ProcessSummary[] }>('GET', '/api/v1/processes');
  const found = await Promise.all(
    items
      .filter((p) => p.latestVersion !== null)
      .map(async (p): Promise<StartableProcess | null> => {
        const versions = await request<{ items: VersionSummary[] }>('GET', `/api/v1/processes/${encodeURIComponent(p.key)}/versions`);
        const active = versions.items.filter((v) => v.state === 'active').sort((a, b) => b.version - a.version)[0];
        if (!active) return null;
        const detail = await request<VersionDetail>('GET', `/api/v1/processes/${encodeURIComponent(p.key)}/versions/${active.version}`);
        const start = detail.definition.start;
        if (!start.interfaces.includes('agent')) return null;
        return {
          key: p.key,
          name: detail.definition.name || p.name,
          ...(detail.definition.description ? { description: detail.definition.description } : {}),
          version: active.version,
          dialog: start.dialog ? startDialogView(start.dialog) : null,
          hiddenFields: (start.dialog?.fields ?? []).filter((f) => f.display === 'hidden').map((f) => f.field),
          hiddenDefaults: hiddenDefaults(start.dialog),
        };
      }),
  );
  return found.filter((p): p is StartableProcess => p !== null).sort((a, b) => a.name.localeCompare(b.name));
}

/** The hidden start-dialog fields' defaults (e.g. a fixed `Title`), which the server applies itself. */
export function hiddenDefaults(dialog: Dialog | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of dialog?.fields ?? []) if (f.display === 'hidden' && f.default !== undefined && f.default !== null) out[f.field] = f.default;
  return out;
}

/** The BPMN 2.0 XML (with its diagram) of one deployed version, as the server exports it. */
export async function versionDiagram(key: string, version: number): Promise<string> {
  const { blob } = await download(`/api/v1/processes/${encodeURIComponent(key)}/export?format=bpmn&version=${version}`);
  return blob.text();
}
