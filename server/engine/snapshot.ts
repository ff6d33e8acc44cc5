/**
 * The ticket as the engine sees it (`Snapshot` of engine/runtime/snapshot.ts), read from the
 * database inside the step's transaction so it includes what the dialog just wrote, with its SLA
 * deadlines (`ticket.escalation.*`) at the step's clock.
 */
import type { Kysely } from 'kysely';
import type { JsonValue } from '../../engine/model/types';
import type { EscalationSnapshot, PersonSnapshot, Snapshot } from '../../engine/runtime/index';
import type { DB } from '../db/schema';
import { getValues } from '../dynamic-fields/values';
import { NotFound } from '../errors';
import { ticketDetails } from '../tickets/repo';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/**
 * Builds the snapshot of ticket `ticketId` (with internal dynamic fields: the engine owns them).
 *
 * @example
 * const snapshot = await ticketSnapshot(trx, 42); // { ticket: { title, queue, ..., dynamicFields }, customer, owner }
 */
export async function ticketSnapshot(db: Kysely<DB>, ticketId: number, now: Date = new Date()): Promise<Snapshot> {
  const t = await ticketDetails(db, ticketId);
  if (!t) throw new NotFound('ticket');
  const escalation = await escalationSnapshot(db, ticketId, now);
  const fields = (await getValues(db, 'ticket', [t.id], { includeInternal: true })).get(t.id) ?? {};
  const snapshot: Snapshot = {
    ticket: {
      id: t.id,
      number: t.tn,
      title: t.title,
      queue: t.queue_name,
      state: t.state_name,
      stateType: t.state_type,
      priority: t.priority_name,
      type: t.type_name,
      owner: t.owner_login,
      responsible: t.responsible_login,
      customerUser: t.customer_user_login,
      customerId: t.customer_id,
      service: t.service_name,
      sla: t.sla_name,
      lock: t.locked ? 'lock' : 'unlock',
      pendingTime: iso(t.pending_until),
      created: t.created_at.toISOString(),
      changed: t.changed_at.toISOString(),
      dynamicFields: fields as Record<string, JsonValue>,
      escalation,
    },
  };
  const ids = [t.owner_id, t.responsible_id].filter((x): x is number => x !== null);
  if (ids.length) {
    const agents = await db.selectFrom('agents').select(['id', 'login', 'email', 'first_name', 'last_name']).where('id', 'in', ids).execute();
    const person = (id: number | null): PersonSnapshot | undefined => {
      const a = agents.find((x) => x.id === id);
      return a ? { login: a.login, email: a.email, firstName: a.first_name, lastName: a.last_name, fullName: `${a.first_name} ${a.last_name}` } : undefined;
    };
    const owner = person(t.owner_id);
    const responsible = person(t.responsible_id);
    if (owner) snapshot.owner = owner;
    if (responsible) snapshot.responsible = responsible;
  }
  if (t.customer_user_id !== null) {
    const c = await db
      .selectFrom('customer_users')
      .select(['login', 'email', 'first_name', 'last_name', 'customer_id', 'phone'])
      .where('id', '=', t.customer_user_id)
      .executeTakeFirst();
    if (c) {
      snapshot.customer = { login: c.login, email: c.email, firstName: c.first_name, lastName: c.last_name, fullName: `${c.first_name} ${c.last_name}`, customerId: c.customer_id, phone: c.phone };
    }
  }
  return snapshot;
}

/** The SLA deadlines of a ticket as conditions read them (`ticket.escalation.*`); null without an SLA. */
async function escalationSnapshot(db: Kysely<DB>, ticketId: number, now: Date): Promise<EscalationSnapshot | null> {
  const e = await db
    .selectFrom('tickets as t')
    .leftJoin('slas as s', 's.id', 't.escalation_sla_id')
    .select(['s.name as sla', 't.escalation_at', 't.first_response_due', 't.update_due', 't.solution_due'])
    .where('t.id', '=', ticketId)
    .executeTakeFirst();
  if (!e || e.sla === null) return null;
  const passed = (d: Date | null) => !!d && d <= now;
  return {
    sla: e.sla,
    escalationAt: iso(e.escalation_at),
    escalated: passed(e.escalation_at),
    minutesLeft: e.escalation_at ? Math.floor((e.escalation_at.getTime() - now.getTime()) / 60_000) : null,
    firstResponseDue: iso(e.first_response_due),
    firstResponseEscalated: passed(e.first_response_due),
    updateDue: iso(e.update_due),
    updateEscalated: passed(e.update_due),
    solutionDue: iso(e.solution_due),
    solutionEscalated: passed(e.solution_due),
  };
}
