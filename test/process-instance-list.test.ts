/**
 * The administrator's instance list (what the monitoring overlay opens from a node's badge):
 * filtered by process, status and current node, newest first, paged by a keyset cursor; agents
 * without admin rights are refused; a bad filter names the parameter. PGlite, and PostgreSQL with
 * TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from './support/db';
import { deploy, processTicket, startEngineHelpdesk, type EngineHelpdesk } from './support/engine';
import { badCondition, linear } from './engine-server/processes';

describe.each(databaseKinds)('process instance list on %s', (kind) => {
  let h: EngineHelpdesk;
  const tickets: number[] = [];
  beforeAll(async () => {
    h = await startEngineHelpdesk(kind);
    await deploy(h, linear);
    await deploy(h, badCondition);
    for (let i = 0; i < 5; i++) tickets.push((await processTicket(h, 'alice', 'linear', { title: `Request ${i}` })).ticketId);
    // Move the first two on to "note"; cancel the last one.
    for (const id of tickets.slice(0, 2)) {
      const r = await h.as.alice!.post(`/api/v1/tickets/${id}/dialogs/describe`, { fields: { DynamicField_Reason: 'r' } });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
  });
  afterAll(() => h?.close());

  const list = (q: string) => h.as.admin!.get(`/api/v1/process-instances${q}`);

  it('counts running instances and open incidents per process in the process list', async () => {
    const stuck = await processTicket(h, 'alice', 'bad-condition');
    const r = await h.as.alice!.post(`/api/v1/tickets/${stuck.ticketId}/dialogs/ask`, { fields: {} });
    expect(r.body.status).toBe('incident');
    const processes = (await h.as.admin!.get('/api/v1/processes')).body.items as Array<{ key: string; runningInstances: number; incidents: number }>;
    expect(processes.find((p) => p.key === 'linear')).toMatchObject({ runningInstances: 5, incidents: 0 });
    expect(processes.find((p) => p.key === 'bad-condition')).toMatchObject({ runningInstances: 1, incidents: 1 });
    const stuckList = await list('?process=bad-condition&status=incident');
    expect(stuckList.body.items[0]).toMatchObject({ ticketId: stuck.ticketId, incidents: [{ nodeId: 'decide', code: 'CONDITION_ERROR' }] });
  });

  it('lists the active instances at a node, newest first, with their tickets', async () => {
    const at = await list('?process=linear&node=describe');
    expect(at.status, JSON.stringify(at.body)).toBe(200);
    expect(at.body.items.map((i: any) => i.ticketId)).toEqual(tickets.slice(2).reverse());
    expect(at.body.items[0]).toMatchObject({ process: 'linear', version: 1, status: 'running', ticketTitle: 'Request 4', currentNodes: [{ nodeId: 'describe', wait: 'dialog' }], incidents: [] });
    const note = await list('?process=linear&node=note');
    expect(note.body.items.map((i: any) => i.ticketId)).toEqual(tickets.slice(0, 2).reverse());
  });

  it('pages with a keyset cursor without repeating or skipping', async () => {
    const first = await list('?process=linear&limit=2');
    expect(first.body.items).toHaveLength(2);
    const second = await list(`?process=linear&limit=2&before=${first.body.next}`);
    const third = await list(`?process=linear&limit=2&before=${second.body.next}`);
    expect(third.body.next).toBeNull();
    const seen = [...first.body.items, ...second.body.items, ...third.body.items].map((i: any) => i.ticketId);
    expect(seen).toEqual([...tickets].reverse());
  });

  it('filters by status: finished instances are not active', async () => {
    const done = await list('?process=linear&status=completed');
    expect(done.body.items).toEqual([]);
    expect((await list('?process=other-process')).body.items).toEqual([]);
  });

  it('is for administrators, and names a bad parameter', async () => {
    expect((await h.as.alice!.get('/api/v1/process-instances')).status).toBe(403);
    const bad = await list('?status=sleeping');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error)).toContain('status');
    // Beyond a database integer: refused at the field, not a database error.
    for (const name of ['ticketId', 'before', 'version']) {
      const big = await list(`?${name}=99999999999`);
      expect(big.status, JSON.stringify(big.body)).toBe(400);
      expect(big.body.error.path).toContain(name);
    }
  });
});
