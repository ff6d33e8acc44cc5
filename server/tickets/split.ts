/**
 * Splitting an article off into a new ticket (OTRS "Split"): the new ticket takes the original's
 * customer, type, service, SLA and priority (unless given), a copy of the article with its
 * attachments, and a link to the original (parent-child with the original as parent, or normal).
 * The caller needs to read the original and `create` on the new ticket's queue.
 */
import { copyAttachments } from '../articles/attachments';
import { Forbidden, NotFound } from '../errors';
import { writeHistory } from '../history/history';
import type { WriteContext } from './context';
import { createTicket } from './create';
import { insertLink } from './links';
import { findTicket, ticketDetails } from './repo';
import type { SplitInput } from './schema';

export async function splitArticle(ctx: WriteContext, articleId: number, input: SplitInput, tn: string): Promise<number> {
  const article = await ctx.db.selectFrom('articles').selectAll().where('id', '=', articleId).executeTakeFirst();
  if (!article) throw new NotFound('article');
  const orig = await ticketDetails(ctx.db, article.ticket_id);
  if (!orig) throw new NotFound('article');
  await ctx.access.assertTicket(orig, 'ro');
  if (ctx.actor.kind !== 'agent') throw new Forbidden('only agents can split articles', 'AGENT_REQUIRED');

  const queue = input.queue !== undefined || input.queueId !== undefined ? { queue: input.queue, queueId: input.queueId } : { queueId: orig.queue_id };
  const priority =
    input.priority !== undefined || input.priorityId !== undefined ? { priority: input.priority, priorityId: input.priorityId } : { priorityId: orig.priority_id };
  const html = article.body_html !== null;
  const ticketId = await createTicket(
    ctx,
    {
      title: input.title ?? (article.subject || orig.title),
      ...queue,
      ...priority,
      ...(input.state !== undefined || input.stateId !== undefined ? { state: input.state, stateId: input.stateId } : {}),
      typeId: orig.type_id,
      ...(orig.service_id !== null ? { serviceId: orig.service_id } : {}),
      ...(orig.sla_id !== null ? { slaId: orig.sla_id } : {}),
      ...(orig.customer_user_id !== null ? { customerUserId: orig.customer_user_id } : {}),
      customerId: orig.customer_id,
      article: {
        channel: article.channel,
        senderType: article.sender_type,
        direction: article.direction,
        visibleForCustomer: article.visible_for_customer,
        from: article.from_addr,
        to: article.to_addr,
        cc: article.cc_addr,
        subject: article.subject,
        body: html ? article.body_html! : article.body_text,
        contentType: html ? 'text/html' : 'text/plain',
        important: article.important,
      },
    },
    tn,
  );
  const copy = await ctx.db.selectFrom('articles').select('id').where('ticket_id', '=', ticketId).orderBy('id').executeTakeFirstOrThrow();
  await copyAttachments(ctx.db, articleId, copy.id);
  const created = (await findTicket(ctx.db, ticketId))!;
  await insertLink(ctx, created, { targetTicketId: orig.id, type: input.linkType ?? 'parent-child', role: 'parent' }, '/linkType');
  await writeHistory(
    ctx.db,
    [
      { ticketId, articleId: copy.id, type: 'Misc', message: `Split from ticket ${orig.tn} (article ${articleId}).`, data: { splitFrom: orig.id, articleId } },
      { ticketId: orig.id, articleId, type: 'Misc', message: `Article ${articleId} split into new ticket ${tn}.`, data: { splitInto: ticketId } },
    ],
    ctx.by,
    ctx.now,
  );
  return ticketId;
}
