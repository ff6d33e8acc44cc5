/**
 * Articles of a ticket for the API and other domains: list (customers see only customer-visible
 * articles), read one, add one, mark seen per agent, and download an attachment. Every read goes
 * through the ticket's permission check; articles a customer may not see are "not found".
 */
import { prepareArticleBody } from './render';
import { sql } from 'kysely';
import type { Access } from '../access/access';
import { NotFound } from '../errors';
import { inTransaction, type TicketDeps } from '../tickets/context';
import { lockTicket, ticketDetails } from '../tickets/repo';
import { readableTicket } from '../tickets/view';
import { addArticle } from './add';
import { downloadHeaders } from './attachments';
import type { ArticleInput } from './schema';
import { articleQuery, articleViews, type ArticleView } from './view';

export interface ArticlePage {
  items: ArticleView[];
  total: number;
  page: number;
  perPage: number;
}

export class ArticleService {
  constructor(private readonly deps: TicketDeps) {}

  private get db() {
    return this.deps.database.db;
  }

  /**
   * A page of a ticket's articles, oldest first. `markSeen` marks the listed ones seen for the
   * calling agent; the answer's `seen` flags are as they were before.
   */
  async list(access: Access, ticketId: number, opts: { page: number; perPage: number; markSeen?: boolean }): Promise<ArticlePage> {
    await readableTicket(this.db, access, ticketId);
    const actor = access.requireActor();
    const customer = actor.kind === 'customer';
    const base = this.db.selectFrom('articles').where('ticket_id', '=', ticketId).$if(customer, (q) => q.where('visible_for_customer', '=', true));
    const { total } = await base.select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow();
    const rows = await articleQuery(this.db)
      .where('a.ticket_id', '=', ticketId)
      .$if(customer, (q) => q.where('a.visible_for_customer', '=', true))
      .orderBy('a.id')
      .limit(opts.perPage)
      .offset((opts.page - 1) * opts.perPage)
      .execute();
    const agentId = actor.kind === 'agent' ? actor.id : null;
    const items = await articleViews(this.db, rows, agentId, { includeInternal: !customer && (await access.isAdmin()), customerVisibleOnly: customer });
    if (opts.markSeen && agentId !== null) await this.flag(agentId, items.filter((a) => !a.seen).map((a) => a.id));
    return { items, total, page: opts.page, perPage: opts.perPage };
  }

  /** One article (404 when the caller may not read its ticket, or is a customer and it is internal). */
  async get(access: Access, articleId: number): Promise<ArticleView> {
    const row = await this.readable(access, articleId);
    const actor = access.requireActor();
    const [view] = await articleViews(this.db, [row], actor.kind === 'agent' ? actor.id : null, { includeInternal: actor.kind === 'agent' && (await access.isAdmin()), customerVisibleOnly: actor.kind === 'customer' });
    return view!;
  }

  /** Adds an article to a ticket and resolves to its view. */
  async add(access: Access, ticketId: number, input: ArticleInput): Promise<ArticleView> {
    await prepareArticleBody(input, this.deps.config.maxArticleBytes); // off the event loop, before the transaction
    const id = await inTransaction(this.deps, access, async (ctx) => {
      await lockTicket(ctx.db, ticketId);
      return addArticle(ctx, (await ticketDetails(ctx.db, ticketId))!, input);
    });
    return this.get(access, id);
  }

  /** Marks an article seen by the calling agent. */
  async markSeen(access: Access, articleId: number): Promise<void> {
    const agent = access.requireAgent();
    await this.readable(access, articleId);
    await this.flag(agent.id, [articleId]);
  }

  /** The bytes and download headers of attachment `position` of an article. */
  async attachment(access: Access, articleId: number, position: number, inline: boolean): Promise<{ content: Uint8Array; headers: Record<string, string> }> {
    await this.readable(access, articleId);
    const a = await this.db
      .selectFrom('attachments')
      .select(['filename', 'content_type', 'size', 'sha256', 'content'])
      .where('article_id', '=', articleId)
      .where('position', '=', position)
      .executeTakeFirst();
    if (!a) throw new NotFound('attachment');
    return { content: a.content, headers: downloadHeaders(a, inline) };
  }

  /** The raw source of a received mail article ("plain view"); agents who may read the ticket only. */
  async source(access: Access, articleId: number): Promise<Uint8Array> {
    access.requireAgent();
    await this.readable(access, articleId);
    const src = await this.db.selectFrom('article_sources').select('raw').where('article_id', '=', articleId).executeTakeFirst();
    if (!src) throw new NotFound('mail source of the article');
    return src.raw;
  }

  /** The article row, when the caller may read it. */
  private async readable(access: Access, articleId: number) {
    const row = await articleQuery(this.db).where('a.id', '=', articleId).executeTakeFirst();
    if (!row) throw new NotFound('article');
    const t = await this.db
      .selectFrom('tickets')
      .select(['queue_id', 'owner_id', 'responsible_id', 'customer_user_id', 'customer_id'])
      .where('id', '=', row.ticket_id)
      .executeTakeFirstOrThrow();
    if (!(await access.onTicket(t, 'ro'))) {
      access.requireActor();
      throw new NotFound('article');
    }
    if (access.actor?.kind === 'customer' && !row.visible_for_customer) throw new NotFound('article');
    return row;
  }

  private async flag(agentId: number, articleIds: number[]) {
    if (!articleIds.length) return;
    await this.db
      .insertInto('article_flags')
      .values(articleIds.map((article_id) => ({ article_id, agent_id: agentId, seen_at: this.deps.now() })))
      .onConflict((oc) => oc.columns(['article_id', 'agent_id']).doNothing())
      .execute();
  }
}
