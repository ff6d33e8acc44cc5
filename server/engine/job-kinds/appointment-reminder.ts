/** An appointment's reminder time is reached: raise its reminder notification and schedule the next one (no instance event). */
import { remindAppointment, type AppointmentReminderPayload } from '../../calendars/reminders';
import type { JobKind } from './types';

export const appointmentReminderJob: JobKind = {
  async run(_job, payload, env) {
    await remindAppointment(env.services.database.db, payload as AppointmentReminderPayload, env.services.now());
    return null;
  },
};
