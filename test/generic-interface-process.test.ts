/**
 * A third-party OTOBO client starts a process ticket by naming the process on TicketCreate: the
 * ticket is created and the process started in one go; an unknown process is refused as OTOBO's
 * InvalidParameter and leaves no ticket behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minimalProcess } from '../engine/model/fixtures';
import { closeEngine } from '../server/engine/engine';
import { databaseKinds } from './support/db';
import { deploy } from './support/engine';
import { dataOf, errorOf, PW, startGiHelpdesk, type GiHelpdesk } from './support/generic-interface';

describe.each(databaseKinds)('TicketCreate with a process on %s', (kind) => {
  let h: GiHelpdesk;
  beforeAll(async () => {
    h = await startGiHelpdesk(kind);
    await deploy(h, { ...minimalProcess(), key: 'gi-started', name: 'Started from the GI' });
  });
  afterAll(async () => {
    await closeEngine(h.srv.services);
    await h?.close();
  });

  const body = (process: string) => ({
    UserLogin: 'agent',
    Password: PW,
    Ticket: { Title: 'Via the GI', Queue: 'Sales', State: 'new', Priority: '3 normal', CustomerUser: 'alice', ProcessEntityID: process },
    Article: { Subject: 'Hi', Body: 'Please start it', ContentType: 'text/plain; charset=utf-8' },
  });

  it('creates the ticket with its process waiting at the first user task', async () => {
    const res = await h.gi.post('/TicketCreate', body('gi-started'));
    const data = dataOf(res);
    expect(data.TicketID).toMatch(/^\d+$/);
    const process = await h.as.agent!.get(`/api/v1/tickets/${data.TicketID}/process`);
    expect(process.status).toBe(200);
    expect(process.body).toMatchObject({ process: 'gi-started', version: 1, status: 'running' });
    expect(process.body.currentNodes.map((n: { nodeId: string }) => n.nodeId)).toEqual(['task']);
    expect(process.body.dialogs.map((d: { nodeId: string }) => d.nodeId)).toEqual(['task']);
  });

  it('refuses a customer user a process that customers may not start, and creates nothing', async () => {
    const before = (await h.srv.database.db.selectFrom('tickets').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n;
    const { UserLogin: _agent, ...rest } = body('gi-started');
    const res = await h.gi.post('/TicketCreate', { ...rest, CustomerUserLogin: 'alice', Ticket: { Title: 'Customer start', ProcessEntityID: 'gi-started' } });
    expect(errorOf(res, 'TicketCreate.AccessDenied')).toMatch(/cannot be started from the customer interface/);
    const after = (await h.srv.database.db.selectFrom('tickets').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n;
    expect(Number(after)).toBe(Number(before));
  });

  it('refuses an unknown process as InvalidParameter and creates nothing', async () => {
    const before = (await h.srv.database.db.selectFrom('tickets').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n;
    const text = errorOf(await h.gi.post('/TicketCreate', body('no-such-process')), 'TicketCreate.InvalidParameter');
    expect(text).toContain('ProcessEntityID');
    const after = (await h.srv.database.db.selectFrom('tickets').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n;
    expect(Number(after)).toBe(Number(before));
  });
});
