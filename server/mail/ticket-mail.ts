/**
 * Ticket mail from agents: reply, reply all, forward, redirect and a new email ticket. Each writes
 * an outgoing, customer-visible email article and queues its mail in ONE transaction (so there is
 * a mail exactly when there is an article), composed as OTRS does: the ticket hook in the subject
 * (`[Ticket#2026120610000015] Re: …`), From the queue's system address (else `MAIL_FROM`),
 * In-Reply-To / References of the article answered, the article's attachments (a forward carries
 * the forwarded article's too). A redirect sends the original article unchanged (its From kept,
 * `Resent-*` headers added) to new recipients. Subjects and addresses with line breaks are refused
 * (400 naming the field) and every address is validated before anything is written.
 */
import type { Kysely } from 'kysely';
import { addArticle } from '../articles/add';
import { copyAttachments } from '../articles/attachments';
import { sanitizeArticleHtml, htmlToText } from '../articles/sanitize';
import type { AttachmentInput } from '../articles/schema';
import type { DB } from '../db/schema';
import { BadRequest, NotFound } from '../errors';
import { applyChanges } from '../tickets/changes';
import type { WriteContext } from '../tickets/context';
import { createTicket } from '../tickets/create';
import { resolveFields } from '../tickets/refs';
import { lockTicket, ticketDetails } from '../tickets/repo';
import type { TicketCreateInput } from '../tickets/schema';
import { checkHeaderText, formatAddresses, parseAddresses } from './address';
import type { MailOutConfig } from './config';
import { articleMessageId } from './log';
import { queueMail, type MailAttachment } from './queue';

export type TicketMailKind = 'reply' | 'replyAll' | 'forward' | 'redirect' | 'email';

export interface TicketMailInput {
  kind: TicketMailKind;
  /** The article answered, forwarded or redirected. */
  articleId?: number;
  to: string;
  cc?: string;
  bcc?: string;
  subject?: string;
  body?: string;
  contentType?: 'text/plain' | 'text/html';
  attachments?: AttachmentInput[];
  timeUnits?: number;
  /** The state the ticket gets with the mail (OTRS "Next state"), by name or id; `pendingUntil` for pending states. */
  nextState?: string;
  nextStateId?: number;
  pendingUntil?: string;
}

/** The ticket hook of ticket number `tn`: `[Ticket#2026120610000015]`. */
export function ticketHook(cfg: Pick<MailOutConfig, 'ticketHook' | 'ticketHookDivider'>, tn: string): string {
  return `[${cfg.ticketHook}${cfg.ticketHookDivider}${tn}]`;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `subject` with the ticket hook in front (any hook already in it removed, so a reply to a reply
 * carries one).
 *
 * @example
 * subjectWithHook({ ticketHook: 'Ticket#', ticketHookDivider: '' }, '2026120610000015', 'Re: [Ticket#2026120610000015] Printer');
 * // '[Ticket#2026120610000015] Re: Printer'
 */
export function subjectWithHook(cfg: Pick<MailOutConfig, 'ticketHook' | 'ticketHookDivider'>, tn: string, subject: string): string {
  const any = new RegExp(`\\s*\\[${escapeRe(cfg.ticketHook)}${escapeRe(cfg.ticketHookDivider)}\\d+\\]\\s*`, 'g');
  const rest = subject.replace(any, ' ').replace(/\s+/g, ' ').trim();
  return `${ticketHook(cfg, tn)} ${rest}`.trim();
}

/**
 * The system address (From) of queue `queueId`: the address set in the queue's mail settings, else
 * the queue's first valid system address (the addresses mail is received at, `system_addresses`),
 * else `MAIL_FROM`. Replies, process mails and auto responses all use it.
 */
export async function queueFrom(db: Kysely<DB>, cfg: MailOutConfig, queueId: number): Promise<string> {
  const s = await db.selectFrom('queue_mail_settings').select('system_address').where('queue_id', '=', queueId).executeTakeFirst();
  if (s?.system_address) return s.system_address;
  const sys = await db.selectFrom('system_addresses').select(['address', 'display_name']).where('queue_id', '=', queueId).where('valid', '=', true).orderBy('id').executeTakeFirst();
  if (sys) return sys.display_name ? `"${sys.display_name.replace(/["\r\n]/g, '')}" <${sys.address}>` : sys.address;
  return cfg.from;
}

/** The Message-IDs of the ticket's mails (received and sent) up to article `upTo`, oldest first (at most 20): the References of an answer. */
async function threadReferences(db: Kysely<DB>, ticketId: number, upTo: number | undefined): Promise<string[]> {
  const rows = await db
    .selectFrom('articles')
    .select('message_id')
    .where('ticket_id', '=', ticketId)
    .where('message_id', 'is not', null)
    .$if(upTo !== undefined, (q) => q.where('id', '<=', upTo!))
    .orderBy('id')
    .execute();
  return rows.map((r) => r.message_id!).slice(-20);
}

async function attachmentsOf(db: Kysely<DB>, articleId: number): Promise<MailAttachment[]> {
  const rows = await db.selectFrom('attachments').select(['filename', 'content_type', 'content', 'inline', 'content_id']).where('article_id', '=', articleId).orderBy('position').execute();
  return rows.map((a) => ({ filename: a.filename, contentType: a.content_type, content: Buffer.from(a.content).toString('base64'), ...(a.inline && a.content_id ? { cid: a.content_id } : {}) }));
}

/** The article `articleId` of ticket `ticketId` (404 otherwise). */
async function articleOf(db: Kysely<DB>, ticketId: number, articleId: number) {
  const a = await db.selectFrom('articles').selectAll().where('id', '=', articleId).executeTakeFirst();
  if (!a || a.ticket_id !== ticketId) throw new NotFound('article', '/articleId');
  return a;
}

/** Queues the mail of email article `articleId` (its subject, text, HTML and attachments). */
async function queueArticleMail(
  ctx: WriteContext,
  ticketId: number,
  articleId: number,
  m: { purpose: string; from: string; envelopeFrom?: string; to: string[]; cc: string[]; bcc: string[]; inReplyTo?: string; references: string[]; headers?: Record<string, string> },
): Promise<string> {
  const a = await ctx.db.selectFrom('articles').select(['subject', 'body_text', 'body_html']).where('id', '=', articleId).executeTakeFirstOrThrow();
  const { messageId } = await queueMail(
    ctx.db,
    {
      purpose: m.purpose,
      from: m.from,
      ...(m.envelopeFrom ? { envelopeFrom: m.envelopeFrom } : {}),
      to: m.to,
      ...(m.cc.length ? { cc: m.cc } : {}),
      ...(m.bcc.length ? { bcc: m.bcc } : {}),
      subject: a.subject,
      text: a.body_text,
      ...(a.body_html !== null ? { html: a.body_html } : {}),
      ...(m.inReplyTo ? { inReplyTo: m.inReplyTo } : {}),
      ...(m.references.length ? { references: m.references } : {}),
      ...(m.headers ? { headers: m.headers } : {}),
      attachments: await attachmentsOf(ctx.db, articleId),
      ticketId,
      articleId,
    },
    { now: ctx.now },
  );
  return messageId;
}

/**
 * Writes the email article on ticket `ticketId` and queues its mail, in `ctx`'s transaction;
 * resolves to the article id and the mail's Message-ID.
 */
export async function sendTicketMail(ctx: WriteContext, ticketId: number, input: TicketMailInput): Promise<{ articleId: number; messageId: string }> {
  const cfg = ctx.config.mailOut;
  const to = formatAddresses(parseAddresses(input.to, '/to'));
  const cc = formatAddresses(parseAddresses(input.cc, '/cc'));
  const bcc = formatAddresses(parseAddresses(input.bcc, '/bcc'));
  if (!to.length) throw new BadRequest('give at least one recipient', '/to', undefined, 'VALIDATION_FAILED');
  if (input.subject !== undefined) checkHeaderText(input.subject, '/subject');
  if ((input.kind === 'reply' || input.kind === 'replyAll' || input.kind === 'forward' || input.kind === 'redirect') && input.articleId === undefined && input.kind !== 'reply') {
    throw new BadRequest(`a ${input.kind} names the article it is about`, '/articleId', undefined, 'VALIDATION_FAILED');
  }

  await lockTicket(ctx.db, ticketId);
  const t = await ticketDetails(ctx.db, ticketId);
  if (!t) throw new NotFound('ticket');
  const from = await queueFrom(ctx.db, cfg, t.queue_id);
  const original = input.articleId !== undefined ? await articleOf(ctx.db, ticketId, input.articleId) : undefined;

  let subject: string;
  let html: string | null;
  let text: string;
  let headers: Record<string, string> | undefined;
  let mailFrom = from;
  let envelopeFrom: string | undefined;
  if (input.kind === 'redirect') {
    // The original, unchanged, to someone else: OTRS's "Redirect" (bounce).
    subject = original!.subject;
    html = original!.body_html;
    text = original!.body_text;
    if (original!.from_addr) {
      mailFrom = formatAddresses(parseAddresses(original!.from_addr.replace(/[\r\n]+/g, ' '), '/from'))[0] ?? from;
      envelopeFrom = parseAddresses(from, '/from')[0]?.address ?? from;
    }
    headers = { 'Resent-From': from, 'Resent-To': to.join(', '), 'Resent-Date': ctx.now.toUTCString() };
  } else {
    if (input.body === undefined) throw new BadRequest('is required', '/body', undefined, 'VALIDATION_FAILED');
    subject = subjectWithHook(cfg, t.tn, input.subject ?? t.title);
    html = input.contentType === 'text/html' ? sanitizeArticleHtml(input.body) : null;
    text = html === null ? input.body : htmlToText(html);
  }

  const articleId = await addArticle(ctx, t, {
    channel: 'email',
    senderType: 'agent',
    direction: 'outgoing',
    visibleForCustomer: true,
    from,
    to: to.join(', '),
    ...(cc.length ? { cc: cc.join(', ') } : {}),
    subject,
    body: html ?? text,
    contentType: html === null ? 'text/plain' : 'text/html',
    ...(input.attachments?.length ? { attachments: input.attachments } : {}),
    ...(input.timeUnits !== undefined ? { timeUnits: input.timeUnits } : {}),
  });
  if (original && (input.kind === 'forward' || input.kind === 'redirect')) await copyAttachments(ctx.db, original.id, articleId);

  const answered = input.kind === 'reply' || input.kind === 'replyAll' ? original?.id ?? undefined : undefined;
  const inReplyTo = answered !== undefined ? await articleMessageId(ctx.db, answered) : undefined;
  const references = input.kind === 'redirect' || input.kind === 'email' ? [] : await threadReferences(ctx.db, ticketId, original?.id);
  if (inReplyTo && !references.includes(inReplyTo)) references.push(inReplyTo);
  const messageId = await queueArticleMail(ctx, ticketId, articleId, {
    purpose: input.kind,
    from: mailFrom,
    ...(envelopeFrom ? { envelopeFrom } : {}),
    to,
    cc,
    bcc,
    ...(inReplyTo ? { inReplyTo } : {}),
    references,
    ...(headers ? { headers } : {}),
  });

  if (input.nextState !== undefined || input.nextStateId !== undefined) {
    const fields = await resolveFields(ctx.db, { ...(input.nextState !== undefined ? { state: input.nextState } : {}), ...(input.nextStateId !== undefined ? { stateId: input.nextStateId } : {}), ...(input.pendingUntil ? { pendingUntil: input.pendingUntil } : {}) }, '/next');
    await applyChanges(ctx, (await ticketDetails(ctx.db, ticketId))!, fields);
  }
  return { articleId, messageId };
}

/** Input of a new email ticket: the ticket's fields plus the mail. */
export interface EmailTicketInput extends Omit<TicketMailInput, 'kind' | 'articleId' | 'nextState' | 'nextStateId' | 'pendingUntil'> {
  queue?: string;
  queueId?: number;
  customerUser?: string;
  customerUserId?: number;
  state?: string;
  priority?: string;
  pendingUntil?: string;
}

/** Creates a ticket whose first article is an email to the customer, and queues the mail. Resolves to the ticket id. */
export async function createEmailTicket(ctx: WriteContext, input: EmailTicketInput, tn: string): Promise<number> {
  const cfg = ctx.config.mailOut;
  const to = formatAddresses(parseAddresses(input.to, '/to'));
  const cc = formatAddresses(parseAddresses(input.cc, '/cc'));
  const bcc = formatAddresses(parseAddresses(input.bcc, '/bcc'));
  if (!to.length) throw new BadRequest('give at least one recipient', '/to', undefined, 'VALIDATION_FAILED');
  const title = checkHeaderText(input.subject ?? '', '/subject').trim();
  if (!title) throw new BadRequest('is required', '/subject', undefined, 'VALIDATION_FAILED');
  if (input.body === undefined) throw new BadRequest('is required', '/body', undefined, 'VALIDATION_FAILED');
  const { queue } = await resolveFields(ctx.db, { ...(input.queue !== undefined ? { queue: input.queue } : {}), ...(input.queueId !== undefined ? { queueId: input.queueId } : {}) });
  const from = queue ? await queueFrom(ctx.db, cfg, queue.id) : cfg.from;
  const create = {
    title,
    ...(input.queue !== undefined ? { queue: input.queue } : {}),
    ...(input.queueId !== undefined ? { queueId: input.queueId } : {}),
    ...(input.customerUser !== undefined ? { customerUser: input.customerUser } : {}),
    ...(input.customerUserId !== undefined ? { customerUserId: input.customerUserId } : {}),
    ...(input.state !== undefined ? { state: input.state } : {}),
    ...(input.priority !== undefined ? { priority: input.priority } : {}),
    ...(input.pendingUntil !== undefined ? { pendingUntil: input.pendingUntil } : {}),
    article: {
      channel: 'email',
      senderType: 'agent',
      direction: 'outgoing',
      visibleForCustomer: true,
      from,
      to: to.join(', '),
      ...(cc.length ? { cc: cc.join(', ') } : {}),
      subject: subjectWithHook(cfg, tn, title),
      body: input.body,
      contentType: input.contentType ?? 'text/plain',
      ...(input.attachments?.length ? { attachments: input.attachments } : {}),
      ...(input.timeUnits !== undefined ? { timeUnits: input.timeUnits } : {}),
    },
  } as TicketCreateInput;
  const ticketId = await createTicket(ctx, create, tn);
  const article = await ctx.db.selectFrom('articles').select('id').where('ticket_id', '=', ticketId).orderBy('id').executeTakeFirstOrThrow();
  await queueArticleMail(ctx, ticketId, article.id, { purpose: 'email', from, to, cc, bcc, references: [] });
  return ticketId;
}
