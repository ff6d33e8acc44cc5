/**
 * Web-service references of a process (service tasks, ExecuteInvoker actions) checked against the
 * outbound services: the service must exist and offer the operation. Neither can be created from a
 * process (`createMissing` has no base URL or operation to invent), so a missing one is not creatable.
 * The other way round, a service (or an operation) that live process versions use cannot be deleted.
 */
import { sql, type Kysely } from 'kysely';
import { collectReferences, type Reference } from '../../engine/index';
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

/** A live process version's use of a service: which operations, and where. */
export interface ServiceUse {
  key: string;
  version: number;
  operations: string[];
  paths: string[];
}

/**
 * The process versions that can still call `name`: active or fade-away versions, and any version
 * with running instances (or instances with incidents).
 *
 * @example
 * await serviceUses(db, 'crm'); // [{ key: 'onboarding', version: 2, operations: ['notify'], paths: ['/transitions/3/actions/0/webservice'] }]
 */
export async function serviceUses(db: Kysely<DB>, name: string): Promise<ServiceUse[]> {
  const versions = await db
    .selectFrom('process_versions as v')
    .select(['v.key', 'v.version', 'v.definition'])
    .where((eb) =>
      eb.or([
        eb('v.state', 'in', ['active', 'fadeaway']),
        eb.exists(eb.selectFrom('process_instances as i').select(sql.lit(1).as('one')).whereRef('i.process_key', '=', 'v.key').whereRef('i.process_version', '=', 'v.version').where('i.status', 'in', ['running', 'incident'])),
      ]),
    )
    .where(sql<boolean>`v.definition::text like ${`%${name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`)
    .orderBy('v.key')
    .orderBy('v.version')
    .execute();
  const uses: ServiceUse[] = [];
  for (const v of versions) {
    const doc = typeof v.definition === 'string' ? JSON.parse(v.definition) : v.definition;
    const refs = collectReferences(doc).filter((r) => r.kind === 'webservice' && r.name === name);
    if (refs.length) uses.push({ key: v.key, version: v.version, operations: [...new Set(refs.flatMap((r) => (r.operation ? [r.operation] : [])))], paths: refs.flatMap((r) => r.paths) });
  }
  return uses;
}
