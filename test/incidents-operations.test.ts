/**
 * The operations view's incident context: an administrator without any rights on the ticket's queue
 * opens an incident and reads its ticket (read-only: the ticket itself stays "not found" to them and
 * they cannot change it), the instance's variables and the nodes by name; an agent who is not an
 * administrator is refused. PGlite, and PostgreSQL with TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Process } from '../engine/model/types';
import { databaseKinds } from './support/db';
import { deploy, processTicket, startEngineHelpdesk, type EngineHelpdesk } from './support/engine';
import { createAgent } from './support/fixtures';
import { Client } from './support/server';
import { PW } from './support/tickets';

/** start → work (a script that throws, after setting a variable) → after (a dialog) → end. */
const throwing: Process = {
  format: 'process/1',
  key: 'ops-throw',
  name: 'Throwing script',
  start: { interfaces: ['agent'] },
  nodes: [
    { id: 'start', type: 'startEvent' },
    { id: 'seed', name: 'Seed', type: 'scriptTask', script: { source: 'export default () => ({ vars: { limit: 5 } })' } },
    { id: 'work', name: 'Book it', type: 'scriptTask', script: { source: 'export default () => { throw new Error("the ledger is closed") }' } },
    { id: 'after', name: 'Look at it', type: 'userTask', dialog: { interfaces: ['agent'], fields: [{ field: 'Title', display: 'shown' }] } },
    { id: 'end', type: 'endEvent' },
  ],
  transitions: [
    { id: 't0', from: 'start', to: 'seed' },
    { id: 't1', from: 'seed', to: 'work' },
    { id: 't2', from: 'work', to: 'after' },
    { id: 't3', from: 'after', to: 'end' },
  ],
};

describe.each(databaseKinds)('the operations view of an incident on %s', (kind) => {
  let h: EngineHelpdesk;
  let chief: Client;

  beforeAll(async () => {
    h = await startEngineHelpdesk(kind);
    await deploy(h, throwing);
    // An administrator with no rights on any queue.
    await createAgent(h.srv.database.db, 'chief', PW, { groups: { admin: ['rw'] } });
    chief = new Client(h.srv.url);
    await chief.login('chief', PW);
  });
  afterAll(() => h?.close());

  it('shows an administrator without queue rights the ticket read-only, with variables and nodes by name', async () => {
    // Given a process ticket of alice's queue stuck at a script
    const s = await processTicket(h, 'alice', 'ops-throw', { title: 'Ledger booking' });
    await h.worker.drain();
    const list = await chief.get(`/api/v1/incidents?ticketId=${s.ticketId}`);
    expect(list.status).toBe(200);
    const inc = list.body.items[0];
    expect(inc).toMatchObject({ node: 'work', nodeName: 'Book it', code: 'SCRIPT_ERROR' });

    // The ticket itself is not chief's to read…
    expect((await chief.get(`/api/v1/tickets/${s.ticketId}`)).status).toBe(404);

    // …but the incident's context shows it, read-only, with the variables and the nodes by name
    const ctx = await chief.get(`/api/v1/incidents/${inc.id}/context`);
    expect(ctx.status, JSON.stringify(ctx.body)).toBe(200);
    expect(ctx.body).toMatchObject({
      incident: { id: inc.id, message: expect.stringContaining('the ledger is closed') },
      ticket: { id: s.ticketId, title: 'Ledger booking', queue: { name: 'Support' } },
      readOnly: true,
      variables: { limit: 5 },
    });
    expect(ctx.body.nodes).toEqual(expect.arrayContaining([{ id: 'after', name: 'Look at it', type: 'userTask' }, { id: 'end', name: 'end', type: 'endEvent' }]));
    expect(ctx.body.nodes.map((n: { id: string }) => n.id)).not.toContain('start');

    // Reading grants nothing else: chief still cannot change the ticket
    expect((await chief.request('PATCH', `/api/v1/tickets/${s.ticketId}`, { title: 'Changed' })).status).toBe(404);
    expect((await h.as.alice!.get(`/api/v1/tickets/${s.ticketId}`)).body.title).toBe('Ledger booking');

    // An agent of the queue holds rw there: the context is for administrators only
    expect((await h.as.alice!.get(`/api/v1/incidents/${inc.id}/context`)).status).toBe(403);
    // The built-in admin holds rw on the queue: not read-only for them
    expect((await h.as.admin!.get(`/api/v1/incidents/${inc.id}/context`)).body.readOnly).toBe(false);
    expect((await chief.get('/api/v1/incidents/999999/context')).status).toBe(404);
  });
});
