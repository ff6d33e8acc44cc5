/**
 * Field rules and portal visibility on the server (issue 18): a submission that breaks a field rule
 * is refused naming the field, a field a rule hides is never demanded, the portal lists a process
 * with its customer description (never the admin's), and the customer's view of a process lists
 * only the steps shown to customers. Runs on PGlite, and on PostgreSQL when TEST_DATABASE_URL is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Process } from '../engine/model/types';
import { databaseKinds } from './support/db';
import { deploy, startEngineHelpdesk, type EngineHelpdesk } from './support/engine';
import { createDynamicField } from './support/tickets';

const equipment: Process = {
  format: 'process/1',
  key: 'equipment-rules',
  name: 'Equipment request',
  description: 'ADMIN NOTE: budget code 4711, route via Support',
  customerDescription: 'Ask for a laptop or a phone.',
  start: {
    interfaces: ['customer', 'agent'],
    dialog: {
      interfaces: ['customer', 'agent'],
      fields: [
        { field: 'Title', display: 'mandatory' },
        { field: 'DynamicField_Kind', display: 'mandatory' },
        { field: 'DynamicField_Model', display: 'shown', label: 'Which model?' },
        { field: 'DynamicField_Reason', display: 'mandatory' },
      ],
      rules: [
        { when: { field: 'DynamicField_Kind', op: 'eq', value: 'laptop' }, then: 'show', fields: ['DynamicField_Model'] },
        { when: { field: 'DynamicField_Kind', op: 'eq', value: 'laptop' }, then: 'require', fields: ['DynamicField_Model'] },
        { when: { field: 'DynamicField_Kind', op: 'eq', value: 'phone' }, then: 'hide', fields: ['DynamicField_Reason'] },
      ],
    },
  },
  nodes: [
    { id: 'start', type: 'startEvent', name: 'Request received' },
    { id: 'check', type: 'scriptTask', name: 'Internal budget check', script: { source: 'export default () => ({ vars: { ok: true } })' } },
    { id: 'notify', type: 'scriptTask', name: 'Order placed', showToCustomer: true, script: { source: 'export default () => ({ vars: { placed: true } })' } },
    { id: 'secret', type: 'userTask', name: 'Secret review', showToCustomer: false, dialog: { interfaces: ['agent'], fields: [{ field: 'Title', display: 'shown' }] } },
    { id: 'end', type: 'endEvent', name: 'Delivered' },
  ],
  transitions: [
    { id: 't1', from: 'start', to: 'check' },
    { id: 't2', from: 'check', to: 'notify' },
    { id: 't3', from: 'notify', to: 'secret' },
    { id: 't4', from: 'secret', to: 'end' },
  ],
};

describe.each(databaseKinds)('field rules and portal visibility on %s', (kind) => {
  let h: EngineHelpdesk;
  const as = (who: string) => h.as[who]!;

  beforeAll(async () => {
    h = await startEngineHelpdesk(kind);
    await createDynamicField(h.srv, 'Kind', 'dropdown', { config: { possibleValues: { laptop: 'Laptop', phone: 'Phone' } } });
    await createDynamicField(h.srv, 'Model', 'text');
    await h.srv.database.db.updateTable('dynamic_fields').set({ customer_visible: true }).where('name', 'in', ['Kind', 'Model', 'Reason']).execute();
    await deploy(h, equipment);
  });
  afterAll(() => h?.close());

  const start = (fields: Record<string, unknown>, who = 'carl') => as(who).post('/api/v1/process-tickets', { process: 'equipment-rules', fields });

  it('refuses a submission missing a field a rule requires, naming the field', async () => {
    const r = await start({ Title: 'Need a laptop', DynamicField_Kind: 'laptop', DynamicField_Reason: 'old one broke' });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'FIELD_REQUIRED', path: '/fields/DynamicField_Model' });
    expect(r.body.error.message).toContain('Which model?');
    // Nothing half-written: no ticket was opened.
    const mine = await as('carl').get('/api/v1/tickets?perPage=100');
    expect(mine.body.items.filter((t: any) => t.title === 'Need a laptop')).toEqual([]);
  });

  it('refuses a value for a field a rule hides, naming the field', async () => {
    const r = await start({ Title: 'Need a phone', DynamicField_Kind: 'phone', DynamicField_Model: 'Pro 14' });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'FIELD_HIDDEN', path: '/fields/DynamicField_Model' });
  });

  it('does not demand a mandatory field a rule hides, and writes what is shown', async () => {
    const r = await start({ Title: 'Need a phone', DynamicField_Kind: 'phone' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const t = (await as('admin').get(`/api/v1/tickets/${r.body.ticketId}`)).body;
    expect(t.dynamicFields).toMatchObject({ Kind: 'phone' });
    expect(t.dynamicFields.Reason ?? null).toBeNull();
  });

  it('lists the process in the portal with its customer description, never the admin one; agents read the description', async () => {
    const carl = (await as('carl').get('/api/v1/process-tickets/startable')).body.items.find((p: any) => p.key === 'equipment-rules');
    expect(carl.description).toBe('Ask for a laptop or a phone.');
    expect(JSON.stringify(carl)).not.toContain('ADMIN NOTE');
    // The form carries the rules, so the portal judges them as the server does.
    expect(carl.dialog.rules).toHaveLength(3);
    const alice = (await as('alice').get('/api/v1/process-tickets/startable')).body.items.find((p: any) => p.key === 'equipment-rules');
    expect(alice.description).toContain('ADMIN NOTE');
  });

  it('shows the customer only the steps shown to customers', async () => {
    const r = await start({ Title: 'Need a laptop', DynamicField_Kind: 'laptop', DynamicField_Model: 'Pro 14', DynamicField_Reason: 'broke' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    await h.worker.drain();
    await h.worker.drain();
    const v = (await as('carl').get(`/api/v1/tickets/${r.body.ticketId}/process`)).body;
    expect(v.view).toBe('customer');
    // The script marked "show to customer" is a step; the unmarked script and the user task switched off are not.
    expect(v.steps.map((s: any) => s.label)).toEqual(['Request received', 'Order placed']);
    expect(JSON.stringify(v)).not.toContain('Internal budget check');
    expect(JSON.stringify(v)).not.toContain('Secret review');
    // The agent sees every step.
    const agent = (await as('admin').get(`/api/v1/tickets/${r.body.ticketId}/process`)).body;
    expect(agent.currentNodes).toEqual([expect.objectContaining({ nodeId: 'secret' })]);
  });
});
