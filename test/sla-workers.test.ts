/**
 * Two worker processes on one PostgreSQL (skipped without TEST_DATABASE_URL) run escalation scans at
 * the same time over the same due tickets: every escalation notice goes out exactly once (one bell
 * entry and one mail per ticket).
 */
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TEST_DATABASE_URL } from './support/db';
import { spawnTestTimeout, spawnWorker } from './support/spawn';
import { newTicket, startHelpdesk, type Helpdesk } from './support/tickets';

const TICKETS = 30;
const allDay = [{ from: '00:00', to: '24:00' }];

describe.skipIf(!TEST_DATABASE_URL)('escalation notices with two worker processes on postgres', { timeout: spawnTestTimeout(2) }, () => {
  let h: Helpdesk;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    h = await startHelpdesk('postgres', { queues: { Support: 'users' }, agents: { alice: { users: ['rw'] } } });
    const cal = await h.as.admin!.post('/api/v1/business-calendars', { name: 'Around the clock', timeZone: 'UTC', week: Object.fromEntries([0, 1, 2, 3, 4, 5, 6].map((d) => [d, allDay])) });
    expect(cal.status, JSON.stringify(cal.body)).toBe(201);
    expect((await h.as.admin!.post('/api/v1/slas', { name: 'Fast', calendarId: cal.body.id, firstResponseMinutes: 1 })).status).toBe(201);
  }, spawnTestTimeout(1));
  afterAll(async () => {
    for (const w of workers) {
      w.removeAllListeners('exit');
      w.kill('SIGTERM');
    }
    await h?.close();
  });

  it('sends each escalation once', async () => {
    // The tickets came in ten minutes ago; their first response was due nine minutes ago.
    h.srv.setClock(new Date(Date.now() - 10 * 60_000));
    const ids: number[] = [];
    for (let i = 0; i < TICKETS; i++) ids.push((await newTicket(h.as.admin!, { title: `Unanswered ${i}`, queue: 'Support', sla: 'Fast', owner: 'alice', article: { channel: 'phone', senderType: 'customer', body: 'Hello?' } })).id);
    const db = h.srv.database.db;
    // Several scans due at once, so both processes scan the same tickets concurrently.
    for (let m = 1; m <= 6; m++) {
      await db.insertInto('jobs').values({ kind: 'escalation-scan', instance_id: null, key: `escalation-scan:test-${m}`, payload: '{}', run_at: new Date(Date.now() - m * 1000), created_at: new Date() }).execute();
    }
    workers.push(await spawnWorker(h.srv.database.schema!, 'w1'), await spawnWorker(h.srv.database.schema!, 'w2'));

    await vi.waitFor(
      async () => {
        const open = await db.selectFrom('jobs').select('id').where('kind', '=', 'escalation-scan').where('status', '!=', 'done').where('run_at', '<=', new Date()).execute();
        expect(open).toEqual([]);
        const sent = await db.selectFrom('ticket_escalation_notices').select('ticket_id').execute();
        expect(sent).toHaveLength(TICKETS);
      },
      { timeout: 60_000, interval: 200 },
    );
    const bell = await db.selectFrom('notifications').select('ticket_id').where('event', '=', 'escalation').where('recipient_id', '=', h.agents.alice!).execute();
    expect(bell.map((n) => n.ticket_id).sort((a, b) => a! - b!)).toEqual([...ids].sort((a, b) => a - b));
    const mails = await db.selectFrom('mail_log').select('ticket_id').where('subject', 'like', 'Escalated%').execute();
    expect(mails).toHaveLength(TICKETS);
    const done = await db.selectFrom('jobs').select('locked_by').where('kind', '=', 'escalation-scan').where('status', '=', 'done').execute();
    expect(done.length).toBeGreaterThanOrEqual(6);
  });
});
