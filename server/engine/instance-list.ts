/**
 * The administrator's list of process instances: by process, version, status and the node where a
 * token is (what the designer's monitoring overlay opens when a node's badge is clicked). Newest
 * first with a keyset cursor (`before` = the last id seen), so paging stays fast with millions of
 * finished instances: the filters use the (status, process_key) index, and a node filter reads
 * the state's tokens only of the instances that pass the others.
 */
import { sql, type Kysely } from 'kysely';
import { currentNodes, type InstanceStatus } from '../../engine/runtime/index';
import type { DB } from '../db/schema';
import { parseState } from './view';

export type InstanceStatusFilter = 'active' | 'running' | 'incident' | 'completed' | 'cancelled' | 'all';

export interface InstanceListQuery {
  process?: string;
  version?: number;
  /** active (default) = running or incident. */
  status?: InstanceStatusFilter;
  /** Only instances with a token at this node. */
  node?: string;
  ticketId?: number;
  /** Keyset cursor: instances with a smaller id. */
  before?: number;
  limit?: number;
}

export interface InstanceListItem {
  instanceId: number;
  ticketId: number;
  ticketNumber: string;
  ticketTitle: string;
  process: string;
  version: number;
  parentInstanceId: number | null;
  status: string;
  currentNodes: Array<{ nodeId: string; tokenId: string; status: string; wait?: string }>;
  incidents: Array<{ nodeId: string; tokenId: string; code: string; message: string }>;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
}

const STATUSES: Record<InstanceStatusFilter, InstanceStatus[] | null> = {
  active: ['running', 'incident'],
  running: ['running'],
  incident: ['incident'],
  completed: ['completed'],
  cancelled: ['cancelled'],
  all: null,
};

/**
 * A page of instances, newest first, and the cursor of the next page (null at the end).
 *
 * @example
 * const { items, next } = await listInstances(db, { process: 'leave-request', node: 'approve' });
 */
export async function listInstances(db: Kysely<DB>, q: InstanceListQuery): Promise<{ items: InstanceListItem[]; next: number | null }> {
  const limit = Math.min(Math.max(q.limit ?? 50, 1), 500);
  const statuses = STATUSES[q.status ?? 'active'];
  let query = db
    .selectFrom('process_instances as i')
    .innerJoin('tickets as t', 't.id', 'i.ticket_id')
    .select(['i.id', 'i.ticket_id', 't.tn', 't.title', 'i.process_key', 'i.process_version', 'i.parent_instance_id', 'i.status', 'i.state', 'i.created_at', 'i.updated_at', 'i.completed_at'])
    .orderBy('i.id', 'desc')
    .limit(limit + 1);
  if (statuses) query = query.where('i.status', 'in', statuses);
  if (q.process) query = query.where('i.process_key', '=', q.process);
  if (q.version !== undefined) query = query.where('i.process_version', '=', q.version);
  if (q.ticketId !== undefined) query = query.where('i.ticket_id', '=', q.ticketId);
  if (q.before !== undefined) query = query.where('i.id', '<', q.before);
  if (q.node) query = query.where(sql<boolean>`i.state -> 'tokens' @> ${JSON.stringify([{ nodeId: q.node }])}::jsonb`);
  const rows = await query.execute();
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => {
      const state = parseState(r.state);
      return {
        instanceId: r.id,
        ticketId: r.ticket_id,
        ticketNumber: r.tn,
        ticketTitle: r.title,
        process: r.process_key,
        version: r.process_version,
        parentInstanceId: r.parent_instance_id,
        status: r.status,
        currentNodes: state ? currentNodes(state) : [],
        incidents: (state?.tokens ?? []).filter((t) => t.incident).map((t) => ({ nodeId: t.nodeId, tokenId: t.id, code: t.incident!.code, message: t.incident!.message })),
        createdAt: r.created_at.toISOString(),
        updatedAt: r.updated_at.toISOString(),
        completedAt: r.completed_at ? r.completed_at.toISOString() : null,
      };
    }),
    next: rows.length > limit ? page[page.length - 1]!.id : null,
  };
}
