/**
 * Incidents through the admin API: a stuck token shows in `GET /api/v1/incidents` (open by default,
 * newest first, filtered by process, code, ticket and instance, in keyset pages); an admin retries
 * it after fixing a dynamic field or a variable, skips the token to another node, or cancels the
 * instance — each act in the ticket history and the instance log with the admin's login. A
 * resolved incident answers 409, a bad node 400 naming `toNodeId`, an unknown one 404, a non-admin
 * 403. A child process's incident is listed under its root instance. PGlite, and PostgreSQL with
 * TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Process } from '../engine/model/types';
import { parseState } from '../server/engine/view';
import { databaseKinds } from './support/db';
import { deploy, processTicket, startEngineHelpdesk, type EngineHelpdesk } from './support/engine';
import { createAgent } from './support/fixtures';
import { Client } from './support/server';
import { PW } from './support/tickets';

const agent = ['agent'] as const;
const base = (key: string, name: string): Pick<Process, 'format' | 'key' | 'name' | 'start'> => ({ format: 'process/1', key, name, start: { interfaces: [...agent] } });

/** start → prepare (script) → end; the way out moves the ticket to the queue named by DynamicField_Target. */
const moveByField: Process = {
  ...base('inc-move', 'Move by field'),
  nodes: [
    { id: 'start', type: 'startEvent' },
    { id: 'prepare', name: 'Prepare', type: 'scriptTask', script: { source: 'export default () => ({ vars: { prepared: true } })' } },
    { id: 'end', type: 'endEvent' },
  ],
  transitions: [
    { id: 't1', from: 'start', to: 'prepare' },
    { id: 't2', from: 'prepare', to: 'end', actions: [{ type: 'TicketQueueSet', queue: '{{ticket.dynamicFields.Target}}' }] },
  ],
};

/** start → work (a script that throws) → after (a dialog) → end. */
const throwing: Process = {
  ...base('inc-throw', 'Throwing script'),
  nodes: [
    { id: 'start', type: 'startEvent' },
    { id: 'work', name: 'Work', type: 'scriptTask', script: { source: 'export default () => { throw new Error("the ledger is closed") }' } },
    { id: 'after', name: 'Look at it', type: 'userTask', dialog: { interfaces: ['agent'], fields: [{ field: 'Title', display: 'shown' }] } },
    { id: 'end', type: 'endEvent' },
  ],
  transitions: [
    { id: 't1', from: 'start', to: 'work' },
    { id: 't2', from: 'work', to: 'after' },
    { id: 't3', from: 'after', to: 'end' },
  ],
};

/** start → ask (a dialog) → end; the way out moves the ticket to the queue named by DynamicField_Target. */
const dialogMove: Process = {
  ...base('inc-dialog', 'Dialog move'),
  nodes: [
    { id: 'start', type: 'startEvent' },
    { id: 'ask', type: 'userTask', dialog: { interfaces: ['agent'], fields: [{ field: 'Title', display: 'shown' }] } },
    { id: 'end', type: 'endEvent' },
  ],
  transitions: [
    { id: 't1', from: 'start', to: 'ask' },
    { id: 't2', from: 'ask', to: 'end', actions: [{ type: 'TicketQueueSet', queue: '{{ticket.dynamicFields.Target}}' }] },
  ],
};

/** start → decide (a condition on a variable that is missing) → end. */
const byVariable: Process = {
  ...base('inc-vars', 'By variable'),
  nodes: [
    { id: 'start', type: 'startEvent' },
    { id: 'decide', name: 'Decide', type: 'exclusiveGateway' },
    { id: 'end', type: 'endEvent' },
  ],
  transitions: [
    { id: 't1', from: 'start', to: 'decide' },
    { id: 'big', from: 'decide', to: 'end', condition: { expression: 'vars.limit.amount > 1' } },
    { id: 'never', from: 'decide', to: 'end', condition: { all: [{ field: 'Title', op: 'eq', value: 'never' }] } },
  ],
};

describe.each(databaseKinds)('incidents on %s', (kind) => {
  let h: EngineHelpdesk;
  let boss: Client;

  beforeAll(async () => {
    h = await startEngineHelpdesk(kind);
    for (const p of [moveByField, dialogMove, throwing, byVariable]) await deploy(h, p);
    // A second administrator, so the history can be seen to name who acted (not the engine's "admin").
    await createAgent(h.srv.database.db, 'boss', PW, { groups: { admin: ['rw'] } });
    boss = new Client(h.srv.url);
    await boss.login('boss', PW);
  });
  afterAll(() => h?.close());

  const list = async (query = '') => {
    const r = await boss.get(`/api/v1/incidents${query}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body as { items: any[]; nextCursor: string | null };
  };
  const incidentOf = async (ticketId: number) => {
    const { items } = await list(`?ticketId=${ticketId}`);
    expect(items).toHaveLength(1);
    return items[0];
  };
  const history = async (ticketId: number) => (await h.as.admin!.get(`/api/v1/tickets/${ticketId}/history?perPage=1000`)).body.items as any[];
  const log = async (instanceId: number) => (await h.as.admin!.get(`/api/v1/process-instances/${instanceId}/log?perPage=1000`)).body.items as any[];
  const processView = async (ticketId: number) => (await h.as.alice!.get(`/api/v1/tickets/${ticketId}/process`)).body;

  it('lists an action that failed, and a retry after fixing the dynamic field completes the instance', async () => {
    // Given a ticket whose target queue does not exist, the step after the script rolls back into an incident
    const s = await processTicket(h, 'alice', 'inc-move', { title: 'Move me', dynamicFields: { Target: 'Nowhere' } });
    await h.worker.drain();
    const inc = await incidentOf(s.ticketId);
    const ticket = (await h.as.admin!.get(`/api/v1/tickets/${s.ticketId}`)).body;
    expect(inc).toMatchObject({
      status: 'open', instanceId: s.instanceId, rootInstanceId: s.instanceId, instanceStatus: 'incident', ticketId: s.ticketId, ticketNumber: ticket.number,
      process: 'inc-move', version: 1, node: 'prepare', nodeName: 'Prepare', code: 'ACTION_FAILED', message: expect.stringContaining('Nowhere'),
      resolvedAt: null, resolvedHow: null, resolvedBy: null,
    });
    expect(inc.token).toMatch(/^k\d+$/);
    expect((await boss.get(`/api/v1/incidents/${inc.id}`)).body).toEqual(inc);

    // When boss retries after setting Target to a queue that exists, the script runs again and the move succeeds
    const r = await boss.post(`/api/v1/incidents/${inc.id}/retry`, { dynamicFields: { Target: 'HR' } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.incident).toMatchObject({ id: inc.id, status: 'resolved', resolvedHow: 'retry', resolvedBy: 'boss' });
    expect(r.body.openIncidents).toEqual([]);
    await h.worker.drain();
    expect((await processView(s.ticketId)).status).toBe('completed');
    expect((await h.as.admin!.get(`/api/v1/tickets/${s.ticketId}`)).body.queue.name).toBe('HR');

    // Then the history names boss for the field and the retry, and the log says who retried
    const hist = await history(s.ticketId);
    expect(hist.filter((x) => x.field === 'DynamicField_Target').at(-1)).toMatchObject({ old: 'Nowhere', new: 'HR', who: { login: 'boss' } });
    expect(hist.find((x) => x.message.includes(`Incident ${inc.id}`))).toMatchObject({
      message: `[inc-move] Incident ${inc.id} (ACTION_FAILED at "prepare"): retried by boss (dynamic fields Target set).`,
      who: { kind: 'agent', login: 'boss' },
    });
    const entries = await log(s.instanceId);
    expect(entries.filter((x) => x.kind === 'retry').map((x) => x.actor)).toEqual(['boss']);
    expect(entries.find((x) => x.kind === 'incidentAct')).toMatchObject({ actor: 'boss' });

    // And the incident is no longer open; a second retry is refused
    expect((await list(`?ticketId=${s.ticketId}`)).items).toEqual([]);
    expect((await list(`?ticketId=${s.ticketId}&status=resolved`)).items.map((x) => x.id)).toEqual([inc.id]);
    const again = await boss.post(`/api/v1/incidents/${inc.id}/retry`, {});
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'INCIDENT_RESOLVED', message: expect.stringContaining('retry by boss') });
  });

  it('keeps one open row per token and code, updating its message, and leaves nothing written when the fix is invalid', async () => {
    // Given a dialog whose way out moves the ticket to a queue that does not exist
    const s = await processTicket(h, 'alice', 'inc-dialog', { title: 'Twice', dynamicFields: { Target: 'Nowhere' } });
    const first = await h.as.alice!.post(`/api/v1/tickets/${s.ticketId}/dialogs/ask`, { fields: { Title: 'Twice' } });
    expect(first.body.status).toBe('incident');
    const inc = await incidentOf(s.ticketId);
    expect(inc).toMatchObject({ code: 'ACTION_FAILED', node: 'ask', message: expect.stringContaining('Nowhere') });
    // When the dialog fails again for another reason, the same incident row says so (no second row)
    expect((await h.as.alice!.request('PATCH', `/api/v1/tickets/${s.ticketId}`, { dynamicFields: { Target: 'Elsewhere' } })).status).toBe(200);
    await h.as.alice!.post(`/api/v1/tickets/${s.ticketId}/dialogs/ask`, { fields: { Title: 'Twice' } });
    const all = (await list(`?ticketId=${s.ticketId}&status=all`)).items;
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ id: inc.id, status: 'open', message: expect.stringContaining('Elsewhere') });
    // A fix the field does not take: 400 naming it, the incident stays open, the ticket unchanged
    const bad = await boss.post(`/api/v1/incidents/${inc.id}/retry`, { dynamicFields: { Days: 'many' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toBe('/dynamicFields/Days');
    expect(await incidentOf(s.ticketId)).toMatchObject({ id: inc.id, status: 'open' });
    expect((await h.as.admin!.get(`/api/v1/tickets/${s.ticketId}`)).body.dynamicFields).toMatchObject({ Target: 'Elsewhere' });
    expect((await history(s.ticketId)).filter((x) => x.who.login === 'boss')).toEqual([]);
  });

  it('retries with merged variables', async () => {
    const s = await processTicket(h, 'alice', 'inc-vars', { title: 'Vars' });
    const inc = await incidentOf(s.ticketId);
    expect(inc).toMatchObject({ code: 'CONDITION_ERROR', node: 'decide', nodeName: 'Decide' });
    const r = await boss.post(`/api/v1/incidents/${inc.id}/retry`, { vars: { limit: { amount: 5 } } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.instance).toEqual({ id: s.instanceId, status: 'completed' });
    expect((await log(s.instanceId)).find((x) => x.kind === 'incidentAct').message).toContain('retried by boss (variables limit merged)');
  });

  it('skips a failed script to another node, recorded with the admin; a bad node is 400 naming toNodeId', async () => {
    const s = await processTicket(h, 'alice', 'inc-throw', { title: 'Skip me' });
    await h.worker.drain();
    const inc = await incidentOf(s.ticketId);
    expect(inc).toMatchObject({ code: 'SCRIPT_ERROR', node: 'work', message: expect.stringContaining('the ledger is closed') });

    const unknown = await boss.post(`/api/v1/incidents/${inc.id}/skip`, { toNodeId: 'nowhere' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'UNKNOWN_NODE', path: '/toNodeId', message: expect.stringContaining('"nowhere"') });
    const start = await boss.post(`/api/v1/incidents/${inc.id}/skip`, { toNodeId: 'start' });
    expect(start.status).toBe(400);
    expect(start.body.error.path).toBe('/toNodeId');
    const missing = await boss.post(`/api/v1/incidents/${inc.id}/skip`, {});
    expect(missing.status).toBe(400);
    expect(missing.body.error.path).toBe('/toNodeId');

    const r = await boss.post(`/api/v1/incidents/${inc.id}/skip`, { toNodeId: 'after' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.incident).toMatchObject({ status: 'resolved', resolvedHow: 'skip', resolvedBy: 'boss' });
    const v = await processView(s.ticketId);
    expect(v).toMatchObject({ status: 'running', currentNodes: [expect.objectContaining({ nodeId: 'after', wait: 'dialog' })] });
    const hist = await history(s.ticketId);
    expect(hist.find((x) => x.message.includes('skipped to'))).toMatchObject({
      message: `[inc-throw] Incident ${inc.id} (SCRIPT_ERROR at "work"): skipped to "Look at it" (after) by boss.`,
      who: { login: 'boss' },
    });
    expect(hist.filter((x) => x.field === 'process' && x.message.includes('Skipped')).map((x) => x.who.login)).toEqual(['boss']);
    expect((await boss.post(`/api/v1/incidents/${inc.id}/skip`, { toNodeId: 'after' })).status).toBe(409);
  });

  it('cancels the instance, recorded with the admin and the reason', async () => {
    const s = await processTicket(h, 'alice', 'inc-throw', { title: 'Cancel me' });
    await h.worker.drain();
    const inc = await incidentOf(s.ticketId);
    const r = await boss.post(`/api/v1/incidents/${inc.id}/cancel`, { reason: 'duplicate request' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ incident: { status: 'resolved', resolvedHow: 'cancel', resolvedBy: 'boss', instanceStatus: 'cancelled' }, instance: { status: 'cancelled' } });
    expect((await processView(s.ticketId)).status).toBe('cancelled');
    const hist = await history(s.ticketId);
    expect(hist.find((x) => x.message === '[inc-throw] Process cancelled by boss: duplicate request.')).toMatchObject({ who: { login: 'boss' } });
    expect((await log(s.instanceId)).find((x) => x.kind === 'cancel')).toMatchObject({ actor: 'boss' });
    const again = await boss.post(`/api/v1/incidents/${inc.id}/cancel`, {});
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('INCIDENT_RESOLVED');
  });

  it('filters by process, code, ticket and instance, newest first, in keyset pages', async () => {
    // One after the other, each raised before the next starts
    const a = await processTicket(h, 'alice', 'inc-throw', { title: 'F1' });
    await h.worker.drain();
    const b = await processTicket(h, 'alice', 'inc-vars', { title: 'F2' });
    const c = await processTicket(h, 'alice', 'inc-throw', { title: 'F3' });
    await h.worker.drain();
    const open = (await list()).items;
    expect(open.every((x) => x.status === 'open')).toBe(true);
    const ids = open.map((x) => x.id);
    expect(ids).toEqual([...ids].sort((x, y) => y - x));
    expect(open.slice(0, 3).map((x) => x.ticketId)).toEqual([c.ticketId, b.ticketId, a.ticketId]);

    const throws = (await list('?process=inc-throw')).items;
    expect(throws.length).toBeGreaterThanOrEqual(2);
    expect(throws.every((x) => x.process === 'inc-throw')).toBe(true);
    expect((await list('?code=CONDITION_ERROR')).items.every((x) => x.code === 'CONDITION_ERROR')).toBe(true);
    expect((await list('?code=CONDITION_ERROR')).items.map((x) => x.ticketId)).toContain(b.ticketId);
    expect((await list(`?instanceId=${a.instanceId}`)).items.map((x) => x.ticketId)).toEqual([a.ticketId]);
    expect((await list(`?process=inc-throw&code=CONDITION_ERROR`)).items).toEqual([]);

    // Pages of one, following nextCursor, give the same order without repeats
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: any[]; nextCursor: string | null } = await list(`?process=inc-throw&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.items.map((x) => x.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(throws.map((x) => x.id));

    const all = (await list('?status=all&limit=500')).items;
    expect(all.some((x) => x.status === 'resolved')).toBe(true);
    expect(all.some((x) => x.status === 'open')).toBe(true);
    expect((await boss.get('/api/v1/incidents?status=gone')).body.error.path).toBe('/status');
    expect((await boss.get('/api/v1/incidents?cursor=abc')).status).toBe(400);
  });

  it('lists a child process’s incident under its root instance', async () => {
    // Given a parent instance, and a child instance below it whose script is about to fail
    const parent = await processTicket(h, 'alice', 'inc-throw', { title: 'Parent' });
    const childTicket = await processTicket(h, 'alice', 'inc-throw', { title: 'Child' });
    const db = h.srv.database.db;
    // Call activities arrive separately: here the second instance is made a child of the first by hand.
    await db.updateTable('process_instances').set({ parent_instance_id: parent.instanceId }).where('id', '=', childTicket.instanceId).execute();
    await h.worker.drain();
    // Then its incident carries the root instance and shows in the root's list
    const child = (await list(`?instanceId=${childTicket.instanceId}`)).items[0];
    expect(child).toMatchObject({ instanceId: childTicket.instanceId, rootInstanceId: parent.instanceId });
    const tree = (await list(`?rootInstanceId=${parent.instanceId}`)).items;
    expect(tree.map((x) => x.instanceId).sort()).toEqual([parent.instanceId, childTicket.instanceId].sort());
    // (the view of the child's state is unchanged by the listing)
    const row = await db.selectFrom('process_instances').select('state').where('id', '=', childTicket.instanceId).executeTakeFirstOrThrow();
    expect(parseState(row.state).status).toBe('incident');
  });

  it('answers 404 for an unknown incident, 403 to agents who are not administrators, 401 without a login', async () => {
    expect((await boss.get('/api/v1/incidents/999999')).status).toBe(404);
    expect((await boss.post('/api/v1/incidents/999999/retry', {})).status).toBe(404);
    const s = await processTicket(h, 'alice', 'inc-throw', { title: 'Not yours' });
    await h.worker.drain();
    const inc = await incidentOf(s.ticketId);
    for (const [method, path, body] of [
      ['GET', '/api/v1/incidents', undefined],
      ['GET', `/api/v1/incidents/${inc.id}`, undefined],
      ['POST', `/api/v1/incidents/${inc.id}/retry`, {}],
      ['POST', `/api/v1/incidents/${inc.id}/skip`, { toNodeId: 'after' }],
      ['POST', `/api/v1/incidents/${inc.id}/cancel`, {}],
    ] as const) {
      const r = await h.as.alice!.request(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.body.error.code).toBe('ADMIN_REQUIRED');
    }
    expect((await new Client(h.srv.url).get('/api/v1/incidents')).status).toBe(401);
    expect(await incidentOf(s.ticketId)).toMatchObject({ status: 'open' });
  });
});
