/**
 * System addresses: which recipient addresses are ours (`MAIL_ADDRESSES` and the `system_addresses`
 * table) and which queue each dispatches to; the default queue (`MAIL_DEFAULT_QUEUE`, `Raw`).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { InboundConfig } from './config';

export async function isSystemAddress(db: Kysely<DB>, inbound: InboundConfig, address: string): Promise<boolean> {
  const a = address.toLowerCase();
  if (inbound.addresses.has(a)) return true;
  return !!(await db.selectFrom('system_addresses').select('id').where('address', '=', a).where('valid', '=', true).executeTakeFirst());
}

async function queueIdByName(db: Kysely<DB>, name: string): Promise<number | undefined> {
  return (await db.selectFrom('queues').select('id').where('name', '=', name).where('valid', '=', true).executeTakeFirst())?.id;
}

/** The queue of the first recipient that is a system address with a queue, in the order given. */
export async function queueForRecipients(db: Kysely<DB>, inbound: InboundConfig, recipients: string[]): Promise<number | undefined> {
  const list = [...new Set(recipients.map((r) => r.toLowerCase()))];
  if (!list.length) return undefined;
  const rows = await db
    .selectFrom('system_addresses as s')
    .innerJoin('queues as q', 'q.id', 's.queue_id')
    .select(['s.address', 'q.id'])
    .where('s.address', 'in', list)
    .where('s.valid', '=', true)
    .where('q.valid', '=', true)
    .execute();
  for (const r of list) {
    const row = rows.find((x) => x.address === r);
    if (row) return row.id;
    const name = inbound.addresses.get(r);
    if (name) {
      const id = await queueIdByName(db, name);
      if (id !== undefined) return id;
    }
  }
  return undefined;
}

export async function defaultQueueId(db: Kysely<DB>, inbound: InboundConfig): Promise<number | undefined> {
  return queueIdByName(db, inbound.defaultQueue);
}
