/**
 * Merging ticket A into ticket B (OTRS TicketMerge): A's articles move to B (keeping A as their
 * `original_ticket_id`), A gets the `merged` state, `merged_into_id` = B and a customer-visible note
 * saying where it went, A's watchers watch B, B becomes A's parent, and both get a `Merged` history
 * row. Both need `rw`. It cannot be undone: merging a merged ticket (or into one) is a 409.
 */
import { sql } from 'kysely';
import { insertArticle } from '../articles/write';
import { BadRequest, Conflict, NotFound } from '../errors';
import { writeHistory, type HistoryEntry } from '../history/history';
import { refreshTicketSearch } from '../search/document';
import type { WriteContext } from './context';
import { ticketDetails, ticketIdByNumber } from './repo';
import type { MergeInput } from './schema';

export interface MergeResult {
  sourceId: number;
  targetId: number;
  movedArticles: number;
}

export async function mergeTickets(ctx: WriteContext, sourceId: number, input: MergeInput): Promise<MergeResult> {
  const path = input.targetTicketId !== undefined ? '/targetTicketId' : '/targetTicketNumber';
  const shown = input.targetTicketId !== undefined ? `id ${input.targetTicketId}` : `number ${input.targetTicketNumber}`;
  const unknown = () => new BadRequest(`unknown ticket ${shown}`, path, undefined, 'UNKNOWN_REFERENCE');
  const targetId = input.targetTicketId ?? (input.targetTicketNumber ? await ticketIdByNumber(ctx.db, input.targetTicketNumber) : undefined);

  // Lock both rows, lower id first, so two merges of the same pair cannot deadlock.
  await ctx.db
    .selectFrom('tickets')
    .select('id')
    .where('id', 'in', [sourceId, targetId ?? sourceId])
    .orderBy('id')
    .forUpdate()
    .execute();
  const source = await ticketDetails(ctx.db, sourceId);
  if (!source) throw new NotFound('ticket');
  await ctx.access.assertTicket(source, 'ro');
  if (targetId === undefined) throw unknown();
  if (targetId === sourceId) throw new BadRequest('a ticket cannot be merged into itself', path, undefined, 'MERGE_INTO_SELF');
  const target = await ticketDetails(ctx.db, targetId);
  if (!target || !(await ctx.access.onTicket(target, 'ro'))) throw unknown();
  await ctx.access.assertTicket(source, 'rw');
  await ctx.access.assertTicket(target, 'rw');
  if (source.merged_into_id !== null || source.state_type === 'merged') {
    throw new Conflict(`ticket ${source.tn} is already merged${source.merged_into_tn ? ` into ${source.merged_into_tn}` : ''}; a merge cannot be undone`, undefined, 'ALREADY_MERGED');
  }
  if (target.merged_into_id !== null || target.state_type === 'merged') {
    throw new Conflict(`ticket ${target.tn} is itself merged; merge into ${target.merged_into_tn ?? 'the ticket it went to'} instead`, path, 'TARGET_MERGED');
  }
  const merged = await ctx.db
    .selectFrom('states as s')
    .innerJoin('state_types as st', 'st.id', 's.type_id')
    .select(['s.id', 's.name'])
    .where('st.name', '=', 'merged')
    .orderBy(sql`s.name = 'merged'`, 'desc')
    .orderBy('s.valid', 'desc')
    .executeTakeFirst();
  if (!merged) throw new Conflict('there is no state of type "merged" to give the merged ticket', undefined, 'NO_MERGED_STATE');

  const moved = await ctx.db
    .updateTable('articles')
    .set({ ticket_id: targetId, original_ticket_id: sql`coalesce(original_ticket_id, ${sourceId})` })
    .where('ticket_id', '=', sourceId)
    .executeTakeFirst();
  const movedArticles = Number(moved.numUpdatedRows);

  const note = await insertArticle(
    ctx,
    sourceId,
    {
      channel: 'note',
      visibleForCustomer: true,
      subject: 'Ticket merged',
      body: `This ticket was merged into ticket ${target.tn} ("${target.title}"); its articles are there now.`,
    },
    { path: '' },
  );

  await ctx.db
    .updateTable('tickets')
    .set({ state_id: merged.id, merged_into_id: targetId, locked: false, pending_until: null, changed_at: ctx.now })
    .where('id', '=', sourceId)
    .execute();
  await ctx.db.updateTable('tickets').set({ changed_at: ctx.now }).where('id', '=', targetId).execute();
  await sql`
    insert into ticket_watchers (ticket_id, agent_id, created_at)
    select ${targetId}, agent_id, ${ctx.now} from ticket_watchers where ticket_id = ${sourceId}
    on conflict do nothing
  `.execute(ctx.db);

  const history: HistoryEntry[] = [
    {
      ticketId: sourceId,
      type: 'Merged',
      field: 'mergedInto',
      new: target.tn,
      message: `Merged ticket ${source.tn} into ${target.tn}.`,
      data: { sourceId, targetId, movedArticles },
    },
    { ticketId: sourceId, type: 'StateUpdate', field: 'state', old: source.state_name, new: merged.name, message: `Changed state from "${source.state_name}" to "${merged.name}".` },
    {
      ticketId: targetId,
      type: 'Merged',
      field: 'mergedFrom',
      new: source.tn,
      message: `Merged ticket ${source.tn} into ${target.tn} (${movedArticles} article(s) moved here).`,
      data: { sourceId, targetId, movedArticles },
    },
    ...note.history,
  ];
  if (source.locked) history.push({ ticketId: sourceId, type: 'Unlock', field: 'lock', old: 'lock', new: 'unlock', message: 'Ticket unlocked because it was merged.' });
  if (source.pending_until) history.push({ ticketId: sourceId, type: 'SetPendingTime', field: 'pendingUntil', old: source.pending_until.toISOString(), new: null, message: 'Cleared the pending time.' });

  const linked = await ctx.db
    .selectFrom('ticket_links')
    .select('id')
    .where('type', '=', 'parent-child')
    .where((eb) =>
      eb.or([
        eb.and([eb('source_ticket_id', '=', targetId), eb('target_ticket_id', '=', sourceId)]),
        eb.and([eb('source_ticket_id', '=', sourceId), eb('target_ticket_id', '=', targetId)]),
      ]),
    )
    .executeTakeFirst();
  if (!linked) {
    const { id: linkId } = await ctx.db
      .insertInto('ticket_links')
      .values({ source_ticket_id: targetId, target_ticket_id: sourceId, type: 'parent-child', created_at: ctx.now, created_by_agent_id: ctx.actor.kind === 'agent' ? ctx.actor.id : null })
      .returning('id')
      .executeTakeFirstOrThrow();
    history.push(
      { ticketId: sourceId, type: 'TicketLinkAdd', field: 'link', new: target.tn, message: `Added link to ticket ${target.tn} (as parent).`, data: { linkId, type: 'parent-child', role: 'parent', ticketId: targetId } },
      { ticketId: targetId, type: 'TicketLinkAdd', field: 'link', new: source.tn, message: `Added link to ticket ${source.tn} (as child).`, data: { linkId, type: 'parent-child', role: 'child', ticketId: sourceId } },
    );
  }
  await writeHistory(ctx.db, history, ctx.by, ctx.now);
  await refreshTicketSearch(ctx.db, [sourceId, targetId]);
  return { sourceId, targetId, movedArticles };
}
