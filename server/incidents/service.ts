/**
 * Incidents for administrators: the list (open by default, newest first, keyset pages, filters by
 * process, code, ticket, instance and root instance), one incident, and the three ways out of one —
 * retry (optionally merging process variables and setting dynamic fields on the ticket first),
 * skip the stuck token to another node, or cancel the instance. Each act runs in ONE transaction
 * through the engine's step runner (lock the instance, check the incident is still open, step),
 * and leaves the step's records plus one line naming the incident and the admin in the instance
 * log and the ticket history. Admins act on every instance, whatever queue its ticket is in.
 * Knows no HTTP.
 *
 * @example
 * const svc = new IncidentService(services);
 * const { items } = await svc.list(access, { status: 'open', code: 'ACTION_FAILED', limit: 50 });
 * await svc.retry(access, items[0].id, { dynamicFields: { Target: 'HR' } });
 */
import type { Kysely, Selectable } from 'kysely';
import { EventRefused } from '../../engine/errors';
import type { JsonValue, Process } from '../../engine/model/types';
import type { Access } from '../access/access';
import type { AgentActor } from '../auth/actor';
import type { DB } from '../db/schema';
import type { ProcessIncidentsTable } from '../db/tables-incidents';
import { engineFor } from '../engine/engine';
import { writeStepRecords } from '../engine/history';
import { refusedAsConflict, type EventInput, type InstanceRow, type StepRunner } from '../engine/runner';
import { BadRequest, Conflict, NotFound } from '../errors';
import { historyActor } from '../history/history';
import type { Services } from '../services';
import { applyChanges } from '../tickets/changes';
import { contextFor } from '../tickets/context';
import { ticketDetails } from '../tickets/repo';
import { buildTicketView, type TicketView } from '../tickets/view';
import { parseState } from '../engine/view';
import type { IncidentListQuery, RetryInput } from './schema';

type IncidentRow = Selectable<ProcessIncidentsTable> & { tn: string; instance_status: string };

export interface IncidentView {
  id: number;
  status: 'open' | 'resolved';
  instanceId: number;
  rootInstanceId: number;
  instanceStatus: string;
  ticketId: number;
  ticketNumber: string;
  process: string;
  version: number;
  node: string;
  nodeName: string;
  token: string;
  code: string;
  message: string;
  details: unknown;
  raisedAt: string;
  resolvedAt: string | null;
  resolvedHow: string | null;
  resolvedBy: string | null;
}

/** What the operations view shows of one incident. */
export interface IncidentContext {
  incident: IncidentView;
  ticket: TicketView;
  readOnly: boolean;
  variables: Record<string, unknown>;
  nodes: Array<{ id: string; name: string; type: string }>;
}

/** Node types a token cannot be skipped to. */
const SKIP_NOT_TO = ['startEvent', 'boundaryTimer', 'boundaryError'];

/** What an act answers: the incident afterwards, and the instance's incidents still open (a retry may fail again). */
export interface IncidentActResult {
  incident: IncidentView;
  instance: { id: number; status: string };
  openIncidents: IncidentView[];
}

/** What an act does once the instance is locked and the incident checked. */
type Act = (a: { trx: Kysely<DB>; runner: StepRunner; inst: InstanceRow; def: Process; row: IncidentRow; actor: AgentActor }) => Promise<{ event: EventInput; note: string }>;

export class IncidentService {
  constructor(private readonly services: Services) {}

  private get db() {
    return this.services.database.db;
  }

  private get engine() {
    return engineFor(this.services);
  }

  private base(db: Kysely<DB>) {
    return db
      .selectFrom('process_incidents as i')
      .innerJoin('tickets as t', 't.id', 'i.ticket_id')
      .innerJoin('process_instances as p', 'p.id', 'i.instance_id')
      .selectAll('i')
      .select(['t.tn as tn', 'p.status as instance_status']);
  }

  private async views(rows: IncidentRow[]): Promise<IncidentView[]> {
    const defs = new Map<string, Process | null>();
    const out: IncidentView[] = [];
    for (const r of rows) {
      const id = `${r.process_key}@${r.process_version}`;
      if (!defs.has(id)) defs.set(id, await this.engine.runner.definitions.get(this.db, r.process_key, r.process_version).catch(() => null));
      const node = defs.get(id)?.nodes.find((n) => n.id === r.node);
      out.push({
        id: Number(r.id),
        status: r.resolved_at ? 'resolved' : 'open',
        instanceId: r.instance_id,
        rootInstanceId: r.root_instance_id,
        instanceStatus: r.instance_status,
        ticketId: r.ticket_id,
        ticketNumber: r.tn,
        process: r.process_key,
        version: r.process_version,
        node: r.node,
        nodeName: node?.name ?? r.node,
        token: r.token,
        code: r.code,
        message: r.message,
        details: (typeof r.details === 'string' ? JSON.parse(r.details) : r.details) ?? null,
        raisedAt: r.raised_at.toISOString(),
        resolvedAt: r.resolved_at ? r.resolved_at.toISOString() : null,
        resolvedHow: r.resolved_how,
        resolvedBy: r.resolved_by,
      });
    }
    return out;
  }

  /**
   * Incidents, newest first: open ones unless `status` says otherwise; `nextCursor` continues.
   *
   * @example
   * await svc.list(access, { status: 'all', process: 'leave-request', limit: 20, cursor: '1234' });
   */
  async list(access: Access, q: IncidentListQuery): Promise<{ items: IncidentView[]; nextCursor: string | null }> {
    await access.assertAdmin();
    let query = this.base(this.db);
    if (q.status === 'open') query = query.where('i.resolved_at', 'is', null);
    else if (q.status === 'resolved') query = query.where('i.resolved_at', 'is not', null);
    if (q.process) query = query.where('i.process_key', '=', q.process);
    if (q.code) query = query.where('i.code', '=', q.code);
    if (q.ticketId) query = query.where('i.ticket_id', '=', q.ticketId);
    if (q.instanceId) query = query.where('i.instance_id', '=', q.instanceId);
    if (q.rootInstanceId) query = query.where('i.root_instance_id', '=', q.rootInstanceId);
    if (q.cursor) query = query.where('i.id', '<', q.cursor);
    const rows = await query.orderBy('i.id', 'desc').limit(q.limit + 1).execute();
    const page = rows.slice(0, q.limit);
    return { items: await this.views(page), nextCursor: rows.length > q.limit ? String(page[page.length - 1]!.id) : null };
  }

  /** One incident (404 when there is none). */
  async get(access: Access, id: number): Promise<IncidentView> {
    await access.assertAdmin();
    return this.one(this.db, id);
  }

  /**
   * What the operations view shows of one incident: the incident, its ticket (read-only for an
   * administrator without rights on the queue), the instance's variables and the nodes a token may
   * be skipped to, by name.
   */
  async context(access: Access, id: number): Promise<IncidentContext> {
    await access.assertAdmin();
    const incident = await this.one(this.db, id);
    const ticket = await buildTicketView(this.db, access, incident.ticketId, { incident: true, now: this.services.now() });
    const details = await ticketDetails(this.db, incident.ticketId);
    const readOnly = !details || !(await access.onTicket(details, 'rw'));
    const inst = await this.db.selectFrom('process_instances').select('state').where('id', '=', incident.instanceId).executeTakeFirst();
    const variables = inst ? (parseState(inst.state).vars ?? {}) : {};
    const def = await this.engine.runner.definitions.get(this.db, incident.process, incident.version).catch(() => null);
    const nodes = (def?.nodes ?? [])
      .filter((n) => !SKIP_NOT_TO.includes(n.type))
      .map((n) => ({ id: n.id, name: n.name ?? n.id, type: n.type }));
    return { incident, ticket, readOnly, variables, nodes };
  }

  private async one(db: Kysely<DB>, id: number): Promise<IncidentView> {
    const row = await this.base(db).where('i.id', '=', String(id)).executeTakeFirst();
    if (!row) throw new NotFound('incident');
    return (await this.views([row]))[0]!;
  }

  /**
   * Retries the stuck token: `dynamicFields` are set on the ticket first (checked as a PATCH would:
   * 400 naming `/dynamicFields/<Name>`; history names the admin), `vars` merged into the process
   * variables, then the engine's `retry`. 409 `INCIDENT_RESOLVED` when the incident is resolved.
   */
  async retry(access: Access, id: number, input: RetryInput): Promise<IncidentActResult> {
    return this.act(access, id, async ({ trx, runner, inst, row, actor }) => {
      const fields = input.dynamicFields && Object.keys(input.dynamicFields).length ? input.dynamicFields : undefined;
      if (fields) {
        const t = await ticketDetails(trx, inst.ticket_id);
        if (!t) throw new NotFound('ticket');
        const ctx = contextFor(trx, await runner.systemAccess(trx), this.services, historyActor(actor));
        await applyChanges(ctx, t, { dynamicFields: fields });
      }
      const vars = input.vars && Object.keys(input.vars).length ? (input.vars as Record<string, JsonValue>) : undefined;
      const what = [fields ? `dynamic fields ${Object.keys(fields).join(', ')} set` : '', vars ? `variables ${Object.keys(vars).join(', ')} merged` : ''].filter(Boolean).join(', ');
      return {
        event: { type: 'retry', tokenId: row.token, by: actor.login, ...(vars ? { vars } : {}) },
        note: `retried by ${actor.login}${what ? ` (${what})` : ''}`,
      };
    });
  }

  /** Moves the stuck token to `toNodeId` (400 naming `/toNodeId` when the process has no such node). */
  async skip(access: Access, id: number, toNodeId: string): Promise<IncidentActResult> {
    return this.act(access, id, async ({ def, row, actor }) => {
      const target = def.nodes.find((n) => n.id === toNodeId);
      if (!target || SKIP_NOT_TO.includes(target.type)) {
        const known = def.nodes.filter((n) => !SKIP_NOT_TO.includes(n.type)).map((n) => n.id);
        throw new BadRequest(
          target ? `"${toNodeId}" is a ${target.type}; a token can be moved to a task, gateway, timer or end event (${known.join(', ')})` : `process "${def.key}" version ${def.version ?? '?'} has no node "${toNodeId}" (nodes: ${known.join(', ')})`,
          '/toNodeId',
          undefined,
          'UNKNOWN_NODE',
        );
      }
      return { event: { type: 'skip', tokenId: row.token, toNodeId, by: actor.login }, note: `skipped to "${target.name ?? toNodeId}" (${toNodeId}) by ${actor.login}` };
    });
  }

  /** Cancels the instance the incident is on (every open task closes, every incident is resolved). */
  async cancel(access: Access, id: number, reason?: string): Promise<IncidentActResult> {
    return this.act(access, id, ({ actor }) =>
      Promise.resolve({
        event: { type: 'cancel', by: actor.login, ...(reason ? { reason } : {}) },
        note: `instance cancelled by ${actor.login}${reason ? `: ${reason}` : ''}`,
      }),
    );
  }

  private async act(access: Access, id: number, fn: Act): Promise<IncidentActResult> {
    await access.assertAdmin();
    const actor = access.requireAgent();
    await this.engine.ready();
    const runner = this.engine.runner;
    const instanceId = await this.db.transaction().execute(async (trx) => {
      const first = await trx.selectFrom('process_incidents').select('instance_id').where('id', '=', String(id)).executeTakeFirst();
      if (!first) throw new NotFound('incident');
      const inst = await runner.lockInstance(trx, first.instance_id);
      // Re-read under the instance lock: a concurrent act may have resolved it meanwhile.
      const row = await this.base(trx).where('i.id', '=', String(id)).executeTakeFirstOrThrow();
      if (row.resolved_at) {
        throw new Conflict(
          `incident ${id} is resolved already (${row.resolved_how ?? 'resolved'}${row.resolved_by ? ` by ${row.resolved_by}` : ''} at ${row.resolved_at.toISOString()})`,
          undefined,
          'INCIDENT_RESOLVED',
        );
      }
      const def = await runner.definitions.get(trx, inst.process_key, inst.process_version);
      const { event, note } = await fn({ trx, runner, inst, def, row, actor });
      const by = historyActor(actor);
      const r = await runner.stepInTrx(trx, inst, def, event, { by, actor: actor.login }).catch((e: unknown) => {
        if (e instanceof EventRefused && e.code === 'UNKNOWN_NODE' && event.type === 'skip') throw new BadRequest(e.message, '/toNodeId', undefined, 'UNKNOWN_NODE');
        return refusedAsConflict(e);
      });
      await writeStepRecords(trx, {
        instanceId: inst.id,
        ticketId: inst.ticket_id,
        rows: [{ kind: 'incidentAct', node: row.node, message: `Incident ${id} (${row.code} at "${row.node}"): ${note}.`, data: { incidentId: id, act: event.type }, actor: actor.login }],
        by,
        at: this.services.now(),
        processKey: def.key,
      });
      return r.instance.id;
    });
    const incident = await this.one(this.db, id);
    const open = await this.base(this.db).where('i.instance_id', '=', instanceId).where('i.resolved_at', 'is', null).orderBy('i.id', 'desc').execute();
    return { incident, instance: { id: instanceId, status: incident.instanceStatus }, openIncidents: await this.views(open) };
  }
}

