/**
 * Ticket appointments (Znuny's rules): a rule of a calendar keeps one appointment per matching
 * ticket (its queues, states, priorities, types) that starts at a ticket date (`ticket-dates.ts`)
 * and lasts `duration_minutes`. `syncTicketAppointments` runs in the transaction of every ticket
 * change (it is called where ticket history is written), so the appointment moves with the
 * ticket and goes when the ticket stops matching or loses the date — or the change rolls back
 * with it. A rule's own change re-syncs the tickets it may concern.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { render } from '../../engine/model/templates';
import type { DB } from '../db/schema';
import type { TicketAppointmentRulesTable } from '../db/tables-calendars';
import { ticketDateSource } from './ticket-dates';

type Rule = Selectable<TicketAppointmentRulesTable>;

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/**
 * Brings the rule appointments of `ticketIds` in line with the tickets, in the caller's
 * transaction. Cheap when no rule exists (one query).
 *
 * @example
 * await syncTicketAppointments(trx, [ticketId], now);
 */
export async function syncTicketAppointments(db: Kysely<DB>, ticketIds: number[], now: Date, only?: Rule[]): Promise<void> {
  if (!ticketIds.length) return;
  const rules =
    only ??
    (await db
      .selectFrom('ticket_appointment_rules as r')
      .innerJoin('calendars as c', 'c.id', 'r.calendar_id')
      .selectAll('r')
      .where('r.valid', '=', true)
      .where('c.valid', '=', true)
      .execute());
  if (!rules.length) return;
  const ids = [...new Set(ticketIds)];
  const tickets = await db
    .selectFrom('tickets as t')
    .innerJoin('states as s', 's.id', 't.state_id')
    .innerJoin('priorities as p', 'p.id', 't.priority_id')
    .innerJoin('ticket_types as ty', 'ty.id', 't.type_id')
    .select(['t.id', 't.tn as number', 't.title', 't.queue_id', 't.merged_into_id', 's.name as state', 'p.name as priority', 'ty.name as type'])
    .where('t.id', 'in', ids)
    .execute();
  for (const rule of rules) {
    const source = await ticketDateSource(db, rule.start_from).catch(() => null);
    const dates = source ? await source(db, ids) : new Map<number, Date | null>();
    const search = rule.search as { states?: unknown; priorities?: unknown; types?: unknown };
    const [states, priorities, types] = [list(search.states), list(search.priorities), list(search.types)];
    for (const t of tickets) {
      const start = dates.get(t.id) ?? null;
      const matches =
        start !== null &&
        t.merged_into_id === null &&
        (!rule.queue_ids.length || rule.queue_ids.includes(t.queue_id)) &&
        (!states.length || states.includes(t.state)) &&
        (!priorities.length || priorities.includes(t.priority)) &&
        (!types.length || types.includes(t.type));
      if (!matches) {
        await db.deleteFrom('appointments').where('rule_id', '=', rule.id).where('rule_ticket_id', '=', t.id).execute();
        continue;
      }
      const values = {
        calendar_id: rule.calendar_id,
        title: render(rule.title, { ticket: { number: t.number, title: t.title, queue: String(t.queue_id), state: t.state, priority: t.priority, type: t.type } }).slice(0, 300) || t.title,
        start_at: start,
        end_at: new Date(start.getTime() + rule.duration_minutes * 60_000),
        last_end_at: new Date(start.getTime() + rule.duration_minutes * 60_000),
        time_zone: 'UTC',
        changed_at: now,
      };
      const row = await db
        .insertInto('appointments')
        .values({ ...values, uid: `${randomUUID()}@helpdesk`, exdates: '[]', rule_id: rule.id, rule_ticket_id: t.id, created_at: now })
        .onConflict((oc) => oc.columns(['rule_id', 'rule_ticket_id']).where('rule_id', 'is not', null).doUpdateSet(values))
        .returning('id')
        .executeTakeFirstOrThrow();
      await db.insertInto('appointment_tickets').values({ appointment_id: row.id, ticket_id: t.id }).onConflict((oc) => oc.doNothing()).execute();
    }
  }
}

/** Re-syncs every ticket a rule may concern (its queues, or all), in batches, in the caller's transaction. */
export async function syncRule(db: Kysely<DB>, rule: Rule, now: Date): Promise<void> {
  await db.deleteFrom('appointments').where('rule_id', '=', rule.id).execute();
  if (!rule.valid) return;
  let after = 0;
  for (;;) {
    let q = db.selectFrom('tickets').select('id').where('id', '>', after).where('merged_into_id', 'is', null).orderBy('id').limit(500);
    if (rule.queue_ids.length) q = q.where('queue_id', 'in', rule.queue_ids);
    const ids = (await q.execute()).map((r) => r.id);
    if (!ids.length) return;
    await syncTicketAppointments(db, ids, now, [rule]);
    after = ids[ids.length - 1]!;
  }
}
