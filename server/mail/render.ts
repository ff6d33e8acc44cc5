/**
 * Renders a text (a mail template, salutation, signature, a process action's subject) against a
 * ticket: `{{ticket.…}}`, `{{customer.…}}`, `{{owner.…}}`, `{{agent.…}}` templates and the OTRS tags
 * (`<OTRS_CUSTOMER_REALNAME>`, `<OTRS_TICKET_TicketNumber>`, `<OTRS_AGENT_UserFirstname>`,
 * `<OTRS_CURRENT_UserLastname>`, `<OTRS_OWNER_UserEmail>`, `<OTRS_TICKET_DynamicField_X_Value>` …,
 * also spelt `<OTOBO_…>`), with the same template code the process engine uses. Unknown values
 * render empty; unknown OTRS tags stay as written.
 *
 * @example
 * await renderForTicket(db, ticketId, 'Dear <OTRS_CUSTOMER_REALNAME>, ticket {{ticket.number}}', { agentId: 3 });
 * // 'Dear Carl Client, ticket 2026120610000015'
 */
import type { Kysely } from 'kysely';
import { render, type TemplateContext } from '../../engine/model/templates';
import { convertTags } from '../../engine/otobo/tags';
import type { DB } from '../db/schema';
import { ticketSnapshot } from '../engine/snapshot';

const PERSON: Record<string, string> = { UserLogin: 'login', UserEmail: 'email', UserFirstname: 'firstName', UserLastname: 'lastName', UserFullname: 'fullName' };

/** OTRS tags → templates, including the ones the process import does not know (agent, real name). */
export function otrsTagsToTemplates(text: string): string {
  const pre = text
    .replace(/<(?:OTRS|OTOBO)_CUSTOMER_REALNAME>/g, '{{customer.fullName}}')
    .replace(/<(?:OTRS|OTOBO)_(?:AGENT|CURRENT)_(User[A-Za-z]+)>/g, (tag, k: string) => (PERSON[k] ? `{{agent.${PERSON[k]}}}` : tag));
  return convertTags(pre).text;
}

/** The context templates of ticket `ticketId` render against, with the acting agent as `agent`. */
export async function ticketTemplateContext(db: Kysely<DB>, ticketId: number, opts: { agentId?: number | null; vars?: Record<string, unknown> } = {}): Promise<TemplateContext & { agent?: Record<string, unknown> }> {
  const snap = await ticketSnapshot(db, ticketId);
  const ctx: TemplateContext & { agent?: Record<string, unknown> } = { ...snap, ...(opts.vars ? { vars: opts.vars } : {}) } as TemplateContext;
  if (opts.agentId) {
    const a = await db.selectFrom('agents').select(['login', 'email', 'first_name', 'last_name']).where('id', '=', opts.agentId).executeTakeFirst();
    if (a) ctx.agent = { login: a.login, email: a.email, firstName: a.first_name, lastName: a.last_name, fullName: `${a.first_name} ${a.last_name}` };
  }
  return ctx;
}

/** Renders `text` against an already built context. */
export function renderWith(text: string, context: TemplateContext): string {
  return render(otrsTagsToTemplates(text), context);
}

/** Renders `text` (templates and OTRS tags) against ticket `ticketId`; `agentId` is the `agent` / `<OTRS_AGENT_…>`. */
export async function renderForTicket(db: Kysely<DB>, ticketId: number, text: string, opts: { agentId?: number | null; vars?: Record<string, unknown> } = {}): Promise<string> {
  return renderWith(text, await ticketTemplateContext(db, ticketId, opts));
}
