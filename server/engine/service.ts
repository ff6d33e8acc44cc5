/**
 * Process tickets: create a ticket and start its process in one transaction, start a process on an
 * existing ticket, show the process of a ticket with the caller's open dialogs, submit a dialog
 * (fields checked and written, then the engine moves on: automatic steps chain in the same
 * transaction, scripts become jobs), and read an instance and its log. Knows no HTTP.
 *
 * @example
 * const svc = new ProcessTicketService(services);
 * const view = await svc.create(access, { process: 'leave-request', ticket: {...}, fields: { DynamicField_Days: 3 } });
 * await svc.submit(access, view.ticketId, 'approve', { fields: { DynamicField_Approved: 'yes' } });
 */
import { localized } from '../i18n/request';
import type { Kysely } from 'kysely';
import type { Process } from '../../engine/model/types';
import { startOffered } from '../../engine/runtime/index';
import type { Access } from '../access/access';
import { resolveQueue } from '../catalog/resolve';
import type { DB } from '../db/schema';
import { BadRequest, Conflict, Forbidden, NotFound } from '../errors';
import { historyActor } from '../history/history';
import type { Services } from '../services';
import { contextFor } from '../tickets/context';
import { createTicket } from '../tickets/create';
import { nextTicketNumber } from '../tickets/number';
import { ticketDetails } from '../tickets/repo';
import type { TicketCreateInput } from '../tickets/schema';
import { readableTicket } from '../tickets/view';
import { lockInstanceForTask, topInstanceId } from './child-instances';
import { checkSubmission, dialogFor, dropHiddenDefaultsGiven, dialogView, interfaceOf, writeSubmission, type DialogView, type Submission } from './dialogs';
import { engineFor } from './engine';
import { refusedAsConflict, type InstanceRow } from './runner';
import type { CustomerProcessView } from './customer-view';
import { parseState, pathView, processView, type PathView, type ProcessView } from './view';

type AnyView = ProcessView | CustomerProcessView;

export interface ProcessTicketInput {
  process: string;
  /** Without it, the ticket is made from the start dialog's fields (`ticketFromStart`). */
  ticket?: TicketCreateInput;
  /** The start dialog's fields. */
  fields?: Record<string, unknown>;
}

export interface LogEntryView {
  id: number;
  at: string;
  kind: string;
  node: string | null;
  transition: string | null;
  message: string;
  actor: string | null;
}

export class ProcessTicketService {
  constructor(private readonly services: Services) {}

  private get db() {
    return this.services.database.db;
  }

  private get engine() {
    return engineFor(this.services);
  }

  private async view(access: Access, inst: InstanceRow): Promise<AnyView> {
    const def = await this.engine.runner.definitions.get(this.db, inst.process_key, inst.process_version);
    return processView(this.db, access, inst, def);
  }

  private async rootOf(db: Kysely<DB>, ticketId: number): Promise<InstanceRow> {
    const id = await topInstanceId(db, ticketId);
    const inst = id === undefined ? undefined : await db.selectFrom('process_instances').selectAll().where('id', '=', id).executeTakeFirst();
    if (!inst) throw new NotFound('process of this ticket');
    return inst;
  }

  /**
   * The processes the caller may start now: an active version whose start interfaces include the
   * caller's, with the start dialog as a form.
   */
  async startable(access: Access): Promise<Array<{ key: string; name: string; description?: string; version: number; dialog: DialogView | null }>> {
    const iface = interfaceOf(access);
    await this.engine.ready();
    const rows = await this.db
      .selectFrom('process_versions')
      .select(['key', (eb) => eb.fn.max('version').as('version')])
      .where('state', '=', 'active')
      .groupBy('key')
      .execute();
    const out = [];
    for (const r of rows) {
      const def = await this.engine.runner.definitions.get(this.db, r.key, Number(r.version));
      if (!startOffered(def.start, iface)) continue;
      const dialog = def.start.dialog ? await dialogView(this.db, access, { id: '' }, '', { ...def.start.dialog, name: def.start.dialog.name ?? def.name }) : null;
      // Customers read the customer description only; the description is the admin's notes.
      const about = iface === 'customer' ? 'customerDescription' : 'description';
      const description = def[about] ? localized(def, about) : undefined;
      out.push({ key: r.key, name: localized(def, 'name') ?? def.name, ...(description ? { description } : {}), version: Number(r.version), dialog });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Creates the ticket and starts `process` on it in one transaction (only an active version). */
  async create(access: Access, input: ProcessTicketInput): Promise<AnyView> {
    const actor = access.requireActor();
    await this.engine.ready();
    const tn = await nextTicketNumber(this.db, this.services.now(), this.services.config.ticketNumberPrefix);
    const inst = await this.db.transaction().execute(async (trx) => {
      const runner = this.engine.runner;
      const def = await runner.definitions.get(trx, input.process, await runner.activeVersion(trx, input.process));
      if (!startOffered(def.start, interfaceOf(access))) {
        throw new Forbidden(`process "${input.process}" cannot be started from the ${interfaceOf(access)} interface`, 'INTERFACE_NOT_ALLOWED', '/process');
      }
      const submission = await startDialogSubmission(trx, def, input.fields ?? {});
      // What the caller sent in `ticket` wins over a hidden default of the start dialog.
      if (input.ticket && submission && def.start.dialog) dropHiddenDefaultsGiven(def.start.dialog, submission, input.ticket);
      const ticketInput = input.ticket ?? ticketFromStart(def, submission, actor.kind);
      if (!input.ticket && actor.kind === 'agent' && ticketInput.queue === undefined) {
        throw new BadRequest(
          `the start dialog of "${def.key}" asks for no queue: send the ticket with it, {"process": "${def.key}", "ticket": {"title", "queue", "article"}, "fields": {…}}`,
          '/ticket/queue',
          undefined,
          'MISSING_REFERENCE',
        );
      }
      const ctx = contextFor(trx, access, this.services);
      const ticketId = await createTicket(ctx, ticketInput, tn).catch((e: unknown) => {
        throw prefixPath(e, input.ticket ? '/ticket' : '/fields');
      });
      if (submission) await this.writeAs(trx, access, ticketId, submission);
      const r = await runner.startInTrx(trx, ticketId, input.process, { by: historyActor(actor), actor: actor.login }).catch(refusedAsConflict);
      return r.instance;
    });
    return this.view(access, inst);
  }

  /**
   * Starts `process` on an existing ticket (agents with `rw`; 409 when it has a root instance). A
   * start dialog is filled in as on a new process ticket: `fields` checked (400 at `/fields/<Field>`)
   * and written to the ticket before the process starts.
   */
  async start(access: Access, ticketId: number, process: string, fields: Record<string, unknown> = {}): Promise<AnyView> {
    const actor = access.requireAgent();
    await this.engine.ready();
    const inst = await this.db.transaction().execute(async (trx) => {
      const t = await trx.selectFrom('tickets').selectAll().where('id', '=', ticketId).forUpdate().executeTakeFirst();
      if (!t) throw new NotFound('ticket');
      await access.using(trx).assertTicket(t, 'rw');
      const version = await this.engine.runner.startableVersion(trx, ticketId, process);
      const submission = await startDialogSubmission(trx, await this.engine.runner.definitions.get(trx, process, version), fields);
      if (submission) await this.writeAs(trx, access, ticketId, submission);
      const r = await this.engine.runner.startInTrx(trx, ticketId, process, { by: historyActor(actor), actor: actor.login }).catch(refusedAsConflict);
      return r.instance;
    });
    return this.view(access, inst);
  }

  /** The process of a ticket as the caller sees it. */
  async get(access: Access, ticketId: number): Promise<AnyView> {
    await readableTicket(this.db, access, ticketId);
    return this.view(access, await this.rootOf(this.db, ticketId));
  }

  /** Writes a submission: as the agent; for customers, fields through the system (history names the customer) and the article as the customer. */
  private async writeAs(trx: Kysely<DB>, access: Access, ticketId: number, s: Submission, requiredLock = false): Promise<void> {
    const actor = access.requireActor();
    if (actor.kind === 'agent') {
      const ctx = contextFor(trx, access, this.services);
      await writeSubmission(ctx, ticketId, s, requiredLock ? { lockCtx: ctx } : {});
      return;
    }
    // The system writes a customer's fields, so the customer's own limits are checked here.
    if (typeof s.fields.queue === 'string') {
      const queue = await resolveQueue(trx, { name: s.fields.queue }, '/fields/Queue', { requireValid: true });
      await access.using(trx).assertCustomerQueue(queue, '/fields/Queue');
    }
    const system = contextFor(trx, await this.engine.runner.systemAccess(trx), this.services, historyActor(actor));
    await writeSubmission(system, ticketId, s, { articleCtx: contextFor(trx, access, this.services) });
  }

  /**
   * Submits the dialog of user task `nodeId`: 409 when the task is not open (any more), 403 when the
   * dialog is not offered to the caller's interface, 400 naming `/fields/<Field>` for a missing or
   * invalid value. Resolves to the process view after the engine moved on.
   */
  async submit(access: Access, ticketId: number, nodeId: string, body: { fields?: Record<string, unknown>; tokenId?: string; instanceId?: number }): Promise<AnyView> {
    const actor = access.requireActor();
    await this.engine.ready();
    const runner = this.engine.runner;
    const inst = await this.db.transaction().execute(async (trx) => {
      const t = await ticketDetails(trx, ticketId);
      if (!t) throw new NotFound('ticket');
      await access.using(trx).assertTicket(t, actor.kind === 'agent' ? 'rw' : 'ro');
      const row = await lockInstanceForTask(trx, ticketId, nodeId, { ...(body.tokenId ? { tokenId: body.tokenId } : {}), ...(body.instanceId !== undefined ? { instanceId: body.instanceId } : {}) });
      if (!row) throw new NotFound('process of this ticket');
      const def: Process = await runner.definitions.get(trx, row.process_key, row.process_version);
      const node = def.nodes.find((n) => n.id === nodeId);
      if (!node || node.type !== 'userTask') throw new NotFound(`user task "${nodeId}"`);
      const state = parseState(row.state);
      const token = state.tokens.find((k) => k.nodeId === nodeId && k.wait === 'dialog' && (!body.tokenId || k.id === body.tokenId));
      if (!token) {
        throw new Conflict(`the task "${node.name ?? nodeId}" is not open: it was completed already or has not been reached (the process is ${state.status})`, undefined, 'TASK_NOT_OPEN');
      }
      const iface = interfaceOf(access);
      const dialog = dialogFor(node, iface);
      if (!dialog) throw new Forbidden(`the dialog of "${node.name ?? nodeId}" is not offered in the ${iface} interface`, 'INTERFACE_NOT_ALLOWED');
      const submission = await checkSubmission(trx, dialog, body.fields ?? {});
      const r = await runner
        .stepInTrx(trx, row, def, { type: 'dialogSubmitted', nodeId, tokenId: token.id, by: actor.login, interface: iface }, {
          by: historyActor(actor),
          actor: actor.login,
          prepare: (db) => this.writeAs(db, access, ticketId, submission, dialog.requiredLock === true && actor.kind === 'agent'),
        })
        .catch(refusedAsConflict);
      return r.instance;
    });
    // A called process on the same ticket answered: show the ticket's process as GET does.
    return this.view(access, inst.parent_instance_id === null ? inst : await this.rootOf(this.db, ticketId));
  }

  private async readableInstance(access: Access, id: number): Promise<InstanceRow> {
    const inst = await this.db.selectFrom('process_instances').selectAll().where('id', '=', id).executeTakeFirst();
    if (!inst) throw new NotFound('process instance');
    await readableTicket(this.db, access, inst.ticket_id).catch((e: unknown) => {
      if (e instanceof NotFound) throw new NotFound('process instance');
      throw e;
    });
    return inst;
  }

  /** An instance by id (for anyone who may read its ticket). */
  async instance(access: Access, id: number): Promise<AnyView> {
    return this.view(access, await this.readableInstance(access, id));
  }

  /** The instance's full log, oldest first (agents only). */
  async log(access: Access, id: number, page: number, perPage: number): Promise<{ items: LogEntryView[]; total: number; page: number; perPage: number }> {
    access.requireAgent();
    const inst = await this.readableInstance(access, id);
    const total = Number((await this.db.selectFrom('process_instance_log').select((eb) => eb.fn.countAll().as('n')).where('instance_id', '=', inst.id).executeTakeFirstOrThrow()).n);
    const rows = await this.db
      .selectFrom('process_instance_log')
      .select(['id', 'at', 'kind', 'node', 'transition', 'message', 'actor'])
      .where('instance_id', '=', inst.id)
      .orderBy('id')
      .limit(perPage)
      .offset((page - 1) * perPage)
      .execute();
    return { items: rows.map((r) => ({ ...r, id: Number(r.id), at: r.at.toISOString() })), total, page, perPage };
  }
}

/** The path of the instance in the view format (for callers that only want it). */
export const pathOf = (inst: InstanceRow): PathView[] => parseState(inst.state).path.map(pathView);

function prefixPath(e: unknown, prefix: string): unknown {
  if (e && typeof e === 'object' && 'path' in e && typeof (e as { path?: unknown }).path === 'string') {
    (e as { path: string }).path = prefix + (e as { path: string }).path;
  }
  return e;
}

/**
 * The ticket of a process started without one, made from the start dialog's checked fields: the
 * title from `Title` (taken out of the submission), the first article from `Article` (taken out, so
 * it is not written twice; a customer's goes to them, as a portal article), the queue from `Queue`
 * for agents (customers' tickets go to the default queue; the dialog's Queue is written after).
 */
export function ticketFromStart(def: Process, s: Submission | undefined, kind: 'agent' | 'customer'): TicketCreateInput {
  const title = s?.fields.title ?? def.name;
  if (s) delete s.fields.title;
  const article = s?.article;
  if (s) delete s.article;
  const queue = kind === 'agent' ? s?.fields.queue : undefined;
  return {
    title,
    ...(queue ? { queue } : {}),
    article: article
      ? { subject: article.subject || title, body: article.body }
      : { subject: title, body: `Started the process “${def.name}”.` },
  };
}

/** Checks `fields` against the start dialog of `def` (400 `UNKNOWN_FIELD` when it has none but fields came). */
async function startDialogSubmission(trx: Kysely<DB>, def: Process, fields: Record<string, unknown>): Promise<Submission | undefined> {
  if (def.start.dialog) return checkSubmission(trx, def.start.dialog, fields);
  const first = Object.keys(fields)[0];
  if (first !== undefined) throw new BadRequest(`process "${def.key}" has no start dialog to fill in`, `/fields/${first}`, undefined, 'UNKNOWN_FIELD');
  return undefined;
}
