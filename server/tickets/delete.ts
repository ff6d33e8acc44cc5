/**
 * Deleting a ticket permanently (OTRS's TicketDelete): for administrators, or agents holding `rw`
 * on the ticket. Everything of the ticket goes with it in one transaction — articles, attachments,
 * read flags, watchers, links, history and the search document by cascade; ticket and article
 * dynamic field values explicitly (they have no foreign key); tickets merged into it lose that
 * pointer. No history row can survive its ticket, so the deletion is written to the server log.
 */
import { Forbidden } from '../errors';
import type { WriteContext } from './context';
import { lockTicket } from './repo';

export interface DeletedTicket {
  id: number;
  tn: string;
}

/** Deletes ticket `id` inside the caller's transaction; 404 when it does not exist or a non-administrator cannot see it. */
export async function deleteTicket(ctx: WriteContext, id: number): Promise<DeletedTicket> {
  if (ctx.actor.kind !== 'agent') throw new Forbidden('only agents can delete tickets', 'AGENT_REQUIRED');
  const t = await lockTicket(ctx.db, id);
  // Administrators may delete any ticket; everyone else needs to see it and hold `rw` on it.
  if (!(await ctx.access.isAdmin())) {
    await ctx.access.assertTicket(t, 'ro');
    await ctx.access.assertTicket(t, 'rw');
  }

  const articleIds = (await ctx.db.selectFrom('articles').select('id').where('ticket_id', '=', id).execute()).map((a) => a.id);
  const fieldsOf = (objectType: 'ticket' | 'article') => ctx.db.selectFrom('dynamic_fields').select('id').where('object_type', '=', objectType);
  await ctx.db.deleteFrom('dynamic_field_values').where('object_id', '=', id).where('field_id', 'in', fieldsOf('ticket')).execute();
  if (articleIds.length) {
    await ctx.db.deleteFrom('dynamic_field_values').where('object_id', 'in', articleIds).where('field_id', 'in', fieldsOf('article')).execute();
  }
  await ctx.db.updateTable('tickets').set({ merged_into_id: null }).where('merged_into_id', '=', id).execute();
  await ctx.db.deleteFrom('tickets').where('id', '=', id).execute();
  return { id, tn: t.tn };
}
