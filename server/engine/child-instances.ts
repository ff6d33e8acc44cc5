/**
 * A ticket's process instances now that call activities exist: the ticket's *top* instance (its
 * root, or the instance a call activity started on this child ticket), the instances a submit may
 * address (the top one and the children running on the same ticket), and what the process view
 * shows of children — each called instance with its ticket, status, current nodes and incidents
 * (so an incident in a child is visible from the parent), plus the open dialogs of children that
 * run on the same ticket.
 */
import { sql, type Kysely } from 'kysely';
import type { Process } from '../../engine/model/types';
import type { Access } from '../access/access';
import type { DB } from '../db/schema';
import { Conflict, NotFound } from '../errors';
import { dialogFor, dialogView, interfaceOf, openTasks, type DialogView } from './dialogs';
import type { InstanceRow } from './runner';
import { parseState } from './view';

/** Nesting deeper than this is not followed (a process calling itself forever, say). */
const MAX_DEPTH = 10;
/** At most this many called instances are listed in a view. */
const MAX_CHILDREN = 200;

export interface ChildInstanceView {
  instanceId: number;
  parentInstanceId: number;
  ticketId: number;
  /** same-ticket: runs on the parent's ticket; child-ticket: on a ticket of its own (linked as child). */
  binding: 'same-ticket' | 'child-ticket';
  /** The call activity in the parent that waits for it (while it waits). */
  callActivity: string | null;
  process: string;
  processName: string;
  version: number;
  status: string;
  createdAt: string;
  completedAt: string | null;
  currentNodes: Array<{ nodeId: string; name: string; tokenId: string; status: string; wait?: string }>;
  incidents: Array<{ tokenId: string; nodeId: string; code: string; message: string; at: string }>;
}

const ACTIVE = ['running', 'incident'] as const;

/**
 * The id of a ticket's top instance: a root instance, or one started by a call activity on this
 * (child) ticket; running ones first, then the newest.
 *
 * @example
 * const id = await topInstanceId(db, ticketId); // undefined when the ticket has no process
 */
export async function topInstanceId(db: Kysely<DB>, ticketId: number): Promise<number | undefined> {
  const row = await db
    .selectFrom('process_instances as pi')
    .leftJoin('process_instances as p', 'p.id', 'pi.parent_instance_id')
    .select('pi.id')
    .where('pi.ticket_id', '=', ticketId)
    .where((eb) => eb.or([eb('pi.parent_instance_id', 'is', null), eb('p.ticket_id', '<>', eb.ref('pi.ticket_id'))]))
    .orderBy(sql`case when pi.status in ('running', 'incident') then 0 else 1 end`)
    .orderBy('pi.id', 'desc')
    .executeTakeFirst();
  return row?.id;
}

/**
 * The instance of a ticket that has user task `nodeId` open (the top instance or a child on the
 * same ticket), locked FOR UPDATE. Without a match it is the newest instance that passed the task,
 * else the top instance (the caller then answers 409 or 404 as before); `instanceId` picks one
 * when several have the task open (else 409).
 *
 * @example
 * const row = await lockInstanceForTask(trx, ticketId, 'approve', { tokenId: 'k3' });
 */
export async function lockInstanceForTask(db: Kysely<DB>, ticketId: number, nodeId: string, pick: { tokenId?: string; instanceId?: number } = {}): Promise<InstanceRow | undefined> {
  const rows = await db.selectFrom('process_instances').selectAll().where('ticket_id', '=', ticketId).where('status', 'in', [...ACTIVE]).orderBy('id').execute();
  if (pick.instanceId !== undefined && !rows.some((r) => r.id === pick.instanceId)) {
    const other = await db.selectFrom('process_instances').select('id').where('id', '=', pick.instanceId).where('ticket_id', '=', ticketId).executeTakeFirst();
    if (!other) throw new NotFound(`process instance ${pick.instanceId} on this ticket`);
  }
  const open = rows.filter(
    (r) => (pick.instanceId === undefined || r.id === pick.instanceId) && parseState(r.state).tokens.some((t) => t.nodeId === nodeId && t.wait === 'dialog' && (!pick.tokenId || t.id === pick.tokenId)),
  );
  if (open.length > 1) {
    throw new Conflict(`the task "${nodeId}" is open in several process instances of this ticket (${open.map((r) => r.id).join(', ')}); say which one with "instanceId"`, '/instanceId', 'AMBIGUOUS_TASK');
  }
  const id = open[0]?.id ?? pick.instanceId ?? (await lastWithNode(db, ticketId, nodeId)) ?? (await topInstanceId(db, ticketId));
  if (id === undefined) return undefined;
  return db.selectFrom('process_instances').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** The newest instance of the ticket whose path passed `nodeId` (so a finished task answers 409, not 404). */
async function lastWithNode(db: Kysely<DB>, ticketId: number, nodeId: string): Promise<number | undefined> {
  const rows = await db.selectFrom('process_instances').select(['id', 'state']).where('ticket_id', '=', ticketId).orderBy('id', 'desc').limit(50).execute();
  return rows.find((r) => parseState(r.state)?.path?.some((p) => p.node === nodeId))?.id;
}

/** Every instance called (directly or deeper) by `root`, breadth first. */
export async function descendantsOf(db: Kysely<DB>, rootId: number): Promise<InstanceRow[]> {
  const out: InstanceRow[] = [];
  let level = [rootId];
  for (let depth = 0; depth < MAX_DEPTH && level.length && out.length < MAX_CHILDREN; depth++) {
    const rows = await db.selectFrom('process_instances').selectAll().where('parent_instance_id', 'in', level).orderBy('id').limit(MAX_CHILDREN - out.length).execute();
    out.push(...rows);
    level = rows.map((r) => r.id);
  }
  return out;
}

/** Loads definitions for a view (versions are immutable; memoised per call). */
function definitionLoader(db: Kysely<DB>): (key: string, version: number) => Promise<Process | undefined> {
  const memo = new Map<string, Promise<Process | undefined>>();
  return (key, version) => {
    const id = `${key}@${version}`;
    let p = memo.get(id);
    if (!p) {
      p = db
        .selectFrom('process_versions')
        .select('definition')
        .where('key', '=', key)
        .where('version', '=', version)
        .executeTakeFirst()
        .then((r) => (r ? ((typeof r.definition === 'string' ? JSON.parse(r.definition) : r.definition) as Process) : undefined));
      memo.set(id, p);
    }
    return p;
  };
}

/**
 * The called instances of `inst` (all depths) and the open dialogs, for the caller's interface, of
 * those that run on `inst`'s ticket.
 *
 * @example
 * const { children, dialogs } = await childFamily(db, access, topInstance);
 */
export async function childFamily(db: Kysely<DB>, access: Access, inst: InstanceRow): Promise<{ children: ChildInstanceView[]; dialogs: DialogView[] }> {
  const rows = await descendantsOf(db, inst.id);
  if (!rows.length) return { children: [], dialogs: [] };
  const load = definitionLoader(db);
  const byId = new Map<number, InstanceRow>([[inst.id, inst], ...rows.map((r) => [r.id, r] as const)]);
  const iface = interfaceOf(access);
  const children: ChildInstanceView[] = [];
  const dialogs: DialogView[] = [];
  for (const r of rows) {
    const def = await load(r.process_key, r.process_version);
    const state = parseState(r.state);
    const parent = byId.get(r.parent_instance_id!);
    const parentToken = parent && r.parent_token ? parseState(parent.state).tokens.find((t) => t.id === r.parent_token && t.wait === 'child' && t.run === r.parent_run) : undefined;
    const name = (id: string) => def?.nodes.find((n) => n.id === id)?.name ?? id;
    children.push({
      instanceId: r.id,
      parentInstanceId: r.parent_instance_id!,
      ticketId: r.ticket_id,
      binding: parent && parent.ticket_id === r.ticket_id ? 'same-ticket' : 'child-ticket',
      callActivity: parentToken?.nodeId ?? null,
      process: r.process_key,
      processName: def?.name ?? r.process_key,
      version: r.process_version,
      status: state.status,
      createdAt: r.created_at.toISOString(),
      completedAt: r.completed_at ? r.completed_at.toISOString() : null,
      currentNodes: state.tokens.map((t) => ({ nodeId: t.nodeId, name: name(t.nodeId), tokenId: t.id, status: t.status, ...(t.wait ? { wait: t.wait } : {}) })),
      incidents: state.tokens.flatMap((t) => (t.incident ? [{ tokenId: t.id, nodeId: t.nodeId, code: t.incident.code, message: t.incident.message, at: new Date(t.incident.at).toISOString() }] : [])),
    });
    if (!def || r.ticket_id !== inst.ticket_id || (state.status !== 'running' && state.status !== 'incident')) continue;
    for (const { node, tokenId } of openTasks(def, state)) {
      const dialog = dialogFor(node, iface);
      if (dialog) dialogs.push({ ...(await dialogView(db, access, node, tokenId, dialog)), instanceId: r.id });
    }
  }
  return { children, dialogs };
}
