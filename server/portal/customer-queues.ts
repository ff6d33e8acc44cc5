/**
 * The queues customer users may open tickets in, and the one their tickets go to when they name
 * none (OTRS: `CustomerPanelOwnSelection` and `CustomerPanelDefaultQueue`). Both are portal
 * settings (`customerQueueIds`, `defaultQueueId` in the `portal` settings row), kept by queue id so
 * renaming a queue keeps it offered; a queue switched off (`valid = false`) is not offered. Until
 * an administrator chooses, customers are offered `Raw`, where portal tickets have always gone.
 * The decision itself is `Access.assertCustomerQueue`.
 *
 * @example
 * const { queues, defaultQueue } = await readCustomerQueues(db); // { queues: [{ id: 2, name: 'Raw' }], defaultQueue: { id: 2, name: 'Raw' } }
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';

/** The queue customers are offered while no administrator has chosen. */
export const FALLBACK_CUSTOMER_QUEUE = 'Raw';

export interface NamedQueue {
  id: number;
  name: string;
}

export interface CustomerQueues {
  /** The valid queues offered to customer users, by name. */
  queues: NamedQueue[];
  /** Where a customer's ticket goes when they name no queue; null when none is set or it is not offered. */
  defaultQueue: NamedQueue | null;
}

/** The stored choice (ids), or null for keys never set. */
export interface StoredCustomerQueues {
  customerQueueIds?: number[] | null;
  defaultQueueId?: number | null;
}

/** The offered queues and the default, from the stored choice (`stored`, or the settings row). */
export async function readCustomerQueues(db: Kysely<DB>, stored?: StoredCustomerQueues): Promise<CustomerQueues> {
  if (!stored) {
    const row = await db.selectFrom('settings').select('value').where('key', '=', 'portal').executeTakeFirst();
    stored = (typeof row?.value === 'string' ? JSON.parse(row.value) : (row?.value ?? {})) as StoredCustomerQueues;
  }
  const ids = stored.customerQueueIds;
  let q = db.selectFrom('queues').select(['id', 'name']).where('valid', '=', true).orderBy('name');
  q = ids ? q.where('id', 'in', ids.length ? ids : [-1]) : q.where('name', '=', FALLBACK_CUSTOMER_QUEUE);
  const queues = await q.execute();
  const defaultQueue = stored.defaultQueueId != null ? queues.find((x) => x.id === stored.defaultQueueId) : ids ? undefined : queues[0];
  return { queues, defaultQueue: defaultQueue ?? null };
}
