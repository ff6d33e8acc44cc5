/**
 * Adding an article to an existing ticket: agents need `note` for notes (and internal articles)
 * and `rw` for everything else; customer users may follow up on tickets they can see (always a
 * customer-visible portal article, no time units). A customer follow-up on a closed ticket reopens
 * it (state `open`), as OTRS does by default, unless the ticket's queue rejects follow-ups (409
 * `FOLLOW_UP_REJECTED`: open a new ticket). Runs inside the caller's transaction. Raises the
 * notification events `followUp` (customer), `noteAdded` and `agentReply` (visible to the customer).
 */
import { resolveState } from '../catalog/resolve';
import { Conflict, Forbidden } from '../errors';
import { changeEntry, writeHistory } from '../history/history';
import { raiseNotification } from '../notifications/raise';
import { refreshTicketSearch } from '../search/document';
import type { WriteContext } from '../tickets/context';
import type { TicketDetails } from '../tickets/repo';
import type { ArticleInput } from './schema';
import { articleKind, insertArticle } from './write';

/** The state a customer follow-up gives a closed ticket. */
export const FOLLOW_UP_STATE = 'open';

/** Adds an article to `t` (locked row). `path` is where the article sits in the request. Resolves to its id. */
export async function addArticle(ctx: WriteContext, t: TicketDetails, input: ArticleInput, path = ''): Promise<number> {
  await ctx.access.assertTicket(t, 'ro');
  const byCustomer = ctx.actor.kind === 'customer';
  if (byCustomer) {
    if (t.merged_into_id !== null) {
      throw new Conflict(`this ticket was merged into ticket ${t.merged_into_tn ?? t.merged_into_id}; write there`, undefined, 'TICKET_MERGED');
    }
    if (input.timeUnits !== undefined) throw new Forbidden('customer users cannot account time', 'FORBIDDEN', `${path}/timeUnits`);
    if (t.state_type === 'closed' && t.queue_follow_up === 'reject') {
      throw new Conflict('this ticket is closed and takes no more replies; please open a new ticket', undefined, 'FOLLOW_UP_REJECTED');
    }
  } else {
    const k = articleKind(input, false);
    await ctx.access.assertTicket(t, k.channel === 'note' || k.channel === 'internal' ? 'note' : 'rw');
  }

  const article = await insertArticle(ctx, t.id, input, { path });
  const history = [...article.history];
  if (byCustomer && t.state_type === 'closed') {
    const open = await resolveState(ctx.db, { name: FOLLOW_UP_STATE }, `${path}/state`);
    await ctx.db.updateTable('tickets').set({ state_id: open.id }).where('id', '=', t.id).execute();
    history.push({ ...changeEntry(t.id, 'StateUpdate', 'state', t.state_name, open.name), message: `Changed state from "${t.state_name}" to "${open.name}" (customer follow-up).` });
  }
  await ctx.db.updateTable('tickets').set({ changed_at: ctx.now }).where('id', '=', t.id).execute();
  await writeHistory(ctx.db, history, ctx.by, ctx.now);
  await refreshTicketSearch(ctx.db, [t.id]);
  // A customer's reply is a follow-up; an agent's note tells the agents, a visible answer the customer
  // (agents' email answers reach the customer as mail already: this is the portal's bell).
  const event = { ticketId: t.id, articleId: article.id, actor: ctx.by };
  if (byCustomer) await raiseNotification(ctx.db, { type: 'followUp', ...event }, ctx.now);
  else {
    const k = articleKind(input, false);
    if (k.channel === 'note' || k.channel === 'internal') await raiseNotification(ctx.db, { type: 'noteAdded', ...event }, ctx.now);
    if (k.visibleForCustomer && k.senderType !== 'customer') await raiseNotification(ctx.db, { type: 'agentReply', ...event }, ctx.now);
  }
  return article.id;
}
