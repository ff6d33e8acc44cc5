/**
 * OTOBO's escalation fields of a ticket (Kernel/System/Ticket.pm), for the Generic Interface's
 * TicketGet: always `EscalationTime`, `EscalationResponseTime`, `EscalationUpdateTime`,
 * `EscalationSolutionTime` (epoch seconds of the deadlines, "0" when none); with `Extended`, per
 * deadline (`FirstResponseTime`, `UpdateTime`, `SolutionTime`) the `…DestinationDate`
 * (`YYYY-MM-DD HH:MM:SS`, UTC), `…DestinationTime` (epoch), the working seconds left (negative once
 * escalated) as `…` and `…WorkingTime`, and the flags `…Escalation` / `…Notification` (1 when
 * escalated / when the notify percentage is reached).
 */
import type { Kysely } from 'kysely';
import { workingMinutesBetween } from '../../engine/model/business-time';
import type { DB } from '../db/schema';
import { loadCalendar } from './recompute';

type Data = Record<string, unknown>;
const epoch = (d: Date | null) => (d ? String(Math.floor(d.getTime() / 1000)) : '0');
const otoboTime = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ');

export async function otoboEscalationFields(db: Kysely<DB>, ticketId: number, now: Date, extended: boolean): Promise<Data> {
  const t = await db
    .selectFrom('tickets as t')
    .leftJoin('slas as s', 's.id', 't.escalation_sla_id')
    .leftJoin('queues as q', 'q.id', 't.queue_id')
    .select([
      't.first_response_due', 't.update_due', 't.solution_due', 't.escalation_at', 't.created_at', 't.update_since',
      's.first_response_minutes', 's.update_minutes', 's.solution_minutes', 's.first_response_notify', 's.update_notify', 's.solution_notify',
      's.calendar_id', 'q.calendar_id as queue_calendar_id',
    ])
    .where('t.id', '=', ticketId)
    .executeTakeFirstOrThrow();
  const out: Data = {
    EscalationResponseTime: epoch(t.first_response_due),
    EscalationUpdateTime: epoch(t.update_due),
    EscalationSolutionTime: epoch(t.solution_due),
    EscalationTime: epoch(t.escalation_at),
  };
  if (!extended || !t.escalation_at) return out;
  const calendar = await loadCalendar(db, t.calendar_id ?? t.queue_calendar_id);
  const parts: Array<[string, Date | null, number | null, number | null]> = [
    ['FirstResponseTime', t.first_response_due, t.first_response_minutes, t.first_response_notify],
    ['UpdateTime', t.update_due, t.update_minutes, t.update_notify],
    ['SolutionTime', t.solution_due, t.solution_minutes, t.solution_notify],
  ];
  for (const [key, due, minutes, notify] of parts) {
    if (!due || minutes === null) continue;
    const left = Math.round((due > now ? workingMinutesBetween(calendar, now, due) : -workingMinutesBetween(calendar, due, now)) * 60);
    out[`${key}DestinationDate`] = otoboTime(due);
    out[`${key}DestinationTime`] = epoch(due);
    out[key] = left;
    out[`${key}WorkingTime`] = left;
    out[`${key}Escalation`] = due <= now ? 1 : 0;
    out[`${key}Notification`] = notify && left <= minutes * 60 * (1 - notify / 100) ? 1 : 0;
  }
  return out;
}
