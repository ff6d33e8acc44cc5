/**
 * The access of the local operator: the CLI and start-up tasks act as the `admin` agent (whoever can
 * run them can already read the database), so their changes carry a real author in the history.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { Access } from './access';

export async function operatorAccess(db: Kysely<DB>): Promise<Access | undefined> {
  const admin = await db.selectFrom('agents').select(['id', 'login']).where('login', '=', 'admin').executeTakeFirst();
  return admin ? new Access(db, { kind: 'agent', id: admin.id, login: admin.login, via: 'token' }) : undefined;
}
