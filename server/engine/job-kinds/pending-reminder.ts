/** A ticket's pending time is reached: raise its pending-reminder notification (no instance event). */
import { remindIfDue, type PendingReminderPayload } from '../../notifications/reminders';
import type { JobKind } from './types';

export const pendingReminderJob: JobKind = {
  async run(_job, payload, env) {
    await remindIfDue(env.services.database.db, payload as PendingReminderPayload, env.services.now());
    return null;
  },
};
