/**
 * Helpers for the catalogue tests: logged-in clients and ticket rows inserted straight into the
 * database (the ticket API is not needed to count a customer's tickets).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../server/db/schema';
import { ADMIN_PASSWORD, Client, type TestServer } from './server';

/** A client logged in as `login` (the built-in admin by default). */
export async function loggedIn(srv: TestServer, login = 'admin', password = ADMIN_PASSWORD, kind: 'agent' | 'customer' = 'agent'): Promise<Client> {
  const c = new Client(srv.url);
  await c.login(login, password, kind);
  return c;
}

export const patch = (c: Client, path: string, body: unknown) => c.request('PATCH', path, body);
export const put = (c: Client, path: string, body: unknown) => c.request('PUT', path, body);

let seq = 0;

/** Inserts a ticket with the given state (by name) and owner fields; returns its id. */
export async function insertTicket(
  db: Kysely<DB>,
  t: { state: string; queue?: string; customerId?: string | null; customerUserId?: number | null },
): Promise<number> {
  const id = async (table: 'states' | 'queues' | 'priorities' | 'ticket_types', name: string) =>
    (await db.selectFrom(table).select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
  seq += 1;
  const row = await db
    .insertInto('tickets')
    .values({
      tn: `T${Date.now()}${seq}`,
      title: `ticket ${seq}`,
      queue_id: await id('queues', t.queue ?? 'Raw'),
      state_id: await id('states', t.state),
      priority_id: await id('priorities', '3 normal'),
      type_id: await id('ticket_types', 'Unclassified'),
      service_id: null,
      sla_id: null,
      owner_id: null,
      responsible_id: null,
      customer_id: t.customerId ?? null,
      customer_user_id: t.customerUserId ?? null,
      merged_into_id: null,
      created_by_agent_id: null,
      created_by_customer_user_id: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
