/**
 * The ticket service: every operation that changes tickets, plus reading one, for the REST routes
 * and for other domains (Generic Interface, process engine) that call it without HTTP. Methods take
 * the caller's `Access` and already-parsed input in the REST shape (references by id or name),
 * run in one transaction each, and answer with the ticket view.
 *
 * @example
 * const tickets = new TicketService(services);
 * const t = await tickets.create(access, { title: 'Printer on fire', queue: 'Misc',
 *   article: { channel: 'phone', senderType: 'customer', body: 'It smokes.' } });
 * await tickets.update(access, t.id, { state: 'open', dynamicFields: { Urgency: 'high' } });
 */
import { prepareArticleBody } from '../articles/render';
import type { Logger } from 'pino';
import type { Access } from '../access/access';
import { notifyTicketsChanged } from '../engine/ticket-changed';
import { NotFound } from '../errors';
import { listHistory } from '../history/service';
import { applyChanges, type TicketChanges } from './changes';
import { inTransaction, type TicketDeps, type WriteContext } from './context';
import { createTicket } from './create';
import { deleteTicket, type DeletedTicket } from './delete';
import { bulkChange } from './bulk';
import { deleteLink, insertLink, listLinks, type LinkView } from './links';
import { lockFor, setWatching, unlock } from './lock';
import { mergeTickets, type MergeResult } from './merge';
import { nextTicketNumber } from './number';
import { resolveFields } from './refs';
import { lockTicket, ticketDetails } from './repo';
import type { BulkInput, BulkResult, LinkInput, MergeInput, SplitInput, TicketCreateInput, TicketPatchInput } from './schema';
import { splitArticle } from './split';
import { buildTicketView, readableTicket, type TicketView } from './view';

export class TicketService {
  constructor(private readonly deps: TicketDeps) {}

  private get db() {
    return this.deps.database.db;
  }

  /** A fresh ticket number (taken outside the creating transaction: numbers may have gaps, never repeats). */
  nextNumber(): Promise<string> {
    return nextTicketNumber(this.db, this.deps.now(), this.deps.config.ticketNumberPrefix);
  }

  /** Creates a ticket with its first article; resolves to its view. */
  async create(access: Access, input: TicketCreateInput): Promise<TicketView> {
    access.requireActor();
    await prepareArticleBody(input.article, this.deps.config.maxArticleBytes); // off the event loop, before the transaction
    const tn = await this.nextNumber();
    const id = await inTransaction(this.deps, access, (ctx) => createTicket(ctx, input, tn));
    return buildTicketView(this.db, access, id, { justCreated: true, now: this.deps.now() });
  }

  /** The ticket view for the caller (404 when it may not read it). */
  get(access: Access, id: number): Promise<TicketView> {
    return buildTicketView(this.db, access, id, { now: this.deps.now() });
  }

  /**
   * Changes fields of a ticket (each with its permission and history row); resolves to the view,
   * or to null when the change (a move) took the ticket out of the caller's sight.
   */
  async update(access: Access, id: number, patch: TicketPatchInput): Promise<TicketView | null> {
    access.requireAgent();
    await this.withTicket(access, id, async (ctx) => {
      const changes: TicketChanges = { ...(await resolveFields(ctx.db, patch)) };
      if (patch.title !== undefined) changes.title = patch.title;
      if (patch.archived !== undefined) changes.archived = patch.archived;
      if (patch.dynamicFields !== undefined) changes.dynamicFields = patch.dynamicFields;
      await applyChanges(ctx, (await ticketDetails(ctx.db, id))!, changes);
    });
    await notifyTicketsChanged(this.deps, [id], access);
    return this.get(access, id).catch((e: unknown) => {
      if (e instanceof NotFound) return null;
      throw e;
    });
  }

  /** Locks the ticket for the caller, who becomes owner (409 when someone else holds the lock). */
  async lock(access: Access, id: number): Promise<TicketView> {
    await this.withTicket(access, id, async (ctx) => lockFor(ctx, (await ticketDetails(ctx.db, id))!));
    return this.get(access, id);
  }

  async unlock(access: Access, id: number): Promise<TicketView> {
    await this.withTicket(access, id, async (ctx) => unlock(ctx, (await ticketDetails(ctx.db, id))!));
    return this.get(access, id);
  }

  /** Starts or stops watching the ticket. */
  async watch(access: Access, id: number, on: boolean): Promise<void> {
    await this.withTicket(access, id, async (ctx) => setWatching(ctx, (await ticketDetails(ctx.db, id))!, on));
  }

  /** Merges ticket `id` into the target (cannot be undone). */
  merge(access: Access, id: number, target: MergeInput): Promise<MergeResult> {
    access.requireAgent();
    return inTransaction(this.deps, access, (ctx) => mergeTickets(ctx, id, target));
  }

  /** The links of a ticket, seen from it. */
  async links(access: Access, id: number): Promise<LinkView[]> {
    await readableTicket(this.db, access, id);
    access.requireAgent();
    return listLinks(this.db, access, id);
  }

  /** Links the ticket to another; resolves to the new link as seen from `id`. */
  async addLink(access: Access, id: number, input: LinkInput): Promise<LinkView> {
    const linkId = await this.withTicket(access, id, async (ctx) => {
      const t = (await ticketDetails(ctx.db, id))!;
      await ctx.access.assertTicket(t, 'rw');
      return insertLink(ctx, t, input);
    });
    return (await listLinks(this.db, access, id)).find((l) => l.id === linkId)!;
  }

  async removeLink(access: Access, id: number, linkId: number): Promise<void> {
    await this.withTicket(access, id, async (ctx) => {
      const t = (await ticketDetails(ctx.db, id))!;
      await ctx.access.assertTicket(t, 'rw');
      await deleteLink(ctx, t, linkId);
    });
  }

  /** Splits an article off into a new ticket linked to the original; resolves to the new ticket's view. */
  async split(access: Access, articleId: number, input: SplitInput): Promise<TicketView> {
    access.requireAgent();
    const tn = await this.nextNumber();
    const id = await inTransaction(this.deps, access, (ctx) => splitArticle(ctx, articleId, input, tn));
    return this.get(access, id);
  }

  /** The same change and/or note on many tickets, each in its own transaction. */
  async bulk(access: Access, input: BulkInput): Promise<BulkResult> {
    const result = await bulkChange(this.deps, access, input);
    await notifyTicketsChanged(this.deps, result.results.filter((r) => r.ok).map((r) => r.ticketId), access);
    return result;
  }

  /**
   * Deletes the ticket permanently with everything that belongs to it (administrators, or agents
   * with `rw` on it). No history row survives its ticket, so the deletion goes to the server log.
   */
  async delete(access: Access, id: number): Promise<DeletedTicket> {
    access.requireAgent();
    const deleted = await inTransaction(this.deps, access, (ctx) => deleteTicket(ctx, id));
    const log = (this.deps as { log?: Logger }).log;
    log?.info({ ticketId: deleted.id, ticketNumber: deleted.tn, agentId: access.actor?.id, agent: access.actor?.login }, 'ticket deleted permanently');
    return deleted;
  }

  /** The ticket's history, oldest first (agents with `ro` only). */
  history(access: Access, id: number, page = 1, perPage = 200) {
    return listHistory(this.db, access, id, page, perPage);
  }

  /** Runs `fn` in a transaction with the agent caller and the ticket row locked (404 when missing). */
  private withTicket<T>(access: Access, id: number, fn: (ctx: WriteContext) => Promise<T>): Promise<T> {
    access.requireAgent();
    return inTransaction(this.deps, access, async (ctx) => {
      const row = await lockTicket(ctx.db, id);
      await ctx.access.assertTicket(row, 'ro');
      return fn(ctx);
    });
  }
}
