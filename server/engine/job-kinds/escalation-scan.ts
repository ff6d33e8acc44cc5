/** The escalation scan (server/sla/notify.ts): sends the notices due now; each ticket's recompute schedules its next. */
import { scanEscalations } from '../../sla/notify';
import type { JobKind } from './types';

export const escalationScanJob: JobKind = {
  async run(_job, _payload, env) {
    await scanEscalations(env.services.database.db, env.services.now());
    return null;
  },
};
