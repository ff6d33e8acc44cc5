/**
 * Queries on customer companies and customer users, and their open/closed ticket counts (closed:
 * state type `closed`; merged and removed tickets count as neither; the rest is open), restricted to
 * the tickets the caller may see.
 */
import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import type { DB } from '../db/schema';
import { containsPattern, type ListQuery } from '../catalog/schema';

type Db = Kysely<DB>;
// The access helper's ticket filter is built for any alias.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TicketFilter = (eb: ExpressionBuilder<any, any>) => Expression<SqlBool>;

const USER_COLUMNS = [
  'u.id', 'u.login', 'u.first_name', 'u.last_name', 'u.email', 'u.phone', 'u.customer_id', 'u.valid', 'u.login_forbidden',
  'u.can_see_company_tickets', 'u.created_at', 'u.changed_at', 'c.name as customer_name',
] as const;

export interface Counts {
  open: number;
  closed: number;
}

export const customerRepo = {
  async listCompanies(db: Db, q: ListQuery) {
    let base = db.selectFrom('customer_companies');
    if (q.valid !== undefined) base = base.where('valid', '=', q.valid);
    if (q.search) {
      const p = containsPattern(q.search);
      base = base.where((eb) => eb.or([eb('customer_id', 'ilike', p), eb('name', 'ilike', p)]));
    }
    const { total } = await base.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow();
    const rows = await base.selectAll().orderBy('name').orderBy('customer_id').limit(q.perPage).offset((q.page - 1) * q.perPage).execute();
    return { rows, total: Number(total) };
  },

  company(db: Db, customerId: string) {
    return db.selectFrom('customer_companies').selectAll().where('customer_id', '=', customerId).executeTakeFirst();
  },

  async countUsersOf(db: Db, customerId: string): Promise<number> {
    const r = await db.selectFrom('customer_users').select((eb) => eb.fn.countAll<string>().as('n')).where('customer_id', '=', customerId).executeTakeFirstOrThrow();
    return Number(r.n);
  },

  async countTicketsOf(db: Db, column: 'customer_id' | 'customer_user_id', key: string | number): Promise<number> {
    const r = await db.selectFrom('tickets').select((eb) => eb.fn.countAll<string>().as('n')).where(column, '=', key as never).executeTakeFirstOrThrow();
    return Number(r.n);
  },

  async listUsers(db: Db, q: ListQuery & { customerId?: string }) {
    let base = db.selectFrom('customer_users as u').leftJoin('customer_companies as c', 'c.customer_id', 'u.customer_id');
    if (q.valid !== undefined) base = base.where('u.valid', '=', q.valid);
    if (q.customerId !== undefined) base = base.where('u.customer_id', '=', q.customerId);
    if (q.search) {
      const p = containsPattern(q.search);
      base = base.where((eb) =>
        eb.or([
          eb('u.login', 'ilike', p),
          eb('u.email', 'ilike', p),
          eb(eb.fn('concat_ws', [eb.val(' '), eb.ref('u.first_name'), eb.ref('u.last_name')]), 'ilike', p),
        ]),
      );
    }
    const { total } = await base.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow();
    const rows = await base.select(USER_COLUMNS).orderBy('u.login').limit(q.perPage).offset((q.page - 1) * q.perPage).execute();
    return { rows, total: Number(total) };
  },

  user(db: Db, id: number) {
    return db
      .selectFrom('customer_users as u')
      .leftJoin('customer_companies as c', 'c.customer_id', 'u.customer_id')
      .select(USER_COLUMNS)
      .where('u.id', '=', id)
      .executeTakeFirst();
  },

  userIdByLogin(db: Db, login: string) {
    return db.selectFrom('customer_users').select('id').where('login', '=', login).executeTakeFirst();
  },

  /** Open and closed ticket counts per company id or customer user id, over the tickets `filter` keeps. */
  async ticketCounts<K extends string | number>(db: Db, column: 'customer_id' | 'customer_user_id', keys: K[], filter: TicketFilter): Promise<Map<K, Counts>> {
    const out = new Map<K, Counts>();
    if (!keys.length) return out;
    const rows = await db
      .selectFrom('tickets as t')
      .innerJoin('states as s', 's.id', 't.state_id')
      .innerJoin('state_types as st', 'st.id', 's.type_id')
      .select((eb) => [
        eb.ref(`t.${column}`).as('key'),
        eb.fn.countAll<string>().filterWhere('st.name', '=', 'closed').as('closed'),
        eb.fn.countAll<string>().filterWhere('st.name', '<>', 'closed').as('open'),
      ])
      .where(`t.${column}`, 'in', keys as never[])
      .where('st.name', 'not in', ['merged', 'removed'])
      .where(filter)
      .groupBy(`t.${column}`)
      .execute();
    for (const r of rows) out.set(r.key as K, { open: Number(r.open), closed: Number(r.closed) });
    return out;
  },
};

export type CompanyRecord = NonNullable<Awaited<ReturnType<typeof customerRepo.company>>>;
export type CustomerUserRecord = NonNullable<Awaited<ReturnType<typeof customerRepo.user>>>;
