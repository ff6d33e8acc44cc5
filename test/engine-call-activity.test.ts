/**
 * Call activities on the server, through the REST API: a parent calls a process on a new child
 * ticket (linked parent/child, same queue) with its inputs, the child's dialog is answered on the
 * child ticket, and the parent goes on with the child's output; the same on the parent's own ticket
 * (the child's dialog is offered and answered through the ticket's process); an incident in the
 * child shows in the parent's view; a pinned version is the one called; a called process without an
 * active version is an incident of the parent naming it. The worker is drained by the test.
 * PGlite, and PostgreSQL with TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Process } from '../engine/model/types';
import { databaseKinds } from './support/db';
import { deploy, processTicket, startEngineHelpdesk, type EngineHelpdesk } from './support/engine';

const agent = ['agent'] as const;
const base = (key: string, name: string) => ({ format: 'process/1' as const, key, name, start: { interfaces: [...agent] } });

/** The called process: doubles `amount` into `total` (a script), then asks for an approval. */
const approval: Process = {
  ...base('approval', 'Approval'),
  nodes: [
    { id: 'start', type: 'startEvent' },
    { id: 'double', type: 'scriptTask', script: { source: 'export default ({ vars }) => ({ vars: { total: vars.amount * 2 } })' } },
    { id: 'decide', name: 'Decide', type: 'userTask', dialog: { interfaces: [...agent], fields: [{ field: 'DynamicField_Approved', display: 'mandatory' }] } },
    { id: 'end', type: 'endEvent' },
  ],
  transitions: [{ id: 't1', from: 'start', to: 'double' }, { id: 't2', from: 'double', to: 'decide' }, { id: 't3', from: 'decide', to: 'end' }],
};
/** Version 2 of the called process: no approval any more. */
const approval2: Process = {
  ...approval,
  name: 'Approval (automatic)',
  nodes: [{ id: 'start', type: 'startEvent' }, { id: 'end', type: 'endEvent' }],
  transitions: [{ id: 't1', from: 'start', to: 'end' }],
};

/** A called process whose script fails: its token is stuck with SCRIPT_ERROR. */
const broken: Process = {
  ...base('broken', 'Broken'),
  nodes: [
    { id: 'start', type: 'startEvent' },
    { id: 'crash', type: 'scriptTask', script: { source: 'export default () => { throw new Error("no budget") }' } },
    { id: 'end', type: 'endEvent' },
  ],
  transitions: [{ id: 't1', from: 'start', to: 'crash' }, { id: 't2', from: 'crash', to: 'end' }],
};

/** A parent: call `process` (inputs: amount from the ticket's Days), write the output into Target, then a confirm task. */
function parent(key: string, process: string, binding: 'same-ticket' | 'child-ticket', version: 'latest' | number = 'latest'): Process {
  return {
    ...base(key, `Parent ${key}`),
    nodes: [
      { id: 'start', type: 'startEvent' },
      { id: 'call', name: 'Get approval', type: 'callActivity', process, version, binding, inputs: { amount: '{{ticket.dynamicFields.Days}}' }, outputs: { total: '{{vars.total}}' } },
      { id: 'confirm', name: 'Confirm', type: 'userTask', dialog: { interfaces: [...agent], fields: [{ field: 'Title', display: 'shown' }] } },
      { id: 'end', type: 'endEvent' },
    ],
    transitions: [
      { id: 't1', from: 'start', to: 'call' },
      { id: 't2', from: 'call', to: 'confirm', actions: [{ type: 'DynamicFieldSet', fields: { Target: 'total {{vars.total}}' } }] },
      { id: 't3', from: 'confirm', to: 'end' },
    ],
  };
}

/** A parent whose call activity (same ticket, approval v1) is interrupted by a timer after an hour. */
const withTimeout: Process = {
  ...parent('order-timeout', 'approval', 'same-ticket', 1),
  nodes: [
    ...parent('order-timeout', 'approval', 'same-ticket', 1).nodes,
    { id: 'tooSlow', type: 'boundaryTimer', attachedTo: 'call', duration: 'PT1H' },
    { id: 'escalate', name: 'Escalate', type: 'userTask', dialog: { interfaces: [...agent], fields: [{ field: 'Title', display: 'shown' }] } },
  ],
  transitions: [...parent('order-timeout', 'approval', 'same-ticket', 1).transitions, { id: 't4', from: 'tooSlow', to: 'escalate' }, { id: 't5', from: 'escalate', to: 'end' }],
};

/** A process that calls itself on the same ticket: the nesting limit stops it. */
const recursive: Process = {
  ...base('recursive', 'Recursive'),
  nodes: [
    { id: 'start', type: 'startEvent' },
    { id: 'again', type: 'callActivity', process: 'recursive', version: 'latest', binding: 'same-ticket' },
    { id: 'end', type: 'endEvent' },
  ],
  transitions: [{ id: 't1', from: 'start', to: 'again' }, { id: 't2', from: 'again', to: 'end' }],
};

describe.each(databaseKinds)('call activities on %s', (kind) => {
  let h: EngineHelpdesk;
  const as = (who: string) => h.as[who]!;
  const view = async (ticketId: number) => {
    const r = await as('alice').get(`/api/v1/tickets/${ticketId}/process`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  };
  const ticket = async (id: number) => (await as('alice').get(`/api/v1/tickets/${id}`)).body;
  const submit = (ticketId: number, node: string, fields: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    as('alice').post(`/api/v1/tickets/${ticketId}/dialogs/${node}`, { fields, ...extra });

  beforeAll(async () => {
    h = await startEngineHelpdesk(kind);
    for (const p of [approval, broken]) await deploy(h, p);
    for (const p of [parent('order', 'approval', 'child-ticket'), parent('order-here', 'approval', 'same-ticket'), parent('order-broken', 'broken', 'same-ticket'), parent('order-pinned', 'approval', 'child-ticket', 1), withTimeout, recursive]) {
      await deploy(h, p);
    }
    // The called process gets a version 2 (automatic) after the parents were deployed.
    const saved = await as('admin').request('PUT', '/api/v1/processes/approval/draft', approval2);
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect((await as('admin').post('/api/v1/processes/approval/deploy', {})).status).toBe(201);
  }, 120_000);
  afterAll(() => h?.close());

  it('calls a process on a child ticket: inputs in, the dialog on the child ticket, outputs out, tickets linked', async () => {
    // The pinned parent calls approval v1 (with its dialog) although v2 is the newest.
    const s = await processTicket(h, 'alice', 'order-pinned', { title: 'Laptop', dynamicFields: { Days: 7 } });
    expect(s).toMatchObject({ status: 'running', currentNodes: [{ nodeId: 'call', wait: 'child' }], dialogs: [] });
    expect(s.children).toHaveLength(1);
    const child = s.children[0];
    expect(child).toMatchObject({ binding: 'child-ticket', callActivity: 'call', process: 'approval', version: 1, processName: 'Approval', status: 'running', currentNodes: [{ nodeId: 'double', wait: 'script' }] });
    expect(child.ticketId).not.toBe(s.ticketId);

    // The child ticket: same queue, title after the parent's and the called process, linked as child.
    const t = await ticket(child.ticketId);
    expect(t).toMatchObject({ title: 'Laptop — Approval', queue: { name: 'Support' } });
    const links = (await as('alice').get(`/api/v1/tickets/${s.ticketId}/links`)).body.items;
    expect(links).toEqual([expect.objectContaining({ type: 'parent-child', role: 'child', ticket: expect.objectContaining({ id: child.ticketId }) })]);
    // The child ticket has its process already: another one is refused.
    const second = await as('alice').post(`/api/v1/tickets/${child.ticketId}/process`, { process: 'approval' });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('PROCESS_ALREADY_STARTED');

    // The child's script runs; its dialog is offered on the child ticket, not on the parent's.
    await h.worker.drain();
    const onChild = await view(child.ticketId);
    expect(onChild).toMatchObject({ instanceId: child.instanceId, process: 'approval', currentNodes: [{ nodeId: 'decide' }], dialogs: [{ nodeId: 'decide', instanceId: child.instanceId }] });
    expect((await view(s.ticketId)).dialogs).toEqual([]);
    const answered = await submit(child.ticketId, 'decide', { DynamicField_Approved: 'yes' });
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    expect(answered.body.status).toBe('completed');

    // The parent hears of it through a job, takes the output (7 × 2) and goes on.
    expect((await view(s.ticketId)).currentNodes.map((n: any) => n.nodeId)).toEqual(['call']);
    await h.worker.drain();
    const after = await view(s.ticketId);
    expect(after).toMatchObject({ status: 'running', currentNodes: [{ nodeId: 'confirm' }], children: [{ instanceId: child.instanceId, status: 'completed', callActivity: null }] });
    expect((await ticket(s.ticketId)).dynamicFields.Target).toBe('total 14');
    expect(after.path.filter((p: any) => p.event === 'child')).toEqual([expect.objectContaining({ node: 'call', why: 'the called process completed' })]);
    const history = (await as('alice').get(`/api/v1/tickets/${s.ticketId}/history?perPage=1000`)).body.items.map((x: any) => x.message);
    expect(history).toContain(`[order-pinned] Called "Approval" (approval v1) as instance ${child.instanceId} on the new child ticket ${t.number}.`);
    const done = await submit(s.ticketId, 'confirm', {});
    expect(done.body.status).toBe('completed');
  });

  it('calls the newest active version by default', async () => {
    const s = await processTicket(h, 'alice', 'order', { title: 'Chair', dynamicFields: { Days: 2 } });
    // Version 2 has no task: it ends at once, and the parent goes on after the job.
    expect(s.children).toEqual([expect.objectContaining({ version: 2, processName: 'Approval (automatic)', status: 'completed' })]);
    await h.worker.drain();
    const v = await view(s.ticketId);
    expect(v.currentNodes.map((n: any) => n.nodeId)).toEqual(['confirm']);
    // v2 computes no total: the output is empty.
    expect((await ticket(s.ticketId)).dynamicFields.Target).toBe('total ');
  });

  it('runs a called process on the same ticket: its dialog is offered and answered through the ticket', async () => {
    // Pin the same-ticket parent's child to v1 by making v1 the only active version for a moment.
    expect((await as('admin').request('PATCH', '/api/v1/processes/approval/versions/2', { state: 'inactive' })).status).toBe(200);
    const s = await processTicket(h, 'alice', 'order-here', { title: 'Desk', dynamicFields: { Days: 5 } });
    expect((await as('admin').request('PATCH', '/api/v1/processes/approval/versions/2', { state: 'active' })).status).toBe(200);
    expect(s.children).toEqual([expect.objectContaining({ binding: 'same-ticket', ticketId: s.ticketId, version: 1 })]);
    await h.worker.drain();
    const v = await view(s.ticketId);
    const childId = s.children[0].instanceId;
    expect(v).toMatchObject({ instanceId: s.instanceId, currentNodes: [{ nodeId: 'call', wait: 'child' }], dialogs: [{ nodeId: 'decide', instanceId: childId }] });
    // A missing mandatory field names it; a right answer completes the child.
    const missing = await submit(s.ticketId, 'decide', {});
    expect(missing.status).toBe(400);
    expect(missing.body.error.path).toBe('/fields/DynamicField_Approved');
    const ok = await submit(s.ticketId, 'decide', { DynamicField_Approved: 'no' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ instanceId: s.instanceId, dialogs: [], children: [{ instanceId: childId, status: 'completed' }] });
    await h.worker.drain();
    const after = await view(s.ticketId);
    expect(after.currentNodes.map((n: any) => n.nodeId)).toEqual(['confirm']);
    expect((await ticket(s.ticketId)).dynamicFields).toMatchObject({ Approved: 'no', Target: 'total 10' });
    // Only one ticket: no child ticket was made.
    expect((await as('alice').get(`/api/v1/tickets/${s.ticketId}/links`)).body.items).toEqual([]);
  });

  it('cancels the called process when an interrupting timer takes the parent elsewhere', async () => {
    const s = await processTicket(h, 'alice', 'order-timeout', { title: 'Slow', dynamicFields: { Days: 1 } });
    await h.worker.drain();
    const childId = s.children[0].instanceId;
    expect((await view(s.ticketId)).dialogs.map((d: any) => d.nodeId)).toEqual(['decide']);
    h.srv.advance(61 * 60_000);
    await h.worker.drain();
    const v = await view(s.ticketId);
    expect(v.currentNodes.map((n: any) => n.nodeId)).toEqual(['escalate']);
    expect(v.children).toEqual([expect.objectContaining({ instanceId: childId, status: 'cancelled' })]);
    expect(v.dialogs.map((d: any) => d.nodeId)).toEqual(['escalate']);
    // The stale answer of the cancelled child is just done; the parent is not disturbed.
    const jobs = await h.srv.database.db.selectFrom('jobs').select(['status']).where('key', '=', `child:${childId}`).execute();
    expect(jobs).toEqual([{ status: 'done' }]);
    expect((await submit(s.ticketId, 'decide', { DynamicField_Approved: 'yes' })).status).toBe(409);
    const log = (await as('alice').get(`/api/v1/process-instances/${childId}/log`)).body.items;
    expect(log.at(-1).message).toMatch(/^Process cancelled.*its call activity "call" in instance \d+ was left/);
  });

  it('shows an incident of the called process in the parent view', async () => {
    const s = await processTicket(h, 'alice', 'order-broken', { title: 'Budget' });
    await h.worker.drain();
    const v = await view(s.ticketId);
    expect(v.status).toBe('running');
    expect(v.children).toEqual([
      expect.objectContaining({ process: 'broken', status: 'incident', incidents: [expect.objectContaining({ nodeId: 'crash', code: 'SCRIPT_ERROR', message: expect.stringContaining('no budget') })] }),
    ]);
  });

  it('stops a process that calls itself at the nesting limit, with an incident on the deepest', async () => {
    const s = await processTicket(h, 'alice', 'recursive', { title: 'Forever' });
    expect(s.status).toBe('running');
    expect(s.children).toHaveLength(9);
    const deepest = s.children.at(-1);
    expect(deepest).toMatchObject({ status: 'incident', incidents: [{ nodeId: 'again', code: 'CHILD_START_FAILED', message: expect.stringContaining('nested 10 deep') }] });
    expect(s.children.every((c: any) => c.binding === 'same-ticket' && c.ticketId === s.ticketId)).toBe(true);
  });

  it('makes a called process without an active version an incident of the parent, naming it', async () => {
    expect((await as('admin').request('PATCH', '/api/v1/processes/broken/versions/1', { state: 'inactive' })).status).toBe(200);
    const s = await processTicket(h, 'alice', 'order-broken', { title: 'Nothing to call' });
    expect(s).toMatchObject({ status: 'incident', children: [] });
    expect(s.incidents).toEqual([expect.objectContaining({ nodeId: 'call', code: 'CHILD_START_FAILED', message: 'The call activity "call" cannot start its process: the called process "broken" has no active version.' })]);
  });
});
