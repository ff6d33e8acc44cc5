/** Rows a test needs, written straight to the database (the admin API arrives with helpdesk core). */
import type { Kysely } from 'kysely';
import { hashPassword } from '../../server/auth/secrets';
import type { DB, Permission } from '../../server/db/schema';

type Db = Kysely<DB>;
export type Grants = Record<string, Permission[]>;

async function groupId(db: Db, name: string): Promise<number> {
  const g = await db.selectFrom('groups').select('id').where('name', '=', name).executeTakeFirst();
  if (g) return g.id;
  return (await db.insertInto('groups').values({ name }).returning('id').executeTakeFirstOrThrow()).id;
}

export async function createGroup(db: Db, name: string): Promise<number> {
  return groupId(db, name);
}

export async function createQueue(db: Db, name: string, group: string): Promise<number> {
  const gid = await groupId(db, group);
  return (await db.insertInto('queues').values({ name, group_id: gid }).returning('id').executeTakeFirstOrThrow()).id;
}

export async function createRole(db: Db, name: string, grants: Grants = {}, valid = true): Promise<number> {
  const { id } = await db.insertInto('roles').values({ name, valid }).returning('id').executeTakeFirstOrThrow();
  for (const [group, perms] of Object.entries(grants)) {
    const gid = await groupId(db, group);
    for (const permission of perms) await db.insertInto('role_groups').values({ role_id: id, group_id: gid, permission }).execute();
  }
  return id;
}

export async function createAgent(
  db: Db,
  login: string,
  password: string,
  opts: { groups?: Grants; roles?: string[]; valid?: boolean } = {},
): Promise<number> {
  const { id } = await db
    .insertInto('agents')
    .values({
      login,
      first_name: login,
      last_name: 'Tester',
      email: `${login}@example.test`,
      password_hash: await hashPassword(password),
      valid: opts.valid ?? true,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const [group, perms] of Object.entries(opts.groups ?? {})) {
    const gid = await groupId(db, group);
    for (const permission of perms) await db.insertInto('agent_groups').values({ agent_id: id, group_id: gid, permission }).execute();
  }
  for (const role of opts.roles ?? []) {
    const r = await db.selectFrom('roles').select('id').where('name', '=', role).executeTakeFirstOrThrow();
    await db.insertInto('agent_roles').values({ agent_id: id, role_id: r.id }).execute();
  }
  return id;
}

export async function createCustomerUser(
  db: Db,
  login: string,
  password: string,
  opts: { customerId?: string; loginForbidden?: boolean } = {},
): Promise<number> {
  const customerId = opts.customerId ?? `${login}-company`;
  await db
    .insertInto('customer_companies')
    .values({ customer_id: customerId, name: `${customerId} Ltd.` })
    .onConflict((oc) => oc.column('customer_id').doNothing())
    .execute();
  const { id } = await db
    .insertInto('customer_users')
    .values({
      login,
      first_name: login,
      last_name: 'Customer',
      email: `${login}@customer.test`,
      customer_id: customerId,
      password_hash: await hashPassword(password),
      login_forbidden: opts.loginForbidden ?? false,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}
