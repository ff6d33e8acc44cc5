/**
 * Rules of the permission matrix: group and role names in a request are resolved (an unknown one is
 * a 400 naming its JSON path), permissions are shown per group in canonical order, and an
 * administrator cannot take away their own administrator rights by accident.
 */
import type { Kysely } from 'kysely';
import { ADMIN_GROUP, groupPermissions, type Access } from '../access/access';
import { canonicalPermissions, type GroupPermissionMap } from '../catalog/schema';
import type { DB, Permission } from '../db/schema';
import { BadRequest, Conflict } from '../errors';
import type { Grant } from './repo';

/** A JSON-pointer segment (`~` → `~0`, `/` → `~1`). */
export const pointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/** `{ "<group>": [...] }` → grants, resolving group names; unknown groups are 400 at `<base>/<group>`. */
export async function grantsFromMap(db: Kysely<DB>, map: GroupPermissionMap, base = '/groups'): Promise<Grant[]> {
  const names = Object.keys(map);
  if (!names.length) return [];
  const rows = await db.selectFrom('groups').select(['id', 'name']).where('name', 'in', names).execute();
  const ids = new Map(rows.map((r) => [r.name, r.id]));
  const grants: Grant[] = [];
  for (const name of names) {
    const groupId = ids.get(name);
    if (groupId === undefined) throw new BadRequest(`unknown group "${name}"`, `${base}/${pointer(name)}`, undefined, 'UNKNOWN_REFERENCE');
    for (const permission of new Set(map[name])) grants.push({ groupId, permission });
  }
  return grants;
}

/** Rows of (group name, permission) → `{ "<group>": [...] }` with permissions in canonical order. */
export function mapFromRows(rows: Array<{ group: string; permission: Permission }>): GroupPermissionMap {
  const sets = new Map<string, Permission[]>();
  for (const r of rows) {
    const list = sets.get(r.group) ?? [];
    list.push(r.permission);
    sets.set(r.group, list);
  }
  const out: GroupPermissionMap = {};
  for (const [group, perms] of sets) out[group] = canonicalPermissions(perms);
  return out;
}

/** Role names → ids, in order; unknown names are 400 at `<base>/<index>`. */
export async function roleIdsFromNames(db: Kysely<DB>, names: string[], base = '/roles'): Promise<number[]> {
  if (!names.length) return [];
  const rows = await db.selectFrom('roles').select(['id', 'name']).where('name', 'in', names).execute();
  const ids = new Map(rows.map((r) => [r.name, r.id]));
  return [...new Set(names)].map((name) => {
    const id = ids.get(name);
    if (id === undefined) throw new BadRequest(`unknown role "${name}"`, `${base}/${names.indexOf(name)}`, undefined, 'UNKNOWN_REFERENCE');
    return id;
  });
}

/**
 * Inside a write's transaction, after the change: refuses (409, rolling the change back) when the
 * calling administrator would no longer be one, so nobody locks themselves out.
 */
export async function assertStillAdmin(trx: Kysely<DB>, access: Access): Promise<void> {
  const actor = access.actor;
  if (actor?.kind !== 'agent') return;
  const me = await trx.selectFrom('agents').select('valid').where('id', '=', actor.id).executeTakeFirst();
  const admin = await trx.selectFrom('groups').select('id').where('name', '=', ADMIN_GROUP).executeTakeFirst();
  const perms = admin ? (await groupPermissions(trx, actor.id)).get(admin.id) : undefined;
  if (!me?.valid || !perms?.has('rw')) {
    throw new Conflict('this change would take away your own administrator rights; let another administrator do it', undefined, 'SELF_LOCKOUT');
  }
}
