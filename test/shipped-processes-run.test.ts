/**
 * The shipped processes run on a real server as installed on the first start (scripts, services,
 * queues and dynamic fields created from the process files), not only in the simulator: customer
 * onboarding goes from its start dialog through the account script (which writes a dynamic field
 * the installation had to create), the parallel shipping task and the final check, to closed.
 * PGlite, and PostgreSQL with TEST_DATABASE_URL.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installShippedProcesses } from '../server/processes/shipped';
import { databaseKinds } from './support/db';
import { processTicket, startEngineHelpdesk, type EngineHelpdesk } from './support/engine';

describe.each(databaseKinds)('shipped processes on %s', (kind) => {
  let h: EngineHelpdesk;
  beforeAll(async () => {
    h = await startEngineHelpdesk(kind);
    const installed = await installShippedProcesses(h.srv.services, pino({ level: 'silent' }));
    expect(installed).toContain('customer-onboarding');
  }, 120_000);
  afterAll(() => h?.close());

  const view = async (ticketId: number) => (await h.as.admin!.get(`/api/v1/tickets/${ticketId}/process`)).body;
  const ticket = async (ticketId: number) => (await h.as.admin!.get(`/api/v1/tickets/${ticketId}`)).body;
  const submit = async (ticketId: number, node: string, fields: Record<string, unknown>) => {
    const r = await h.as.admin!.post(`/api/v1/tickets/${ticketId}/dialogs/${node}`, { fields });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  };

  it('onboards a customer: accounts recorded by the script, hardware shipped, final check closes the ticket', async () => {
    const started = await processTicket(h, 'admin', 'customer-onboarding', { customerId: 'acme' }, {
      CustomerID: 'acme', DynamicField_ServiceTier: 'bronze', DynamicField_HardwareProfile: 'laptop',
    });
    await h.worker.drain();
    let v = await view(started.ticketId);
    expect(v.incidents).toEqual([]);
    expect(v.currentNodes.map((n: any) => n.nodeId).sort()).toEqual(['join', 'join', 'shipHardware']); // the welcome mail and the accounts branches wait for shipping
    expect((await ticket(started.ticketId)).dynamicFields.AccountsCreated).toBe('acme-user1, acme-user2');

    await submit(started.ticketId, 'shipHardware', { DynamicField_TrackingNumber: 'TRK-0001' });
    v = await view(started.ticketId);
    expect(v.currentNodes.map((n: any) => n.nodeId)).toEqual(['finalCheck']);
    expect(v.dialogs[0].fields.map((f: any) => f.field)).toContain('DynamicField_AccountsCreated');

    await submit(started.ticketId, 'finalCheck', { DynamicField_OnboardingConfirmed: 'yes', Article: { subject: 'Call', body: 'Customer confirmed by phone.' } });
    v = await view(started.ticketId);
    expect(v.status).toBe('completed');
    expect((await ticket(started.ticketId)).state).toMatchObject({ name: 'closed successful' });
  });
});
