/**
 * The queues customer users may open tickets in (OTRS: CustomerPanelOwnSelection) and the one their
 * tickets go to when they name none (CustomerPanelDefaultQueue): portal settings an administrator
 * changes with `PUT /portal/settings`. A fresh install offers `Raw`, where portal tickets always
 * went. Any other queue is refused with a 403 naming it on REST, in the Generic Interface's
 * TicketCreate and when a customer starts a process (the ticket's queue, or a Queue field of a
 * customer dialog). PGlite, and PostgreSQL with TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Process } from '../engine/model/types';
import { databaseKinds } from './support/db';
import { deploy, startEngineHelpdesk, type EngineHelpdesk } from './support/engine';
import { createQueue } from './support/fixtures';
import { dataOf, errorOf, Gi } from './support/generic-interface';
import { Client } from './support/server';
import { countRows, PW } from './support/tickets';

const plainStart: Process = {
  format: 'process/1',
  key: 'plain-start',
  name: 'Plain start',
  start: { interfaces: ['customer', 'agent'] },
  nodes: [{ id: 'start', type: 'startEvent' }, { id: 'wait', type: 'userTask', dialog: { interfaces: ['agent'], fields: [{ field: 'Title', display: 'shown' }] } }, { id: 'end', type: 'endEvent' }],
  transitions: [{ id: 't1', from: 'start', to: 'wait' }, { id: 't2', from: 'wait', to: 'end' }],
} as Process;

const queueChoice: Process = {
  format: 'process/1',
  key: 'queue-choice',
  name: 'Queue choice',
  start: { interfaces: ['customer', 'agent'], dialog: { interfaces: ['customer', 'agent'], fields: [{ field: 'Queue', display: 'mandatory' }] } },
  nodes: [{ id: 'start', type: 'startEvent' }, { id: 'wait', type: 'userTask', dialog: { interfaces: ['agent'], fields: [{ field: 'Title', display: 'shown' }] } }, { id: 'end', type: 'endEvent' }],
  transitions: [{ id: 't1', from: 'start', to: 'wait' }, { id: 't2', from: 'wait', to: 'end' }],
} as Process;

describe.each(databaseKinds)('the queues customers may open tickets in, on %s', (kind) => {
  let h: EngineHelpdesk;
  let gi: Gi;
  const as = (who: string) => h.as[who]!;
  const adminQueue = async (ticketId: number) =>
    (await h.srv.database.db.selectFrom('tickets').innerJoin('queues', 'queues.id', 'tickets.queue_id').select('queues.name').where('tickets.id', '=', ticketId).executeTakeFirstOrThrow()).name;
  const portalTicket = (body: Record<string, unknown> = {}) => as('carl').post('/api/v1/tickets', { title: 'Printer', article: { body: 'It jams.' }, ...body });

  beforeAll(async () => {
    h = await startEngineHelpdesk(kind);
    await createQueue(h.srv.database.db, 'Internal', 'internal');
    await deploy(h, plainStart);
    await deploy(h, queueChoice);
    gi = new Gi(h.srv.url);
    // Starting the engine and deploying two processes is slow on a busy machine.
  }, 180_000);
  afterAll(() => h?.close());

  it('on a fresh install puts customer tickets in Raw and refuses every other queue by name or id (REST)', async () => {
    const created = await portalTicket();
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(await adminQueue(created.body.id)).toBe('Raw');
    expect((await portalTicket({ queue: 'Raw' })).status).toBe(201);

    const before = await countRows(h.srv, 'tickets');
    const byName = await portalTicket({ queue: 'Internal' });
    expect(byName.status, JSON.stringify(byName.body)).toBe(403);
    expect(byName.body.error).toMatchObject({ code: 'QUEUE_NOT_OFFERED', path: '/queue' });
    expect(byName.body.error.message).toContain('"Internal"');
    const internalId = (await h.srv.database.db.selectFrom('queues').select('id').where('name', '=', 'Internal').executeTakeFirstOrThrow()).id;
    const byId = await portalTicket({ queueId: internalId });
    expect(byId.status).toBe(403);
    expect(byId.body.error.path).toBe('/queueId');
    expect((await portalTicket({ queue: 'Support' })).status).toBe(403);
    expect(await countRows(h.srv, 'tickets')).toBe(before);
    // Agents keep their queue permissions.
    expect((await as('alice').post('/api/v1/tickets', { title: 'x', queue: 'Support', article: { body: 'x' } })).status).toBe(201);
  });

  it('refuses other queues in the Generic Interface TicketCreate', async () => {
    const article = { Subject: 'Hi', Body: 'Help', ContentType: 'text/plain; charset=utf-8' };
    const before = await countRows(h.srv, 'tickets');
    const message = errorOf(await gi.post('/TicketCreate', { CustomerUserLogin: 'carl', Password: PW, Ticket: { Title: 'GI', Queue: 'Internal' }, Article: article }), 'TicketCreate.AccessDenied');
    expect(message).toContain('"Internal"');
    expect(await countRows(h.srv, 'tickets')).toBe(before);
    const ok = dataOf(await gi.post('/TicketCreate', { CustomerUserLogin: 'carl', Password: PW, Ticket: { Title: 'GI' }, Article: article }));
    expect(await adminQueue(Number(ok.TicketID))).toBe('Raw');
  });

  it('refuses other queues when a customer starts a process, and offers only the customer queues in its dialogs', async () => {
    const refused = await as('carl').post('/api/v1/process-tickets', { process: 'plain-start', ticket: { title: 'P', queue: 'Internal', article: { body: 'x' } } });
    expect(refused.status, JSON.stringify(refused.body)).toBe(403);
    expect(refused.body.error.path).toBe('/ticket/queue');
    expect(refused.body.error.message).toContain('"Internal"');
    const started = await as('carl').post('/api/v1/process-tickets', { process: 'plain-start' });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    expect(await adminQueue(started.body.ticketId)).toBe('Raw');

    const startable = await as('carl').get('/api/v1/process-tickets/startable');
    const dialog = startable.body.items.find((p: any) => p.key === 'queue-choice').dialog;
    expect(dialog.fields[0].allowedValues).toEqual([{ value: 'Raw', label: 'Raw' }]);
    const before = await countRows(h.srv, 'tickets');
    const viaDialog = await as('carl').post('/api/v1/process-tickets', { process: 'queue-choice', fields: { Queue: 'Internal' } });
    expect(viaDialog.status, JSON.stringify(viaDialog.body)).toBe(403);
    expect(viaDialog.body.error.path).toBe('/fields/Queue');
    expect(await countRows(h.srv, 'tickets')).toBe(before);
    const viaRaw = await as('carl').post('/api/v1/process-tickets', { process: 'queue-choice', fields: { Queue: 'Raw' } });
    expect(viaRaw.status, JSON.stringify(viaRaw.body)).toBe(201);
    // Agents choose among their queues as before.
    const agentView = (await as('alice').get('/api/v1/process-tickets/startable')).body.items.find((p: any) => p.key === 'queue-choice').dialog;
    const agentQueues = agentView.fields[0].allowedValues.map((v: any) => v.value);
    expect(agentQueues).toEqual(expect.arrayContaining(['HR', 'Support']));
    expect(agentQueues).not.toContain('Internal');
  });

  it('lets administrators choose the customer queues and the default; signed-in callers read them', async () => {
    const anon = await new Client(h.srv.url).get('/api/v1/portal/settings');
    expect(anon.body.customerQueues).toBeUndefined();
    expect(anon.body.defaultQueue).toBeUndefined();
    expect((await as('carl').get('/api/v1/portal/settings')).body).toMatchObject({ customerQueues: [{ name: 'Raw' }], defaultQueue: { name: 'Raw' } });

    expect((await as('alice').put('/api/v1/portal/settings', { customerQueues: ['Internal'] })).status).toBe(403);
    const unknown = await as('admin').put('/api/v1/portal/settings', { customerQueues: ['Support', 'Nowhere'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.path).toBe('/customerQueues/1');
    const notOffered = await as('admin').put('/api/v1/portal/settings', { customerQueues: ['Support', 'HR'] });
    expect(notOffered.status).toBe(400);
    expect(notOffered.body.error.path).toBe('/defaultQueue');
    expect(notOffered.body.error.message).toContain('"Raw"');
    const defaultOutside = await as('admin').put('/api/v1/portal/settings', { customerQueues: ['Support'], defaultQueue: 'HR' });
    expect(defaultOutside.status).toBe(400);
    expect(defaultOutside.body.error.path).toBe('/defaultQueue');
    expect((await as('admin').put('/api/v1/portal/settings', { customerQueues: [] })).status).toBe(400);

    const hr = (await h.srv.database.db.selectFrom('queues').select('id').where('name', '=', 'HR').executeTakeFirstOrThrow()).id;
    const saved = await as('admin').put('/api/v1/portal/settings', { customerQueues: ['Support', hr], defaultQueue: 'Support' });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toMatchObject({ customerQueues: [{ name: 'HR', id: hr }, { name: 'Support' }], defaultQueue: { name: 'Support' } });
    // Only the keys sent change.
    expect((await as('admin').put('/api/v1/portal/settings', { title: 'Our help' })).body).toMatchObject({ title: 'Our help', customerQueues: [{ name: 'HR' }, { name: 'Support' }], defaultQueue: { name: 'Support' } });

    const created = await portalTicket();
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(await adminQueue(created.body.id)).toBe('Support');
    expect(await adminQueue((await portalTicket({ queue: 'HR' })).body.id)).toBe('HR');
    expect((await portalTicket({ queue: 'Raw' })).status).toBe(403);
    expect((await portalTicket({ queue: 'Internal' })).status).toBe(403);

    // A renamed queue stays offered; a queue switched off is no longer offered.
    await h.srv.database.db.updateTable('queues').set({ name: 'People' }).where('id', '=', hr).execute();
    expect((await as('carl').get('/api/v1/portal/settings')).body.customerQueues.map((q: any) => q.name)).toEqual(['People', 'Support']);
    await h.srv.database.db.updateTable('queues').set({ valid: false }).where('id', '=', hr).execute();
    expect((await as('carl').get('/api/v1/portal/settings')).body.customerQueues.map((q: any) => q.name)).toEqual(['Support']);
    expect((await portalTicket({ queue: 'People' })).status).toBeGreaterThanOrEqual(400);
  });
});
