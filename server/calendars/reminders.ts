/**
 * Appointment reminders: an appointment with a reminder offset gets one job (kind
 * `appointment-reminder`) due `reminder_minutes` before its next occurrence. The job's key names
 * the appointment, the occurrence and the offset, so scheduling twice adds nothing, and the job
 * table's claim (`FOR UPDATE SKIP LOCKED` under a lease) lets one server process run it. When it
 * runs and the appointment still has that occurrence with that offset, the `appointmentReminder`
 * notification goes to the agents who may read the calendar (email and web, by their
 * preferences), and the next occurrence's reminder is scheduled. A changed or deleted
 * appointment leaves old jobs to find nothing to do.
 */
import type { Kysely, Selectable } from 'kysely';
import { agentsWithGroupPermission } from '../access/access';
import type { DB } from '../db/schema';
import type { AppointmentsTable } from '../db/tables-calendars';
import { raiseNotification } from '../notifications/raise';
import { isOccurrence, nextOccurrence, type Series } from './recurrence';

export const APPOINTMENT_REMINDER_JOB = 'appointment-reminder';

export interface AppointmentReminderPayload {
  appointmentId: number;
  /** Start of the occurrence (ISO). */
  occurrence: string;
  minutes: number;
}

type Row = Selectable<AppointmentsTable>;

export const seriesOf = (r: Pick<Row, 'start_at' | 'end_at' | 'time_zone' | 'rrule' | 'exdates'>): Series => ({ start: r.start_at, end: r.end_at, timeZone: r.time_zone, rrule: r.rrule, exdates: r.exdates });

/**
 * Schedules the reminder of the next occurrence of `a` that has not started, in the
 * transaction that wrote the appointment (nothing when it has no reminder).
 *
 * @example
 * await scheduleAppointmentReminder(trx, row, now);
 */
export async function scheduleAppointmentReminder(db: Kysely<DB>, a: Row, now: Date, after?: Date): Promise<void> {
  if (a.reminder_minutes === null) return;
  const lead = a.reminder_minutes * 60_000;
  // The next occurrence still to start (its reminder is due now if its time has passed).
  const from = after ?? now;
  const overrides = a.rrule ? (await db.selectFrom('appointments').select('recurrence_id').where('parent_id', '=', a.id).execute()).map((o) => o.recurrence_id!.toISOString()) : [];
  const occ = nextOccurrence({ ...seriesOf(a), exdates: [...a.exdates, ...overrides] }, from);
  if (!occ) return;
  const payload: AppointmentReminderPayload = { appointmentId: a.id, occurrence: occ.toISOString(), minutes: a.reminder_minutes };
  await db
    .insertInto('jobs')
    .values({
      kind: APPOINTMENT_REMINDER_JOB,
      instance_id: null,
      key: `${APPOINTMENT_REMINDER_JOB}:${a.id}:${payload.occurrence}:${payload.minutes}`,
      payload: JSON.stringify(payload),
      run_at: new Date(Math.max(now.getTime(), occ.getTime() - lead)),
      created_at: now,
    })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}

/**
 * Raises the reminder when the appointment still has the occurrence with the same offset, then
 * schedules the next one (resolves to whether it reminded). Runs in its own transaction.
 */
export async function remindAppointment(db: Kysely<DB>, p: AppointmentReminderPayload, now: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const a = await trx.selectFrom('appointments').selectAll().where('id', '=', p.appointmentId).forUpdate().executeTakeFirst();
    if (!a || a.reminder_minutes !== p.minutes) return false;
    const at = new Date(p.occurrence);
    const overridden = a.rrule ? await trx.selectFrom('appointments').select('id').where('parent_id', '=', a.id).where('recurrence_id', '=', at).executeTakeFirst() : undefined;
    if (overridden || !isOccurrence(seriesOf(a), at)) return false;
    const cal = await trx.selectFrom('calendars').select(['name', 'group_id', 'valid']).where('id', '=', a.calendar_id).executeTakeFirstOrThrow();
    if (cal.valid) {
      const agentIds = await agentsWithGroupPermission(trx, cal.group_id, 'ro');
      const end = new Date(at.getTime() + (a.end_at.getTime() - a.start_at.getTime()));
      const local = (d: Date) => d.toLocaleString('en-GB', { timeZone: a.time_zone, dateStyle: 'medium', timeStyle: a.all_day ? undefined : 'short' });
      await raiseNotification(
        trx,
        {
          type: 'appointmentReminder',
          ticketId: null,
          agentIds,
          actor: { kind: 'system', id: null },
          data: { 'appointment.title': a.title, 'appointment.start': local(at), 'appointment.end': local(end), 'appointment.timeZone': a.time_zone, 'appointment.location': a.location || '-', 'appointment.description': a.description, 'appointment.calendar': cal.name, 'appointment.id': a.id },
        },
        now,
      );
    }
    await scheduleAppointmentReminder(trx, a, now, new Date(at.getTime() + 1));
    return true;
  });
}
