/**
 * Typed queries on tickets: a row by id or number (optionally locked for update), the row with the
 * names behind its references (for views and history), and small aggregates.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB, TicketsTable } from '../db/schema';
import { NotFound } from '../errors';

export type TicketRow = Selectable<TicketsTable>;

export async function findTicket(db: Kysely<DB>, id: number): Promise<TicketRow | undefined> {
  return db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The ticket row, locked until the transaction ends; 404 when there is none. */
export async function lockTicket(db: Kysely<DB>, id: number): Promise<TicketRow> {
  const row = await db.selectFrom('tickets').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!row) throw new NotFound('ticket');
  return row;
}

export async function ticketIdByNumber(db: Kysely<DB>, tn: string): Promise<number | undefined> {
  return (await db.selectFrom('tickets').select('id').where('tn', '=', tn).executeTakeFirst())?.id;
}

/** A ticket with the names of everything it refers to. */
export async function ticketDetails(db: Kysely<DB>, id: number) {
  return db
    .selectFrom('tickets as t')
    .innerJoin('queues as q', 'q.id', 't.queue_id')
    .innerJoin('states as s', 's.id', 't.state_id')
    .innerJoin('state_types as st', 'st.id', 's.type_id')
    .innerJoin('priorities as p', 'p.id', 't.priority_id')
    .innerJoin('ticket_types as ty', 'ty.id', 't.type_id')
    .leftJoin('services as sv', 'sv.id', 't.service_id')
    .leftJoin('slas as sl', 'sl.id', 't.sla_id')
    .leftJoin('agents as o', 'o.id', 't.owner_id')
    .leftJoin('agents as r', 'r.id', 't.responsible_id')
    .leftJoin('customer_users as cu', 'cu.id', 't.customer_user_id')
    .leftJoin('customer_companies as cc', 'cc.customer_id', 't.customer_id')
    .leftJoin('tickets as m', 'm.id', 't.merged_into_id')
    .selectAll('t')
    .select([
      'q.name as queue_name',
      'q.follow_up as queue_follow_up',
      's.name as state_name',
      'st.name as state_type',
      'p.name as priority_name',
      'ty.name as type_name',
      'sv.name as service_name',
      'sl.name as sla_name',
      'o.login as owner_login',
      sql<string | null>`o.first_name || ' ' || o.last_name`.as('owner_name'),
      'r.login as responsible_login',
      sql<string | null>`r.first_name || ' ' || r.last_name`.as('responsible_name'),
      'cu.login as customer_user_login',
      sql<string | null>`cu.first_name || ' ' || cu.last_name`.as('customer_user_name'),
      'cu.email as customer_user_email',
      'cc.name as company_name',
      'm.tn as merged_into_tn',
    ])
    .where('t.id', '=', id)
    .executeTakeFirst();
}

export type TicketDetails = NonNullable<Awaited<ReturnType<typeof ticketDetails>>>;

/** Sum of the time units of a ticket's articles. */
export async function ticketTimeUnits(db: Kysely<DB>, ticketId: number): Promise<number> {
  const r = await db
    .selectFrom('articles')
    .select(sql<string>`coalesce(sum(time_units), 0)`.as('total'))
    .where('ticket_id', '=', ticketId)
    .executeTakeFirstOrThrow();
  return Number(r.total);
}

/** Marks a ticket changed now. */
export async function touchTicket(db: Kysely<DB>, ids: number[], at: Date): Promise<void> {
  if (ids.length) await db.updateTable('tickets').set({ changed_at: at }).where('id', 'in', ids).execute();
}
