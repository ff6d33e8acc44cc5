/**
 * "Open process dialogs assigned to me" (`GET /api/v1/me/dialogs`, issue 9): a user task assigned
 * to an agent, a role or a queue shows on that agent's list and nobody else's; an unassigned one
 * shows for the ticket's owner; a submitted or cancelled task leaves the list, and a version
 * migration carries the open task to its new node. Runs on PGlite, and on PostgreSQL when
 * TEST_DATABASE_URL is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Process } from '../engine/model/types';
import { databaseKinds } from './support/db';
import { deploy, processTicket, startEngineHelpdesk, type EngineHelpdesk } from './support/engine';
import { backfillUserTasks } from '../server/db/migrations/0015-user-tasks';
import { createGroup, createQueue, createRole } from './support/fixtures';

const base = (key: string): Pick<Process, 'format' | 'key' | 'name' | 'start'> => ({ format: 'process/1', key, name: key, start: { interfaces: ['agent'] } });

/** start → one agent task (assigned per `assign`) → end. */
const oneTask = (key: string, assign?: Process['nodes'][number] extends infer N ? (N extends { assign?: infer A } ? A : never) : never, name = 'Approve the request'): Process => ({
  ...base(key),
  nodes: [
    { id: 'start', type: 'startEvent' },
    { id: 'approve', name, type: 'userTask', dialog: { interfaces: ['agent'], fields: [{ field: 'Title', display: 'shown' }] }, ...(assign ? { assign } : {}) },
    { id: 'end', type: 'endEvent' },
  ],
  transitions: [
    { id: 't1', from: 'start', to: 'approve' },
    { id: 't2', from: 'approve', to: 'end' },
  ],
});

/** A task for bob beside a gateway whose condition cannot be evaluated (an incident to cancel the instance by). */
const cancellable: Process = {
  ...base('dlg-cancel'),
  nodes: [
    { id: 'start', type: 'startEvent' },
    { id: 'fork', type: 'parallelGateway' },
    { id: 'approve', name: 'Approve before cancel', type: 'userTask', dialog: { interfaces: ['agent'], fields: [{ field: 'Title', display: 'shown' }] }, assign: { agent: 'bob' } },
    { id: 'decide', type: 'exclusiveGateway' },
    { id: 'end', type: 'endEvent' },
    { id: 'end2', type: 'endEvent' },
  ],
  transitions: [
    { id: 't1', from: 'start', to: 'fork' },
    { id: 't2', from: 'fork', to: 'approve' },
    { id: 't3', from: 'fork', to: 'decide' },
    { id: 't4', from: 'approve', to: 'end' },
    { id: 'broken', from: 'decide', to: 'end2', condition: { expression: 'vars.missing.deeper > 1' } },
    { id: 'fine', from: 'decide', to: 'end2', condition: { all: [{ field: 'Title', op: 'eq', value: 'never' }] } },
  ],
};

describe.each(databaseKinds)('my open process dialogs on %s', (kind) => {
  let h: EngineHelpdesk;
  const as = (who: string) => h.as[who]!;

  const mine = async (who: string) => {
    const r = await as(who).get('/api/v1/me/dialogs');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.items as Array<Record<string, unknown>>;
  };
  const onTicket = async (who: string, ticketId: number) => (await mine(who)).filter((d) => d.ticketId === ticketId);

  beforeAll(async () => {
    h = await startEngineHelpdesk(kind);
    const db = h.srv.database.db;
    // alice holds the role Approvers and rw on the queue Finance (a group bob is not in).
    const role = await createRole(db, 'Approvers');
    await db.insertInto('agent_roles').values({ agent_id: h.agents.alice!, role_id: role }).execute();
    const finance = await createGroup(db, 'finance');
    await createQueue(db, 'Finance', 'finance');
    await db.insertInto('agent_groups').values({ agent_id: h.agents.alice!, group_id: finance, permission: 'rw' }).execute();
    for (const p of [
      oneTask('dlg-bob', { agent: 'bob' }),
      oneTask('dlg-role', { role: 'Approvers' }),
      oneTask('dlg-queue', { queue: 'Finance' }),
      oneTask('dlg-responsible', { agent: '{{ticket.responsible}}' }, 'Check as responsible'),
      oneTask('dlg-none', undefined, 'Anyone may answer'),
      cancellable,
    ]) await deploy(h, p);
  }, 120_000);
  afterAll(() => h?.close());

  it('lists a task assigned to bob for bob only, and drops it once bob submits it', async () => {
    const started = await processTicket(h, 'alice', 'dlg-bob', { title: 'Laptop for Ann' });
    const id = started.ticketId;
    const bobs = await onTicket('bob', id);
    expect(bobs).toEqual([
      { ticketId: id, ticketNumber: expect.any(String), ticketTitle: 'Laptop for Ann', instanceId: started.instanceId, nodeId: 'approve', name: 'Approve the request', openedAt: expect.any(String), assignedBy: 'agent' },
    ]);
    const t = (await as('bob').get(`/api/v1/tickets/${id}`)).body;
    expect(bobs[0]!.ticketNumber).toBe(t.number);
    expect(await onTicket('alice', id)).toEqual([]);
    expect(await onTicket('reader', id)).toEqual([]);

    const sent = await as('bob').post(`/api/v1/tickets/${id}/dialogs/approve`, { fields: { Title: 'Laptop for Ann (approved)' } });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(sent.body.status).toBe('completed');
    expect(await onTicket('bob', id)).toEqual([]);
  });

  it('lists a task assigned to a role for its members and one assigned to a queue for agents with rw on it', async () => {
    const byRole = (await processTicket(h, 'bob', 'dlg-role', { title: 'Role task' })).ticketId;
    const byQueue = (await processTicket(h, 'bob', 'dlg-queue', { title: 'Queue task' })).ticketId;
    expect(await onTicket('alice', byRole)).toEqual([expect.objectContaining({ nodeId: 'approve', assignedBy: 'role' })]);
    expect(await onTicket('alice', byQueue)).toEqual([expect.objectContaining({ nodeId: 'approve', assignedBy: 'queue' })]);
    // bob started both tickets (he owns them) but is neither an Approver nor in Finance.
    expect(await onTicket('bob', byRole)).toEqual([]);
    expect(await onTicket('bob', byQueue)).toEqual([]);
  });

  it('resolves an assignment template against the ticket', async () => {
    const id = (await processTicket(h, 'alice', 'dlg-responsible', { title: 'Responsible task', responsible: 'bob' })).ticketId;
    expect(await onTicket('bob', id)).toEqual([expect.objectContaining({ name: 'Check as responsible', assignedBy: 'agent' })]);
    expect(await onTicket('alice', id)).toEqual([]);
  });

  it('lists an unassigned task for the ticket owner only, on tickets the caller may read', async () => {
    const id = (await processTicket(h, 'alice', 'dlg-none', { title: 'Owned by bob', owner: 'bob' })).ticketId;
    expect(await onTicket('bob', id)).toEqual([expect.objectContaining({ name: 'Anyone may answer', assignedBy: 'owner' })]);
    expect(await onTicket('alice', id)).toEqual([]);
    // alice moves the ticket to Finance (bob may not read it there) and makes reader its owner.
    const moved = await as('alice').request('PATCH', `/api/v1/tickets/${id}`, { queue: 'Finance', owner: 'reader' });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(await onTicket('bob', id)).toEqual([]);
    expect(await onTicket('reader', id)).toEqual([expect.objectContaining({ assignedBy: 'owner' })]);
  });

  it('drops the task when the instance is cancelled', async () => {
    const started = await processTicket(h, 'alice', 'dlg-cancel', { title: 'To be cancelled' });
    const id = started.ticketId;
    expect(started.status).toBe('incident');
    expect(await onTicket('bob', id)).toEqual([expect.objectContaining({ name: 'Approve before cancel' })]);
    const incidents = await as('admin').get(`/api/v1/incidents?ticketId=${id}`);
    expect(incidents.status, JSON.stringify(incidents.body)).toBe(200);
    const incident = incidents.body.items[0];
    const cancelled = await as('admin').post(`/api/v1/incidents/${incident.id}/cancel`, { reason: 'not needed' });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body.instance.status).toBe('cancelled');
    expect(await onTicket('bob', id)).toEqual([]);
  });

  it('follows a task to its new node when the instance migrates to a new version', async () => {
    const started = await processTicket(h, 'alice', 'dlg-bob', { title: 'Migrated task' });
    const id = started.ticketId;
    expect(await onTicket('bob', id)).toEqual([expect.objectContaining({ nodeId: 'approve', assignedBy: 'agent' })]);
    // Version 2 renames the task and assigns it to the role Approvers instead.
    const v2 = oneTask('dlg-bob', { role: 'Approvers' }, 'Approve (v2)');
    v2.nodes[1]!.id = 'approveV2';
    v2.transitions = [{ id: 't1', from: 'start', to: 'approveV2' }, { id: 't2', from: 'approveV2', to: 'end' }];
    expect((await as('admin').request('PUT', '/api/v1/processes/dlg-bob/draft', v2)).status).toBe(200);
    const deployed = await as('admin').post('/api/v1/processes/dlg-bob/deploy', {});
    expect(deployed.status, JSON.stringify(deployed.body)).toBe(201);
    const migrated = await as('admin').post('/api/v1/process-instances/migrate', { process: 'dlg-bob', fromVersion: 1, toVersion: 2, instanceIds: [started.instanceId], mapping: { approve: 'approveV2' } });
    expect(migrated.status, JSON.stringify(migrated.body)).toBe(200);
    expect(migrated.body.migrated).toBe(1);
    expect(await onTicket('bob', id)).toEqual([]);
    expect(await onTicket('alice', id)).toEqual([expect.objectContaining({ nodeId: 'approveV2', name: 'Approve (v2)', assignedBy: 'role' })]);
  });

  it('rebuilds the rows of instances that were waiting before the table existed (migration 0015)', async () => {
    const a = await processTicket(h, 'alice', 'dlg-role', { title: 'Backfilled role task' });
    const b = await processTicket(h, 'alice', 'dlg-responsible', { title: 'Backfilled template task', responsible: 'bob' });
    const db = h.srv.database.db;
    const before = await db.selectFrom('process_user_tasks').selectAll().where('instance_id', 'in', [a.instanceId, b.instanceId]).orderBy('instance_id').execute();
    await db.deleteFrom('process_user_tasks').where('instance_id', 'in', [a.instanceId, b.instanceId]).execute();
    expect(await onTicket('alice', a.ticketId)).toEqual([]);
    await backfillUserTasks(db);
    const after = await db.selectFrom('process_user_tasks').selectAll().where('instance_id', 'in', [a.instanceId, b.instanceId]).orderBy('instance_id').execute();
    // The role assignment comes back as it was; the template ({{ticket.responsible}}) cannot be rendered in SQL.
    expect(after[0]).toEqual(before[0]);
    expect(after[1]).toMatchObject({ ...before[1], assign_agent: null });
    expect(await onTicket('alice', a.ticketId)).toEqual([expect.objectContaining({ assignedBy: 'role' })]);
    // alice owns the ticket (she started it): the unassigned task is hers now.
    expect(await onTicket('alice', b.ticketId)).toEqual([expect.objectContaining({ assignedBy: 'owner' })]);
  });

  it('is for agents only', async () => {
    const r = await as('carl').get('/api/v1/me/dialogs');
    expect(r.status).toBe(403);
  });
});
