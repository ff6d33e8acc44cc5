/**
 * Escalation notices, sent by the job kind `escalation-scan` (scheduled by server/sla/scan-job.ts
 * for the minute a ticket's next notice is due): the scan takes
 * the tickets whose next notice is due (`escalation_notify_at <= now`, an index range scan) with
 * `FOR UPDATE SKIP LOCKED`, so several processes share the work without doing any of it twice, and
 * for each:
 * - outside the working hours of the ticket's calendar: nothing is sent; the ticket is looked at
 *   again at the next working minute (the catch-up);
 * - inside: each due notice is recorded in `ticket_escalation_notices` (its key makes it once) and
 *   raised as the `escalationWarning` / `escalation` notification event. When the warning and the
 *   escalation of one deadline are both due (e.g. after a night), only the escalation is sent.
 */
import type { Kysely } from 'kysely';
import { isWorkingTime, nextWorkingTime } from '../../engine/model/business-time';
import type { DB } from '../db/schema';
import { raiseNotification } from '../notifications/raise';
import type { Notice } from './compute';
import { recomputeOne } from './recompute';
import { scheduleEscalationScan } from './scan-job';

/** Tickets handled per scan transaction. */
const BATCH = 200;

const LABEL: Record<Notice['kind'], string> = { firstResponse: 'first response', update: 'update', solution: 'solution' };

/** One scan at `now`: resolves to the number of notifications raised. */
export async function scanEscalations(db: Kysely<DB>, now: Date): Promise<number> {
  let raised = 0;
  for (;;) {
    const batch = await db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('tickets')
        .select('id')
        .where('escalation_notify_at', '<=', now)
        .orderBy('escalation_notify_at')
        .limit(BATCH)
        .forUpdate()
        .skipLocked()
        .execute();
      for (const { id } of rows) raised += await noticesFor(trx, id, now);
      return rows.length;
    });
    if (batch < BATCH) return raised;
  }
}

async function noticesFor(trx: Kysely<DB>, id: number, now: Date): Promise<number> {
  const r = await recomputeOne(trx, id, now);
  if (!r) return 0;
  const due = r.unsent.filter((n) => n.at <= now);
  if (!due.length) return 0;
  if (!isWorkingTime(r.calendar, now)) {
    const later = nextWorkingTime(r.calendar, now);
    await trx.updateTable('tickets').set({ escalation_notify_at: later }).where('id', '=', id).execute();
    if (later) await scheduleEscalationScan(trx, later, now);
    return 0;
  }
  let raised = 0;
  for (const n of due) {
    const inserted = await trx
      .insertInto('ticket_escalation_notices')
      .values({ ticket_id: id, kind: n.kind, level: n.level, due_at: n.due, sent_at: now })
      .onConflict((oc) => oc.doNothing())
      .returning('ticket_id')
      .executeTakeFirst();
    const superseded = n.level === 'warning' && due.some((o) => o.kind === n.kind && o.level === 'escalation' && o.due.getTime() === n.due.getTime());
    if (!inserted || superseded) continue;
    await raiseNotification(
      trx,
      { type: n.level === 'warning' ? 'escalationWarning' : 'escalation', ticketId: id, actor: { kind: 'system', id: null }, data: { deadline: LABEL[n.kind], due: n.due.toISOString(), sla: r.slaName } },
      now,
    );
    raised++;
  }
  // The next notice (the ones just sent are recorded now).
  await recomputeOne(trx, id, now);
  return raised;
}

/** Tickets whose next escalation notice is due at `now` (the scan's index range; used by the bench). */
export function dueTicketsQuery(db: Kysely<DB>, now: Date, limit = BATCH) {
  return db.selectFrom('tickets').select('id').where('escalation_notify_at', '<=', now).orderBy('escalation_notify_at').limit(limit);
}

