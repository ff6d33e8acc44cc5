/**
 * Queues an ExecuteInvoker action's call as a `service` job in the caller's transaction (the step's),
 * so the call happens only if the step commits. Fire and forget: the job maps the answer into the
 * ticket's dynamic fields and records success or failure in the ticket history.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ExecuteInvoker } from '../../engine/model/actions';
import type { JsonValue } from '../../engine/model/types';
import type { DB } from '../db/schema';

/** The payload of an ExecuteInvoker job (`mode: 'invoker'`). */
export interface InvokerJobPayload {
  mode: 'invoker';
  ticketId: number;
  webservice: string;
  operation: string;
  params: Record<string, JsonValue>;
  idempotencyKey: string;
}

/**
 * Inserts the job of an ExecuteInvoker action (key `invoker:<ticket>:<uuid>`, the idempotency key
 * too, so retries send the same one); attempts: the service's retries + 1 (3 + 1 when it is unknown).
 *
 * @example
 * await enqueueInvoker(trx, 42, { type: 'ExecuteInvoker', webservice: 'crm', operation: 'notify' }, now);
 */
export async function enqueueInvoker(db: Kysely<DB>, ticketId: number, action: ExecuteInvoker, now: Date): Promise<string> {
  const svc = await db.selectFrom('outbound_services').select('retries').where('name', '=', action.webservice).executeTakeFirst();
  const key = `invoker:${ticketId}:${randomUUID()}`;
  const payload: InvokerJobPayload = { mode: 'invoker', ticketId, webservice: action.webservice, operation: action.operation, params: (action.params ?? {}) as Record<string, JsonValue>, idempotencyKey: key };
  await db.insertInto('jobs').values({ kind: 'service', instance_id: null, key, payload: JSON.stringify(payload), max_attempts: (svc?.retries ?? 3) + 1, run_at: now, created_at: now }).execute();
  return key;
}
