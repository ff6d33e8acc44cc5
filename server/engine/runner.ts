/**
 * The step runner: applies one event to a process instance in ONE transaction — lock the instance
 * row, load its (cached) definition and a fresh ticket snapshot, `step`, run the step's ticket
 * actions through the ticket domain, insert a job per script run, write the instance log and the
 * ticket history, persist the state (and mark the job that delivered the event done) — so state,
 * jobs and history commit together. A failing action rolls the step back to a savepoint taken
 * before it (including a dialog's field writes) and the instance gets an ACTION_FAILED incident
 * instead. Each effect is persisted by its handler in `effects/` (jobs, timers, incidents, ...).
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import { EventRefused } from '../../engine/errors';
import type { Process } from '../../engine/model/types';
import { raiseIncident, step, type ApplyActionsEffect, type InstanceState, type InstanceEvent, type StepContext, type StepResult } from '../../engine/runtime/index';
import { Access } from '../access/access';
import type { DB, ProcessInstancesTable } from '../db/schema';
import { BadRequest, Conflict, NotFound } from '../errors';
import type { HistoryActor } from '../history/history';
import type { Services } from '../services';
import { calendarsByName } from '../sla/recompute';
import { contextFor } from '../tickets/context';
import { ActionFailed, applyActions } from './actions';
import { DefinitionCache } from './definitions';
import { EFFECT_HANDLERS, STEP_OBSERVERS, type EffectContext, type EffectHandler } from './effects/index';
import { topInstanceId } from './child-instances';
import { pathRows, writeStepRecords, type LogRow } from './history';
import { parseState } from './view';
import { ticketSnapshot } from './snapshot';

export type InstanceRow = Selectable<ProcessInstancesTable>;

/** An event as callers give it: the runner adds the ticket snapshot. */
export type EventInput = InstanceEvent extends infer E ? (E extends { snapshot: unknown } ? Omit<E, 'snapshot'> : E) : never;

export interface StepOptions {
  /** Who history names. */
  by: HistoryActor;
  /** The login (or `system`) for the instance log. */
  actor: string | null;
  /** Runs after the savepoint and before the step (a dialog's field writes): rolled back with a failed action. */
  prepare?: (trx: Kysely<DB>) => Promise<void>;
  /** The job that delivered the event: marked done in the same transaction. */
  jobId?: string;
}

export interface StepOutcome {
  instance: InstanceRow;
  result: StepResult;
  /** Set when an action failed and the step was replaced by an incident. */
  actionFailed?: string;
}

export const JOBS_CHANNEL = 'helpdesk_jobs';

/** The engine of one server: definitions, the step context and the transaction around each step. */
export class StepRunner {
  readonly definitions = new DefinitionCache();
  private operator: { id: number; login: string } | undefined;

  constructor(
    readonly services: Services,
    private readonly context: () => StepContext,
  ) {}

  private get db() {
    return this.services.database.db;
  }

  /** The engine's own access: every permission, acting as the `admin` agent (history names the system). */
  async systemAccess(trx: Kysely<DB>): Promise<Access> {
    if (!this.operator) {
      const admin = await trx.selectFrom('agents').select(['id', 'login']).where('login', '=', 'admin').executeTakeFirst();
      if (!admin) throw new Error('the "admin" agent is missing; the process engine acts in its name');
      this.operator = admin;
    }
    return Access.system(trx, { kind: 'agent', id: this.operator.id, login: this.operator.login, via: 'token' });
  }

  /** Locks and reads an instance row (FOR UPDATE). */
  async lockInstance(trx: Kysely<DB>, id: number): Promise<InstanceRow> {
    const row = await trx.selectFrom('process_instances').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row) throw new NotFound('process instance');
    return row;
  }

  /** Locks and reads the top instance of a ticket (its root, or the called instance of a child ticket), if there is one. */
  async lockRootOf(trx: Kysely<DB>, ticketId: number): Promise<InstanceRow | undefined> {
    const id = await topInstanceId(trx, ticketId);
    return id === undefined ? undefined : this.lockInstance(trx, id);
  }

  /** The newest active version of `key`: 400 when the process does not exist, 409 when none is active. */
  async activeVersion(trx: Kysely<DB>, key: string, path = '/process'): Promise<number> {
    const version = await this.definitions.startable(trx, key);
    if (version === 'none') throw new BadRequest(`unknown process "${key}"`, path, undefined, 'UNKNOWN_REFERENCE');
    if (version === 'inactive') throw new Conflict(`process "${key}" has no active version; only active versions start new instances`, path, 'PROCESS_NOT_ACTIVE');
    return version;
  }

  /** The version of `key` that would start on `ticketId` now: `activeVersion`, and 409 when the ticket has a root instance. */
  async startableVersion(trx: Kysely<DB>, ticketId: number, key: string, path = '/process'): Promise<number> {
    const version = await this.activeVersion(trx, key, path);
    const existing = await topInstanceId(trx, ticketId);
    if (existing !== undefined) throw new Conflict(`the ticket belongs to process instance ${existing} already`, path, 'PROCESS_ALREADY_STARTED');
    return version;
  }

  /**
   * Starts `key` (its newest active version) on ticket `ticketId` inside `trx`. 409 when the ticket
   * has a root instance already or the process has no active version; 400 when it does not exist.
   */
  async startInTrx(trx: Kysely<DB>, ticketId: number, key: string, opts: StepOptions, path = '/process'): Promise<StepOutcome> {
    const version = await this.startableVersion(trx, ticketId, key, path);
    const def = await this.definitions.get(trx, key, version);
    const now = this.services.now();
    const inserted = await trx
      .insertInto('process_instances')
      .values({ ticket_id: ticketId, process_key: key, process_version: version, parent_instance_id: null, status: 'running', state: JSON.stringify(null), created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    try {
      return await this.stepInTrx(trx, inserted, def, { type: 'start', ...(opts.actor ? { by: opts.actor } : {}) }, opts);
    } catch (e) {
      if (e instanceof StartActionFailed) throw new BadRequest(`the process could not start: ${e.message}`, path, undefined, 'ACTION_FAILED');
      throw e;
    }
  }

  /**
   * Applies `event` to the locked instance `inst` inside `trx` (see the module comment). Throws
   * `EventRefused` when the instance cannot take the event (nothing is written then).
   */
  async stepInTrx(trx: Kysely<DB>, inst: InstanceRow, def: Process, event: EventInput, opts: StepOptions): Promise<StepOutcome> {
    const ctx = this.context();
    const calendarNames = [...new Set(def.nodes.flatMap((n) => ((n.type === 'intermediateTimer' || n.type === 'boundaryTimer') && n.calendar ? [n.calendar] : [])))];
    if (calendarNames.length) ctx.calendars = await calendarsByName(trx, calendarNames);
    const old = inst.state === null ? null : parseState(inst.state);
    await sql`savepoint engine_step`.execute(trx);
    let result: StepResult;
    let failed: ActionFailed | undefined;
    let failedEffect: ApplyActionsEffect | undefined;
    try {
      await opts.prepare?.(trx);
      const snapshot = event.type === 'cancel' ? undefined : await ticketSnapshot(trx, inst.ticket_id, new Date(ctx.clock()));
      result = step(def, old, (snapshot ? { ...event, snapshot } : event) as InstanceEvent, ctx);
      const access = result.effects.some((e) => e.type === 'applyActions') ? await this.systemAccess(trx) : undefined;
      for (const effect of result.effects) {
        if (effect.type !== 'applyActions') continue;
        failedEffect = effect;
        await applyActions(contextFor(trx, access!, this.services, { kind: 'system', id: null }), inst.ticket_id, effect.actions);
      }
    } catch (e) {
      if (!(e instanceof ActionFailed)) throw e;
      failed = e;
      await sql`rollback to savepoint engine_step`.execute(trx);
      if (!old || old.seq === 0) throw new StartActionFailed(e.message);
      const tokenId = [failedEffect?.token, tokenOf(event), old.tokens[0]?.id].find((t) => t && old.tokens.some((k) => k.id === t));
      if (!tokenId) throw e;
      result = raiseIncident(def, old, { tokenId, code: 'ACTION_FAILED', message: e.message, details: { action: e.action.type, index: e.index } }, ctx);
    }
    const instance = await this.persist(trx, inst, def, old, result, opts, failed);
    return { instance, result, ...(failed ? { actionFailed: failed.message } : {}) };
  }

  private async persist(trx: Kysely<DB>, inst: InstanceRow, def: Process, before: InstanceState | null, result: StepResult, opts: StepOptions, failed?: ActionFailed): Promise<InstanceRow> {
    const now = this.services.now();
    const rows: LogRow[] = pathRows(def, result.log, opts.actor);
    if (failed) rows.unshift({ kind: 'rolledBack', message: `Step rolled back: ${failed.message}`, data: { action: failed.action }, actor: opts.actor });
    const ctx: EffectContext = { trx, services: this.services, runner: this, inst, def, result, before, now, opts, rows, jobs: [] };
    for (const e of result.effects) {
      await (EFFECT_HANDLERS[e.type] as EffectHandler | undefined)?.(ctx, e);
    }
    for (const observe of STEP_OBSERVERS) await observe(ctx);
    const jobs = ctx.jobs;
    if (jobs.length) {
      await trx.insertInto('jobs').values(jobs).onConflict((oc) => oc.column('key').doNothing()).execute();
      if (this.services.database.kind === 'postgres') await sql`select pg_notify(${JOBS_CHANNEL}, '')`.execute(trx);
    }
    if (opts.jobId) await trx.updateTable('jobs').set({ status: 'done', finished_at: now, lease_until: null }).where('id', '=', opts.jobId).execute();
    await writeStepRecords(trx, { instanceId: inst.id, ticketId: inst.ticket_id, rows, by: opts.by, at: now, processKey: def.key });
    const s = result.state;
    return trx
      .updateTable('process_instances')
      .set({ state: JSON.stringify(s), status: s.status, updated_at: now, completed_at: s.status === 'completed' || s.status === 'cancelled' ? now : null })
      .where('id', '=', inst.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /**
   * Applies an event to an instance in its own transaction (jobs, ticket changes). `target` is an
   * instance id, or `{ ticketId }` for the ticket's root instance (nothing happens without one).
   */
  async applyEvent(target: number | { ticketId: number }, event: EventInput, opts: StepOptions): Promise<StepOutcome | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const inst = typeof target === 'number' ? await this.lockInstance(trx, target) : await this.lockRootOf(trx, target.ticketId);
      if (!inst) return undefined;
      const def = await this.definitions.get(trx, inst.process_key, inst.process_version);
      return this.stepInTrx(trx, inst, def, event, opts);
    });
  }
}

/** A start whose own actions failed: there is no earlier state to put an incident on. */
export class StartActionFailed extends Error {}

function tokenOf(e: EventInput): string | undefined {
  return 'tokenId' in e && typeof e.tokenId === 'string' ? e.tokenId : undefined;
}

/** Turns an engine refusal into the API's 409. */
export function refusedAsConflict(e: unknown): never {
  if (e instanceof EventRefused) throw new Conflict(e.message, undefined, e.code);
  throw e;
}
