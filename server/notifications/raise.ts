/**
 * `raiseNotification`: the one call a feature makes when something worth telling people happened.
 * Inside the transaction of the change it finds the notifications listening to the event, resolves
 * their recipients, renders the templates per recipient and hands the results to the channels
 * (email: a queued mail job; web: a bell entry, announced live). Rolled back with the change.
 */
import type { Kysely } from 'kysely';
import type { TemplateContext } from '../../engine/model/templates';
import type { DB } from '../db/schema';
import { ticketSnapshot } from '../engine/snapshot';
import { sendEmail } from './channels/email';
import { sendWeb, type WebNotification } from './channels/web';
import { definitionsFor, type NotificationEvent } from './events';
import { resolveRecipients } from './recipients';
import { loadTemplates, renderText, textFor } from './templates';

export type { NotificationEvent, NotificationEventType } from './events';

/** Longest article text put into a notification. */
const ARTICLE_CHARS = 4000;

/**
 * Raises `event` in the transaction `db`; resolves when every notification is queued or written.
 *
 * @example
 * await raiseNotification(trx, { type: 'followUp', ticketId: 42, articleId: 7, actor: { kind: 'customer', id: 3 } });
 */
export async function raiseNotification(db: Kysely<DB>, event: NotificationEvent, now = new Date()): Promise<void> {
  if (event.ticketId === null) return raiseWithoutTicket(db, event, now);
  const t = await db
    .selectFrom('tickets')
    .select(['id', 'queue_id', 'locked', 'owner_id', 'responsible_id', 'customer_user_id', 'merged_into_id'])
    .where('id', '=', event.ticketId)
    .executeTakeFirst();
  if (!t || t.merged_into_id !== null) return;
  const defs = definitionsFor(event.type, t.locked);
  if (!defs.length) return;
  const templates = await loadTemplates(db, defs.map(([k]) => k));

  let context: TemplateContext | undefined;
  const web: WebNotification[] = [];
  for (const [key, def] of defs) {
    const tpl = templates.get(key)!;
    if (!tpl.enabled) continue;
    const who = await resolveRecipients(db, def, tpl.recipients, event, t, now);
    if (!who.agents.length && who.customerUserId === null) continue;
    context ??= await templateContext(db, { ...event, ticketId: t.id });
    for (const a of who.agents) {
      const ctx: TemplateContext = { ...context, vars: { ...context.vars, recipient: { login: a.login, email: a.email, firstName: a.firstName, lastName: a.lastName, fullName: `${a.firstName} ${a.lastName}` } } };
      const text = textFor(tpl, a.language);
      const subject = renderText(text.subject, ctx);
      const body = renderText(text.body, ctx);
      if (a.channels.email) await sendEmail(db, { to: { name: `${a.firstName} ${a.lastName}`, email: a.email }, subject, text: body, ticketId: t.id, articleId: event.articleId, key }, now);
      if (a.channels.web) web.push({ recipient: { kind: 'agent', id: a.id }, event: event.type, ticketId: t.id, articleId: event.articleId, title: subject, body });
    }
    if (who.customerUserId !== null) {
      web.push({ recipient: { kind: 'customer', id: who.customerUserId }, event: event.type, ticketId: t.id, articleId: event.articleId, title: renderText(textFor(tpl, who.customerLanguage).subject, context), body: renderText(textFor(tpl, who.customerLanguage).body, context) });
    }
  }
  await sendWeb(db, web, now);
}

/**
 * An event about no ticket (an appointment reminder): the agents it names (`assignees`) hear of it,
 * by their preferences and channels; templates see the event's values under `vars`.
 */
async function raiseWithoutTicket(db: Kysely<DB>, event: NotificationEvent, now: Date): Promise<void> {
  const defs = definitionsFor(event.type, false);
  if (!defs.length) return;
  const templates = await loadTemplates(db, defs.map(([k]) => k));
  const web: WebNotification[] = [];
  for (const [key, def] of defs) {
    const tpl = templates.get(key)!;
    if (!tpl.enabled) continue;
    const who = await resolveRecipients(db, def, tpl.recipients, event, null, now);
    const context: TemplateContext = { vars: nested({ event: event.type, ...event.data }) };
    for (const a of who.agents) {
      const ctx: TemplateContext = { vars: { ...context.vars, recipient: { login: a.login, email: a.email, firstName: a.firstName, lastName: a.lastName, fullName: `${a.firstName} ${a.lastName}` } } };
      const subject = renderText(tpl.subject, ctx);
      const body = renderText(tpl.body, ctx);
      if (a.channels.email) await sendEmail(db, { to: { name: `${a.firstName} ${a.lastName}`, email: a.email }, subject, text: body, ticketId: null, key }, now);
      if (a.channels.web) web.push({ recipient: { kind: 'agent', id: a.id }, event: event.type, ticketId: null, title: subject, body });
    }
  }
  await sendWeb(db, web, now);
}

/** `{ 'appointment.title': 'x' }` as `{ appointment: { title: 'x' } }`, so templates reach it as `{{vars.appointment.title}}`. */
function nested(flat: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flat)) {
    const path = key.split('.');
    let node = out;
    for (const p of path.slice(0, -1)) node = (node[p] ??= {}) as Record<string, unknown>;
    node[path[path.length - 1]!] = value;
  }
  return out;
}

/** The ticket as templates see it, plus the event's values under `vars`. */
async function templateContext(db: Kysely<DB>, event: NotificationEvent & { ticketId: number }): Promise<TemplateContext> {
  const snapshot = await ticketSnapshot(db, event.ticketId);
  const vars: Record<string, unknown> = { event: event.type, ...event.data };
  if (event.articleId) {
    const a = await db.selectFrom('articles').select(['subject', 'body_text', 'from_addr']).where('id', '=', event.articleId).executeTakeFirst();
    if (a) vars.article = { subject: a.subject, body: a.body_text.length > ARTICLE_CHARS ? `${a.body_text.slice(0, ARTICLE_CHARS)}…` : a.body_text, from: a.from_addr };
  } else {
    vars.article = { subject: '', body: '', from: '' };
  }
  const actor = event.actor;
  if (actor?.kind === 'agent' && actor.id !== null) {
    const a = await db.selectFrom('agents').select(['login', 'email', 'first_name', 'last_name']).where('id', '=', actor.id).executeTakeFirst();
    if (a) vars.actor = { login: a.login, email: a.email, firstName: a.first_name, lastName: a.last_name, fullName: `${a.first_name} ${a.last_name}` };
  } else if (actor?.kind === 'customer' && actor.id !== null) {
    const c = await db.selectFrom('customer_users').select(['login', 'email', 'first_name', 'last_name']).where('id', '=', actor.id).executeTakeFirst();
    if (c) vars.actor = { login: c.login, email: c.email, firstName: c.first_name, lastName: c.last_name, fullName: `${c.first_name} ${c.last_name}` };
  }
  vars.actor ??= { login: 'system', email: '', firstName: 'System', lastName: '', fullName: 'System' };
  return { ticket: snapshot.ticket, customer: snapshot.customer, owner: snapshot.owner, responsible: snapshot.responsible, vars } as TemplateContext;
}
