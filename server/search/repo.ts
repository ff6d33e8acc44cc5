/**
 * The two queries of a ticket list: how many tickets match, and one page of ticket summaries with
 * their queue, state (and type), priority, type, owner, responsible and customer user joined in
 * the same query (no per-row lookups), plus the sort-key values of each row for the next cursor.
 */
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { DB } from '../db/schema';
import type { Condition } from './filters';
import type { TicketSummary } from './schema';
import { afterCondition, orderByItems, type SortKey } from './sort';

function filtered(db: Kysely<DB>, conditions: Condition[]) {
  let q = db.selectFrom('tickets as t');
  for (const c of conditions) q = q.where(c);
  return q;
}

/**
 * How many tickets satisfy every condition; with `cap`, counting stops after `cap + 1` (so a result
 * above `cap` means "more than cap") and a common word costs no more than a rare one.
 */
export async function countTickets(db: Kysely<DB>, conditions: Condition[], cap?: number): Promise<number> {
  if (cap !== undefined) {
    const row = await db
      .selectFrom(filtered(db, conditions).select(sql<number>`1`.as('one')).limit(cap + 1).as('m'))
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
  const row = await filtered(db, conditions).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface PageOptions {
  keys: SortKey[];
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
  /** Sort-key values of the row to continue after (keyset pagination). */
  after?: string[];
}

export interface SummaryRow {
  summary: TicketSummary;
  /** The row's sort-key values, as text. */
  keys: string[];
}

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

/** One page of summaries in the requested order. */
export async function ticketPage(db: Kysely<DB>, conditions: Condition[], opts: PageOptions): Promise<SummaryRow[]> {
  let q = filtered(db, conditions)
    .innerJoin('queues as q', 'q.id', 't.queue_id')
    .innerJoin('states as st', 'st.id', 't.state_id')
    .innerJoin('state_types as sty', 'sty.id', 'st.type_id')
    .innerJoin('priorities as p', 'p.id', 't.priority_id')
    .innerJoin('ticket_types as ty', 'ty.id', 't.type_id')
    .leftJoin('agents as o', 'o.id', 't.owner_id')
    .leftJoin('agents as r', 'r.id', 't.responsible_id')
    .leftJoin('customer_users as cu', 'cu.id', 't.customer_user_id')
    .select([
      't.id', 't.tn', 't.title', 't.queue_id', 'q.name as queue_name', 't.state_id', 'st.name as state_name',
      'sty.name as state_type', 't.priority_id', 'p.name as priority_name', 't.type_id', 'ty.name as type_name',
      't.locked', 't.owner_id', 'o.login as owner_login', 't.responsible_id', 'r.login as responsible_login',
      't.customer_id', 't.customer_user_id', 'cu.login as customer_user_login', 't.created_at', 't.changed_at',
      't.pending_until', 't.archived', 't.escalation_at',
    ])
    .select(sql<string[]>`array[${sql.join(opts.keys.map((k) => sql`${k.expr}::text`))}]`.as('sort_keys'))
    .orderBy(orderByItems(opts.keys, opts.order) as RawBuilder<unknown>)
    .limit(opts.limit)
    .offset(opts.offset);
  if (opts.after) q = q.where(afterCondition(opts.keys, opts.order, opts.after) as RawBuilder<SqlBool>);
  const rows = await q.execute();
  return rows.map((r) => ({
    keys: r.sort_keys,
    summary: {
      id: r.id,
      tn: r.tn,
      title: r.title,
      queue: { id: r.queue_id, name: r.queue_name },
      state: { id: r.state_id, name: r.state_name, type: r.state_type },
      priority: { id: r.priority_id, name: r.priority_name },
      type: { id: r.type_id, name: r.type_name },
      locked: r.locked,
      owner: r.owner_id !== null && r.owner_login !== null ? { id: r.owner_id, login: r.owner_login } : null,
      responsible: r.responsible_id !== null && r.responsible_login !== null ? { id: r.responsible_id, login: r.responsible_login } : null,
      customerId: r.customer_id,
      customerUser: r.customer_user_id !== null && r.customer_user_login !== null ? { id: r.customer_user_id, login: r.customer_user_login } : null,
      created: iso(r.created_at),
      changed: iso(r.changed_at),
      pendingUntil: r.pending_until ? iso(r.pending_until) : null,
      archived: r.archived,
      escalationAt: r.escalation_at ? iso(r.escalation_at) : null,
    },
  }));
}
