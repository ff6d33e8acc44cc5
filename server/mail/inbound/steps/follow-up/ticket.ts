/** Shared by the follow-up checks: the ticket number pattern of the hook, and a ticket by number or id with merges followed (a mail to a merged ticket lands on the one it was merged into). */
import type { Kysely } from 'kysely';
import type { DB } from '../../../../db/schema';

/**
 * @example
 * hookPattern('Ticket#').exec('[Ticket#2026120610000015] Re: printer')?.[1] // '2026120610000015'
 */
export function hookPattern(hook: string): RegExp {
  const h = hook.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`${h}\\s*:?\\s*(\\d{6,})`, 'i');
}

export async function followMerges(db: Kysely<DB>, id: number): Promise<{ ticketId: number; tn: string } | undefined> {
  let current = id;
  for (let i = 0; i < 10; i++) {
    const t = await db.selectFrom('tickets').select(['id', 'tn', 'merged_into_id']).where('id', '=', current).executeTakeFirst();
    if (!t) return undefined;
    if (t.merged_into_id === null) return { ticketId: t.id, tn: t.tn };
    current = t.merged_into_id;
  }
  return undefined;
}

export async function ticketByNumber(db: Kysely<DB>, tn: string): Promise<{ ticketId: number; tn: string } | undefined> {
  const t = await db.selectFrom('tickets').select('id').where('tn', '=', tn).executeTakeFirst();
  return t ? followMerges(db, t.id) : undefined;
}
