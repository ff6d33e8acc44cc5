/**
 * "Open process dialogs assigned to me" (issue 9), for the agent dashboard: the open user tasks
 * (`process_user_tasks`) offered to the agent interface that are assigned to the caller — by login,
 * by one of the caller's roles, by a queue the caller holds `rw` on — or that have no assignment
 * on a ticket the caller owns or is responsible for; always only on tickets the caller may read
 * (`Access.ticketFilter`). Newest first, at most 100.
 */
import type { Process } from '../../engine/model/types';
import { language, localized } from '../i18n/request';
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { DB } from '../db/schema';
import type { Access } from '../access/access';
import type { Services } from '../services';

/** Why a dialog is on my list: the first that holds of agent, role, queue, owner. */
export type AssignedBy = 'agent' | 'role' | 'queue' | 'owner';

export interface MyDialog {
  ticketId: number;
  ticketNumber: string;
  ticketTitle: string;
  instanceId: number;
  nodeId: string;
  /** The task's name, or its node id when it has none. */
  name: string;
  openedAt: string;
  assignedBy: AssignedBy;
}

export const MY_DIALOGS_LIMIT = 100;

/**
 * The caller's open process dialogs, newest first (agents only; 403 for customer users).
 *
 * @example
 * const { items } = await myDialogs(services, access);
 * items[0]; // { ticketId: 12, ticketNumber: '2026112110000016', nodeId: 'approve', assignedBy: 'role', ... }
 */
export async function myDialogs(services: Services, access: Access): Promise<{ items: MyDialog[] }> {
  const me = access.requireAgent();
  const db = services.database.db;
  // Independent look-ups, at once: what I may read, my valid roles, the names of the queues I hold rw on.
  const [visible, roles, queues] = await Promise.all([
    access.ticketFilter('t'),
    db
      .selectFrom('agent_roles as ar')
      .innerJoin('roles as r', 'r.id', 'ar.role_id')
      .select('r.name')
      .where('ar.agent_id', '=', me.id)
      .where('r.valid', '=', true)
      .execute()
      .then((rs) => rs.map((r) => r.name)),
    access.groupIds('rw').then(async (groups) => (groups.length ? (await db.selectFrom('queues').select('name').where('group_id', 'in', groups).execute()).map((q) => q.name) : [])),
  ]);

  const rows = await db
    .selectFrom('process_user_tasks as u')
    .innerJoin('tickets as t', 't.id', 'u.ticket_id')
    .select(['u.instance_id', 'u.node', 'u.name', 'u.opened_at', 'u.assign_agent', 'u.assign_role', 'u.assign_queue', 't.id as ticket_id', 't.tn', 't.title', 't.owner_id', 't.responsible_id'])
    .where(sql<boolean>`'agent' = any(u.interfaces)`)
    .where(visible)
    .where((eb) => {
      const ors: Expression<SqlBool>[] = [eb('u.assign_agent', '=', me.login)];
      if (roles.length) ors.push(eb('u.assign_role', 'in', roles));
      if (queues.length) ors.push(eb('u.assign_queue', 'in', queues));
      ors.push(
        eb.and([
          eb('u.assign_agent', 'is', null),
          eb('u.assign_role', 'is', null),
          eb('u.assign_queue', 'is', null),
          eb.or([eb('t.owner_id', '=', me.id), eb('t.responsible_id', '=', me.id)]),
        ]),
      );
      return eb.or(ors);
    })
    .orderBy('u.opened_at', 'desc')
    .orderBy('u.instance_id', 'desc')
    .orderBy('u.token')
    .limit(MY_DIALOGS_LIMIT)
    .execute();

  const names = await localNames(db, rows);
  const by = (r: (typeof rows)[number]): AssignedBy =>
    r.assign_agent === me.login ? 'agent' : r.assign_role !== null && roles.includes(r.assign_role) ? 'role' : r.assign_queue !== null && queues.includes(r.assign_queue) ? 'queue' : 'owner';
  return {
    items: rows.map((r) => ({
      ticketId: r.ticket_id,
      ticketNumber: r.tn,
      ticketTitle: r.title,
      instanceId: r.instance_id,
      nodeId: r.node,
      name: names.get(`${r.instance_id}/${r.node}`) ?? r.name ?? r.node,
      openedAt: new Date(r.opened_at).toISOString(),
      assignedBy: by(r),
    })),
  };
}

/**
 * The tasks' names in the reader's language (`i18n` of their nodes), by `instance/node`; empty for
 * English, where the stored names are the ones to show.
 */
async function localNames(db: Kysely<DB>, rows: Array<{ instance_id: number; node: string }>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (language() === 'en' || !rows.length) return out;
  const found = await db
    .selectFrom('process_instances as i')
    .innerJoin('process_versions as v', (j) => j.onRef('v.key', '=', 'i.process_key').onRef('v.version', '=', 'i.process_version'))
    .select(['i.id', 'v.definition'])
    .where('i.id', 'in', [...new Set(rows.map((r) => r.instance_id))])
    .execute();
  for (const f of found) {
    const def = (typeof f.definition === 'string' ? JSON.parse(f.definition) : f.definition) as Process;
    for (const n of def.nodes ?? []) {
      const name = localized(n, 'name');
      if (name) out.set(`${f.id}/${n.id}`, name);
    }
  }
  return out;
}
