/**
 * Rules for agents: logins are unique (409 naming `/login`), passwords are stored hashed, group
 * permissions and roles are given by name (unknown ones are 400 naming their path), and an
 * administrator cannot remove their own administrator rights. Views never carry the password hash.
 */
import type { Kysely } from 'kysely';
import { groupPermissions, type Access } from '../access/access';
import { hashPassword } from '../auth/secrets';
import { canonicalPermissions, type GroupPermissionMap } from '../catalog/schema';
import { writeTransaction } from '../catalog/transaction';
import type { DB } from '../db/schema';
import { Conflict, NotFound } from '../errors';
import { permissionRepo } from '../groups/repo';
import { assertStillAdmin, grantsFromMap, mapFromRows, roleIdsFromNames } from '../groups/service';
import type { Services } from '../services';
import { agentRepo, type AgentRecord } from './repo';
import type { AgentBody } from './schema';

/** What an agent without a password gets: a hash no password matches (login is impossible). */
const NO_PASSWORD = '!';

export function agentView(a: AgentRecord) {
  return {
    id: a.id,
    login: a.login,
    firstName: a.first_name,
    lastName: a.last_name,
    name: `${a.first_name} ${a.last_name}`.trim(),
    email: a.email,
    valid: a.valid,
    passwordChangeRequired: a.password_change_required,
    createdAt: a.created_at.toISOString(),
    changedAt: a.changed_at.toISOString(),
  };
}

const duplicateLogin = (login?: string) => ({ message: `an agent with the login ${login ? `"${login}" ` : ''}already exists`, path: '/login' });

export class AgentService {
  private readonly db: Kysely<DB>;

  constructor(private readonly services: Services) {
    this.db = services.database.db;
  }

  async get(id: number): Promise<AgentRecord> {
    const a = await agentRepo.byId(this.db, id);
    if (!a) throw new NotFound('agent');
    return a;
  }

  /** The agent with, for administrators and the agent themself, direct/role/effective permissions. */
  async detail(id: number, access: Access) {
    const a = await this.get(id);
    const view = agentView(a);
    const me = access.actor?.kind === 'agent' && access.actor.id === id;
    if (!me && !(await access.isAdmin())) return view;
    const effective = await groupPermissions(this.db, id);
    const names = await permissionRepo.groupNames(this.db, [...effective.keys()]);
    const effectivePermissions: GroupPermissionMap = {};
    for (const [gid, perms] of [...effective].sort((x, y) => (names.get(x[0]) ?? '').localeCompare(names.get(y[0]) ?? ''))) {
      effectivePermissions[names.get(gid) ?? String(gid)] = canonicalPermissions(perms);
    }
    const adminGroup = [...names].find(([, n]) => n === 'admin')?.[0];
    return {
      ...view,
      isAdmin: adminGroup !== undefined && !!effective.get(adminGroup)?.has('rw'),
      groups: mapFromRows(await permissionRepo.agentGrants(this.db, id)),
      roles: (await permissionRepo.agentRoles(this.db, id)).map((r) => r.name),
      effectivePermissions,
    };
  }

  async create(body: AgentBody & { login: string; firstName: string; lastName: string; email: string }): Promise<number> {
    const passwordHash = body.password ? await hashPassword(body.password) : NO_PASSWORD;
    return writeTransaction(
      this.db,
      async (trx) => {
        if (await agentRepo.byLogin(trx, body.login)) throw new Conflict(duplicateLogin(body.login).message, '/login', 'DUPLICATE');
        const id = await agentRepo.insert(trx, {
          login: body.login,
          first_name: body.firstName,
          last_name: body.lastName,
          email: body.email,
          password_hash: passwordHash,
          password_change_required: !!body.password && !!body.changePasswordAtLogin,
          valid: body.valid ?? true,
          created_at: this.services.now(),
          changed_at: this.services.now(),
        });
        if (body.groups) await permissionRepo.replaceAgentGrants(trx, id, await grantsFromMap(trx, body.groups));
        if (body.roles) await permissionRepo.replaceAgentRoles(trx, id, await roleIdsFromNames(trx, body.roles));
        return id;
      },
      duplicateLogin(body.login),
    );
  }

  async update(id: number, body: AgentBody, access: Access): Promise<void> {
    const passwordHash = body.password ? await hashPassword(body.password) : undefined;
    await writeTransaction(
      this.db,
      async (trx) => {
        const a = await agentRepo.byId(trx, id);
        if (!a) throw new NotFound('agent');
        if (body.login !== undefined && body.login !== a.login && (await agentRepo.byLogin(trx, body.login))) {
          throw new Conflict(duplicateLogin(body.login).message, '/login', 'DUPLICATE');
        }
        await agentRepo.update(trx, id, {
          ...(body.login !== undefined && { login: body.login }),
          ...(body.firstName !== undefined && { first_name: body.firstName }),
          ...(body.lastName !== undefined && { last_name: body.lastName }),
          ...(body.email !== undefined && { email: body.email }),
          ...(passwordHash !== undefined && { password_hash: passwordHash, password_change_required: !!body.changePasswordAtLogin }),
          ...(body.changePasswordAtLogin === false && { password_change_required: false }),
          ...(body.valid !== undefined && { valid: body.valid }),
          changed_at: this.services.now(),
        });
        if (body.groups) await permissionRepo.replaceAgentGrants(trx, id, await grantsFromMap(trx, body.groups));
        if (body.roles) await permissionRepo.replaceAgentRoles(trx, id, await roleIdsFromNames(trx, body.roles));
        await assertStillAdmin(trx, access);
      },
      duplicateLogin(body.login),
    );
  }

  /** Replaces the agent's direct permissions. */
  async setPermissions(id: number, groups: GroupPermissionMap, access: Access): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      if (!(await agentRepo.byId(trx, id))) throw new NotFound('agent');
      await permissionRepo.replaceAgentGrants(trx, id, await grantsFromMap(trx, groups));
      await agentRepo.update(trx, id, { changed_at: this.services.now() });
      await assertStillAdmin(trx, access);
    });
  }

  /** Replaces the agent's roles. */
  async setRoles(id: number, roles: string[], access: Access): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      if (!(await agentRepo.byId(trx, id))) throw new NotFound('agent');
      await permissionRepo.replaceAgentRoles(trx, id, await roleIdsFromNames(trx, roles));
      await agentRepo.update(trx, id, { changed_at: this.services.now() });
      await assertStillAdmin(trx, access);
    });
  }
}
