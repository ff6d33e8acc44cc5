/**
 * The knowledge base's rules: reading (always through the caller's `KbScope`, see `access/kb.ts`),
 * writing with revisions, history, diff and restore, attachments, links to tickets and articles,
 * votes, deflected tickets, "insert into reply" and suggestions for a ticket. Knows no HTTP.
 *
 * @example
 * const kb = new KbService(services);
 * const page = await kb.list(access, { query: 'printer' });
 */
import type { Kysely } from 'kysely';
import type { Access } from '../access/access';
import { assertKbWrite, kbArticleFilter, kbCustomerScope, kbMayRead, kbScope, type KbScope } from '../access/kb';
import { downloadHeaders } from '../articles/attachments';
import { htmlToText } from '../articles/sanitize';
import type { DB } from '../db/schema';
import { BadRequest, Conflict, NotFound } from '../errors';
import type { Services } from '../services';
import { findTicket } from '../tickets/repo';
import { diffLines, type DiffLine } from './diff';
import type { ArticleInput, ListQuery } from './schema';
import { searchArticles, suggestArticles, type ArticleSummary } from './search';
import { SECTIONS, writeArticle, type Snapshot } from './write';

/** Where a reader opens an article in the web interface. */
export function articleUrl(id: number, state: string): string {
  return state === 'public' ? `/help/articles/${id}` : state === 'external' ? `/portal/kb/${id}` : `/agent/kb/${id}`;
}

/** A link names exactly one of a ticket and an article. */
function oneTarget(t: { ticketId?: number; articleId?: number }): void {
  if ((t.ticketId === undefined) === (t.articleId === undefined)) throw new BadRequest('give exactly one of ticketId and articleId', '/ticketId');
}

const agentName = (first: string | null, last: string | null) => (first === null ? null : `${first} ${last ?? ''}`.trim());

export class KbService {
  private readonly db: Kysely<DB>;

  constructor(private readonly services: Services) {
    this.db = services.database.db;
  }

  scope(access: Access): Promise<KbScope> {
    return kbScope(this.db, access);
  }

  async list(access: Access, q: ListQuery) {
    const scope = await this.scope(access);
    // Only agents see invalid articles, and only when they ask for them.
    const query = scope.reader === 'agent' ? q : { ...q, valid: 'true' as const };
    return searchArticles(this.db, scope, query);
  }

  async suggest(access: Access, text: string, limit = 5): Promise<ArticleSummary[]> {
    return suggestArticles(this.db, await this.scope(access), text, limit);
  }

  /** Articles that may answer a ticket, from its title and first article (agents who may read it). */
  async ticketSuggestions(access: Access, ticketId: number, limit = 5): Promise<ArticleSummary[]> {
    const t = await this.readableTicket(access, ticketId);
    const first = await this.db.selectFrom('articles').select(['subject', 'body_text']).where('ticket_id', '=', t.id).orderBy('id').limit(1).executeTakeFirst();
    const linked = await this.db.selectFrom('kb_links').select('article_id').where('ticket_id', '=', t.id).execute();
    const text = `${t.title} ${first?.subject ?? ''} ${(first?.body_text ?? '').slice(0, 4000)} `;
    return suggestArticles(this.db, await this.scope(access), text, limit, linked.map((l) => l.article_id));
  }

  private async readableTicket(access: Access, ticketId: number) {
    const t = await findTicket(this.db, ticketId);
    if (!t) throw new NotFound('ticket');
    await access.assertTicket(t, 'ro');
    return t;
  }

  private async articleRow(scope: KbScope, id: number) {
    const row = await this.db
      .selectFrom('kb_articles as a')
      .innerJoin('kb_categories as c', 'c.id', 'a.category_id')
      .leftJoin('agents as cb', 'cb.id', 'a.created_by')
      .leftJoin('agents as chb', 'chb.id', 'a.changed_by')
      .select(['a.id', 'a.title', 'a.state', 'a.valid', 'a.language', 'a.category_id', 'c.name as category', 'a.keywords', 'a.symptom', 'a.problem', 'a.solution', 'a.body', 'a.comment', 'a.revision', 'a.created_at', 'a.changed_at', 'a.helpful_yes', 'a.helpful_no'])
      .select(['cb.first_name as cb_first', 'cb.last_name as cb_last', 'chb.first_name as chb_first', 'chb.last_name as chb_last'])
      .where('a.id', '=', id)
      .where(kbArticleFilter(scope))
      .executeTakeFirst();
    if (!row) throw new NotFound('knowledge-base article');
    return row;
  }

  /** One article as the caller may see it (internal comment and authors for agents only). */
  async get(access: Access, id: number, voter?: string) {
    const scope = await this.scope(access);
    const r = await this.articleRow(scope, id);
    const attachments = await this.db.selectFrom('kb_attachments').select(['id', 'filename', 'content_type', 'size', 'inline']).where('article_id', '=', id).orderBy('id').execute();
    const vote = voter ? await this.db.selectFrom('kb_votes').select('helpful').where('article_id', '=', id).where('voter', '=', voter).executeTakeFirst() : undefined;
    const agent = scope.reader === 'agent';
    return {
      id: r.id, title: r.title, state: r.state, valid: r.valid, language: r.language, categoryId: r.category_id, category: r.category, keywords: r.keywords,
      symptom: r.symptom, problem: r.problem, solution: r.solution, body: r.body, revision: r.revision,
      createdAt: r.created_at, changedAt: r.changed_at, helpfulYes: r.helpful_yes, helpfulNo: r.helpful_no, excerpt: '',
      myVote: vote ? vote.helpful : null,
      ...(agent ? { comment: r.comment, createdBy: agentName(r.cb_first, r.cb_last), changedBy: agentName(r.chb_first, r.chb_last) } : {}),
      attachments: attachments.map((a) => ({ id: a.id, filename: a.filename, contentType: a.content_type, size: a.size, inline: a.inline })),
      links: await this.links(access, scope, id),
    };
  }

  private async links(access: Access, scope: KbScope, id: number) {
    const articles = await this.db
      .selectFrom('kb_links as l')
      .innerJoin('kb_articles as a', 'a.id', 'l.target_article_id')
      .select(['a.id', 'a.title', 'a.state'])
      .where('l.article_id', '=', id)
      .where(kbArticleFilter(scope))
      .orderBy('a.id')
      .execute();
    let tickets: { id: number; tn: string; title: string }[] = [];
    if (access.actor) {
      tickets = await this.db
        .selectFrom('kb_links as l')
        .innerJoin('tickets as t', 't.id', 'l.ticket_id')
        .select(['t.id', 't.tn', 't.title'])
        .where('l.article_id', '=', id)
        .where(await access.ticketFilter('t'))
        .orderBy('t.id')
        .execute();
    }
    return { tickets, articles };
  }

  async attachment(access: Access, articleId: number, attachmentId: number, inline: boolean) {
    const scope = await this.scope(access);
    const a = await this.db
      .selectFrom('kb_attachments as f')
      .innerJoin('kb_articles as a', 'a.id', 'f.article_id')
      .select(['f.filename', 'f.content_type', 'f.size', 'f.sha256', 'f.content'])
      .where('f.id', '=', attachmentId)
      .where('f.article_id', '=', articleId)
      .where(kbArticleFilter(scope))
      .executeTakeFirst();
    if (!a) throw new NotFound('attachment');
    return { content: a.content, headers: downloadHeaders(a, inline) };
  }

  private writeBy(access: Access) {
    return { agentId: access.requireAgent().id, now: this.services.now(), maxAttachmentBytes: this.services.config.maxBodyBytes };
  }

  private async category(id: number) {
    return this.db.selectFrom('kb_categories').select(['id', 'group_id']).where('id', '=', id).executeTakeFirst();
  }

  async create(access: Access, input: ArticleInput): Promise<number> {
    const scope = await this.scope(access);
    await assertKbWrite(access, scope, await this.category(input.categoryId));
    const by = this.writeBy(access);
    return this.db.transaction().execute((trx) => writeArticle(trx, undefined, input, by));
  }

  async update(access: Access, id: number, input: ArticleInput): Promise<void> {
    const scope = await this.scope(access);
    const current = await this.articleRow(scope, id);
    await assertKbWrite(access, scope, await this.category(current.category_id), '/');
    if (input.categoryId !== current.category_id) await assertKbWrite(access, scope, await this.category(input.categoryId));
    const by = this.writeBy(access);
    await this.db.transaction().execute((trx) => writeArticle(trx, id, input, by));
  }

  private async assertAgentReads(access: Access, id: number): Promise<KbScope> {
    access.requireAgent();
    const scope = await this.scope(access);
    await this.articleRow(scope, id);
    return scope;
  }

  async revisions(access: Access, id: number) {
    await this.assertAgentReads(access, id);
    const rows = await this.db
      .selectFrom('kb_revisions as r')
      .leftJoin('agents as g', 'g.id', 'r.changed_by')
      .select(['r.revision', 'r.changed_at', 'r.note', 'r.snapshot', 'g.first_name', 'g.last_name'])
      .where('r.article_id', '=', id)
      .orderBy('r.revision', 'desc')
      .execute();
    return rows.map((r) => {
      const s = r.snapshot as Snapshot;
      return { revision: r.revision, changedAt: r.changed_at, changedBy: agentName(r.first_name, r.last_name), note: r.note, title: s.title, state: s.state };
    });
  }

  async revision(access: Access, id: number, revision: number) {
    await this.assertAgentReads(access, id);
    return this.revisionRow(id, revision);
  }

  private async revisionRow(id: number, revision: number, path = '/revision') {
    const r = await this.db
      .selectFrom('kb_revisions as r')
      .leftJoin('agents as g', 'g.id', 'r.changed_by')
      .select(['r.revision', 'r.changed_at', 'r.note', 'r.snapshot', 'g.first_name', 'g.last_name'])
      .where('r.article_id', '=', id)
      .where('r.revision', '=', revision)
      .executeTakeFirst();
    if (!r) throw new NotFound(`revision ${revision}`, path);
    return { revision: r.revision, changedAt: r.changed_at, changedBy: agentName(r.first_name, r.last_name), note: r.note, snapshot: r.snapshot as Snapshot };
  }

  /** Line diff of every field that differs between two revisions (sections compared as text). */
  async diff(access: Access, id: number, from: number, to: number) {
    await this.assertAgentReads(access, id);
    const a = (await this.revisionRow(id, from, '/from')).snapshot;
    const b = (await this.revisionRow(id, to, '/to')).snapshot;
    const fields: { field: string; lines: DiffLine[] }[] = [];
    const text = (s: Snapshot, f: keyof Snapshot) => {
      const v = s[f];
      if (Array.isArray(v)) return v.join('\n');
      return (SECTIONS as readonly string[]).includes(f) ? htmlToText(String(v ?? '')) : String(v ?? '');
    };
    for (const f of ['title', 'state', 'categoryId', 'keywords', 'valid', 'language', ...SECTIONS, 'comment', 'attachments'] as (keyof Snapshot)[]) {
      const before = text(a, f);
      const after = text(b, f);
      if (before !== after) fields.push({ field: f, lines: diffLines(before, after) });
    }
    return { from, to, fields };
  }

  /** Makes an old revision current again, as a new revision (attachments stay as they are). */
  async restore(access: Access, id: number, revision: number): Promise<void> {
    const s = (await this.revision(access, id, revision)).snapshot;
    await this.update(access, id, {
      title: s.title, categoryId: s.categoryId, state: s.state, keywords: s.keywords, valid: s.valid, language: s.language,
      symptom: s.symptom, problem: s.problem, solution: s.solution, body: s.body, comment: s.comment, note: `Restored revision ${revision}.`,
    });
  }

  async vote(access: Access, id: number, voter: string, helpful: boolean) {
    const scope = await this.scope(access);
    await this.articleRow(scope, id);
    const now = this.services.now();
    return this.db.transaction().execute(async (trx) => {
      await trx.insertInto('kb_votes').values({ article_id: id, voter, helpful, voted_at: now }).onConflict((oc) => oc.columns(['article_id', 'voter']).doUpdateSet({ helpful, voted_at: now })).execute();
      const counts = await trx
        .selectFrom('kb_votes')
        .select((eb) => [eb.fn.countAll<string>().filterWhere('helpful', '=', true).as('yes'), eb.fn.countAll<string>().filterWhere('helpful', '=', false).as('no')])
        .where('article_id', '=', id)
        .executeTakeFirstOrThrow();
      const yes = Number(counts.yes);
      const no = Number(counts.no);
      await trx.updateTable('kb_articles').set({ helpful_yes: yes, helpful_no: no }).where('id', '=', id).execute();
      return { helpfulYes: yes, helpfulNo: no, myVote: helpful };
    });
  }

  /** "This solved my problem": the customer did not open the ticket they were typing. */
  async deflect(access: Access, id: number, subject: string | undefined): Promise<void> {
    const scope = await this.scope(access);
    await this.articleRow(scope, id);
    const a = access.actor;
    await this.db.insertInto('kb_deflections').values({ article_id: id, customer_user_id: a?.kind === 'customer' ? a.id : null, subject: subject ?? '', created_at: this.services.now() }).execute();
  }

  async link(access: Access, id: number, target: { ticketId?: number; articleId?: number }): Promise<void> {
    oneTarget(target);
    const scope = await this.assertAgentReads(access, id);
    const base = { article_id: id, created_by: access.requireAgent().id, created_at: this.services.now() };
    if (target.ticketId !== undefined) {
      const t = await findTicket(this.db, target.ticketId);
      if (!t) throw new NotFound('ticket', '/ticketId');
      await access.assertTicket(t, 'note');
      const r = await this.db.insertInto('kb_links').values({ ...base, ticket_id: t.id }).onConflict((oc) => oc.doNothing()).execute();
      if (!Number(r[0]?.numInsertedOrUpdatedRows ?? 0)) throw new Conflict('the article is linked to this ticket already', '/ticketId');
      return;
    }
    const other = await this.db.selectFrom('kb_articles').select(['id', 'category_id', 'state', 'valid']).where('id', '=', target.articleId!).executeTakeFirst();
    if (!other || !kbMayRead(scope, other)) throw new NotFound('knowledge-base article', '/articleId');
    if (other.id === id) throw new BadRequest('an article cannot link to itself', '/articleId');
    const r = await this.db.insertInto('kb_links').values({ ...base, target_article_id: other.id }).onConflict((oc) => oc.doNothing()).execute();
    if (!Number(r[0]?.numInsertedOrUpdatedRows ?? 0)) throw new Conflict('the articles are linked already', '/articleId');
  }

  async unlink(access: Access, id: number, target: { ticketId?: number; articleId?: number }): Promise<void> {
    oneTarget(target);
    await this.assertAgentReads(access, id);
    let q = this.db.deleteFrom('kb_links').where('article_id', '=', id);
    if (target.ticketId !== undefined) {
      const t = await findTicket(this.db, target.ticketId);
      if (!t) throw new NotFound('ticket', '/ticketId');
      await access.assertTicket(t, 'note');
      q = q.where('ticket_id', '=', t.id);
    } else q = q.where('target_article_id', '=', target.articleId!);
    const r = await q.executeTakeFirst();
    if (!Number(r.numDeletedRows)) throw new NotFound('link');
  }

  /**
   * The knowledge-base articles linked to a ticket that the caller may read: agents who may read the
   * ticket, and its customer (their own tickets) the external and public ones.
   */
  async ticketArticles(access: Access, ticketId: number): Promise<ArticleSummary[]> {
    const t = await this.readableTicket(access, ticketId);
    const scope = await this.scope(access);
    const ids = await this.db
      .selectFrom('kb_links as l')
      .innerJoin('kb_articles as a', 'a.id', 'l.article_id')
      .select('a.id')
      .where('l.ticket_id', '=', t.id)
      .where(kbArticleFilter(scope))
      .execute();
    if (!ids.length) return [];
    const page = await searchArticles(this.db, scope, { perPage: 100, valid: 'all' }, ids.map((r) => r.id));
    return page.items;
  }

  /**
   * What "Insert into reply" puts at the cursor: the article's text (or its title and link), only
   * for an agent who may read it, and whether the ticket's customer could read it themselves.
   */
  async insertion(access: Access, id: number, opts: { ticketId?: number; format?: 'text' | 'link' }) {
    const scope = await this.assertAgentReads(access, id);
    if (opts.ticketId !== undefined) await this.readableTicket(access, opts.ticketId);
    const r = await this.articleRow(scope, id);
    const customerMaySee = kbMayRead(await kbCustomerScope(this.db), r);
    const url = articleUrl(r.id, r.state);
    const sections = SECTIONS.map((s) => htmlToText(r[s])).filter(Boolean);
    const text = opts.format === 'link' ? `${r.title}: ${url}` : [r.title, ...sections].join('\n\n');
    const attachments = await this.db.selectFrom('kb_attachments').select(['id', 'filename', 'content_type', 'size', 'inline']).where('article_id', '=', id).orderBy('id').execute();
    return { articleId: r.id, title: r.title, text, url, customerMaySee, attachments: attachments.map((a) => ({ id: a.id, filename: a.filename, contentType: a.content_type, size: a.size, inline: a.inline })) };
  }
}

