/**
 * Appointment reminders with two worker processes on one PostgreSQL (skipped without
 * TEST_DATABASE_URL): forty appointments whose reminders are due are reminded exactly once each —
 * one bell entry and one mail per agent of the calendar — although both processes claim jobs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Access } from '../server/access/access';
import { ensureAdmin } from '../server/auth/service';
import { AppointmentService } from '../server/calendars/appointments';
import { PROJECT_ROOT } from '../server/config';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from './support/db';
import { createAgent, createGroup } from './support/fixtures';
import { spawnTestTimeout } from './support/spawn';

const APPOINTMENTS = 40;

function spawnWorker(schema: string, id: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'test/support/engine-worker.ts')], {
    env: { ...process.env, DATABASE_URL: TEST_DATABASE_URL, ENGINE_SCHEMA: schema, WORKER_ID: id, WORKER_POLL_MS: '100', WORKER_CONCURRENCY: '4' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`worker ${id} exited with ${code}`)));
    child.stdout!.on('data', (b: Buffer) => {
      if (b.toString().includes('ready')) resolve(child);
    });
  });
}

describe.skipIf(!TEST_DATABASE_URL)('appointment reminders with two processes on postgres', () => {
  let database: TestDatabase;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    await ensureAdmin(database.db, 'admin-pw-123');
  });
  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
    await database?.close();
  });

  it('sends each due reminder once', async () => {
    const db = database.db;
    const group = await createGroup(db, 'team');
    const ann = await createAgent(db, 'ann', 'pw-123456789', { groups: { team: ['rw'] } });
    await createAgent(db, 'ben', 'pw-123456789', { groups: { team: ['ro'] } });
    const cal = await db.insertInto('calendars').values({ name: 'Team', color: '#123456', group_id: group }).returning('id').executeTakeFirstOrThrow();
    const access = new Access(db, { kind: 'agent', id: ann, login: 'ann', via: 'token' });
    const appointments = new AppointmentService(db, () => new Date());
    const start = new Date(Date.now() + 5 * 60_000);
    for (let i = 0; i < APPOINTMENTS; i++) {
      await appointments.create(access, { calendarId: cal.id, title: `Meeting ${i}`, start: start.toISOString(), end: new Date(start.getTime() + 3600_000).toISOString(), timeZone: 'UTC', rrule: i % 2 ? 'FREQ=DAILY;COUNT=2' : null, reminderMinutes: 30 });
    }
    workers.push(await spawnWorker(database.schema!, 'w1'), await spawnWorker(database.schema!, 'w2'));

    const due = () => db.selectFrom('jobs').select(['status', 'payload', 'locked_by']).where('kind', '=', 'appointment-reminder').where('run_at', '<=', new Date()).execute();
    await vi.waitFor(
      async () => {
        const jobs = await due();
        expect(jobs).toHaveLength(APPOINTMENTS);
        expect(jobs.every((j) => j.status === 'done')).toBe(true);
      },
      { timeout: 120_000, interval: 200 },
    );
    const bell = await db.selectFrom('notifications').select(['recipient_id', 'title']).where('event', '=', 'appointmentReminder').execute();
    expect(bell).toHaveLength(APPOINTMENTS * 2);
    expect(new Set(bell.map((n) => `${n.recipient_id} ${n.title}`)).size).toBe(APPOINTMENTS * 2);
    const mails = (await db.selectFrom('jobs').select('payload').where('kind', '=', 'mail').execute()).map((j) => j.payload as { subject: string; to: string[] });
    expect(mails.filter((m) => m.subject.startsWith('Reminder: Meeting'))).toHaveLength(APPOINTMENTS * 2);
    // The repeating ones have their next reminder waiting for tomorrow.
    expect(await db.selectFrom('jobs').select('id').where('kind', '=', 'appointment-reminder').where('status', '=', 'ready').execute()).toHaveLength(APPOINTMENTS / 2);
  }, spawnTestTimeout(2));
});
