/**
 * Step 9, auto response per queue (OTRS auto responses): `new` on a new ticket, `follow_up` on a
 * follow-up, `reject` on a rejected follow-up, each an admin-managed template
 * (`/api/v1/mail/auto-responses`) with OTRS tags (`<OTRS_TICKET_TicketNumber>`,
 * `<OTRS_CUSTOMER_REALNAME>`, `<OTRS_CUSTOMER_SUBJECT>` …) and `{{ticket.…}}` placeholders. The answer
 * is stored as a system article on the ticket (so a reply to it threads by References) and sent
 * only through `queueMail` with `auto: true`. Nothing is sent when the loop check found a reason.
 */
import { newMessageId, queueMail } from '../../queue';
import { queueFrom, subjectWithHook } from '../../ticket-mail';
import { writeHistory } from '../../../history/history';
import type { MailStep } from '../types';

export interface TemplateData {
  ticket: { number: string; title: string; queue: string };
  customer: { name: string; email: string };
  mail: { subject: string; from: string };
}

/**
 * @example
 * renderTemplate('Your ticket <OTRS_TICKET_TicketNumber>: {{ticket.title}}', data) // 'Your ticket 2026…: Printer'
 */
export function renderTemplate(text: string, d: TemplateData): string {
  const tags: Record<string, string> = {
    OTRS_TICKET_TICKETNUMBER: d.ticket.number,
    OTRS_TICKET_TITLE: d.ticket.title,
    OTRS_TICKET_QUEUE: d.ticket.queue,
    OTRS_QUEUE: d.ticket.queue,
    OTRS_CUSTOMER_REALNAME: d.customer.name,
    OTRS_CUSTOMER_EMAIL: d.customer.email,
    OTRS_CUSTOMER_FROM: d.mail.from,
    OTRS_CUSTOMER_SUBJECT: d.mail.subject,
  };
  const vars: Record<string, string> = {
    'ticket.number': d.ticket.number,
    'ticket.tn': d.ticket.number,
    'ticket.title': d.ticket.title,
    'ticket.queue': d.ticket.queue,
    'customer.name': d.customer.name,
    'customer.email': d.customer.email,
    'mail.subject': d.mail.subject,
    'mail.from': d.mail.from,
  };
  return text
    .replace(/<(?:OTRS|OTOBO)_([A-Za-z_]+)>/g, (m, t: string) => tags[`OTRS_${t.toUpperCase()}`] ?? m)
    .replace(/\{\{\s*([\w.]+)\s*\}\}/g, (m, k: string) => vars[k] ?? '');
}

const KIND = { 'new-ticket': 'new', 'follow-up': 'follow_up', reject: 'reject' } as const;

export const autoResponse: MailStep = {
  name: 'auto-response',
  async run(ctx, { db, config, now }) {
    const r = ctx.result;
    if (!r || !(ctx.decision in KIND) || ctx.queueId === undefined) return;
    const kind = KIND[ctx.decision as keyof typeof KIND];
    const tpl = await db.selectFrom('auto_responses').selectAll().where('queue_id', '=', ctx.queueId).where('kind', '=', kind).where('valid', '=', true).executeTakeFirst();
    if (!tpl) return;
    if (ctx.suppress.length) {
      await writeHistory(db, [{ ticketId: r.ticketId, articleId: r.articleId, type: 'Misc', message: `No auto response (${kind}): ${ctx.suppress.join('; ')}.` }], { kind: 'system', id: null }, now);
      return;
    }
    const to = ctx.parsed.replyTo ?? ctx.parsed.from!;
    const t = await db
      .selectFrom('tickets as t')
      .innerJoin('queues as q', 'q.id', 't.queue_id')
      .select(['t.title', 'q.name as queue'])
      .where('t.id', '=', r.ticketId)
      .executeTakeFirstOrThrow();
    const data: TemplateData = {
      ticket: { number: r.tn, title: t.title, queue: t.queue },
      customer: { name: ctx.sender.name || ctx.sender.address, email: ctx.sender.address },
      mail: { subject: ctx.parsed.subject, from: ctx.sender.address },
    };
    const rendered = renderTemplate(tpl.subject, data).replace(/[\r\n]+/g, ' ').trim();
    const subject = subjectWithHook(config.mailOut, r.tn, rendered);
    const text = renderTemplate(tpl.body, data);
    const from = await queueFrom(db, config.mailOut, ctx.queueId);
    const messageId = newMessageId();
    const { id: articleId } = await db
      .insertInto('articles')
      .values({
        ticket_id: r.ticketId,
        channel: 'email',
        sender_type: 'system',
        direction: 'outgoing',
        visible_for_customer: true,
        from_addr: from,
        to_addr: to.address,
        subject,
        body_text: text,
        body_html: null,
        message_id: messageId,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const references = [...ctx.parsed.references, ...(ctx.parsed.messageId ? [ctx.parsed.messageId] : [])];
    await queueMail(
      db,
      {
        purpose: 'auto-response',
        from,
        to: [to.address],
        subject,
        text,
        auto: true,
        ...(ctx.parsed.messageId ? { inReplyTo: ctx.parsed.messageId } : {}),
        ...(references.length ? { references } : {}),
        ticketId: r.ticketId,
        articleId,
      },
      { now, messageId },
    );
    await writeHistory(db, [{ ticketId: r.ticketId, articleId, type: 'Misc', message: `Auto response (${kind}) sent to ${to.address}.`, data: { autoResponse: kind, messageId } }], { kind: 'system', id: null }, now);
    ctx.autoResponses.push(messageId);
  },
};
