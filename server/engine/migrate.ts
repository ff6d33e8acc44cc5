/**
 * Version migration of running process instances: move instances of `process` from version
 * `fromVersion` to `toVersion`, each token to the node the mapping names (or the node of the same
 * id in the target). Everything is checked BEFORE anything is written: both versions exist, the
 * mapping names nodes that exist (keys in the old version, values in the new), and every node
 * where an affected instance has a token (or a pending timer) has a counterpart of the same kind —
 * otherwise 400 naming the nodes and the instances, and nothing changes. Then each instance is
 * migrated in a transaction of its own: locked, checked again (it may have moved meanwhile),
 * token nodes and timer keys rewritten, `process_version` set, timers rescheduled through the
 * timer effects (a renamed timer keeps its due time; a timer the new version dropped is
 * cancelled; a boundary timer the new version adds to a waiting task is scheduled from when the
 * token arrived), open incident rows moved along, and the instance log and the ticket history say
 * "Migrated from v1 to v2 by <admin>". Open dialogs are derived from the state, so they follow.
 *
 * Tokens waiting for a script or service run at a node that is renamed are skipped (the run's
 * result names the old node): migrate them once the run finished.
 */
import { sql, type Kysely } from 'kysely';
import { addDuration, parseTimer, type Timer } from '../../engine/model/iso8601';
import type { Process, ProcessNode } from '../../engine/model/types';
import type { Effect, InstanceState } from '../../engine/runtime/index';
import type { Access } from '../access/access';
import type { DB } from '../db/schema';
import { BadRequest } from '../errors';
import { historyActor } from '../history/history';
import type { Services } from '../services';
import { EFFECT_HANDLERS, type EffectContext, type EffectHandler } from './effects/index';
import { rebuildUserTasks } from './effects/user-tasks';
import { engineFor } from './engine';
import { writeStepRecords, type LogRow } from './history';
import { JOBS_CHANNEL, type InstanceRow } from './runner';
import { parseState } from './view';

export interface MigrateInput {
  process: string;
  fromVersion: number;
  toVersion: number;
  /** Default: every running or stuck instance of `fromVersion`. */
  instanceIds?: number[];
  /** Old node id → new node id; nodes not named keep their id (they must exist in the target). */
  mapping?: Record<string, string>;
  /** Check and report only; nothing is written. */
  dryRun?: boolean;
}

export interface TokenMove {
  tokenId: string;
  from: string;
  to: string;
}

export interface InstanceMigration {
  instanceId: number;
  ticketId: number;
  /** wouldMigrate: a dry run found nothing against it. */
  result: 'migrated' | 'wouldMigrate' | 'skipped' | 'failed';
  /** Why it was skipped or failed. */
  reason?: string;
  moves: TokenMove[];
  /** Timers rescheduled (renamed), cancelled (gone in the target) or scheduled (new in the target). */
  timers: Array<{ key: string; change: 'renamed' | 'cancelled' | 'scheduled'; newKey?: string }>;
}

export interface MigrateReport {
  process: string;
  fromVersion: number;
  toVersion: number;
  dryRun: boolean;
  migrated: number;
  skipped: number;
  failed: number;
  instances: InstanceMigration[];
}

/** Something that keeps an instance from moving: a node without a usable counterpart. */
interface Problem {
  node: string;
  why: string;
}

interface Plan {
  problems: Problem[];
  /** Set when the instance should wait (a run in flight at a renamed node). */
  skip?: string;
  moves: TokenMove[];
  state: InstanceState;
  effects: Effect[];
  timers: InstanceMigration['timers'];
}

const ACTIVE = ['running', 'incident'] as const;

/** The node a token or timer at `id` goes to: the mapping's, else the same id when the target has it. */
const target = (to: Process, mapping: Record<string, string>, id: string): ProcessNode | undefined => to.nodes.find((n) => n.id === (mapping[id] ?? id));

/** When a timer falls due first, counted from `from` (the moment the token arrived). */
function firstDue(t: Timer, from: number): number {
  if (t.kind === 'duration') return addDuration(from, t.duration);
  if (t.kind === 'date') return t.date.epochMs;
  return addDuration(t.cycle.start?.epochMs ?? from, t.cycle.interval);
}

/**
 * What migrating one instance state means: the moved tokens and timers, the timer effects, and the
 * problems that forbid it.
 *
 * @example
 * const plan = planMigration(state, v1, v2, { approve: 'approveRenamed' }, Date.now());
 * plan.problems; // [] when every token has a counterpart
 */
export function planMigration(before: InstanceState, from: Process, to: Process, mapping: Record<string, string>, now: number): Plan {
  const state = structuredClone(before);
  const problems: Problem[] = [];
  const moves: TokenMove[] = [];
  const effects: Effect[] = [];
  const timers: InstanceMigration['timers'] = [];
  let skip: string | undefined;
  const kindOf = (def: Process, id: string) => def.nodes.find((n) => n.id === id)?.type;

  for (const token of state.tokens) {
    const old = token.nodeId;
    const next = target(to, mapping, old);
    const oldKind = kindOf(from, old);
    if (!next) {
      problems.push({ node: old, why: mapping[old] ? `maps to "${mapping[old]}", which version ${to.version} does not have` : `has no node of the same id in version ${to.version} and is not mapped` });
      continue;
    }
    if (oldKind && next.type !== oldKind) {
      problems.push({ node: old, why: `is a ${oldKind} but "${next.id}" in version ${to.version} is a ${next.type}` });
      continue;
    }
    if (token.wait === 'join' && token.via && !to.transitions.some((t) => t.id === token.via && t.to === next.id)) {
      problems.push({ node: old, why: `a token waits at the join having come by "${token.via}", which does not lead to "${next.id}" in version ${to.version}` });
      continue;
    }
    if (next.id !== old && (token.wait === 'script' || token.wait === 'service')) {
      skip = `a ${token.wait} run is in flight at "${old}"; migrate it once the run finished`;
    }
    if (next.id !== old) moves.push({ tokenId: token.id, from: old, to: next.id });
    token.nodeId = next.id;
  }

  // Timers: renamed ones keep their due time under the new key; those the target lacks are cancelled.
  const pending = state.timers ?? {};
  const rebuilt: NonNullable<InstanceState['timers']> = {};
  for (const [key, timer] of Object.entries(pending)) {
    const next = target(to, mapping, timer.node);
    const token = state.tokens.find((t) => t.id === timer.token);
    if (!next || !token) {
      effects.push({ type: 'cancelTimer', key });
      timers.push({ key, change: 'cancelled' });
      continue;
    }
    const oldKind = kindOf(from, timer.node);
    if (oldKind && next.type !== oldKind) {
      problems.push({ node: timer.node, why: `is a ${oldKind} but "${next.id}" in version ${to.version} is a ${next.type}` });
      continue;
    }
    if (next.type === 'boundaryTimer' && next.attachedTo !== token.nodeId) {
      problems.push({ node: timer.node, why: `is a timer on "${timer.attachedTo ?? '?'}", but "${next.id}" in version ${to.version} watches "${next.attachedTo}", not "${token.nodeId}"` });
      continue;
    }
    const newKey = `${timer.token}:${next.id}`;
    const moved = { ...timer, node: next.id, ...(next.type === 'boundaryTimer' ? { attachedTo: next.attachedTo } : {}) };
    rebuilt[newKey] = moved;
    if (newKey !== key) {
      effects.push({ type: 'cancelTimer', key });
      effects.push({ type: 'scheduleTimer', key: newKey, token: timer.token, nodeId: next.id, ...(moved.attachedTo ? { attachedTo: moved.attachedTo } : {}), dueAt: timer.dueAt, spec: timerSpec(next) });
      timers.push({ key, change: 'renamed', newKey });
    }
  }
  // Boundary timers the target has on a task where a token waits, and that are not pending yet.
  for (const token of state.tokens) {
    if (!token.wait || token.wait === 'join') continue;
    for (const b of to.nodes) {
      if (b.type !== 'boundaryTimer' || b.attachedTo !== token.nodeId) continue;
      const key = `${token.id}:${b.id}`;
      if (rebuilt[key]) continue;
      const parsed = parseTimer(b);
      if (!parsed.ok) {
        problems.push({ node: b.id, why: `is a timer of version ${to.version} that cannot be scheduled: ${parsed.error}` });
        continue;
      }
      const dueAt = Math.max(firstDue(parsed.value, token.since), now);
      rebuilt[key] = { node: b.id, token: token.id, attachedTo: b.attachedTo, dueAt, fired: 0 };
      effects.push({ type: 'scheduleTimer', key, token: token.id, nodeId: b.id, attachedTo: b.attachedTo, dueAt, spec: timerSpec(b) });
      timers.push({ key, change: 'scheduled' });
    }
  }
  if (Object.keys(rebuilt).length) state.timers = rebuilt;
  else delete state.timers;
  return { problems, ...(skip ? { skip } : {}), moves, state, effects, timers };
}

const timerSpec = (n: ProcessNode): string => (n.type === 'boundaryTimer' || n.type === 'intermediateTimer' ? (n.duration ?? n.date ?? n.cycle ?? '') : '');

/** Problems of several instances, grouped by node, as one sentence. */
function describeProblems(byInstance: Array<{ id: number; problems: Problem[] }>): string {
  const byNode = new Map<string, { why: string; ids: number[] }>();
  for (const { id, problems } of byInstance) {
    for (const p of problems) {
      const k = `${p.node}\u0000${p.why}`;
      const e = byNode.get(k) ?? { why: p.why, ids: [] };
      if (!e.ids.includes(id)) e.ids.push(id);
      byNode.set(k, e);
    }
  }
  const parts = [...byNode.entries()].map(([k, e]) => {
    const ids = e.ids.length > 10 ? `${e.ids.slice(0, 10).join(', ')} and ${e.ids.length - 10} more` : e.ids.join(', ');
    return `node "${k.split('\u0000')[0]}" ${e.why} (instance${e.ids.length > 1 ? 's' : ''} ${ids})`;
  });
  return parts.join('; ');
}

/**
 * Migrates instances between two versions of a process (administrators). Throws 400 naming what is
 * wrong before anything is written; otherwise resolves to a report per instance.
 *
 * @example
 * const report = await migrateInstances(services, access, { process: 'leave', fromVersion: 1, toVersion: 2, mapping: { approve: 'approveByLead' } });
 * report.instances[0]; // { instanceId: 7, result: 'migrated', moves: [{ tokenId: 'k2', from: 'approve', to: 'approveByLead' }], ... }
 */
export async function migrateInstances(services: Services, access: Access, input: MigrateInput): Promise<MigrateReport> {
  const actor = access.requireAgent();
  await access.assertAdmin();
  const db = services.database.db;
  const engine = engineFor(services);
  const mapping = input.mapping ?? {};
  const versions = await db.selectFrom('process_versions').select('version').where('key', '=', input.process).execute();
  if (!versions.length) throw new BadRequest(`unknown process "${input.process}"`, '/process', undefined, 'UNKNOWN_REFERENCE');
  for (const [field, v] of [['fromVersion', input.fromVersion], ['toVersion', input.toVersion]] as const) {
    if (!versions.some((r) => r.version === v)) throw new BadRequest(`process "${input.process}" has no version ${v}`, `/${field}`, undefined, 'UNKNOWN_REFERENCE');
  }
  if (input.fromVersion === input.toVersion) throw new BadRequest('the target version is the version the instances are on', '/toVersion');
  const from = await engine.runner.definitions.get(db, input.process, input.fromVersion);
  const to = await engine.runner.definitions.get(db, input.process, input.toVersion);
  for (const [oldId, newId] of Object.entries(mapping)) {
    if (!from.nodes.some((n) => n.id === oldId)) throw new BadRequest(`"${oldId}" is not a node of version ${input.fromVersion}`, `/mapping/${oldId}`, undefined, 'UNKNOWN_NODE');
    if (!to.nodes.some((n) => n.id === newId)) throw new BadRequest(`version ${input.toVersion} has no node "${newId}"`, `/mapping/${oldId}`, undefined, 'UNKNOWN_NODE');
  }

  let rows: InstanceRow[];
  if (input.instanceIds) {
    rows = input.instanceIds.length ? await db.selectFrom('process_instances').selectAll().where('id', 'in', input.instanceIds).orderBy('id').execute() : [];
    input.instanceIds.forEach((id, i) => {
      const r = rows.find((x) => x.id === id);
      if (!r) throw new BadRequest(`there is no process instance ${id}`, `/instanceIds/${i}`, undefined, 'UNKNOWN_REFERENCE');
      if (r.process_key !== input.process || r.process_version !== input.fromVersion) {
        throw new BadRequest(`process instance ${id} runs ${r.process_key} v${r.process_version}, not ${input.process} v${input.fromVersion}`, `/instanceIds/${i}`);
      }
    });
  } else {
    rows = await db
      .selectFrom('process_instances')
      .selectAll()
      .where('process_key', '=', input.process)
      .where('process_version', '=', input.fromVersion)
      .where('status', 'in', [...ACTIVE])
      .orderBy('id')
      .execute();
  }

  // Everything is checked before anything is written.
  const now = services.now().getTime();
  const blocked = rows
    .filter((r) => (ACTIVE as readonly string[]).includes(r.status))
    .map((r) => ({ id: r.id, problems: planMigration(parseState(r.state), from, to, mapping, now).problems }))
    .filter((x) => x.problems.length);
  if (blocked.length) {
    throw new BadRequest(
      `${blocked.length} instance${blocked.length > 1 ? 's' : ''} cannot move to version ${input.toVersion}: ${describeProblems(blocked)}. Map ${blocked.length > 1 ? 'these nodes' : 'this node'} in "mapping"; nothing was changed.`,
      '/mapping',
      { instances: blocked },
      'MIGRATION_UNMAPPED',
    );
  }

  const report: MigrateReport = { process: input.process, fromVersion: input.fromVersion, toVersion: input.toVersion, dryRun: input.dryRun === true, migrated: 0, skipped: 0, failed: 0, instances: [] };
  for (const r of rows) {
    let item: InstanceMigration;
    try {
      item = input.dryRun
        ? outcome(r, planMigration(parseState(r.state), from, to, mapping, now), true, r.status)
        : await db.transaction().execute((trx) => migrateOne(trx, services, r.id, { from, to, mapping, login: actor.login, by: historyActor(actor) }));
    } catch (e) {
      item = { instanceId: r.id, ticketId: r.ticket_id, result: 'failed', reason: e instanceof Error ? e.message : String(e), moves: [], timers: [] };
    }
    report.instances.push(item);
    if (item.result === 'migrated' || item.result === 'wouldMigrate') report.migrated++;
    else if (item.result === 'skipped') report.skipped++;
    else report.failed++;
  }
  return report;
}

/** The report line of an instance given its plan (before any write). */
function outcome(r: InstanceRow, plan: Plan, dryRun: boolean, status: string): InstanceMigration {
  const base = { instanceId: r.id, ticketId: r.ticket_id, moves: plan.moves, timers: plan.timers };
  if (!(ACTIVE as readonly string[]).includes(status)) return { ...base, moves: [], timers: [], result: 'skipped', reason: `the instance is ${status}` };
  if (plan.problems.length) return { ...base, result: 'failed', reason: `it cannot move: ${describeProblems([{ id: r.id, problems: plan.problems }])}` };
  if (plan.skip) return { ...base, result: 'skipped', reason: plan.skip };
  return { ...base, result: dryRun ? 'wouldMigrate' : 'migrated' };
}

interface MigrateOneOptions {
  from: Process;
  to: Process;
  mapping: Record<string, string>;
  login: string;
  by: ReturnType<typeof historyActor>;
}

/** Migrates one instance inside `trx` (locks it, checks again, writes state, timers, log and history). */
async function migrateOne(trx: Kysely<DB>, services: Services, id: number, o: MigrateOneOptions): Promise<InstanceMigration> {
  const runner = engineFor(services).runner;
  const inst = await runner.lockInstance(trx, id);
  const nowDate = services.now();
  if (inst.process_key !== o.from.key || inst.process_version !== o.from.version) {
    return { instanceId: id, ticketId: inst.ticket_id, result: 'skipped', reason: `the instance is on ${inst.process_key} v${inst.process_version} now`, moves: [], timers: [] };
  }
  const before = parseState(inst.state);
  const plan = planMigration(before, o.from, o.to, o.mapping, nowDate.getTime());
  const item = outcome(inst, plan, false, inst.status);
  if (item.result !== 'migrated') return item;

  const rows: LogRow[] = [];
  const renamed = plan.moves.map((m) => `${m.from} → ${m.to}`);
  rows.push({
    kind: 'migrated',
    message: `Migrated from v${o.from.version} to v${o.to.version} by ${o.login}${renamed.length ? ` (${renamed.join(', ')})` : ''}.`,
    data: { fromVersion: o.from.version, toVersion: o.to.version, moves: plan.moves, timers: plan.timers },
    actor: o.login,
  });
  // Timers go through the timer effects, as if the step had asked for them.
  const ctx: EffectContext = {
    trx, services, runner, inst: { ...inst, process_version: o.to.version! }, def: o.to, result: { state: plan.state, effects: plan.effects, log: [] }, before, now: nowDate,
    opts: { by: o.by, actor: o.login }, rows, jobs: [],
  };
  for (const e of plan.effects) {
    const handler = EFFECT_HANDLERS[e.type] as EffectHandler | undefined;
    if (handler) await handler(ctx, e);
  }
  if (ctx.jobs.length) {
    await trx.insertInto('jobs').values(ctx.jobs).onConflict((oc) => oc.column('key').doNothing()).execute();
    if (services.database.kind === 'postgres') await sql`select pg_notify(${JOBS_CHANNEL}, '')`.execute(trx);
  }
  await trx
    .updateTable('process_instances')
    .set({ process_version: o.to.version!, state: JSON.stringify(plan.state), updated_at: nowDate })
    .where('id', '=', id)
    .execute();
  await moveIncidents(trx, id, o.to.version!, plan.moves);
  await rebuildUserTasks(trx, inst, o.to, plan.state, nowDate);
  await writeStepRecords(trx, { instanceId: id, ticketId: inst.ticket_id, rows, by: o.by, at: nowDate, processKey: inst.process_key });
  return item;
}

/** Open incident rows follow their token to the new node and version. */
async function moveIncidents(trx: Kysely<DB>, instanceId: number, version: number, moves: TokenMove[]): Promise<void> {
  await trx.updateTable('process_incidents').set({ process_version: version }).where('instance_id', '=', instanceId).where('resolved_at', 'is', null).execute();
  for (const m of moves) {
    await trx.updateTable('process_incidents').set({ node: m.to }).where('instance_id', '=', instanceId).where('token', '=', m.tokenId).where('resolved_at', 'is', null).execute();
  }
}

