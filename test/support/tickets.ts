/**
 * Fixtures for the ticket tests: a test server with queues, groups, agents of different rights and
 * customer users, logged-in clients for each, dynamic field definitions, and small helpers to
 * create tickets over the API.
 */
import { expect } from 'vitest';
import type { Config } from '../../server/config';
import type { DatabaseKind } from '../../server/db/index';
import type { DynamicFieldType } from '../../server/db/schema';
import { createAgent, createCustomerUser, createQueue, type Grants } from './fixtures';
import { ADMIN_PASSWORD, Client, startTestServer, type TestServer } from './server';

export const PW = 'secret-pw-123';

export interface Helpdesk {
  srv: TestServer;
  queues: Record<string, number>;
  agents: Record<string, number>;
  customers: Record<string, number>;
  /** Logged-in clients by login (`admin` included). */
  as: Record<string, Client>;
  close(): Promise<void>;
}

export interface HelpdeskSpec {
  /** queue name → group name */
  queues?: Record<string, string>;
  /** agent login → group grants */
  agents?: Record<string, Grants>;
  /** customer login → customer id (company) */
  customers?: Record<string, string>;
  /** Queues customers may open tickets in (the portal setting; a fresh install offers only `Raw`). */
  customerQueues?: string[];
  /** Configuration that differs from the test server's. */
  config?: Partial<Config>;
}

/** Starts a server with the given queues, agents and customer users, and logs each in. */
export async function startHelpdesk(kind: DatabaseKind, spec: HelpdeskSpec): Promise<Helpdesk> {
  const srv = await startTestServer(kind, spec.config);
  const db = srv.database.db;
  const queues: Record<string, number> = {};
  const agents: Record<string, number> = {};
  const customers: Record<string, number> = {};
  for (const [name, group] of Object.entries(spec.queues ?? {})) queues[name] = await createQueue(db, name, group);
  for (const [login, groups] of Object.entries(spec.agents ?? {})) agents[login] = await createAgent(db, login, PW, { groups });
  for (const [login, customerId] of Object.entries(spec.customers ?? {})) customers[login] = await createCustomerUser(db, login, PW, { customerId });
  const as: Record<string, Client> = {};
  as.admin = new Client(srv.url);
  await as.admin.login('admin', ADMIN_PASSWORD);
  if (spec.customerQueues) {
    const r = await as.admin.put('/api/v1/portal/settings', { customerQueues: spec.customerQueues, defaultQueue: spec.customerQueues[0] });
    if (r.status !== 200) throw new Error(`customer queues not set: ${JSON.stringify(r.body)}`);
  }
  for (const login of Object.keys(agents)) {
    as[login] = new Client(srv.url);
    await as[login].login(login, PW);
  }
  for (const login of Object.keys(customers)) {
    as[login] = new Client(srv.url);
    await as[login].login(login, PW, 'customer');
  }
  return { srv, queues, agents, customers, as, close: () => srv.close() };
}

/** Creates a ticket over the API and expects a 201; resolves to the ticket view. */
export async function newTicket(client: Client, body: Record<string, unknown>): Promise<any> {
  const res = await client.post('/api/v1/tickets', { article: { body: 'First article' }, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** Inserts a dynamic field definition straight into the database; resolves to its id. */
export async function createDynamicField(
  srv: TestServer,
  name: string,
  fieldType: DynamicFieldType,
  opts: { objectType?: 'ticket' | 'article'; config?: Record<string, unknown>; internal?: boolean; valid?: boolean } = {},
): Promise<number> {
  const row = await srv.database.db
    .insertInto('dynamic_fields')
    .values({
      name,
      label: name,
      field_type: fieldType,
      object_type: opts.objectType ?? 'ticket',
      config: JSON.stringify(opts.config ?? {}),
      internal: opts.internal ?? false,
      valid: opts.valid ?? true,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The ticket's history rows as `type field: old → new` strings, for readable assertions. */
export async function historyLines(client: Client, ticketId: number): Promise<string[]> {
  const res = await client.get(`/api/v1/tickets/${ticketId}/history?perPage=1000`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items.map((h: any) => (h.field ? `${h.type} ${h.field}: ${h.old ?? '-'} → ${h.new ?? '-'}` : h.type));
}

/** Counts rows of a table (to prove a failed write left nothing behind). */
export async function countRows(srv: TestServer, table: 'tickets' | 'articles' | 'ticket_history' | 'dynamic_field_values' | 'attachments'): Promise<number> {
  const r = await srv.database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}
