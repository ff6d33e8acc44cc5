/** A ticket's lock may have timed out: unlock it and tell its owner (no instance event). */
import { unlockIfTimedOut, type LockTimeoutPayload } from '../../notifications/lock-timeout';
import type { JobKind } from './types';

export const lockTimeoutJob: JobKind = {
  async run(_job, payload, env) {
    await unlockIfTimedOut(env.services.database.db, payload as LockTimeoutPayload, env.services.now());
    return null;
  },
};
