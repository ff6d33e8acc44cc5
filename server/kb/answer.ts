/**
 * The process engine's KbArticleInsert action: answers a ticket with a knowledge-base article, as
 * an agent's "Insert into reply" would — a ticket article holding the KB article's text (or its
 * title and link) and a link between the two. The KB article is read through the caller's scope
 * (the engine's system access reads every category), and one the customer may not read never goes
 * into a customer-visible article.
 *
 * @example
 * await answerWithKbArticle(ctx, ticketId, { type: 'KbArticleInsert', article: 12, visibleForCustomer: true });
 */
import type { KbArticleInsert } from '../../engine/model/actions';
import { kbArticleFilter, kbCustomerScope, kbMayRead, kbScope } from '../access/kb';
import { addArticle } from '../articles/add';
import { htmlToText } from '../articles/sanitize';
import type { ArticleChannel } from '../db/schema';
import { renderWith, ticketTemplateContext } from '../mail/render';
import type { WriteContext } from '../tickets/context';
import { ticketDetails } from '../tickets/repo';
import { articleUrl } from './service';
import { SECTIONS } from './write';

export async function answerWithKbArticle(ctx: WriteContext, ticketId: number, a: KbArticleInsert): Promise<void> {
  const scope = await kbScope(ctx.db, ctx.access);
  const kb = await ctx.db
    .selectFrom('kb_articles as a')
    .select(['a.id', 'a.title', 'a.state', 'a.valid', 'a.category_id', 'a.symptom', 'a.problem', 'a.solution', 'a.body'])
    .where('a.id', '=', a.article)
    .where(kbArticleFilter(scope))
    .executeTakeFirst();
  if (!kb) throw new Error(`there is no knowledge-base article ${a.article}`);
  const channel: ArticleChannel = a.channel === 'email' || a.channel === 'phone' || a.channel === 'portal' || a.channel === 'internal' ? a.channel : 'note';
  const visible = a.visibleForCustomer ?? (channel !== 'internal' && channel !== 'note');
  if (visible && !kbMayRead(await kbCustomerScope(ctx.db), kb)) {
    throw new Error(`knowledge-base article ${kb.id} is not one customers may read (state ${kb.state}); it cannot go into a customer-visible article`);
  }
  const text = a.mode === 'link' ? `${kb.title}: ${articleUrl(kb.id, kb.state)}` : [kb.title, ...SECTIONS.map((s) => htmlToText(kb[s])).filter(Boolean)].join('\n\n');
  const intro = a.intro ? renderWith(a.intro, await ticketTemplateContext(ctx.db, ticketId)) : '';
  const t = await ticketDetails(ctx.db, ticketId);
  if (!t) throw new Error(`ticket ${ticketId} does not exist any more`);
  await addArticle(ctx, t, {
    channel,
    senderType: a.senderType ?? 'system',
    visibleForCustomer: visible,
    subject: a.subject ?? kb.title,
    body: intro ? `${intro}\n\n${text}` : text,
  });
  await ctx.db.insertInto('kb_links').values({ article_id: kb.id, ticket_id: ticketId, created_by: null, created_at: ctx.now }).onConflict((oc) => oc.doNothing()).execute();
}
