/** The job kinds the worker runs, by `jobs.kind`. */
import { scriptJob } from './script';
import { serviceJob } from './service';
import { timerJob } from './timer';
import { childJob } from './child';
import { lockTimeoutJob } from './lock-timeout';
import { pendingReminderJob } from './pending-reminder';
import type { JobKind } from './types';

export type { JobEnv, JobKind } from './types';
export { RetryJob } from './types';

export const JOB_KINDS: Record<string, JobKind> = {
  child: childJob,
  'lock-timeout': lockTimeoutJob,
  'pending-reminder': pendingReminderJob,
  script: scriptJob,
  service: serviceJob,
  timer: timerJob,
};
