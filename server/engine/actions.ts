/**
 * Transition actions (and a script's dynamic-field patch) run against the ticket through the ticket
 * domain, inside the step's transaction, with the engine's system access and history naming the
 * system. An action that fails throws `ActionFailed` with a message naming the action; the runner
 * rolls the step back and raises an ACTION_FAILED incident. SendEmail queues its mail (a template by
 * name or subject and body, the ticket hook in the subject, automatic-mail headers) in the step's
 * transaction; ExecuteInvoker queues a service job; KbArticleInsert answers with a knowledge-base
 * article (`kb/answer.ts`).
 */
import type { SendEmail } from '../../engine/model/actions';
import type { Action } from '../../engine/model/types';
import { htmlToText, sanitizeArticleHtml } from '../articles/sanitize';
import { checkHeaderText, formatAddresses, parseAddresses } from '../mail/address';
import { queueMail } from '../mail/queue';
import { renderWith, ticketTemplateContext } from '../mail/render';
import { mailTextByName } from '../mail/service';
import { queueFrom, subjectWithHook } from '../mail/ticket-mail';
import { addArticle } from '../articles/add';
import { answerWithKbArticle } from '../kb/answer';
import type { ArticleChannel, SenderType } from '../db/schema';
import { DomainError } from '../errors';
import { writeHistory, type HistoryEntry } from '../history/history';
import { applyChanges, type TicketChanges } from '../tickets/changes';
import type { WriteContext } from '../tickets/context';
import { createTicket } from '../tickets/create';
import { insertLink } from '../tickets/links';
import { nextTicketNumber } from '../tickets/number';
import { enqueueInvoker } from '../outbound/jobs';
import { resolveFields } from '../tickets/refs';
import { ticketDetails, type TicketDetails } from '../tickets/repo';
import type { TicketFieldsInput } from '../tickets/schema';

/** An action could not be applied; `message` is for the incident. */
export class ActionFailed extends Error {
  constructor(
    message: string,
    readonly action: Action,
    readonly index: number,
  ) {
    super(message);
  }
}

const CHANNELS: Record<string, ArticleChannel> = { internal: 'internal', note: 'note', email: 'email', phone: 'phone', portal: 'portal', chat: 'chat', web: 'portal' };

function channelOf(name: string | undefined): ArticleChannel | undefined {
  if (!name) return undefined;
  return CHANNELS[name.toLowerCase()] ?? 'note';
}

async function details(ctx: WriteContext, ticketId: number): Promise<TicketDetails> {
  const t = await ticketDetails(ctx.db, ticketId);
  if (!t) throw new Error(`ticket ${ticketId} does not exist any more`);
  return t;
}

async function change(ctx: WriteContext, ticketId: number, fields: TicketFieldsInput, extra: Omit<TicketChanges, keyof TicketFieldsInput> & { dynamicFields?: Record<string, unknown> } = {}) {
  const resolved = await resolveFields(ctx.db, fields);
  await applyChanges(ctx, await details(ctx, ticketId), { ...resolved, ...extra });
}

/**
 * Queues the mail of a SendEmail action: the template by name (or subject and body), rendered for
 * the ticket, with the ticket hook, from the queue's system address. Resolves to null when the
 * recipient came out empty (a customer without an address): as an OTOBO notification without
 * recipients, nothing is sent and the process goes on.
 */
async function processMail(ctx: WriteContext, ticketId: number, a: SendEmail) {
  const to = formatAddresses(parseAddresses(a.to, 'to'));
  const cc = formatAddresses(parseAddresses(a.cc, 'cc'));
  const bcc = formatAddresses(parseAddresses(a.bcc, 'bcc'));
  if (!to.length) return null;
  let subject = a.subject;
  let body = a.body;
  let html = a.contentType === 'text/html';
  if (a.template) {
    const t = await mailTextByName(ctx.db, 'template', a.template);
    if (!t) throw new Error(`there is no mail template "${a.template}" (create it at /api/v1/mail/texts)`);
    const context = await ticketTemplateContext(ctx.db, ticketId);
    subject ??= renderWith(t.subject, context);
    body ??= renderWith(t.body, context);
    html = t.contentType === 'text/html';
  }
  if (!subject) throw new Error('the mail has no subject: give subject or a template');
  checkHeaderText(subject, 'subject');
  const t = await details(ctx, ticketId);
  const cfg = ctx.config.mailOut;
  const htmlBody = html ? sanitizeArticleHtml(body ?? '') : undefined;
  const hooked = subjectWithHook(cfg, t.tn, subject);
  const { messageId } = await queueMail(
    ctx.db,
    { purpose: 'process', from: await queueFrom(ctx.db, cfg, t.queue_id), to, ...(cc.length ? { cc } : {}), ...(bcc.length ? { bcc } : {}), subject: hooked, text: htmlBody !== undefined ? htmlToText(htmlBody) : (body ?? ''), ...(htmlBody !== undefined ? { html: htmlBody } : {}), auto: true, ticketId },
    { now: ctx.now },
  );
  return { to, cc, subject: hooked, messageId };
}

const misc = (ticketId: number, field: string, message: string, data: unknown): HistoryEntry => ({ ticketId, type: 'Misc', field, message, data });

async function applyOne(ctx: WriteContext, ticketId: number, a: Action): Promise<void> {
  switch (a.type) {
    case 'TicketQueueSet': return change(ctx, ticketId, { queue: a.queue });
    case 'TicketStateSet': {
      const pendingUntil = a.pendingTime ?? (a.pendingTimeDiff !== undefined ? new Date(ctx.now.getTime() + a.pendingTimeDiff * 1000).toISOString() : undefined);
      return change(ctx, ticketId, { state: a.state, ...(pendingUntil ? { pendingUntil } : {}) });
    }
    case 'TicketOwnerSet': return change(ctx, ticketId, { owner: a.owner });
    case 'TicketResponsibleSet': return change(ctx, ticketId, { responsible: a.responsible });
    case 'TicketPrioritySet': return change(ctx, ticketId, { priority: a.priority });
    case 'TicketTypeSet': return change(ctx, ticketId, { type: a.ticketType });
    case 'TicketServiceSet': return change(ctx, ticketId, { service: a.service });
    case 'TicketSLASet': return change(ctx, ticketId, { sla: a.sla });
    case 'TicketTitleSet': return change(ctx, ticketId, {}, { title: a.title });
    case 'TicketCustomerSet':
      return change(ctx, ticketId, { ...(a.customerUser !== undefined ? { customerUser: a.customerUser } : {}), ...(a.customerId !== undefined ? { customerId: a.customerId } : {}) });
    case 'DynamicFieldSet': return change(ctx, ticketId, {}, { dynamicFields: a.fields });
    case 'TicketLockSet': {
      const t = await details(ctx, ticketId);
      const lock = a.lock === 'lock';
      if (t.locked === lock) return;
      if (lock && t.owner_id === null) throw new Error('a locked ticket needs an owner');
      await ctx.db.updateTable('tickets').set({ locked: lock, changed_at: ctx.now }).where('id', '=', ticketId).execute();
      const entry: HistoryEntry = { ticketId, type: lock ? 'Lock' : 'Unlock', field: 'lock', old: lock ? 'unlock' : 'lock', new: a.lock, message: lock ? 'Ticket locked.' : 'Ticket unlocked.' };
      await writeHistory(ctx.db, [entry], ctx.by, ctx.now);
      return;
    }
    case 'TicketArticleCreate': {
      const channel = channelOf(a.channel);
      await addArticle(ctx, await details(ctx, ticketId), {
        ...(channel ? { channel } : {}),
        ...(a.senderType ? { senderType: a.senderType as SenderType } : { senderType: 'system' }),
        ...(a.visibleForCustomer !== undefined ? { visibleForCustomer: a.visibleForCustomer } : {}),
        ...(a.from ? { from: a.from } : {}),
        ...(a.to ? { to: a.to } : {}),
        ...(a.cc ? { cc: a.cc } : {}),
        ...(a.subject ? { subject: a.subject } : {}),
        body: a.body,
        ...(a.contentType === 'text/html' ? { contentType: 'text/html' as const } : {}),
        ...(a.timeUnits !== undefined ? { timeUnits: a.timeUnits } : {}),
      });
      return;
    }
    case 'TicketCreate': {
      const tn = await nextTicketNumber(ctx.db, ctx.now, ctx.config.ticketNumberPrefix);
      const art = a.article;
      const channel = channelOf(art?.channel);
      const id = await createTicket(
        ctx,
        {
          title: a.title,
          queue: a.queue,
          ...(a.state ? { state: a.state } : {}),
          ...(a.priority ? { priority: a.priority } : {}),
          ...(a.ticketType ? { type: a.ticketType } : {}),
          ...(a.customerUser ? { customerUser: a.customerUser } : {}),
          ...(a.customerId ? { customerId: a.customerId } : {}),
          ...(a.owner ? { owner: a.owner } : {}),
          ...(a.responsible ? { responsible: a.responsible } : {}),
          ...(a.service ? { service: a.service } : {}),
          ...(a.sla ? { sla: a.sla } : {}),
          ...(a.lock === 'lock' ? { lock: true } : {}),
          ...(a.dynamicFields ? { dynamicFields: a.dynamicFields } : {}),
          article: {
            body: art?.body ?? a.title,
            ...(art?.subject ? { subject: art.subject } : {}),
            ...(channel ? { channel } : {}),
            senderType: (art?.senderType as SenderType | undefined) ?? 'system',
            ...(art?.visibleForCustomer !== undefined ? { visibleForCustomer: art.visibleForCustomer } : {}),
          },
        },
        tn,
      );
      if (a.linkAs) {
        const t = await details(ctx, ticketId);
        await insertLink(ctx, t, a.linkAs === 'normal' ? { targetTicketId: id } : { targetTicketId: id, type: 'parent-child', role: a.linkAs });
      }
      return;
    }
    case 'SendEmail': {
      // Queued in the step's transaction: the mail exists exactly when the step commits.
      const mail = await processMail(ctx, ticketId, a);
      if (!mail) {
        await writeHistory(ctx.db, [misc(ticketId, 'SendEmail', 'Process sent no email: the recipient (to) is empty.', { to: a.to, ...(a.template ? { template: a.template } : {}) })], ctx.by, ctx.now);
        return;
      }
      await writeHistory(ctx.db, [misc(ticketId, 'SendEmail', `Process sent an email to ${mail.to.join(', ')}: "${mail.subject}".`, { to: mail.to, cc: mail.cc, subject: mail.subject, messageId: mail.messageId, ...(a.template ? { template: a.template } : {}) })], ctx.by, ctx.now);
      return;
    }
    case 'ExecuteInvoker': {
      // Queued in the step's transaction: called only if the step commits (outbound/jobs.ts).
      const job = await enqueueInvoker(ctx.db, ticketId, a, ctx.now);
      const call = { webservice: a.webservice, operation: a.operation, params: a.params ?? {}, job };
      await writeHistory(ctx.db, [misc(ticketId, 'ExecuteInvoker', `Process queued a call of web service ${a.webservice}/${a.operation}.`, call)], ctx.by, ctx.now);
      return;
    }
    case 'KbArticleInsert':
      return answerWithKbArticle(ctx, ticketId, a);
    case 'Unsupported':
      throw new Error(`the imported action ${a.module} is not supported: ${a.reason}`);
  }
}

/**
 * Applies `actions` in order to ticket `ticketId`; throws `ActionFailed` at the first that fails.
 *
 * @example
 * await applyActions(ctx, ticket.id, [{ type: 'TicketQueueSet', queue: 'HR' }]);
 */
export async function applyActions(ctx: WriteContext, ticketId: number, actions: Action[]): Promise<void> {
  for (const [i, a] of actions.entries()) {
    try {
      await applyOne(ctx, ticketId, a);
    } catch (e) {
      const why = e instanceof DomainError ? `${e.message}${e.path ? ` (${e.path})` : ''}` : e instanceof Error ? e.message : String(e);
      throw new ActionFailed(`Action ${i + 1} (${a.name ? `${a.name}, ` : ''}${a.type}) failed: ${why}.`, a, i);
    }
  }
}
