/**
 * The ticket dates a ticket appointment rule can start its appointments at, by name. A source
 * answers, for some tickets, the date each has (or none). `pendingTime` and `dynamicField:<Name>`
 * (a date or date/time field) are built in; further dates (the SLA's first response and solution
 * deadlines) are one more entry in `TICKET_DATE_SOURCES`, and rules can name them at once.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { BadRequest } from '../errors';

export type TicketDateSource = (db: Kysely<DB>, ticketIds: number[]) => Promise<Map<number, Date | null>>;

/** Sources with a fixed name. Register more here (e.g. `firstResponseDeadline`, `solutionDeadline`). */
export const TICKET_DATE_SOURCES: Record<string, TicketDateSource> = {
  async pendingTime(db, ticketIds) {
    const rows = await db.selectFrom('tickets').select(['id', 'pending_until']).where('id', 'in', ticketIds).execute();
    return new Map(rows.map((r) => [r.id, r.pending_until]));
  },
};

const DF_PREFIX = 'dynamicField:';

/**
 * The source a rule's `startFrom` names, checked: 400 naming `path` for an unknown name or a
 * dynamic field that is not a ticket date field.
 *
 * @example
 * const source = await ticketDateSource(db, 'dynamicField:Deadline', '/startFrom');
 */
export async function ticketDateSource(db: Kysely<DB>, name: string, path = '/startFrom'): Promise<TicketDateSource> {
  const fixed = TICKET_DATE_SOURCES[name];
  if (fixed) return fixed;
  if (name.startsWith(DF_PREFIX)) {
    const field = await db.selectFrom('dynamic_fields').select(['id', 'field_type', 'object_type']).where('name', '=', name.slice(DF_PREFIX.length)).executeTakeFirst();
    if (!field || field.object_type !== 'ticket' || (field.field_type !== 'date' && field.field_type !== 'datetime')) {
      throw new BadRequest(`${JSON.stringify(name.slice(DF_PREFIX.length))} is not a ticket date or date/time dynamic field`, path, undefined, 'UNKNOWN_REFERENCE');
    }
    return async (d, ticketIds) => {
      const rows = await d.selectFrom('dynamic_field_values').select(['object_id', 'value_date']).where('field_id', '=', field.id).where('object_id', 'in', ticketIds).execute();
      return new Map(rows.map((r) => [r.object_id, r.value_date]));
    };
  }
  throw new BadRequest(`unknown ticket date ${JSON.stringify(name)}: use ${Object.keys(TICKET_DATE_SOURCES).join(', ')} or ${DF_PREFIX}<Name>`, path, undefined, 'UNKNOWN_REFERENCE');
}
