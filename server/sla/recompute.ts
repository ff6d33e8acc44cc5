/**
 * Recomputes a ticket's escalation columns inside the transaction of the change that may move them.
 * `writeHistory` calls it for every ticket it writes history for, so every state, SLA, queue,
 * article or customer change (agent UI, REST, Generic Interface, mail, process actions, jobs)
 * recomputes in its own transaction without each writer having to remember.
 *
 * Which SLA: the ticket's own, else the first valid SLA (by name) whose conditions match its queue,
 * priority, type and customer (Zammad's selection). Which calendar: the SLA's, else the queue's,
 * else the default calendar, else around the clock.
 */
import { sql, type Kysely } from 'kysely';
import { ALWAYS, type BusinessCalendar } from '../../engine/model/business-time';
import type { DB, SlaConditions } from '../db/schema';
import { scheduleEscalationScan } from './scan-job';
import { computeEscalation, type Contact, type Notice, type SlaTimes } from './compute';

/** What a recompute found: the calendar in force and the notices not sent yet (past ones included). */
export interface Recomputed {
  calendar: BusinessCalendar;
  slaName: string;
  unsent: Notice[];
}

const ANSWER_CHANNELS = ['email', 'phone', 'portal', 'chat'] as const;
/** Contacts read per recompute (newest first): enough for the update rule's unanswered run. */
const CONTACTS = 50;

interface SlaRow {
  id: number;
  name: string;
  calendar_id: number | null;
  first_response_minutes: number | null;
  update_minutes: number | null;
  solution_minutes: number | null;
  first_response_notify: number | null;
  update_notify: number | null;
  solution_notify: number | null;
  conditions?: SlaConditions | null;
}

const SLA_COLUMNS = ['s.id', 's.name', 's.calendar_id', 's.first_response_minutes', 's.update_minutes', 's.solution_minutes', 's.first_response_notify', 's.update_notify', 's.solution_notify'] as const;

/** Whether `c` selects a ticket with these fields (every list given must contain the ticket's value). */
export function conditionsMatch(c: SlaConditions, t: { queue_id: number; priority_id: number; type_id: number; customer_id: string | null }): boolean {
  if (c.queueIds?.length && !c.queueIds.includes(t.queue_id)) return false;
  if (c.priorityIds?.length && !c.priorityIds.includes(t.priority_id)) return false;
  if (c.typeIds?.length && !c.typeIds.includes(t.type_id)) return false;
  if (c.customerIds?.length && (t.customer_id === null || !c.customerIds.includes(t.customer_id))) return false;
  return true;
}

/** The calendar by id, else the default one, else around the clock. */
export async function loadCalendar(db: Kysely<DB>, id: number | null): Promise<BusinessCalendar> {
  let q = db.selectFrom('business_calendars').select(['time_zone', 'week', 'holidays']).where('valid', '=', true);
  q = id !== null ? q.where((eb) => eb.or([eb('id', '=', id), eb('is_default', '=', true)])).orderBy(sql`(id = ${id}) desc`) : q.where('is_default', '=', true);
  const c = await q.orderBy('id').limit(1).executeTakeFirst();
  return c ? { timeZone: c.time_zone, week: c.week, holidays: c.holidays } : ALWAYS;
}

/** A calendar by name (process timers' `"calendar": "Support hours"`); undefined when there is none. */
export async function calendarByName(db: Kysely<DB>, name: string): Promise<BusinessCalendar | undefined> {
  return (await calendarsByName(db, [name]))[name];
}

/** The valid calendars among `names`, by name (the engine's step context for working-time timers). */
export async function calendarsByName(db: Kysely<DB>, names: string[]): Promise<Record<string, BusinessCalendar>> {
  if (!names.length) return {};
  const rows = await db.selectFrom('business_calendars').select(['name', 'time_zone', 'week', 'holidays']).where('name', 'in', names).where('valid', '=', true).execute();
  return Object.fromEntries(rows.map((c) => [c.name, { timeZone: c.time_zone, week: c.week, holidays: c.holidays }]));
}

const times = (s: SlaRow): SlaTimes => ({
  firstResponseMinutes: s.first_response_minutes,
  updateMinutes: s.update_minutes,
  solutionMinutes: s.solution_minutes,
  firstResponseNotify: s.first_response_notify,
  updateNotify: s.update_notify,
  solutionNotify: s.solution_notify,
});

/**
 * Recomputes the escalation columns of `ticketIds` at `now`. Call it in the changing transaction.
 *
 * @example
 * await recomputeEscalations(trx, [42], now);
 */
export async function recomputeEscalations(db: Kysely<DB>, ticketIds: number[], now: Date): Promise<void> {
  for (const id of new Set(ticketIds)) await recomputeOne(db, id, now);
}

/** Recomputes one ticket; resolves to what it found when an SLA applies. */
export async function recomputeOne(db: Kysely<DB>, id: number, now: Date): Promise<Recomputed | null> {
  const t = await db
    .selectFrom('tickets as t')
    .innerJoin('states as st', 'st.id', 't.state_id')
    .innerJoin('state_types as sty', 'sty.id', 'st.type_id')
    .innerJoin('queues as q', 'q.id', 't.queue_id')
    .select([
      't.id', 't.sla_id', 't.queue_id', 't.priority_id', 't.type_id', 't.customer_id', 't.created_at', 't.escalation_sla_id',
      't.first_response_at', 't.update_base', 't.update_since', 't.update_used_seconds', 't.solved_at', 't.escalation_at', 't.escalation_notify_at',
      't.first_response_due', 't.update_due', 't.solution_due', 'sty.name as state_type', 'q.calendar_id as queue_calendar_id',
    ])
    .where('t.id', '=', id)
    .executeTakeFirst();
  if (!t) return null;

  let sla: SlaRow | undefined;
  if (t.sla_id !== null) {
    sla = await db.selectFrom('slas as s').select(SLA_COLUMNS).where('s.id', '=', t.sla_id).executeTakeFirst();
  } else {
    const candidates = await db.selectFrom('slas as s').select([...SLA_COLUMNS, 's.conditions']).where('s.valid', '=', true).where('s.conditions', 'is not', null).orderBy('s.name').execute();
    sla = candidates.find((c) => c.conditions && conditionsMatch(c.conditions, t));
  }

  if (!sla) {
    // No SLA: keep the facts, clear any deadlines left from before.
    const solved = t.state_type === 'closed' && !t.solved_at;
    if (!solved && t.escalation_sla_id === null && !t.first_response_due && !t.update_due && !t.solution_due && !t.escalation_at && !t.escalation_notify_at) return null;
    await db
      .updateTable('tickets')
      .set({ escalation_sla_id: null, first_response_due: null, update_due: null, solution_due: null, escalation_at: null, escalation_notify_at: null, ...(solved ? { solved_at: now } : {}) })
      .where('id', '=', id)
      .execute();
    return null;
  }

  const calendar = await loadCalendar(db, sla.calendar_id ?? t.queue_calendar_id);
  const contacts = (
    await db
      .selectFrom('articles')
      .select(['sender_type', 'created_at'])
      .where('ticket_id', '=', id)
      .where('visible_for_customer', '=', true)
      .where('sender_type', 'in', ['agent', 'customer'])
      .where('channel', 'in', ANSWER_CHANNELS)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(CONTACTS)
      .execute()
  ).map((a): Contact => ({ sender: a.sender_type as Contact['sender'], at: a.created_at }));

  const r = computeEscalation({
    now,
    sla: times(sla),
    calendar,
    stateType: t.state_type,
    createdAt: t.created_at,
    contacts,
    clock: { firstResponseAt: t.first_response_at, updateBase: t.update_base, updateSince: t.update_since, updateUsedSeconds: t.update_used_seconds, solvedAt: t.solved_at },
  });

  let notifyAt: Date | null = null;
  const unsent: Notice[] = [];
  if (r.notices.length) {
    const sent = await db.selectFrom('ticket_escalation_notices').select(['kind', 'level', 'due_at']).where('ticket_id', '=', id).execute();
    const done = new Set(sent.map((s) => `${s.kind}/${s.level}/${s.due_at.getTime()}`));
    for (const n of r.notices) {
      if (done.has(`${n.kind}/${n.level}/${n.due.getTime()}`)) continue;
      unsent.push(n);
      if (!notifyAt || n.at < notifyAt) notifyAt = n.at;
    }
  }

  await db
    .updateTable('tickets')
    .set({
      escalation_sla_id: sla.id,
      first_response_at: r.clock.firstResponseAt,
      update_base: r.clock.updateBase,
      update_since: r.clock.updateSince,
      update_used_seconds: r.clock.updateUsedSeconds,
      solved_at: r.clock.solvedAt,
      first_response_due: r.firstResponseDue,
      update_due: r.updateDue,
      solution_due: r.solutionDue,
      escalation_at: r.escalationAt,
      escalation_notify_at: notifyAt,
    })
    .where('id', '=', id)
    .execute();
  if (notifyAt && notifyAt.getTime() !== t.escalation_notify_at?.getTime()) await scheduleEscalationScan(db, notifyAt, now);
  return { calendar, slaName: sla.name, unsent };
}
