/**
 * Queries of the permission matrix: which permissions roles and agents hold on which groups, which
 * agents have which roles, and replacing those sets.
 */
import type { Kysely } from 'kysely';
import type { DB, Permission } from '../db/schema';

type Db = Kysely<DB>;

export interface Grant {
  groupId: number;
  permission: Permission;
}

export const permissionRepo = {
  /** Permissions of a role, with group names. */
  roleGrants(db: Db, roleId: number) {
    return db
      .selectFrom('role_groups as rg')
      .innerJoin('groups as g', 'g.id', 'rg.group_id')
      .select(['g.name as group', 'rg.permission'])
      .where('rg.role_id', '=', roleId)
      .orderBy('g.name')
      .execute();
  },

  /** Direct permissions of an agent, with group names. */
  agentGrants(db: Db, agentId: number) {
    return db
      .selectFrom('agent_groups as ag')
      .innerJoin('groups as g', 'g.id', 'ag.group_id')
      .select(['g.name as group', 'ag.permission'])
      .where('ag.agent_id', '=', agentId)
      .orderBy('g.name')
      .execute();
  },

  /** Roles holding permissions on a group. */
  groupRoleGrants(db: Db, groupId: number) {
    return db
      .selectFrom('role_groups as rg')
      .innerJoin('roles as r', 'r.id', 'rg.role_id')
      .select(['r.id', 'r.name', 'rg.permission'])
      .where('rg.group_id', '=', groupId)
      .orderBy('r.name')
      .execute();
  },

  /** Agents holding permissions on a group directly. */
  groupAgentGrants(db: Db, groupId: number) {
    return db
      .selectFrom('agent_groups as ag')
      .innerJoin('agents as a', 'a.id', 'ag.agent_id')
      .select(['a.id', 'a.login', 'ag.permission'])
      .where('ag.group_id', '=', groupId)
      .orderBy('a.login')
      .execute();
  },

  groupQueues(db: Db, groupId: number) {
    return db.selectFrom('queues').select(['id', 'name']).where('group_id', '=', groupId).orderBy('name').execute();
  },

  roleAgents(db: Db, roleId: number) {
    return db
      .selectFrom('agent_roles as ar')
      .innerJoin('agents as a', 'a.id', 'ar.agent_id')
      .select(['a.id', 'a.login'])
      .where('ar.role_id', '=', roleId)
      .orderBy('a.login')
      .execute();
  },

  agentRoles(db: Db, agentId: number) {
    return db
      .selectFrom('agent_roles as ar')
      .innerJoin('roles as r', 'r.id', 'ar.role_id')
      .select(['r.id', 'r.name', 'r.valid'])
      .where('ar.agent_id', '=', agentId)
      .orderBy('r.name')
      .execute();
  },

  async groupNames(db: Db, ids: number[]): Promise<Map<number, string>> {
    if (!ids.length) return new Map();
    const rows = await db.selectFrom('groups').select(['id', 'name']).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, r.name]));
  },

  async replaceRoleGrants(db: Db, roleId: number, grants: Grant[]): Promise<void> {
    await db.deleteFrom('role_groups').where('role_id', '=', roleId).execute();
    if (grants.length) {
      await db
        .insertInto('role_groups')
        .values(grants.map((g) => ({ role_id: roleId, group_id: g.groupId, permission: g.permission })))
        .execute();
    }
  },

  async replaceAgentGrants(db: Db, agentId: number, grants: Grant[]): Promise<void> {
    await db.deleteFrom('agent_groups').where('agent_id', '=', agentId).execute();
    if (grants.length) {
      await db
        .insertInto('agent_groups')
        .values(grants.map((g) => ({ agent_id: agentId, group_id: g.groupId, permission: g.permission })))
        .execute();
    }
  },

  async replaceAgentRoles(db: Db, agentId: number, roleIds: number[]): Promise<void> {
    await db.deleteFrom('agent_roles').where('agent_id', '=', agentId).execute();
    if (roleIds.length) await db.insertInto('agent_roles').values(roleIds.map((role_id) => ({ agent_id: agentId, role_id }))).execute();
  },
};
