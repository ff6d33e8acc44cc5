/** The job kinds the worker runs, by `jobs.kind`. */
import { scriptJob } from './script';
import { serviceJob } from './service';
import { timerJob } from './timer';
import { childJob } from './child';
import { mailJob } from './mail';
import { mailFetchJob } from './mail-fetch';
import { lockTimeoutJob } from './lock-timeout';
import { pendingReminderJob } from './pending-reminder';
import { statReportJob } from './stat-report';
import { escalationScanJob } from './escalation-scan';
import { appointmentReminderJob } from './appointment-reminder';
import type { JobKind } from './types';

export type { JobEnv, JobKind } from './types';
export { RetryJob } from './types';

export const JOB_KINDS: Record<string, JobKind> = {
  'appointment-reminder': appointmentReminderJob,
  child: childJob,
  'escalation-scan': escalationScanJob,
  'mail-fetch': mailFetchJob,
  mail: mailJob,
  'lock-timeout': lockTimeoutJob,
  'pending-reminder': pendingReminderJob,
  script: scriptJob,
  'stat-report': statReportJob,
  service: serviceJob,
  timer: timerJob,
};
