/** Timer jobs: due at the timer's time, they send `timerFired` (a cancelled or unknown timer is refused as stale; the job is just done). */
import type { JobKind } from './types';

export const timerJob: JobKind = {
  run(_job, payload) {
    const p = payload as { timer: string };
    return Promise.resolve({ type: 'timerFired', timer: p.timer });
  },
};
