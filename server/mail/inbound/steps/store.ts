/**
 * Step 8, create the ticket or append the article: an `email` article from the customer, incoming,
 * visible to the customer (unless a filter marked it internal), with its Message-ID, addresses,
 * text and sanitised HTML, attachments and inline images (`cid:` bound to the stored attachment),
 * the raw source ("plain view"), the flag of an unexpected sender, and the history (EmailCustomer /
 * FollowUp, reopening, filter settings, warnings such as an unknown charset). A new ticket gets the
 * filter's priority, state and owner when they exist, else `3 normal`, `new` and no owner.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { insertAttachments } from '../../../articles/attachments';
import { htmlToText } from '../../../articles/sanitize';
import type { DB } from '../../../db/schema';
import { setValues, valueText } from '../../../dynamic-fields/values';
import { DomainError } from '../../../errors';
import { changeEntry, writeHistory, type HistoryEntry } from '../../../history/history';
import { refreshTicketSearch } from '../../../search/document';
import { raiseNotification } from '../../../notifications/raise';
import { DEFAULTS } from '../../../tickets/create';
import type { Address, MailContext, MailStep, StepEnv } from '../types';

const SYSTEM = { kind: 'system' as const, id: null };

/** `"Kim Lee" <kim@example.com>, b@example.com`, without CR/LF. */
export function formatAddresses(list: Address[]): string {
  return list
    .map((a) => (a.name ? `"${a.name.replace(/["\\\r\n]/g, '')}" <${a.address}>` : a.address))
    .join(', ')
    .replace(/[\r\n]/g, '');
}

async function byName(db: Kysely<DB>, table: 'states' | 'priorities', name: string | undefined, fallback: string, warnings: string[]) {
  if (name) {
    const row = await db.selectFrom(table).select(['id', 'name']).where('name', '=', name).where('valid', '=', true).executeTakeFirst();
    if (row) return row;
    warnings.push(`postmaster filter ${table === 'states' ? 'state' : 'priority'} "${name}" does not exist; "${fallback}" is used`);
  }
  return db.selectFrom(table).select(['id', 'name']).where('name', '=', fallback).executeTakeFirstOrThrow();
}

async function writeArticle(ctx: MailContext, env: StepEnv, ticketId: number): Promise<number> {
  const p = ctx.parsed;
  const { db } = env;
  const { id } = await db
    .insertInto('articles')
    .values({
      ticket_id: ticketId,
      channel: 'email',
      sender_type: 'customer',
      direction: 'incoming',
      visible_for_customer: !ctx.filter.internal,
      from_addr: p.from ? formatAddresses([p.from]) : '',
      to_addr: formatAddresses(p.to),
      cc_addr: formatAddresses(p.cc),
      subject: p.subject,
      body_text: p.html !== null && !p.text.trim() ? htmlToText(p.html) : p.text,
      body_html: p.html,
      message_id: p.messageId,
      flag: ctx.unexpectedSender ? 'unexpected-sender' : null,
      created_at: env.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await insertAttachments(
    db,
    id,
    p.attachments.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: Buffer.from(a.content),
      sha256: createHash('sha256').update(a.content).digest('hex'),
      inline: a.inline,
      contentId: a.contentId,
    })),
  );
  if (p.html?.includes('mail-cid/')) {
    const html = p.html.replace(/mail-cid\/([^"'\s>]+)/g, (m, cid: string) => {
      const n = p.attachments.findIndex((a) => a.contentId === decodeURIComponent(cid));
      return n < 0 ? m : `/api/v1/articles/${id}/attachments/${n + 1}?inline=1`;
    });
    await db.updateTable('articles').set({ body_html: html }).where('id', '=', id).execute();
  }
  await db.insertInto('article_sources').values({ article_id: id, raw: ctx.mail.raw }).execute();
  return id;
}

async function setFields(ctx: MailContext, db: Kysely<DB>, ticketId: number, history: HistoryEntry[]) {
  if (!ctx.filter.dynamicFields) return;
  try {
    for (const c of await setValues(db, 'ticket', ticketId, ctx.filter.dynamicFields)) {
      history.push(changeEntry(ticketId, 'TicketDynamicFieldUpdate', `DynamicField_${c.field.name}`, valueText(c.old), valueText(c.new)));
    }
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    ctx.parsed.warnings.push(`postmaster filter dynamic fields not set: ${e.message}`);
  }
}

function mailNotes(ctx: MailContext, ticketId: number, articleId: number): HistoryEntry[] {
  const notes = [...ctx.parsed.warnings];
  if (ctx.filter.matched.length) notes.unshift(`postmaster filters matched: ${ctx.filter.matched.join(', ')}`);
  if (!ctx.sender.customerUserId && !ctx.sender.agentId) notes.push(`unknown sender ${ctx.sender.address || '(none)'}`);
  return notes.map((n) => ({ ticketId, articleId, type: 'Misc' as const, message: `Mail: ${n}.` }));
}

export const storeMail: MailStep = {
  name: 'store',
  async run(ctx, env) {
    const { db, now } = env;
    const p = ctx.parsed;
    const history: HistoryEntry[] = [];
    if (ctx.followUp) {
      const ticketId = ctx.followUp.ticketId;
      await db.selectFrom('tickets').select('id').where('id', '=', ticketId).forUpdate().executeTakeFirstOrThrow();
      const articleId = await writeArticle(ctx, env, ticketId);
      const rejected = ctx.decision === 'reject';
      history.push({
        ticketId,
        articleId,
        type: 'FollowUp',
        message: `Follow-up by mail from ${ctx.sender.address || 'an unknown sender'} (found by ${ctx.followUp.by})${rejected ? '; the queue rejects follow-ups to closed tickets' : ''}${ctx.unexpectedSender ? '; the sender is not part of this ticket: check before answering' : ''}.`,
        data: { channel: 'email', messageId: p.messageId, by: ctx.followUp.by, rejected, unexpectedSender: ctx.unexpectedSender },
      });
      let reopened = false;
      if (!rejected) {
        const t = await db
          .selectFrom('tickets as t')
          .innerJoin('states as s', 's.id', 't.state_id')
          .innerJoin('state_types as st', 'st.id', 's.type_id')
          .select(['s.name', 'st.name as type'])
          .where('t.id', '=', ticketId)
          .executeTakeFirstOrThrow();
        if (t.type === 'closed') {
          const open = await db.selectFrom('states').select(['id', 'name']).where('name', '=', 'open').executeTakeFirstOrThrow();
          await db.updateTable('tickets').set({ state_id: open.id }).where('id', '=', ticketId).execute();
          history.push({ ...changeEntry(ticketId, 'StateUpdate', 'state', t.name, open.name), message: `Changed state from "${t.name}" to "${open.name}" (follow-up by mail).` });
          reopened = true;
        }
      }
      await setFields(ctx, db, ticketId, history);
      history.push(...mailNotes(ctx, ticketId, articleId));
      await db.updateTable('tickets').set({ changed_at: now }).where('id', '=', ticketId).execute();
      await writeHistory(db, history, SYSTEM, now);
      await refreshTicketSearch(db, [ticketId]);
      ctx.result = { ticketId, tn: ctx.followUp.tn, articleId };
      // A rejected follow-up (closed ticket, queue rejects) is answered by the auto response only.
      if (!rejected) await raiseNotification(db, { type: 'followUp', ticketId, articleId, actor: mailActor(ctx), data: { reopened, unexpectedSender: ctx.unexpectedSender } }, now);
      return;
    }

    const warnings = p.warnings;
    // One round trip for the usual case; a filter naming a missing state or priority falls back below.
    const found = await db
      .selectFrom('queues as q')
      .leftJoin('states as s', (j) => j.on('s.name', '=', ctx.filter.state ?? DEFAULTS.state).on('s.valid', 'in', ctx.filter.state ? [true] : [true, false]))
      .leftJoin('priorities as p', (j) => j.on('p.name', '=', ctx.filter.priority ?? DEFAULTS.priority).on('p.valid', 'in', ctx.filter.priority ? [true] : [true, false]))
      .leftJoin('ticket_types as ty', (j) => j.on('ty.name', '=', DEFAULTS.type))
      .select(['q.id as queueId', 'q.name as queueName', 's.id as stateId', 's.name as stateName', 'p.id as priorityId', 'p.name as priorityName', 'ty.id as typeId'])
      .where('q.id', '=', ctx.queueId!)
      .executeTakeFirstOrThrow();
    const state = found.stateId !== null && found.stateName !== null ? { id: found.stateId, name: found.stateName } : await byName(db, 'states', ctx.filter.state, DEFAULTS.state, warnings);
    const priority = found.priorityId !== null && found.priorityName !== null ? { id: found.priorityId, name: found.priorityName } : await byName(db, 'priorities', ctx.filter.priority, DEFAULTS.priority, warnings);
    const type = found.typeId !== null ? { id: found.typeId } : await db.selectFrom('ticket_types').select('id').where('name', '=', DEFAULTS.type).executeTakeFirstOrThrow();
    let owner: { id: number; login: string } | undefined;
    if (ctx.filter.owner) {
      owner = await db.selectFrom('agents').select(['id', 'login']).where('login', '=', ctx.filter.owner).where('valid', '=', true).executeTakeFirst();
      if (!owner) warnings.push(`postmaster filter owner "${ctx.filter.owner}" does not exist`);
    }
    const queue = { id: found.queueId, name: found.queueName };
    const tn = await env.ticketNumber();
    const { id: ticketId } = await db
      .insertInto('tickets')
      .values({
        tn,
        title: (p.subject || '(no subject)').slice(0, 255),
        queue_id: queue.id,
        state_id: state.id,
        priority_id: priority.id,
        type_id: type.id,
        service_id: null,
        sla_id: null,
        owner_id: owner?.id ?? null,
        responsible_id: null,
        customer_id: ctx.sender.customerId,
        customer_user_id: ctx.sender.customerUserId,
        pending_until: null,
        created_at: now,
        changed_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    history.push({
      ticketId,
      type: 'NewTicket',
      message: `New ticket [${tn}] created by mail from ${ctx.sender.address || 'an unknown sender'} (queue "${queue.name}", state "${state.name}", priority "${priority.name}").`,
      data: { number: tn, queueId: queue.id, stateId: state.id, priorityId: priority.id, source: ctx.mail.source, unknownSender: ctx.sender.customerUserId === null ? ctx.sender.address : undefined },
    });
    if (ctx.sender.customerUserId !== null) history.push(changeEntry(ticketId, 'CustomerUpdate', 'customerUser', null, ctx.sender.address));
    if (owner) history.push(changeEntry(ticketId, 'OwnerUpdate', 'owner', null, owner.login, { newOwnerId: owner.id }));
    const articleId = await writeArticle(ctx, env, ticketId);
    history.push({
      ticketId,
      articleId,
      type: 'EmailCustomer',
      message: `Added email article${p.subject ? ` "${p.subject}"` : ''} (customer, ${ctx.filter.internal ? 'internal' : 'visible for customer'}).`,
      data: { channel: 'email', senderType: 'customer', direction: 'incoming', visibleForCustomer: !ctx.filter.internal, messageId: p.messageId },
    });
    await setFields(ctx, db, ticketId, history);
    history.push(...mailNotes(ctx, ticketId, articleId));
    await writeHistory(db, history, SYSTEM, now);
    await refreshTicketSearch(db, [ticketId]);
    ctx.result = { ticketId, tn, articleId };
    await raiseNotification(db, { type: 'ticketCreated', ticketId, articleId, actor: mailActor(ctx) }, now);
  },
};

/** Who caused a mail's events: the customer user or agent it came from, else nobody known. */
function mailActor(ctx: MailContext): { kind: 'agent' | 'customer' | 'system'; id: number | null } {
  if (ctx.sender.customerUserId !== null && ctx.sender.customerUserId !== undefined) return { kind: 'customer', id: ctx.sender.customerUserId };
  if (ctx.sender.agentId !== null && ctx.sender.agentId !== undefined) return { kind: 'agent', id: ctx.sender.agentId };
  return { kind: 'system', id: null };
}
