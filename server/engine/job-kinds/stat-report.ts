/** A report's schedule slot is due: render it, record the run, mail it, schedule the next slot (stats/reports.ts). */
import { runScheduledReport, type ReportPayload } from '../../stats/reports';
import type { JobKind } from './types';

export const statReportJob: JobKind = {
  async run(_job, payload, env) {
    await runScheduledReport(env.services.database.db, payload as ReportPayload, env.services.now());
    return null;
  },
};
