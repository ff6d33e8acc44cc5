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
import { BadRequest, FieldTooLarge } from '../errors';
import { RenderFailed, renderedBody } from './render';
import type { RenderedBody } from './sanitize';
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

/** Refuses (413 `ARTICLE_TOO_LARGE`) a body over `MAX_ARTICLE_BYTES`, before any work on it. */
export function assertBodySize(body: string, maxBytes: number, path: string): void {
  // Cheap bound first: a UTF-8 string has at most 3 bytes per UTF-16 unit.
  if (body.length * 3 <= maxBytes) return;
  const bytes = Buffer.byteLength(body, 'utf8');
  if (bytes > maxBytes) {
    throw new FieldTooLarge(`the article body is ${bytes} bytes; at most ${maxBytes} bytes are accepted (MAX_ARTICLE_BYTES)`, path, 'ARTICLE_TOO_LARGE');
  }
}

/** The sanitised HTML and text of an HTML body (prepared before the transaction, or rendered now off the event loop). */
async function renderBody(input: ArticleInput, path: string): Promise<RenderedBody> {
  try {
    return await renderedBody(input);
  } catch (e) {
    if (!(e instanceof RenderFailed)) throw e;
    const why = e.reason === 'timeout' ? e.message : 'it broke the HTML sanitiser';
    throw new BadRequest(`the HTML article body was refused: ${why} (nested too deeply?); send it as text/plain or simplify the markup`, path, undefined, 'ARTICLE_BODY_UNPROCESSABLE');
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
  assertBodySize(input.body, ctx.config.maxArticleBytes, `${opts.path}/body`);
  const attachments = decodeAttachments(input.attachments, `${opts.path}/attachments`, ctx.config.maxBodyBytes);
  const rendered = input.contentType === 'text/html' ? await renderBody(input, `${opts.path}/body`) : null;
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
      body_text: rendered === null ? input.body : rendered.text,
      body_html: rendered === null ? null : rendered.html,
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
