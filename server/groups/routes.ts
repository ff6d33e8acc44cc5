/**
 * `/api/v1/groups` and `/api/v1/roles` (administrators only): the generic catalogue for both, plus
 * the permission matrix — a group shows its queues and who holds what on it, a role shows its
 * permissions per group and its agents, and `PUT /roles/{id}/permissions` replaces a role's
 * permissions. A group can be deleted only while it holds no queue; the `admin` group is protected.
 */
import type { Kysely } from 'kysely';
import type { CatalogueRow } from '../catalog/table-repo';
import { catalogueRouter, commentField } from '../catalog/table-routes';
import type { CatalogueSpec } from '../catalog/table';
import { ADMIN_GROUP } from '../access/access';
import type { DB, Permission } from '../db/schema';
import { NotFound } from '../errors';
import type { ApiRouter } from '../http/api';
import { permissionRepo } from './repo';
import { groupDetail, permissionsBody, roleDetail, type PermissionsBody } from './schema';
import { assertStillAdmin, grantsFromMap, mapFromRows } from './service';
import { canonicalPermissions, rowIdSchema } from '../catalog/schema';

export const groupSpec: CatalogueSpec = {
  table: 'groups',
  base: '/groups',
  tag: 'Groups',
  label: 'group',
  readers: 'admins',
  fields: [commentField],
  createdAt: true,
  usedBy: [{ table: 'queues', column: 'group_id', what: 'queues' }],
  deletable: true,
  protectedNames: { [ADMIN_GROUP]: 'administrators are the agents with rw on it' },
  afterWrite: assertStillAdmin,
};

export const roleSpec: CatalogueSpec = {
  table: 'roles',
  base: '/roles',
  tag: 'Roles',
  label: 'role',
  readers: 'admins',
  fields: [commentField],
  createdAt: true,
  deletable: true,
  afterWrite: assertStillAdmin,
};

/** Rows (id, name, permission) → one entry per id with its permissions. */
function byHolder<K extends 'name' | 'login'>(rows: Array<{ id: number; permission: Permission } & Record<K, string>>, key: K) {
  const out = new Map<number, { id: number; perms: Permission[] } & Record<string, unknown>>();
  for (const r of rows) {
    const e = out.get(r.id) ?? { id: r.id, [key]: r[key], perms: [] };
    e.perms.push(r.permission);
    out.set(r.id, e);
  }
  return [...out.values()].map(({ perms, ...e }) => ({ ...e, permissions: canonicalPermissions(perms) }));
}

async function loadGroupDetail(db: Kysely<DB>, row: CatalogueRow) {
  return {
    queues: await permissionRepo.groupQueues(db, row.id),
    roles: byHolder(await permissionRepo.groupRoleGrants(db, row.id), 'name'),
    agents: byHolder(await permissionRepo.groupAgentGrants(db, row.id), 'login'),
  };
}

async function loadRoleDetail(db: Kysely<DB>, row: CatalogueRow) {
  return {
    permissions: mapFromRows(await permissionRepo.roleGrants(db, row.id)),
    agents: await permissionRepo.roleAgents(db, row.id),
  };
}

export function groupRouter(): ApiRouter {
  return catalogueRouter(groupSpec, { properties: groupDetail, load: loadGroupDetail }).api;
}

export function roleRouter(): ApiRouter {
  const { api, detailSchema, readOne } = catalogueRouter(roleSpec, { properties: roleDetail, load: loadRoleDetail });
  api.put<{ id: number }, unknown, PermissionsBody>(
    '/:id/permissions',
    {
      summary: "Replace a role's permissions (`{ groups: { <group>: [permissions] } }`)",
      auth: 'admin',
      params: { id: rowIdSchema },
      body: permissionsBody,
      responses: { 200: detailSchema },
    },
    async (c, { params, body }) => {
      const access = c.get('access');
      await access.assertAdmin();
      const db = c.get('services').database.db;
      await db.transaction().execute(async (trx) => {
        const role = await trx.selectFrom('roles').select('id').where('id', '=', params.id).executeTakeFirst();
        if (!role) throw new NotFound('role');
        await permissionRepo.replaceRoleGrants(trx, role.id, await grantsFromMap(trx, body.groups));
        await assertStillAdmin(trx, access);
      });
      return readOne(db, params.id);
    },
  );
  return api;
}
