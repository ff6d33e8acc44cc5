/**
 * Links between tickets, normal (symmetric) or parent-child (stored with the parent as source),
 * visible from both tickets with the other ticket's role. Adding or removing one writes
 * TicketLinkAdd / TicketLinkDelete on both tickets. Linked tickets the caller may not read are
 * left out of lists.
 */
import { sql, type Kysely } from 'kysely';
import type { Access } from '../access/access';
import type { DB } from '../db/schema';
import { BadRequest, Conflict, NotFound } from '../errors';
import { writeHistory } from '../history/history';
import type { WriteContext } from './context';
import { findTicket, touchTicket, type TicketRow } from './repo';
import type { LinkInput } from './schema';

export type LinkType = 'normal' | 'parent-child';
export type LinkRole = 'normal' | 'parent' | 'child';

export interface LinkView {
  id: number;
  type: LinkType;
  /** The linked ticket's role relative to the ticket asked about. */
  role: LinkRole;
  ticket: { id: number; number: string; title: string; state: string; stateType: string };
  createdAt: string;
}

/** The links of a ticket, from its side, to tickets the caller may read. */
export async function listLinks(db: Kysely<DB>, access: Access, ticketId: number): Promise<LinkView[]> {
  const readable = await access.ticketFilter('o');
  const rows = await db
    .selectFrom('ticket_links as l')
    .innerJoin('tickets as o', (j) =>
      j.on(sql<boolean>`o.id = case when l.source_ticket_id = ${ticketId} then l.target_ticket_id else l.source_ticket_id end`),
    )
    .innerJoin('states as s', 's.id', 'o.state_id')
    .innerJoin('state_types as st', 'st.id', 's.type_id')
    .select(['l.id', 'l.type', 'l.source_ticket_id', 'l.created_at', 'o.id as other_id', 'o.tn', 'o.title', 's.name as state', 'st.name as state_type'])
    .where((eb) => eb.or([eb('l.source_ticket_id', '=', ticketId), eb('l.target_ticket_id', '=', ticketId)]))
    .where(readable)
    .orderBy('l.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    type: r.type,
    role: r.type === 'normal' ? 'normal' : r.source_ticket_id === ticketId ? 'child' : 'parent',
    ticket: { id: r.other_id, number: r.tn, title: r.title, state: r.state, stateType: r.state_type },
    createdAt: r.created_at.toISOString(),
  }));
}

const roleText = (role: LinkRole) => (role === 'normal' ? 'normal link' : `as ${role}`);

/**
 * Links ticket `t` (locked, `rw` checked by the caller) to another ticket the caller can read.
 * `role` is the other ticket's role for parent-child links (default child). Resolves to the link id.
 */
export async function insertLink(ctx: WriteContext, t: TicketRow, input: LinkInput, path = '/targetTicketId'): Promise<number> {
  const other = await findTicket(ctx.db, input.targetTicketId);
  if (!other || !(await ctx.access.onTicket(other, 'ro'))) throw new BadRequest(`unknown ticket id ${input.targetTicketId}`, path, undefined, 'UNKNOWN_REFERENCE');
  if (other.id === t.id) throw new BadRequest('a ticket cannot be linked to itself', path);
  const type = input.type ?? 'normal';
  const otherRole: LinkRole = type === 'normal' ? 'normal' : (input.role ?? 'child');
  const [source, target] = otherRole === 'parent' ? [other.id, t.id] : [t.id, other.id];

  const existing = await ctx.db
    .selectFrom('ticket_links')
    .select('id')
    .where('type', '=', type)
    .where((eb) =>
      eb.or([
        eb.and([eb('source_ticket_id', '=', t.id), eb('target_ticket_id', '=', other.id)]),
        eb.and([eb('source_ticket_id', '=', other.id), eb('target_ticket_id', '=', t.id)]),
      ]),
    )
    .executeTakeFirst();
  if (existing) throw new Conflict(`ticket ${other.tn} is already linked to this ticket (${type})`, path, 'ALREADY_LINKED');

  const { id } = await ctx.db
    .insertInto('ticket_links')
    .values({
      source_ticket_id: source,
      target_ticket_id: target,
      type,
      created_at: ctx.now,
      created_by_agent_id: ctx.actor.kind === 'agent' ? ctx.actor.id : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const myRole: LinkRole = otherRole === 'normal' ? 'normal' : otherRole === 'parent' ? 'child' : 'parent';
  await writeHistory(
    ctx.db,
    [
      { ticketId: t.id, type: 'TicketLinkAdd', field: 'link', new: other.tn, message: `Added link to ticket ${other.tn} (${roleText(otherRole)}).`, data: { linkId: id, type, role: otherRole, ticketId: other.id } },
      { ticketId: other.id, type: 'TicketLinkAdd', field: 'link', new: t.tn, message: `Added link to ticket ${t.tn} (${roleText(myRole)}).`, data: { linkId: id, type, role: myRole, ticketId: t.id } },
    ],
    ctx.by,
    ctx.now,
  );
  await touchTicket(ctx.db, [t.id, other.id], ctx.now);
  return id;
}

/** Removes link `linkId` of ticket `t` (locked, `rw` checked by the caller). */
export async function deleteLink(ctx: WriteContext, t: TicketRow, linkId: number): Promise<void> {
  const link = await ctx.db
    .selectFrom('ticket_links')
    .selectAll()
    .where('id', '=', linkId)
    .where((eb) => eb.or([eb('source_ticket_id', '=', t.id), eb('target_ticket_id', '=', t.id)]))
    .executeTakeFirst();
  if (!link) throw new NotFound('link');
  const otherId = link.source_ticket_id === t.id ? link.target_ticket_id : link.source_ticket_id;
  const other = await findTicket(ctx.db, otherId);
  await ctx.db.deleteFrom('ticket_links').where('id', '=', linkId).execute();
  await writeHistory(
    ctx.db,
    [
      { ticketId: t.id, type: 'TicketLinkDelete', field: 'link', old: other?.tn ?? String(otherId), message: `Removed link to ticket ${other?.tn ?? otherId}.`, data: { linkId, type: link.type, ticketId: otherId } },
      { ticketId: otherId, type: 'TicketLinkDelete', field: 'link', old: t.tn, message: `Removed link to ticket ${t.tn}.`, data: { linkId, type: link.type, ticketId: t.id } },
    ],
    ctx.by,
    ctx.now,
  );
  await touchTicket(ctx.db, [t.id, otherId], ctx.now);
}
