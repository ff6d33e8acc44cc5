/**
 * Fixtures for the process-ticket tests: a helpdesk with queues, agents and a customer, the dynamic
 * fields the scenario processes use, deploying a process over the API, a job worker driven by the
 * test (`drain()`, no sleeps), and closing the engine's script workers.
 */
import { expect } from 'vitest';
import type { Process } from '../../engine/model/types';
import type { DatabaseKind } from '../../server/db/index';
import { closeEngine } from '../../server/engine/engine';
import { startWorker, type JobWorker } from '../../server/engine/worker';
import { createDynamicField, startHelpdesk, type Helpdesk } from './tickets';

export interface EngineHelpdesk extends Helpdesk {
  worker: JobWorker;
}

/** A helpdesk for process scenarios: queues Support and HR, agents alice and bob (rw), customer carl. */
export async function startEngineHelpdesk(kind: DatabaseKind): Promise<EngineHelpdesk> {
  const h = await startHelpdesk(kind, {
    queues: { Support: 'users', HR: 'users' },
    agents: { alice: { users: ['rw'] }, bob: { users: ['rw'] }, reader: { users: ['ro'] } },
    customers: { carl: 'acme', dora: 'globex' },
  });
  await createDynamicField(h.srv, 'Reason', 'text');
  await createDynamicField(h.srv, 'Approved', 'dropdown', { config: { possibleValues: { yes: 'Yes', no: 'No' } } });
  await createDynamicField(h.srv, 'Category', 'text');
  await createDynamicField(h.srv, 'Days', 'integer');
  await createDynamicField(h.srv, 'LegalOk', 'checkbox');
  await createDynamicField(h.srv, 'FinanceOk', 'checkbox');
  await createDynamicField(h.srv, 'Rating', 'integer');
  await createDynamicField(h.srv, 'Target', 'text');
  const worker = startWorker(h.srv.services, { loop: false });
  return {
    ...h,
    worker,
    close: async () => {
      await worker.stop();
      await closeEngine(h.srv.services);
      await h.srv.close();
    },
  };
}

/** Creates and deploys a process as admin (creating missing references); expects success. */
export async function deploy(h: Helpdesk, doc: Process): Promise<void> {
  const created = await h.as.admin!.post('/api/v1/processes', doc);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const deployed = await h.as.admin!.post(`/api/v1/processes/${doc.key}/deploy`, { createMissing: true });
  expect(deployed.status, JSON.stringify(deployed.body)).toBe(201);
}

/** Starts a process ticket through the API as `who`; expects a 201 and resolves to the process view. */
export async function processTicket(h: Helpdesk, who: string, process: string, ticket: Record<string, unknown> = {}, fields?: Record<string, unknown>): Promise<any> {
  const res = await h.as[who]!.post('/api/v1/process-tickets', { process, ticket: { title: 'Process ticket', queue: 'Support', article: { body: 'Start' }, ...ticket }, ...(fields ? { fields } : {}) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}
