/**
 * Web-service references of a process (service tasks, ExecuteInvoker actions) checked against the
 * outbound services: the service must exist and offer the operation. Neither can be created from a
 * process (`createMissing` has no base URL or operation to invent), so a missing one is not creatable.
 */
import type { Kysely } from 'kysely';
import type { Reference } from '../../engine/index';
import type { DB } from '../db/schema';

/**
 * The name to report when `ref` is missing (`crm`, or `crm (operation notify)` when the service
 * exists without it), or undefined when it is there.
 *
 * @example
 * await missingWebservice(db, { kind: 'webservice', name: 'crm', operation: 'notify', paths: ['/nodes/2/service/webservice'] });
 * // 'crm (operation notify)' when crm has no operation notify
 */
export async function missingWebservice(db: Kysely<DB>, ref: Reference): Promise<string | undefined> {
  const row = await db.selectFrom('outbound_services').select('operations').where('name', '=', ref.name).executeTakeFirst();
  if (!row) return ref.name;
  if (ref.operation === undefined) return undefined;
  const ops = (typeof row.operations === 'string' ? JSON.parse(row.operations) : row.operations) as Record<string, unknown>;
  return Object.prototype.hasOwnProperty.call(ops, ref.operation) ? undefined : `${ref.name} (operation ${ref.operation})`;
}
