/**
 * Call activities on the server. `startChild` creates the called instance in the parent's step
 * transaction — on the same ticket, or on a new child ticket (same queue, customer and owner,
 * linked parent/child) — and steps its `start` with the call activity's inputs; when the called
 * process cannot start (unknown, no active version, a pinned version that does not exist, its
 * start failed, calls nested `MAX_CALL_DEPTH` deep) the parent's token gets a `CHILD_START_FAILED`
 * incident naming the process instead (a retry calls again). `cancelChild` cancels the running
 * child in the same transaction. The observer `childEnded` notices a child instance that just
 * ended and queues a `child` job (key `child:<child id>`) that brings `childCompleted` to the
 * parent in a transaction of its own, so a child's step never locks its parent.
 */
import { sql, type Kysely } from 'kysely';
import { EventRefused } from '../../../engine/errors';
import type { Process } from '../../../engine/model/types';
import { raiseIncident, type StartChildEffect } from '../../../engine/runtime/index';
import type { DB } from '../../db/schema';
import { DomainError } from '../../errors';
import { contextFor } from '../../tickets/context';
import { createTicket } from '../../tickets/create';
import { insertLink } from '../../tickets/links';
import { nextTicketNumber } from '../../tickets/number';
import { findTicket } from '../../tickets/repo';
import { pathRows } from '../history';
import { StartActionFailed, type InstanceRow } from '../runner';
import type { EffectContext, EffectHandler, StepObserver } from './types';

/** What a `child` job carries to the parent. */
export interface ChildJobPayload {
  childId: number;
  token: string;
  run: string | null;
  status: 'completed' | 'cancelled';
  vars: Record<string, unknown>;
}

/** Call activities nest at most this deep (a process calling itself would otherwise never stop). */
export const MAX_CALL_DEPTH = 10;

/** How many ancestors `inst` has (stops counting past the limit). */
async function callDepth(db: Kysely<DB>, inst: InstanceRow): Promise<number> {
  let depth = 0;
  let parent = inst.parent_instance_id;
  while (parent !== null && depth <= MAX_CALL_DEPTH) {
    depth++;
    const row = await db.selectFrom('process_instances').select('parent_instance_id').where('id', '=', parent).executeTakeFirst();
    parent = row?.parent_instance_id ?? null;
  }
  return depth;
}

/** The version a call activity starts: the newest active one for `latest`, else the pinned one if it exists. */
async function calledVersion(db: Kysely<DB>, ctx: EffectContext, e: StartChildEffect): Promise<number | string> {
  if (e.version === 'latest') {
    const v = await ctx.runner.definitions.startable(db, e.process);
    if (v === 'none') return `the called process "${e.process}" does not exist`;
    if (v === 'inactive') return `the called process "${e.process}" has no active version`;
    return v;
  }
  const row = await db.selectFrom('process_versions').select('version').where('key', '=', e.process).where('version', '=', e.version).executeTakeFirst();
  return row ? row.version : `the called process "${e.process}" has no version ${e.version}`;
}

/** Creates the child ticket through the ticket domain (as the engine), linked as child of the parent's. Resolves to its id and number. */
async function childTicket(ctx: EffectContext, childDef: Process, e: StartChildEffect): Promise<{ id: number; tn: string }> {
  const { trx } = ctx;
  const parent = await findTicket(trx, ctx.inst.ticket_id);
  if (!parent) throw new Error(`ticket ${ctx.inst.ticket_id} is gone`);
  const access = await ctx.runner.systemAccess(trx);
  const wctx = contextFor(trx, access, ctx.services, { kind: 'system', id: null });
  const title = `${parent.title} — ${childDef.name}`.slice(0, 255);
  const tn = await nextTicketNumber(trx, ctx.now, ctx.services.config.ticketNumberPrefix);
  const callNode = ctx.def.nodes.find((n) => n.id === e.nodeId);
  const id = await createTicket(
    wctx,
    {
      title,
      queueId: parent.queue_id,
      priorityId: parent.priority_id,
      ...(parent.owner_id !== null ? { ownerId: parent.owner_id } : {}),
      ...(parent.customer_user_id !== null ? { customerUserId: parent.customer_user_id } : {}),
      customerId: parent.customer_id,
      article: {
        channel: 'internal',
        visibleForCustomer: false,
        subject: title,
        body: `Started by the call activity "${callNode?.name ?? e.nodeId}" of process "${ctx.def.name}" on ticket ${parent.tn}.`,
      },
    },
    tn,
  );
  const created = await findTicket(trx, id);
  await insertLink(wctx, created!, { targetTicketId: parent.id, type: 'parent-child', role: 'parent' });
  return { id, tn };
}

/** Marks the parent's token stuck: the called process could not start. Its effects run after this one (the runner's loop reaches them). */
function childIncident(ctx: EffectContext, e: StartChildEffect, message: string): void {
  const r = raiseIncident(ctx.def, ctx.result.state, { tokenId: e.token, code: 'CHILD_START_FAILED', message, details: { process: e.process, version: e.version } }, { clock: () => ctx.now.getTime() });
  ctx.result.state = r.state;
  ctx.result.log.push(...r.log);
  ctx.result.effects.push(...r.effects);
  ctx.rows.push(...pathRows(ctx.def, r.log, ctx.opts.actor));
}

/** Errors that mean "this child cannot start" rather than "the machinery broke". */
const startRefusal = (err: unknown): err is Error => err instanceof DomainError || err instanceof EventRefused || err instanceof StartActionFailed;

export const startChild: EffectHandler<'startChild'> = async (ctx, e) => {
  const { trx, runner } = ctx;
  const version = await calledVersion(trx, ctx, e);
  if (typeof version === 'string') return childIncident(ctx, e, `The call activity "${e.nodeId}" cannot start its process: ${version}.`);
  if ((await callDepth(trx, ctx.inst)) + 1 >= MAX_CALL_DEPTH) {
    return childIncident(ctx, e, `The call activity "${e.nodeId}" cannot start process "${e.process}": calls are nested ${MAX_CALL_DEPTH} deep already (does a process call itself?).`);
  }
  await sql`savepoint start_child`.execute(trx);
  const mark = ctx.rows.length;
  try {
    const childDef = await runner.definitions.get(trx, e.process, version);
    const ticket = e.binding === 'child-ticket' ? await childTicket(ctx, childDef, e) : undefined;
    const row: InstanceRow = await trx
      .insertInto('process_instances')
      .values({
        ticket_id: ticket?.id ?? ctx.inst.ticket_id,
        process_key: e.process,
        process_version: version,
        parent_instance_id: ctx.inst.id,
        parent_token: e.token,
        parent_run: e.run,
        status: 'running',
        state: JSON.stringify(null),
        created_at: ctx.now,
        updated_at: ctx.now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    ctx.rows.push({
      kind: 'child',
      node: e.nodeId,
      message: `Called "${childDef.name}" (${e.process} v${version}) as instance ${row.id}${ticket ? ` on the new child ticket ${ticket.tn}` : ' on this ticket'}.`,
      data: { childInstanceId: row.id, process: e.process, version, binding: e.binding, ...(ticket ? { ticketId: ticket.id } : {}), vars: e.vars },
      actor: ctx.opts.actor,
    });
    await runner.stepInTrx(trx, row, childDef, { type: 'start', vars: e.vars }, { by: ctx.opts.by, actor: ctx.opts.actor });
  } catch (err) {
    if (!startRefusal(err)) throw err;
    await sql`rollback to savepoint start_child`.execute(trx);
    ctx.rows.length = mark;
    childIncident(ctx, e, `The call activity "${e.nodeId}" could not start process "${e.process}" v${version}: ${err.message}`);
  }
};

export const cancelChild: EffectHandler<'cancelChild'> = async (ctx, e) => {
  const children = await ctx.trx
    .selectFrom('process_instances')
    .selectAll()
    .where('parent_instance_id', '=', ctx.inst.id)
    .where('parent_token', '=', e.token)
    .where('parent_run', '=', e.run)
    .where('status', 'in', ['running', 'incident'])
    .forUpdate()
    .execute();
  for (const child of children) {
    const def = await ctx.runner.definitions.get(ctx.trx, child.process_key, child.process_version);
    try {
      await ctx.runner.stepInTrx(ctx.trx, child, def, { type: 'cancel', reason: `its call activity "${e.nodeId}" in instance ${ctx.inst.id} was left`, ...(ctx.opts.actor ? { by: ctx.opts.actor } : {}) }, { by: ctx.opts.by, actor: ctx.opts.actor });
    } catch (err) {
      if (!(err instanceof EventRefused)) throw err;
      continue;
    }
    ctx.rows.push({ kind: 'child', node: e.nodeId, message: `Cancelled the called process "${def.name}" (instance ${child.id}).`, data: { childInstanceId: child.id }, actor: ctx.opts.actor });
  }
};

/** A child instance that just ended tells its parent, through a job. */
export const childEnded: StepObserver = (ctx) => {
  const s = ctx.result.state;
  const parentId = ctx.inst.parent_instance_id;
  if (parentId === null || !ctx.inst.parent_token) return;
  if (s.status !== 'completed' && s.status !== 'cancelled') return;
  if (ctx.before && ctx.before.status === s.status) return;
  const payload: ChildJobPayload = { childId: ctx.inst.id, token: ctx.inst.parent_token, run: ctx.inst.parent_run, status: s.status, vars: s.vars };
  ctx.jobs.push({ kind: 'child', instance_id: parentId, key: `child:${ctx.inst.id}`, payload: JSON.stringify(payload), run_at: ctx.now, created_at: ctx.now });
};
