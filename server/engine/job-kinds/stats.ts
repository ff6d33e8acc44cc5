/**
 * `stats` jobs: roll the facts the statistics observer appended (`process_stats_pending`) up into
 * `process_stats` and `process_throughput`. One is queued per minute of activity; nothing is applied
 * to an instance.
 */
import { rollupStats } from '../effects/stats';
import type { JobKind } from './types';

export const statsJob: JobKind = {
  async run(_job, _payload, { services }) {
    await rollupStats(services.database.db);
    return null;
  },
};
