/**
 * User-task dialogs as a UI needs them (fields with label, type, mandatory flag, allowed values,
 * default, description) and the submission of one: mandatory fields checked, values validated
 * (dynamic fields against their value schema, ticket fields through the catalogue), then written to
 * the ticket through the ticket domain with history (and an article when the dialog has one).
 */
import type { Kysely } from 'kysely';
import type { Dialog, DialogField, FieldRule, Interface, JsonValue, Process, UserTask } from '../../engine/model/types';
import { dialogFor, fieldStates, type InstanceState } from '../../engine/runtime/index';
import type { Access } from '../access/access';
import { addArticle } from '../articles/add';
import type { DB } from '../db/schema';
import type { DynamicFieldConfig } from '../dynamic-fields/value-schema';
import { checkValue, fieldsByName, type FieldDefinition } from '../dynamic-fields/values';
import { BadRequest, DomainError, Forbidden } from '../errors';
import { applyChanges } from '../tickets/changes';
import type { WriteContext } from '../tickets/context';
import { lockFor } from '../tickets/lock';
import { resolveFields } from '../tickets/refs';
import { ticketDetails } from '../tickets/repo';
import type { TicketFieldsInput } from '../tickets/schema';
import { isMessageKey, t } from '../i18n/messages';
import { localized } from '../i18n/request';

export interface DialogFieldView {
  field: string;
  label: string;
  type: string;
  display: 'shown' | 'mandatory';
  mandatory: boolean;
  allowedValues?: Array<{ value: string; label: string }>;
  default?: JsonValue;
  description?: string;
}

export interface DialogView {
  nodeId: string;
  tokenId: string;
  /** The instance the task belongs to (a called process may run on the same ticket). */
  instanceId?: number;
  name: string;
  description?: string;
  interfaces: Interface[];
  submitText?: string;
  submitAdvice?: string;
  requiredLock: boolean;
  fields: DialogFieldView[];
  /** The dialog's field rules (evaluated by the form with engine/runtime/field-rules.ts; the server checks them again). */
  rules?: FieldRule[];
  /** Hidden fields' defaults that rules test (field → value), for the form's evaluation. */
  hiddenValues?: Record<string, JsonValue>;
}

/** Ticket fields a dialog may show: the property of the ticket-fields input, and the catalogue table of allowed values. */
const TICKET_FIELDS: Record<string, { input?: keyof TicketFieldsInput | 'title'; type: string; label: string; table?: 'queues' | 'states' | 'priorities' | 'ticket_types' | 'services' | 'slas' }> = {
  Title: { input: 'title', type: 'text', label: 'Title' },
  Queue: { input: 'queue', type: 'queue', label: 'Queue', table: 'queues' },
  State: { input: 'state', type: 'state', label: 'State', table: 'states' },
  Priority: { input: 'priority', type: 'priority', label: 'Priority', table: 'priorities' },
  Type: { input: 'type', type: 'type', label: 'Type', table: 'ticket_types' },
  Service: { input: 'service', type: 'service', label: 'Service', table: 'services' },
  SLA: { input: 'sla', type: 'sla', label: 'SLA', table: 'slas' },
  Owner: { input: 'owner', type: 'agent', label: 'Owner' },
  Responsible: { input: 'responsible', type: 'agent', label: 'Responsible' },
  CustomerUser: { input: 'customerUser', type: 'customerUser', label: 'Customer user' },
  CustomerID: { input: 'customerId', type: 'text', label: 'Customer' },
  PendingTime: { input: 'pendingUntil', type: 'datetime', label: 'Pending until' },
  Article: { type: 'article', label: 'Article' },
};

const DF = 'DynamicField_';

/** The interface of a caller. */
export const interfaceOf = (access: Access): Interface => (access.requireActor().kind === 'customer' ? 'customer' : 'agent');

/** The dialog of `node` the caller's interface may use (the engine's rule, re-exported for the server's callers). */
export { dialogFor };

/** The user tasks waiting for a dialog, with their token. */
export function openTasks(def: Process, state: InstanceState): Array<{ node: UserTask; tokenId: string }> {
  const out: Array<{ node: UserTask; tokenId: string }> = [];
  for (const t of state.tokens) {
    if (t.wait !== 'dialog') continue;
    const node = def.nodes.find((n) => n.id === t.nodeId);
    if (node?.type === 'userTask') out.push({ node, tokenId: t.id });
  }
  return out;
}

async function allowedFor(db: Kysely<DB>, access: Access, table: NonNullable<(typeof TICKET_FIELDS)[string]['table']>): Promise<Array<{ value: string; label: string }>> {
  // Customers choose among the queues offered to them (the portal settings), as on a new ticket.
  if (table === 'queues' && access.actor?.kind === 'customer') return (await access.using(db).customerQueues()).queues.map((r) => ({ value: r.name, label: r.name }));
  let q = db.selectFrom(table).select(['id', 'name']).where('valid', '=', true).orderBy('name');
  if (table === 'queues') {
    const ids = access.actor?.kind === 'agent' ? await access.queueIds('rw') : null;
    if (ids) q = q.where('id', 'in', ids.length ? ids : [-1]);
  }
  return (await q.execute()).map((r) => ({ value: r.name, label: r.name }));
}

/**
 * The form of a dialog for the caller.
 *
 * @example
 * const view = await dialogView(db, access, node, tokenId, dialog);
 */
export async function dialogView(db: Kysely<DB>, access: Access, node: Pick<UserTask, 'id' | 'name' | 'i18n'>, tokenId: string, dialog: Dialog): Promise<DialogView> {
  const shown = dialog.fields.filter((f) => f.display !== 'hidden');
  const dfs = await fieldsByName(db, shown.filter((f) => f.field.startsWith(DF)).map((f) => f.field.slice(DF.length)));
  const fields: DialogFieldView[] = [];
  for (const f of shown) {
    const description = localized(f, 'description');
    const label = localized(f, 'label');
    const base = { field: f.field, display: f.display as 'shown' | 'mandatory', mandatory: f.display === 'mandatory', ...(description ? { description } : {}), ...(f.default !== undefined && f.default !== null ? { default: f.default as JsonValue } : {}) };
    if (f.field.startsWith(DF)) {
      const def = dfs.get(f.field.slice(DF.length));
      const pv = (def?.config as DynamicFieldConfig | undefined)?.possibleValues;
      fields.push({ ...base, label: label ?? def?.label ?? f.field, type: def?.field_type ?? 'text', ...(pv ? { allowedValues: Object.entries(pv).map(([value, label]) => ({ value, label })) } : {}) });
    } else {
      const tf = TICKET_FIELDS[f.field];
      const allowed = tf?.table ? await allowedFor(db, access, tf.table) : undefined;
      const key = `field_${f.field}`;
      fields.push({ ...base, label: label ?? (isMessageKey(key) ? t(key) : (tf?.label ?? f.field)), type: tf?.type ?? 'text', ...(allowed ? { allowedValues: allowed } : {}) });
    }
  }
  return {
    nodeId: node.id,
    tokenId,
    // A customer never sees a node id as a name (an agent may: it is what the designer shows).
    name: localized(dialog, 'name') ?? localized(node, 'name') ?? (access.actor?.kind === 'customer' ? t('your_input') : node.id),
    ...(dialog.description ? { description: localized(dialog, 'description') } : {}),
    interfaces: dialog.interfaces,
    ...(dialog.submitText ? { submitText: localized(dialog, 'submitText') } : {}),
    ...(dialog.submitAdvice ? { submitAdvice: localized(dialog, 'submitAdvice') } : {}),
    requiredLock: dialog.requiredLock === true,
    fields,
    ...(dialog.rules?.length ? { rules: dialog.rules, ...hiddenTested(dialog) } : {}),
  };
}

/** The defaults of hidden fields the rules test (the form needs them to judge the rules as the server does). */
function hiddenTested(dialog: Dialog): { hiddenValues?: Record<string, JsonValue> } {
  const tested = new Set((dialog.rules ?? []).map((r) => r.when.field));
  const hidden = dialog.fields.filter((f) => f.display === 'hidden' && tested.has(f.field) && f.default !== undefined);
  return hidden.length ? { hiddenValues: Object.fromEntries(hidden.map((f) => [f.field, f.default as JsonValue])) } : {};
}

const empty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/** The ticket changes a submission makes (checked), and its article. */
export interface Submission {
  fields: TicketFieldsInput & { title?: string };
  dynamicFields: Record<string, unknown>;
  article?: { subject?: string; body: string; visibleForCustomer?: boolean; channel?: string; timeUnits?: number };
}

/**
 * Checks submitted values against a dialog: unknown fields, missing mandatory ones (the display or
 * a field rule requires them), values for fields a field rule hides, dynamic field values against
 * their schemas; hidden fields take their default. Errors name `/fields/<Field>`.
 */
export async function checkSubmission(db: Kysely<DB>, dialog: Dialog, values: Record<string, unknown>): Promise<Submission> {
  const byName = new Map(dialog.fields.map((f) => [f.field, f]));
  for (const k of Object.keys(values)) {
    const f = byName.get(k);
    if (!f || f.display === 'hidden') throw new BadRequest(`the dialog has no field "${k}" to fill in`, `/fields/${k}`, undefined, 'UNKNOWN_FIELD');
  }
  // The dialog's field rules, judged as the forms judge them: a field a rule hides takes no value
  // and is never mandatory; one a rule requires must be filled.
  const states = fieldStates(dialog, values);
  for (const [k, v] of Object.entries(values)) {
    if (!states[k]?.visible && !empty(v)) {
      throw new BadRequest(`"${byName.get(k)?.label ?? k}" is hidden by a field rule of this dialog and takes no value`, `/fields/${k}`, undefined, 'FIELD_HIDDEN');
    }
  }
  const out: Submission = { fields: {}, dynamicFields: {} };
  const dfNames = dialog.fields.filter((f) => f.field.startsWith(DF)).map((f) => f.field.slice(DF.length));
  const dfs = await fieldsByName(db, dfNames);
  for (const f of dialog.fields) {
    if (f.display !== 'hidden' && !states[f.field]?.visible) continue;
    const value = f.display === 'hidden' ? f.default : values[f.field];
    if (states[f.field]?.required && empty(value)) throw new BadRequest(`"${f.label ?? f.field}" is mandatory`, `/fields/${f.field}`, undefined, 'FIELD_REQUIRED');
    if (value === undefined || (f.display === 'hidden' && value === null)) continue;
    if (f.field.startsWith(DF)) {
      const def = dfs.get(f.field.slice(DF.length));
      if (!def) throw new BadRequest(`the dynamic field "${f.field.slice(DF.length)}" does not exist`, `/fields/${f.field}`, undefined, 'UNKNOWN_REFERENCE');
      checkValue(def as FieldDefinition, value, `/fields/${f.field}`);
      out.dynamicFields[def.name] = value;
    } else if (f.field === 'Article') {
      out.article = articleOf(f, value);
    } else {
      const tf = TICKET_FIELDS[f.field];
      if (!tf?.input) throw new BadRequest(`the ticket field "${f.field}" cannot be set by a dialog`, `/fields/${f.field}`);
      if (value !== null && typeof value !== 'string') throw new BadRequest('must be a string', `/fields/${f.field}`);
      (out.fields as Record<string, unknown>)[tf.input] = value;
    }
  }
  return out;
}

/**
 * Leaves out of a start dialog's submission the hidden defaults of ticket fields that `ticket` (the
 * caller's explicit ticket) gives, so the explicit value wins (`title` over a hidden `Title`, …).
 */
export function dropHiddenDefaultsGiven(dialog: Dialog, s: Submission, ticket: object): void {
  const given = ticket as Record<string, unknown>;
  for (const f of dialog.fields) {
    const key = f.display === 'hidden' ? TICKET_FIELDS[f.field]?.input : undefined;
    if (key && (given[key] !== undefined || given[`${key}Id`] !== undefined)) delete (s.fields as Record<string, unknown>)[key];
  }
}

function articleOf(f: DialogField, value: unknown): Submission['article'] {
  const v = typeof value === 'string' ? { body: value } : (value as Record<string, unknown>);
  if (!v || typeof v !== 'object' || typeof v.body !== 'string' || !v.body) throw new BadRequest('an article needs a body', `/fields/Article/body`);
  return {
    body: v.body,
    ...(typeof v.subject === 'string' ? { subject: v.subject } : {}),
    ...(f.visibleForCustomer !== undefined ? { visibleForCustomer: f.visibleForCustomer } : {}),
    ...(f.channel ? { channel: f.channel } : {}),
    ...(typeof v.timeUnits === 'number' ? { timeUnits: v.timeUnits } : {}),
  };
}

/** Reports a write error at the dialog field it came from (`/queue` → `/fields/Queue`). */
function atField(e: unknown): never {
  if (e instanceof DomainError && e.path) {
    const key = e.path.replace(/^\//, '').replace(/Id$/, '').split('/')[0]!;
    const field = Object.entries(TICKET_FIELDS).find(([, v]) => v.input === key)?.[0] ?? (key === 'pendingUntil' ? 'PendingTime' : undefined);
    if (field) throw new BadRequest(e.message, `/fields/${field}`, undefined, e.code);
  }
  throw e;
}

/**
 * Writes a checked submission to the ticket in `ctx` (the submitter's, or the system's for customer
 * dialogs; `articleCtx` then writes the article as the customer), locking it first with `lockCtx`
 * when the dialog requires a lock.
 */
export async function writeSubmission(ctx: WriteContext, ticketId: number, s: Submission, opts: { lockCtx?: WriteContext; articleCtx?: WriteContext } = {}): Promise<void> {
  const lockCtx = opts.lockCtx;
  if (lockCtx) {
    const t = await ticketDetails(ctx.db, ticketId);
    if (!t) throw new Forbidden('ticket gone');
    await lockFor(lockCtx, t);
  }
  const { title, ...refs } = s.fields;
  const hasFields = Object.keys(s.fields).length > 0 || Object.keys(s.dynamicFields).length > 0;
  if (hasFields) {
    try {
      const resolved = await resolveFields(ctx.db, refs);
      const t = await ticketDetails(ctx.db, ticketId);
      await applyChanges(ctx, t!, { ...resolved, ...(title !== undefined ? { title } : {}), ...(Object.keys(s.dynamicFields).length ? { dynamicFields: s.dynamicFields } : {}) });
    } catch (e) {
      atField(e);
    }
  }
  if (s.article) {
    const t = await ticketDetails(ctx.db, ticketId);
    const channel = s.article.channel?.toLowerCase();
    const actx = opts.articleCtx ?? ctx;
    await addArticle(actx, t!, {
      body: s.article.body,
      ...(s.article.subject ? { subject: s.article.subject } : {}),
      ...(channel === 'email' || channel === 'phone' || channel === 'note' || channel === 'internal' ? { channel } : {}),
      ...(s.article.visibleForCustomer !== undefined ? { visibleForCustomer: s.article.visibleForCustomer } : {}),
      ...(s.article.timeUnits !== undefined && actx.actor.kind === 'agent' ? { timeUnits: s.article.timeUnits } : {}),
    }, '/fields/Article');
  }
}
