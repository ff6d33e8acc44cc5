/**
 * `openUserTask` / `closeUserTask` keep `process_user_tasks` in step with the tokens waiting at user
 * tasks (issue 9): an opened task upserts its row with the interfaces and the assignment the engine
 * resolved; a closed one deletes it. The observer `userTasksSettled` deletes what is left of an
 * instance that completed or was cancelled (a terminated branch, say), and `rebuildUserTasks`
 * rewrites an instance's rows from its state (after a version migration moved its tokens).
 */
import type { Kysely } from 'kysely';
import type { Assign, Process } from '../../../engine/model/types';
import { resolveAssign } from '../../../engine/runtime/resolve';
import { dialogInterfaces, templateContext, type InstanceState } from '../../../engine/runtime/index';
import { agentsWithQueuePermission } from '../../access/access';
import type { DB } from '../../db/schema';
import { raiseNotification } from '../../notifications/raise';
import { ticketSnapshot } from '../snapshot';
import type { EffectHandler, StepObserver } from './types';

interface TaskRow {
  instanceId: number;
  ticketId: number;
  token: string;
  node: string;
  name: string | null;
  interfaces: string[];
  assign: Assign | undefined;
  openedAt: Date;
}

/** Blank or missing assignment parts are stored as null (a template that rendered to nothing). */
const part = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

async function upsert(trx: Kysely<DB>, r: TaskRow): Promise<void> {
  const values = {
    ticket_id: r.ticketId,
    name: r.name,
    interfaces: r.interfaces,
    assign_agent: part(r.assign?.agent),
    assign_role: part(r.assign?.role),
    assign_queue: part(r.assign?.queue),
    opened_at: r.openedAt,
  };
  await trx
    .insertInto('process_user_tasks')
    .values({ instance_id: r.instanceId, token: r.token, node: r.node, ...values })
    .onConflict((oc) => oc.columns(['instance_id', 'token', 'node']).doUpdateSet(values))
    .execute();
}

export const openUserTask: EffectHandler<'openUserTask'> = async (ctx, e) => {
  // Opened when the token reached the task (the engine's clock), as the backfill and the views count it.
  const token = ctx.result.state.tokens.find((t) => t.id === e.token && t.nodeId === e.nodeId);
  await upsert(ctx.trx, {
    instanceId: ctx.inst.id,
    ticketId: ctx.inst.ticket_id,
    token: e.token,
    node: e.nodeId,
    name: e.name ?? null,
    interfaces: e.interfaces,
    assign: e.assign,
    openedAt: token ? new Date(token.since) : ctx.now,
  });
  if (e.interfaces.includes('agent')) {
    const agentIds = await assignees(ctx.trx, ctx.inst.ticket_id, e.assign);
    const dialog = e.name ?? e.nodeId;
    if (agentIds.length) await raiseNotification(ctx.trx, { type: 'processDialog', ticketId: ctx.inst.ticket_id, agentIds, actor: ctx.opts.by, data: { dialog } }, ctx.now);
  }
};

/**
 * The agents a dialog is assigned to, as "my dialogs" counts them: the agent by login, the agents of
 * the role, the agents holding `rw` on the queue; without an assignment the owner and responsible.
 */
async function assignees(trx: Kysely<DB>, ticketId: number, assign: Assign | undefined): Promise<number[]> {
  const login = part(assign?.agent);
  const role = part(assign?.role);
  const queue = part(assign?.queue);
  const ids = new Set<number>();
  if (login) for (const a of await trx.selectFrom('agents').select('id').where('login', '=', login).execute()) ids.add(a.id);
  if (role) {
    const rows = await trx.selectFrom('agent_roles as ar').innerJoin('roles as r', 'r.id', 'ar.role_id').select('ar.agent_id').where('r.name', '=', role).where('r.valid', '=', true).execute();
    for (const r of rows) ids.add(r.agent_id);
  }
  if (queue) {
    const q = await trx.selectFrom('queues').select('id').where('name', '=', queue).executeTakeFirst();
    if (q) for (const id of await agentsWithQueuePermission(trx, q.id, 'rw')) ids.add(id);
  }
  if (!login && !role && !queue) {
    const t = await trx.selectFrom('tickets').select(['owner_id', 'responsible_id']).where('id', '=', ticketId).executeTakeFirst();
    for (const id of [t?.owner_id, t?.responsible_id]) if (id != null) ids.add(id);
  }
  return [...ids];
}

export const closeUserTask: EffectHandler<'closeUserTask'> = async (ctx, e) => {
  await ctx.trx.deleteFrom('process_user_tasks').where('instance_id', '=', ctx.inst.id).where('token', '=', e.token).where('node', '=', e.nodeId).execute();
};

/** An instance that completed or was cancelled has no open dialogs left. */
export const userTasksSettled: StepObserver = async (ctx) => {
  const s = ctx.result.state.status;
  if (s !== 'completed' && s !== 'cancelled') return;
  await ctx.trx.deleteFrom('process_user_tasks').where('instance_id', '=', ctx.inst.id).execute();
};

/**
 * Rewrites the open-task rows of an instance from its state: one per token waiting for a dialog at
 * a user task of `def`, with the assignment resolved against the ticket as it is now. A task that
 * was open before keeps its `opened_at`.
 *
 * @example
 * await rebuildUserTasks(trx, { id: 7, ticket_id: 12 }, v2, plan.state, new Date());
 */
export async function rebuildUserTasks(trx: Kysely<DB>, inst: { id: number; ticket_id: number }, def: Process, state: InstanceState, now: Date): Promise<void> {
  const old = await trx.selectFrom('process_user_tasks').select(['token', 'opened_at']).where('instance_id', '=', inst.id).execute();
  await trx.deleteFrom('process_user_tasks').where('instance_id', '=', inst.id).execute();
  if (state.status !== 'running' && state.status !== 'incident') return;
  const waiting = state.tokens.filter((t) => t.wait === 'dialog');
  if (!waiting.length) return;
  const snapshot = await ticketSnapshot(trx, inst.ticket_id);
  for (const token of waiting) {
    const node = def.nodes.find((n) => n.id === token.nodeId);
    if (!node || node.type !== 'userTask') continue;
    await upsert(trx, {
      instanceId: inst.id,
      ticketId: inst.ticket_id,
      token: token.id,
      node: node.id,
      name: node.name ?? null,
      interfaces: dialogInterfaces(node),
      assign: node.assign ? resolveAssign(node.assign, templateContext(snapshot, state.vars, def)) : undefined,
      openedAt: old.find((o) => o.token === token.id)?.opened_at ?? new Date(token.since ?? now.getTime()),
    });
  }
}
