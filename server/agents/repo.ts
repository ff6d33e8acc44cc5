/** Queries on agents. The password hash is written here and never selected for views. */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { containsPattern, type ListQuery } from '../catalog/schema';

type Db = Kysely<DB>;

const COLUMNS = ['id', 'login', 'first_name', 'last_name', 'email', 'valid', 'password_change_required', 'created_at', 'changed_at'] as const;

export type AgentRecord = Awaited<ReturnType<typeof agentRepo.byId>> & object;

export const agentRepo = {
  async list(db: Db, q: ListQuery) {
    let base = db.selectFrom('agents');
    if (q.valid !== undefined) base = base.where('valid', '=', q.valid);
    if (q.search) {
      const p = containsPattern(q.search);
      base = base.where((eb) =>
        eb.or([
          eb('login', 'ilike', p),
          eb('email', 'ilike', p),
          eb(eb.fn('concat_ws', [eb.val(' '), eb.ref('first_name'), eb.ref('last_name')]), 'ilike', p),
        ]),
      );
    }
    const { total } = await base.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow();
    const rows = await base
      .select(COLUMNS)
      .orderBy('login')
      .limit(q.perPage)
      .offset((q.page - 1) * q.perPage)
      .execute();
    return { rows, total: Number(total) };
  },

  byId(db: Db, id: number) {
    return db.selectFrom('agents').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  },

  byLogin(db: Db, login: string) {
    return db.selectFrom('agents').select(COLUMNS).where('login', '=', login).executeTakeFirst();
  },

  /**
   * The agent a ticket belongs to when nobody else does (OTOBO's user 1): the first agent, which is
   * the administrator created on the first start. Undefined only while there is no agent at all.
   */
  defaultAgent(db: Db): Promise<{ id: number; login: string } | undefined> {
    return db.selectFrom('agents').select(['id', 'login']).orderBy('id').limit(1).executeTakeFirst();
  },

  async insert(db: Db, values: { login: string; first_name: string; last_name: string; email: string; password_hash: string; valid?: boolean; password_change_required?: boolean; created_at: Date; changed_at: Date }) {
    return (await db.insertInto('agents').values(values).returning('id').executeTakeFirstOrThrow()).id;
  },

  async update(db: Db, id: number, values: Partial<{ login: string; first_name: string; last_name: string; email: string; password_hash: string; valid: boolean; password_change_required: boolean; changed_at: Date }>) {
    await db.updateTable('agents').set(values).where('id', '=', id).execute();
  },
};
