/**
 * Reading a ticket's history as a timeline, oldest first, with who did each change. Agents need
 * `ro` on the ticket (else 404); customer users may not read history at all (403).
 */
import { sql, type Kysely } from 'kysely';
import type { Access } from '../access/access';
import type { DB } from '../db/schema';
import { Forbidden, NotFound } from '../errors';
import type { HistoryItemView } from './schema';

export async function listHistory(
  db: Kysely<DB>,
  access: Access,
  ticketId: number,
  page: number,
  perPage: number,
): Promise<{ items: HistoryItemView[]; total: number; page: number; perPage: number }> {
  const actor = access.requireActor();
  if (actor.kind !== 'agent') throw new Forbidden('customer users cannot read ticket history', 'AGENT_REQUIRED');
  const t = await db.selectFrom('tickets').select(['queue_id', 'owner_id', 'responsible_id', 'customer_user_id', 'customer_id']).where('id', '=', ticketId).executeTakeFirst();
  if (!t) throw new NotFound('ticket');
  await access.assertTicket(t, 'ro');

  const { total } = await db
    .selectFrom('ticket_history')
    .select(sql<number>`count(*)::int`.as('total'))
    .where('ticket_id', '=', ticketId)
    .executeTakeFirstOrThrow();
  const rows = await db
    .selectFrom('ticket_history as h')
    .leftJoin('agents as a', (j) => j.onRef('a.id', '=', 'h.actor_id').on('h.actor_kind', '=', 'agent'))
    .leftJoin('customer_users as c', (j) => j.onRef('c.id', '=', 'h.actor_id').on('h.actor_kind', '=', 'customer'))
    .select([
      'h.id', 'h.type', 'h.message', 'h.field', 'h.old_value', 'h.new_value', 'h.actor_kind', 'h.actor_id', 'h.created_at', 'h.article_id', 'h.data',
      sql<string | null>`coalesce(a.login, c.login)`.as('login'),
      sql<string | null>`coalesce(a.first_name || ' ' || a.last_name, c.first_name || ' ' || c.last_name)`.as('name'),
    ])
    .where('h.ticket_id', '=', ticketId)
    .orderBy('h.id')
    .limit(perPage)
    .offset((page - 1) * perPage)
    .execute();
  return {
    items: rows.map((r) => ({
      id: Number(r.id),
      type: r.type,
      message: r.message,
      field: r.field,
      old: r.old_value,
      new: r.new_value,
      who: { kind: r.actor_kind, id: r.actor_id, login: r.login, name: r.name },
      at: r.created_at.toISOString(),
      articleId: r.article_id,
      data: r.data ?? null,
    })),
    total,
    page,
    perPage,
  };
}
