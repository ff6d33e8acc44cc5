/**
 * Scheduling the escalation scan (job kind `escalation-scan`, server/sla/notify.ts): whenever a
 * ticket's next notice time is set, a scan is scheduled for that minute — one job per minute
 * however many tickets or processes ask (the job key), and none while nothing is due.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';

export const ESCALATION_SCAN_JOB = 'escalation-scan';
const MINUTE = 60_000;

/**
 * @example
 * await scheduleEscalationScan(trx, ticket.escalation_notify_at, now);
 */
export async function scheduleEscalationScan(db: Kysely<DB>, at: Date, now: Date): Promise<void> {
  const minute = new Date(Math.max(Math.ceil(at.getTime() / MINUTE), Math.ceil(now.getTime() / MINUTE)) * MINUTE);
  await db
    .insertInto('jobs')
    .values({ kind: ESCALATION_SCAN_JOB, instance_id: null, key: `${ESCALATION_SCAN_JOB}:${minute.toISOString()}`, payload: '{}', max_attempts: 3, run_at: minute, created_at: now })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}
