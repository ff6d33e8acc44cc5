/**
 * Writing one article inside a ticket transaction: defaults by caller (customer users always write
 * customer-visible portal articles), HTML sanitised, attachments, article dynamic fields, the
 * creator's seen flag, and the history entries (OTRS types: AddNote, SendAnswer, PhoneCallAgent,
 * FollowUp, WebRequestCustomer … and TimeAccounting). The caller writes the history, refreshes
 * the search document and touches the ticket, since it often does more in the same transaction.
 */
import type { ArticleChannel, Direction, SenderType } from '../db/schema';
import { checkValues, setValues, valueText } from '../dynamic-fields/values';
import type { HistoryEntry, HistoryType } from '../history/history';
import { assertFieldsWritable } from '../tickets/changes';
import { ticketTimeUnits } from '../tickets/repo';
import type { WriteContext } from '../tickets/context';
import { decodeAttachments, insertAttachments } from './attachments';
import { htmlToText, sanitizeArticleHtml } from './sanitize';
import type { ArticleInput } from './schema';

export interface WrittenArticle {
  id: number;
  history: HistoryEntry[];
}

/** The article's channel, sender, direction and visibility after defaults and the caller's limits. */
export function articleKind(input: ArticleInput, byCustomer: boolean) {
  if (byCustomer) {
    return { channel: 'portal' as ArticleChannel, senderType: 'customer' as SenderType, direction: 'incoming' as Direction, visibleForCustomer: true };
  }
  const channel = input.channel ?? 'note';
  const senderType = input.senderType ?? 'agent';
  const internal = channel === 'note' || channel === 'internal';
  const direction = input.direction ?? (internal ? 'internal' : senderType === 'customer' ? 'incoming' : 'outgoing');
  const visibleForCustomer = input.visibleForCustomer ?? !internal;
  return { channel, senderType, direction, visibleForCustomer };
}

/** The OTRS history type of a new article. */
export function articleHistoryType(
  k: { channel: ArticleChannel; senderType: SenderType; visibleForCustomer: boolean },
  byCustomer: boolean,
  first: boolean,
): HistoryType {
  if (byCustomer) return first ? 'WebRequestCustomer' : 'FollowUp';
  switch (k.channel) {
    case 'phone':
      return k.senderType === 'customer' ? 'PhoneCallCustomer' : 'PhoneCallAgent';
    case 'email':
      if (k.senderType === 'customer') return first ? 'EmailCustomer' : 'FollowUp';
      return first ? 'EmailAgent' : 'SendAnswer';
    case 'portal':
      return k.senderType === 'customer' ? (first ? 'WebRequestCustomer' : 'FollowUp') : 'AddNote';
    case 'chat':
      return k.visibleForCustomer ? 'ChatExternal' : 'ChatInternal';
    default:
      return 'AddNote';
  }
}

/**
 * Inserts an article of `ticketId`. `path` is where the article sits in the request (`/article`
 * when creating a ticket, empty when adding one), so errors name the right place.
 */
export async function insertArticle(
  ctx: WriteContext,
  ticketId: number,
  input: ArticleInput,
  opts: { path: string; first?: boolean; defaultSubject?: string },
): Promise<WrittenArticle> {
  const byCustomer = ctx.actor.kind === 'customer';
  const k = articleKind(input, byCustomer);
  const attachments = decodeAttachments(input.attachments, `${opts.path}/attachments`, ctx.config.maxBodyBytes);
  const html = input.contentType === 'text/html' ? sanitizeArticleHtml(input.body) : null;
  const subject = input.subject ?? opts.defaultSubject ?? '';
  const timeUnits = input.timeUnits ?? 0;
  const { id } = await ctx.db
    .insertInto('articles')
    .values({
      ticket_id: ticketId,
      channel: k.channel,
      sender_type: k.senderType,
      direction: k.direction,
      visible_for_customer: k.visibleForCustomer,
      from_addr: input.from ?? '',
      to_addr: input.to ?? '',
      cc_addr: input.cc ?? '',
      subject,
      body_text: html === null ? input.body : htmlToText(html),
      body_html: html,
      important: input.important ?? false,
      time_units: timeUnits,
      created_at: ctx.now,
      created_by_agent_id: ctx.actor.kind === 'agent' ? ctx.actor.id : null,
      created_by_customer_user_id: ctx.actor.kind === 'customer' ? ctx.actor.id : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await insertAttachments(ctx.db, id, attachments);
  if (ctx.actor.kind === 'agent') {
    await ctx.db.insertInto('article_flags').values({ article_id: id, agent_id: ctx.actor.id, seen_at: ctx.now }).execute();
  }

  const type = articleHistoryType(k, byCustomer, opts.first ?? false);
  const history: HistoryEntry[] = [
    {
      ticketId,
      articleId: id,
      type,
      message: `Added ${k.channel} article${subject ? ` "${subject}"` : ''} (${k.senderType}, ${k.visibleForCustomer ? 'visible for customer' : 'internal'}).`,
      data: { channel: k.channel, senderType: k.senderType, direction: k.direction, visibleForCustomer: k.visibleForCustomer },
    },
  ];
  if (input.dynamicFields && Object.keys(input.dynamicFields).length) {
    await assertFieldsWritable(ctx, await checkValues(ctx.db, 'article', input.dynamicFields, `${opts.path}/dynamicFields`));
    const changes = await setValues(ctx.db, 'article', id, input.dynamicFields, `${opts.path}/dynamicFields`);
    for (const c of changes) {
      history.push({
        ticketId,
        articleId: id,
        type: 'ArticleDynamicFieldUpdate',
        field: `DynamicField_${c.field.name}`,
        old: valueText(c.old),
        new: valueText(c.new),
        message: `Changed article dynamic field ${c.field.name} to ${valueText(c.new) ?? '-'}.`,
      });
    }
  }
  if (timeUnits > 0) {
    const total = await ticketTimeUnits(ctx.db, ticketId);
    history.push({
      ticketId,
      articleId: id,
      type: 'TimeAccounting',
      field: 'timeUnits',
      old: String(Math.round((total - timeUnits) * 1e6) / 1e6),
      new: String(total),
      message: `${timeUnits} time unit(s) accounted. Now total ${total} time unit(s).`,
    });
  }
  return { id, history };
}
