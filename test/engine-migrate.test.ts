/**
 * Version migration of running instances through `POST /api/v1/process-instances/migrate`: twenty
 * instances waiting at a user task of v1 move to v2 with a mapping (the task was renamed), leave a
 * line in the instance log and the ticket history, and go on in v2; a stuck instance takes its open
 * incident along (a retry runs v2's task) while one with a script run in flight is skipped; a
 * renamed boundary timer keeps its due time and still fires. A mapping that leaves an active node unmapped, names a node v2
 * does not have, or a version that does not exist is refused with 400 and NOTHING changes (rows
 * compared). PGlite, and PostgreSQL with TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Process } from '../engine/model/types';
import { databaseKinds } from './support/db';
import { deploy, processTicket, startEngineHelpdesk, type EngineHelpdesk } from './support/engine';

const agent = ['agent'] as const;
const titleDialog = { interfaces: [...agent], fields: [{ field: 'Title', display: 'shown' as const }] };

/** v1: start → approve → end. */
const v1: Process = {
  format: 'process/1', key: 'purchase', name: 'Purchase', start: { interfaces: [...agent] },
  nodes: [
    { id: 'start', type: 'startEvent' },
    { id: 'approve', name: 'Approve', type: 'userTask', dialog: titleDialog },
    { id: 'end', type: 'endEvent' },
  ],
  transitions: [{ id: 't1', from: 'start', to: 'approve' }, { id: 't2', from: 'approve', to: 'end' }],
};

/** v2: the task is renamed to `review`, and an `archive` task follows it. */
const v2: Process = {
  ...v1,
  nodes: [
    { id: 'start', type: 'startEvent' },
    { id: 'review', name: 'Review', type: 'userTask', dialog: titleDialog },
    { id: 'archive', name: 'Archive', type: 'userTask', dialog: titleDialog },
    { id: 'end', type: 'endEvent' },
  ],
  transitions: [{ id: 't1', from: 'start', to: 'review' }, { id: 't2', from: 'review', to: 'archive' }, { id: 't3', from: 'archive', to: 'end' }],
};

/** A task watched by a boundary timer (1 h), in two versions whose task and timer ids differ. */
const timed1: Process = {
  format: 'process/1', key: 'timed', name: 'Timed', start: { interfaces: [...agent] },
  nodes: [
    { id: 'start', type: 'startEvent' },
    { id: 'work', name: 'Work', type: 'userTask', dialog: titleDialog },
    { id: 'late', type: 'boundaryTimer', attachedTo: 'work', duration: 'PT1H' },
    { id: 'escalate', name: 'Escalate', type: 'userTask', dialog: titleDialog },
    { id: 'end', type: 'endEvent' },
  ],
  transitions: [{ id: 't1', from: 'start', to: 'work' }, { id: 't2', from: 'work', to: 'end' }, { id: 't3', from: 'late', to: 'escalate' }, { id: 't4', from: 'escalate', to: 'end' }],
};
const timed2: Process = {
  ...timed1,
  nodes: [
    { id: 'start', type: 'startEvent' },
    { id: 'doWork', name: 'Do the work', type: 'userTask', dialog: titleDialog },
    { id: 'tooLate', type: 'boundaryTimer', attachedTo: 'doWork', duration: 'PT1H' },
    { id: 'escalate', name: 'Escalate', type: 'userTask', dialog: titleDialog },
    { id: 'end', type: 'endEvent' },
  ],
  transitions: [{ id: 't1', from: 'start', to: 'doWork' }, { id: 't2', from: 'doWork', to: 'end' }, { id: 't3', from: 'tooLate', to: 'escalate' }, { id: 't4', from: 'escalate', to: 'end' }],
};

/** v1's script fails; v2 renames the script task and fixes it. */
const calc1: Process = {
  format: 'process/1', key: 'calc', name: 'Calc', start: { interfaces: [...agent] },
  nodes: [
    { id: 'start', type: 'startEvent' },
    { id: 'calc', type: 'scriptTask', script: { source: 'export default () => { throw new Error("bug in v1") }' } },
    { id: 'end', type: 'endEvent' },
  ],
  transitions: [{ id: 't1', from: 'start', to: 'calc' }, { id: 't2', from: 'calc', to: 'end' }],
};
const calc2: Process = {
  ...calc1,
  nodes: [
    { id: 'start', type: 'startEvent' },
    { id: 'compute', type: 'scriptTask', script: { source: 'export default () => ({ vars: { fixed: true } })' } },
    { id: 'end', type: 'endEvent' },
  ],
  transitions: [{ id: 't1', from: 'start', to: 'compute' }, { id: 't2', from: 'compute', to: 'end' }],
};

describe.each(databaseKinds)('process version migration on %s', (kind) => {
  let h: EngineHelpdesk;
  const as = (who: string) => h.as[who]!;
  const db = () => h.srv.database.db;
  const migrate = (body: Record<string, unknown>, who = 'admin') => as(who).post('/api/v1/process-instances/migrate', body);

  /** Deploys `doc` as the next version of its (existing) process. */
  const deployNext = async (doc: Process) => {
    const saved = await as('admin').request('PUT', `/api/v1/processes/${doc.key}/draft`, doc);
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const deployed = await as('admin').post(`/api/v1/processes/${doc.key}/deploy`, { createMissing: true });
    expect(deployed.status, JSON.stringify(deployed.body)).toBe(201);
  };

  /** What a refused migration must not touch: instances, their log, ticket history, jobs. */
  const snapshot = async (key: string) => ({
    instances: await db().selectFrom('process_instances').select(['id', 'process_version', 'status', 'state', 'updated_at']).where('process_key', '=', key).orderBy('id').execute(),
    log: (await db().selectFrom('process_instance_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n,
    history: (await db().selectFrom('ticket_history').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n,
    jobs: await db().selectFrom('jobs').select(['id', 'key', 'status']).orderBy('id').execute(),
  });

  const started: any[] = [];

  beforeAll(async () => {
    h = await startEngineHelpdesk(kind);
    await deploy(h, v1);
    for (let i = 0; i < 20; i++) started.push(await processTicket(h, 'alice', 'purchase', { title: `Purchase ${i + 1}` }));
    await deployNext(v2);
  }, 120_000);
  afterAll(() => h?.close());

  it('refuses a bad migration with 400 naming what is wrong, and changes nothing', async () => {
    const before = await snapshot('purchase');
    expect(before.instances).toHaveLength(20);

    // The active node "approve" has no counterpart in v2.
    const unmapped = await migrate({ process: 'purchase', fromVersion: 1, toVersion: 2 });
    expect(unmapped.status).toBe(400);
    expect(unmapped.body.error).toMatchObject({ code: 'MIGRATION_UNMAPPED', path: '/mapping' });
    expect(unmapped.body.error.message).toContain('node "approve"');
    expect(unmapped.body.error.message).toContain(`instances ${started[0].instanceId}, ${started[1].instanceId}`);
    expect(unmapped.body.error.message).toContain('nothing was changed');

    // A mapping to a node v2 does not have.
    const unknownTarget = await migrate({ process: 'purchase', fromVersion: 1, toVersion: 2, mapping: { approve: 'aprove' } });
    expect(unknownTarget.status).toBe(400);
    expect(unknownTarget.body.error).toMatchObject({ code: 'UNKNOWN_NODE', path: '/mapping/approve' });
    expect(unknownTarget.body.error.message).toBe('version 2 has no node "aprove"');

    // A mapping to a node of another kind.
    const wrongKind = await migrate({ process: 'purchase', fromVersion: 1, toVersion: 2, mapping: { approve: 'end' } });
    expect(wrongKind.status).toBe(400);
    expect(wrongKind.body.error.message).toContain('is a userTask but "end" in version 2 is a endEvent');

    // A version that does not exist; an unknown process; an instance of another process.
    const noVersion = await migrate({ process: 'purchase', fromVersion: 1, toVersion: 7, mapping: { approve: 'review' } });
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.error).toMatchObject({ code: 'UNKNOWN_REFERENCE', path: '/toVersion', message: 'process "purchase" has no version 7' });
    expect((await migrate({ process: 'nope', fromVersion: 1, toVersion: 2 })).body.error.path).toBe('/process');
    const body = await migrate({ process: 'purchase', fromVersion: 1, toVersion: 2, mapping: { approve: 'review' }, instanceIds: [started[0].instanceId, 999999] });
    expect(body.status).toBe(400);
    expect(body.body.error).toMatchObject({ path: '/instanceIds/1', message: 'there is no process instance 999999' });

    // Only administrators migrate.
    expect((await migrate({ process: 'purchase', fromVersion: 1, toVersion: 2, mapping: { approve: 'review' } }, 'alice')).status).toBe(403);

    // A dry run reports what would happen and writes nothing either.
    const dry = await migrate({ process: 'purchase', fromVersion: 1, toVersion: 2, mapping: { approve: 'review' }, dryRun: true });
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, migrated: 20, skipped: 0, failed: 0 });
    expect(dry.body.instances[0]).toMatchObject({ result: 'wouldMigrate', moves: [{ tokenId: expect.any(String), from: 'approve', to: 'review' }] });

    expect(await snapshot('purchase')).toEqual(before);
    const view = (await as('alice').get(`/api/v1/tickets/${started[0].ticketId}/process`)).body;
    expect(view).toMatchObject({ version: 1, currentNodes: [{ nodeId: 'approve' }], dialogs: [{ nodeId: 'approve' }] });
  });

  it('moves twenty waiting instances to v2 with a mapping; they leave history and go on in v2', async () => {
    const r = await migrate({ process: 'purchase', fromVersion: 1, toVersion: 2, mapping: { approve: 'review' } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ process: 'purchase', fromVersion: 1, toVersion: 2, dryRun: false, migrated: 20, skipped: 0, failed: 0 });
    expect(r.body.instances.map((i: any) => i.instanceId)).toEqual(started.map((s) => s.instanceId));
    expect(r.body.instances.every((i: any) => i.result === 'migrated' && i.moves[0].from === 'approve' && i.moves[0].to === 'review')).toBe(true);

    const rows = await db().selectFrom('process_instances').select(['process_version', 'status']).where('process_key', '=', 'purchase').execute();
    expect(rows).toHaveLength(20);
    expect(rows.every((x) => x.process_version === 2 && x.status === 'running')).toBe(true);

    // The view offers the renamed task; the history and the log say who migrated it.
    const s = started[3];
    const view = (await as('alice').get(`/api/v1/tickets/${s.ticketId}/process`)).body;
    expect(view).toMatchObject({ version: 2, status: 'running', currentNodes: [{ nodeId: 'review', name: 'Review' }], dialogs: [{ nodeId: 'review' }] });
    const process = (await as('alice').get(`/api/v1/tickets/${s.ticketId}/history?perPage=1000`)).body.items.filter((x: any) => x.field === 'process').map((x: any) => x.message);
    expect(process).toContain('[purchase] Migrated from v1 to v2 by admin (approve → review).');
    const log = (await as('alice').get(`/api/v1/process-instances/${s.instanceId}/log`)).body.items;
    expect(log.filter((x: any) => x.kind === 'migrated')).toEqual([expect.objectContaining({ actor: 'admin', message: 'Migrated from v1 to v2 by admin (approve → review).' })]);

    // The old task is gone; the new one goes on into v2's next task, then completes.
    expect((await as('alice').post(`/api/v1/tickets/${s.ticketId}/dialogs/approve`, { fields: {} })).status).toBe(404);
    const next = await as('alice').post(`/api/v1/tickets/${s.ticketId}/dialogs/review`, { fields: { Title: 'Reviewed' } });
    expect(next.status, JSON.stringify(next.body)).toBe(200);
    expect(next.body.currentNodes.map((n: any) => n.nodeId)).toEqual(['archive']);
    const done = await as('alice').post(`/api/v1/tickets/${s.ticketId}/dialogs/archive`, { fields: {} });
    expect(done.body.status).toBe('completed');

    // A second run finds nothing left on v1.
    const again = await migrate({ process: 'purchase', fromVersion: 1, toVersion: 2, mapping: { approve: 'review' } });
    expect(again.body).toMatchObject({ migrated: 0, instances: [] });
    // Migrating a completed instance by id is skipped with a reason.
    const back = await migrate({ process: 'purchase', fromVersion: 2, toVersion: 1, mapping: { review: 'approve', archive: 'approve' }, instanceIds: [s.instanceId] });
    expect(back.body.instances).toEqual([expect.objectContaining({ instanceId: s.instanceId, result: 'skipped', reason: 'the instance is completed' })]);
  });

  it('moves a stuck instance with its open incident, so a retry runs v2; skips one whose script run is in flight', async () => {
    await deploy(h, calc1);
    const stuck = await processTicket(h, 'alice', 'calc');
    await h.worker.drain();
    const running = await processTicket(h, 'alice', 'calc'); // its script job has not run yet
    await deployNext(calc2);
    const r = await migrate({ process: 'calc', fromVersion: 1, toVersion: 2, mapping: { calc: 'compute' } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ migrated: 1, skipped: 1, failed: 0 });
    expect(r.body.instances).toEqual([
      expect.objectContaining({ instanceId: stuck.instanceId, result: 'migrated', moves: [expect.objectContaining({ from: 'calc', to: 'compute' })] }),
      expect.objectContaining({ instanceId: running.instanceId, result: 'skipped', reason: 'a script run is in flight at "calc"; migrate it once the run finished' }),
    ]);
    const incident = await db().selectFrom('process_incidents').select(['id', 'node', 'process_version']).where('instance_id', '=', stuck.instanceId).where('resolved_at', 'is', null).executeTakeFirstOrThrow();
    expect(incident).toMatchObject({ node: 'compute', process_version: 2 });
    expect((await as('alice').get(`/api/v1/tickets/${stuck.ticketId}/process`)).body).toMatchObject({ version: 2, status: 'incident', incidents: [{ nodeId: 'compute', code: 'SCRIPT_ERROR' }] });
    const retried = await as('admin').post(`/api/v1/incidents/${incident.id}/retry`, {});
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    await h.worker.drain();
    expect((await as('alice').get(`/api/v1/tickets/${stuck.ticketId}/process`)).body.status).toBe('completed');
    // The skipped one stayed on v1 untouched, and its script (v1's) ran as before.
    expect((await as('alice').get(`/api/v1/tickets/${running.ticketId}/process`)).body).toMatchObject({ version: 1, status: 'incident', incidents: [{ nodeId: 'calc' }] });
  });

  it('keeps a renamed boundary timer due when it was, and it still fires in v2; an unmapped one is rescheduled from the arrival', async () => {
    await deploy(h, timed1);
    const a = await processTicket(h, 'alice', 'timed');
    const b = await processTicket(h, 'alice', 'timed');
    await deployNext(timed2);
    h.srv.advance(30 * 60_000);
    const timerJobs = (id: number) => db().selectFrom('jobs').select(['status', 'run_at', 'last_error']).where('instance_id', '=', id).where('kind', '=', 'timer').orderBy('id').execute();
    const due = new Map<number, number>();
    for (const s of [a, b]) due.set(s.instanceId, (await timerJobs(s.instanceId))[0]!.run_at.getTime());

    // a: the task and its timer are mapped: the timer is renamed and keeps its due time.
    const full = await migrate({ process: 'timed', fromVersion: 1, toVersion: 2, mapping: { work: 'doWork', late: 'tooLate' }, instanceIds: [a.instanceId] });
    expect(full.status, JSON.stringify(full.body)).toBe(200);
    expect(full.body.instances[0]).toMatchObject({ result: 'migrated', timers: [{ key: expect.stringMatching(/:late$/), change: 'renamed', newKey: expect.stringMatching(/:tooLate$/) }] });
    // b: only the task is mapped: v2's timer is scheduled for the waiting token, counted from when it arrived.
    const partial = await migrate({ process: 'timed', fromVersion: 1, toVersion: 2, mapping: { work: 'doWork' }, instanceIds: [b.instanceId] });
    expect(partial.body.instances[0].timers).toEqual([{ key: expect.stringMatching(/:late$/), change: 'cancelled' }, { key: expect.stringMatching(/:tooLate$/), change: 'scheduled' }]);

    for (const s of [a, b]) {
      const dueBefore = due.get(s.instanceId);
      const state = (await db().selectFrom('process_instances').select('state').where('id', '=', s.instanceId).executeTakeFirstOrThrow()).state as any;
      expect(Object.values(state.timers)).toEqual([expect.objectContaining({ node: 'tooLate', attachedTo: 'doWork', dueAt: dueBefore })]);
      const jobs = await timerJobs(s.instanceId);
      expect(jobs.map((j) => [j.status, j.last_error])).toEqual([['done', 'cancelled'], ['ready', null]]);
      expect(jobs[1]!.run_at.getTime()).toBe(dueBefore);
    }
    // Not due yet: nothing moves; an hour after arrival both escalate.
    await h.worker.drain();
    expect((await as('alice').get(`/api/v1/tickets/${a.ticketId}/process`)).body.currentNodes.map((n: any) => n.nodeId)).toEqual(['doWork']);
    h.srv.advance(31 * 60_000);
    await h.worker.drain();
    for (const s of [a, b]) {
      const view = (await as('alice').get(`/api/v1/tickets/${s.ticketId}/process`)).body;
      expect(view).toMatchObject({ version: 2, currentNodes: [{ nodeId: 'escalate' }] });
    }
    const lines = (await as('alice').get(`/api/v1/tickets/${a.ticketId}/history?perPage=1000`)).body.items.map((x: any) => x.message);
    expect(lines).toContain('[timed] Migrated from v1 to v2 by admin (work → doWork).');
  });
});
