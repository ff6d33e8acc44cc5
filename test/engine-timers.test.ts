/**
 * Durable timers on a real server, driven by the test's clock (moved, never waited for) and a
 * worker the test drains: an intermediate timer holds the token until it is due; a boundary timer
 * on a user task interrupts it (the dialog closes, the escalation path is taken) or, when
 * non-interrupting, starts the escalation path beside the still open task; a cycle `R3/PT1H` fires
 * three times; completing the task cancels its timer; and a timer that fell due while no server ran
 * fires at the next start on the same data. PGlite, and PostgreSQL with TEST_DATABASE_URL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Process } from '../engine/model/types';
import { createApp } from '../server/app';
import { ensureAdmin } from '../server/auth/service';
import { loadConfig } from '../server/config';
import { migrateToLatest, openDatabase, type Database, type DatabaseKind } from '../server/db/index';
import { closeEngine } from '../server/engine/engine';
import { startWorker, type JobWorker } from '../server/engine/worker';
import { createServices } from '../server/services';
import { createSchema, databaseKinds, dropSchema, TEST_DATABASE_URL } from './support/db';
import { deploy, processTicket, startEngineHelpdesk, type EngineHelpdesk } from './support/engine';
import { createAgent } from './support/fixtures';
import { ADMIN_PASSWORD, Client } from './support/server';
import { PW, type Helpdesk } from './support/tickets';

const HOUR = 3_600_000;
const agent = ['agent'] as const;
const base = (key: string, name: string): Pick<Process, 'format' | 'key' | 'name' | 'start'> => ({ format: 'process/1', key, name, start: { interfaces: [...agent] } });
const titleDialog = { interfaces: [...agent], fields: [{ field: 'Title' as const, display: 'shown' as const }] };

/** start → wait an hour (intermediate timer) → check (a dialog) → end. */
const waitAnHour: Process = {
  ...base('tm-wait', 'Wait an hour'),
  nodes: [
    { id: 'start', type: 'startEvent' },
    { id: 'wait', name: 'Wait an hour', type: 'intermediateTimer', duration: 'PT1H' },
    { id: 'check', name: 'Check', type: 'userTask', dialog: titleDialog },
    { id: 'end', type: 'endEvent' },
  ],
  transitions: [
    { id: 't1', from: 'start', to: 'wait' },
    { id: 't2', from: 'wait', to: 'check' },
    { id: 't3', from: 'check', to: 'end' },
  ],
};

/** approve (a dialog) with a boundary timer `late` → escalate (a dialog, with a note written on the way) → escalated. */
function escalation(key: string, timer: { duration?: string; cycle?: string }, interrupting: boolean): Process {
  return {
    ...base(key, `Escalation ${key}`),
    nodes: [
      { id: 'start', type: 'startEvent' },
      { id: 'approve', name: 'Approve', type: 'userTask', dialog: titleDialog },
      { id: 'late', name: 'Too late', type: 'boundaryTimer', attachedTo: 'approve', interrupting, ...timer },
      { id: 'escalate', name: 'Escalate', type: 'userTask', dialog: titleDialog },
      { id: 'end', type: 'endEvent' },
      { id: 'escalated', type: 'endEvent' },
    ],
    transitions: [
      { id: 't1', from: 'start', to: 'approve' },
      { id: 't2', from: 'approve', to: 'end' },
      { id: 't3', from: 'late', to: 'escalate', actions: [{ type: 'TicketArticleCreate', subject: 'Reminder', body: 'Approval is late.', channel: 'Internal' }] },
      { id: 't4', from: 'escalate', to: 'escalated' },
    ],
  };
}

/** approve with a non-interrupting reminder every hour, three times; each reminder writes a note and ends. */
const reminders: Process = {
  ...base('tm-cycle', 'Hourly reminders'),
  nodes: [
    { id: 'start', type: 'startEvent' },
    { id: 'approve', name: 'Approve', type: 'userTask', dialog: titleDialog },
    { id: 'remind', name: 'Remind', type: 'boundaryTimer', attachedTo: 'approve', interrupting: false, cycle: 'R3/PT1H' },
    { id: 'end', type: 'endEvent' },
    { id: 'reminded', type: 'endEvent' },
  ],
  transitions: [
    { id: 't1', from: 'start', to: 'approve' },
    { id: 't2', from: 'approve', to: 'end' },
    { id: 't3', from: 'remind', to: 'reminded', actions: [{ type: 'TicketArticleCreate', subject: 'Reminder', body: 'Please approve.', channel: 'Internal' }] },
  ],
};

const interruptingLate = escalation('tm-interrupt', { duration: 'PT8H' }, true);
const nonInterruptingLate = escalation('tm-beside', { duration: 'PT8H' }, false);

describe.each(databaseKinds)('engine timers on %s', (kind) => {
  let h: EngineHelpdesk;
  beforeAll(async () => {
    h = await startEngineHelpdesk(kind);
    for (const p of [waitAnHour, interruptingLate, nonInterruptingLate, reminders]) await deploy(h, p);
  });
  afterAll(() => h?.close());

  const db = () => h.srv.database.db;
  /** Moves the clock (sessions idle out after 8 h, so alice logs in again, as a person would). */
  const advance = async (ms: number) => {
    h.srv.advance(ms);
    h.as.alice!.cookie = undefined;
    await h.as.alice!.login('alice', PW);
  };
  const view = async (ticketId: number) => {
    const r = await h.as.alice!.get(`/api/v1/tickets/${ticketId}/process`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  };
  const submit = (ticketId: number, node: string) => h.as.alice!.post(`/api/v1/tickets/${ticketId}/dialogs/${node}`, { fields: {} });
  const notes = async (ticketId: number) => ((await h.as.alice!.get(`/api/v1/tickets/${ticketId}/articles`)).body.items as any[]).filter((a) => a.subject === 'Reminder');
  const timerJobs = (instanceId: number) =>
    db().selectFrom('jobs').select(['status', 'last_error', 'run_at', 'payload']).where('instance_id', '=', instanceId).where('kind', '=', 'timer').orderBy('id').execute();

  it('holds the token at an intermediate timer until the clock passes its due time', async () => {
    const s = await processTicket(h, 'alice', 'tm-wait');
    expect(s).toMatchObject({ status: 'running', currentNodes: [{ nodeId: 'wait', wait: 'timer' }], dialogs: [] });
    const [job] = await timerJobs(s.instanceId);
    expect(job!.run_at.getTime() - h.srv.services.now().getTime()).toBeGreaterThan(HOUR - 60_000);
    // Not due yet: nothing runs
    await advance(HOUR - 60_000);
    await h.worker.drain();
    expect((await timerJobs(s.instanceId)).map((j) => j.status)).toEqual(['ready']);
    expect((await view(s.ticketId)).currentNodes).toEqual([expect.objectContaining({ nodeId: 'wait', wait: 'timer' })]);
    // Due: the token moves on to the dialog
    await advance(2 * 60_000);
    await h.worker.drain();
    const v = await view(s.ticketId);
    expect(v.currentNodes).toEqual([expect.objectContaining({ nodeId: 'check', wait: 'dialog' })]);
    expect(v.dialogs.map((d: any) => d.nodeId)).toEqual(['check']);
    expect((await timerJobs(s.instanceId)).map((j) => j.status)).toEqual(['done']);
  });

  it('interrupts a user task when its boundary timer fires: the dialog closes, the escalation path is taken', async () => {
    const s = await processTicket(h, 'alice', 'tm-interrupt');
    expect(s.dialogs.map((d: any) => d.nodeId)).toEqual(['approve']);
    await advance(8 * HOUR + 1000);
    await h.worker.drain();
    const v = await view(s.ticketId);
    expect(v.dialogs.map((d: any) => d.nodeId)).toEqual(['escalate']);
    expect(v.currentNodes.map((n: any) => n.nodeId)).toEqual(['escalate']);
    expect(await notes(s.ticketId)).toHaveLength(1);
    // The approval dialog is gone: a late submit is refused
    const late = await submit(s.ticketId, 'approve');
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('TASK_NOT_OPEN');
    expect((await submit(s.ticketId, 'escalate')).body.status).toBe('completed');
  });

  it('starts the escalation path beside the task when the timer is non-interrupting; the task stays submittable', async () => {
    const s = await processTicket(h, 'alice', 'tm-beside');
    await advance(8 * HOUR + 1000);
    await h.worker.drain();
    const v = await view(s.ticketId);
    expect(v.dialogs.map((d: any) => d.nodeId).sort()).toEqual(['approve', 'escalate']);
    expect(await notes(s.ticketId)).toHaveLength(1);
    const approved = await submit(s.ticketId, 'approve');
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body).toMatchObject({ status: 'running', dialogs: [expect.objectContaining({ nodeId: 'escalate' })] });
    expect((await submit(s.ticketId, 'escalate')).body.status).toBe('completed');
  });

  it('fires a cycle R3/PT1H three times, then no more', async () => {
    const s = await processTicket(h, 'alice', 'tm-cycle');
    for (let i = 1; i <= 3; i++) {
      await advance(HOUR + 1000);
      await h.worker.drain();
      expect(await notes(s.ticketId)).toHaveLength(i);
      expect((await view(s.ticketId)).dialogs.map((d: any) => d.nodeId)).toEqual(['approve']);
    }
    await advance(5 * HOUR);
    await h.worker.drain();
    expect(await notes(s.ticketId)).toHaveLength(3);
    expect((await view(s.ticketId)).path.filter((p: any) => p.event === 'end' && p.node === 'reminded')).toHaveLength(3);
    const jobs = await timerJobs(s.instanceId);
    expect(jobs.map((j) => j.status)).toEqual(['done', 'done', 'done']);
    expect(new Set(jobs.map((j) => j.run_at.getTime())).size).toBe(3);
    expect((await submit(s.ticketId, 'approve')).body.status).toBe('completed');
  });

  it('cancels the timer when the task is completed: the job is done and nothing fires later', async () => {
    const s = await processTicket(h, 'alice', 'tm-interrupt');
    expect((await timerJobs(s.instanceId)).map((j) => j.status)).toEqual(['ready']);
    const done = await submit(s.ticketId, 'approve');
    expect(done.body.status).toBe('completed');
    expect(await timerJobs(s.instanceId)).toEqual([expect.objectContaining({ status: 'done', last_error: 'cancelled' })]);
    await advance(9 * HOUR);
    await h.worker.drain();
    expect(await notes(s.ticketId)).toEqual([]);
    expect((await view(s.ticketId)).status).toBe('completed');
  });
});

/** One server start on an existing database: services with a clock `offsetMs` ahead, an HTTP server, a worker the test drains. */
async function boot(database: Database, offsetMs: number) {
  const services = createServices(database, { ...loadConfig({}), port: 0, host: '127.0.0.1', validateResponses: true }, pino({ level: 'silent' }), () => new Date(Date.now() + offsetMs));
  await ensureAdmin(database.db, ADMIN_PASSWORD);
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: createApp(services).fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const addr = server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const worker: JobWorker = startWorker(services, { loop: false });
  return {
    url,
    database,
    worker,
    stop: async () => {
      await new Promise<void>((r) => server.close(() => r()));
      await worker.stop();
      await closeEngine(services);
      await database.close();
    },
  };
}

describe.each(databaseKinds)('timers across a restart on %s', (kind: DatabaseKind) => {
  let dir: string | undefined;
  let schema: string | undefined;
  const open = async (): Promise<Database> => {
    const database = kind === 'pglite' ? await openDatabase({ dataDir: dir }) : await openDatabase({ url: TEST_DATABASE_URL, schema, poolSize: 5 });
    await migrateToLatest(database.db);
    return database;
  };
  beforeAll(async () => {
    if (kind === 'pglite') dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-timers-'));
    else schema = await createSchema();
  });
  afterAll(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (schema) await dropSchema(schema);
  });

  it('fires a timer that fell due while no server ran, at the next start', async () => {
    // Given a first server start: a process ticket waits at an hour's timer, then the server stops
    const first = await boot(await open(), 0);
    const admin = new Client(first.url);
    await admin.login('admin', ADMIN_PASSWORD);
    await deploy({ as: { admin } } as unknown as Helpdesk, waitAnHour);
    await createAgent(first.database.db, 'alice', PW, { groups: { users: ['rw'] } });
    const alice = new Client(first.url);
    await alice.login('alice', PW);
    const started = await alice.post('/api/v1/process-tickets', { process: 'tm-wait', ticket: { title: 'Over the weekend', queue: 'Raw', article: { body: 'x' } } });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    expect(started.body.currentNodes).toEqual([expect.objectContaining({ nodeId: 'wait', wait: 'timer' })]);
    await first.worker.drain();
    await first.stop();

    // When the server starts again two hours later on the same data
    const second = await boot(await open(), 2 * HOUR);
    try {
      const again = new Client(second.url);
      await again.login('alice', PW);
      expect((await again.get(`/api/v1/tickets/${started.body.ticketId}/process`)).body.currentNodes).toEqual([expect.objectContaining({ nodeId: 'wait' })]);
      // Then its worker finds the timer due and the token moves on
      await second.worker.drain();
      const v = (await again.get(`/api/v1/tickets/${started.body.ticketId}/process`)).body;
      expect(v.currentNodes).toEqual([expect.objectContaining({ nodeId: 'check', wait: 'dialog' })]);
    } finally {
      await second.stop();
    }
  }, 180_000);
});
