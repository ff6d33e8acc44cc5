/**
 * The ticket view: everything `GET /tickets/{id}` shows, with ids and names. Agents see it all
 * (internal dynamic fields only when they are administrators). Customer users get a reduced view
 * (`view: "customer"`): no owner, responsible, watchers or links, no internal dynamic fields, and
 * counts over the articles visible to them only.
 */
import { sql, type Kysely } from 'kysely';
import type { Access } from '../access/access';
import type { DB } from '../db/schema';
import { getValues } from '../dynamic-fields/values';
import { NotFound } from '../errors';
import { answerBy, escalationView, type EscalationView } from '../sla/view';
import { listLinks, type LinkView } from './links';
import { ticketDetails, type TicketDetails } from './repo';

export interface Named {
  id: number;
  name: string;
}
export interface AgentRef {
  id: number;
  login: string;
  name: string;
}

export interface TicketView {
  id: number;
  number: string;
  title: string;
  view: 'agent' | 'customer';
  queue: Named;
  state: Named & { type: string };
  priority: Named;
  type: Named;
  service: Named | null;
  sla: Named | null;
  owner: AgentRef | null;
  responsible: AgentRef | null;
  customer: { id: string; name: string | null } | null;
  customerUser: { id: number; login: string; name: string; email: string } | null;
  locked: boolean;
  pendingUntil: string | null;
  archived: boolean;
  mergedInto: { id: number; number: string } | null;
  createdAt: string;
  changedAt: string;
  timeUnits: number;
  watchers: AgentRef[];
  watching: boolean;
  links: LinkView[];
  dynamicFields: Record<string, unknown>;
  articleCount: number;
  unreadArticleCount: number;
  /** SLA deadlines (agents; null for customers). */
  escalation: EscalationView | null;
  /** "We answer by" (customers, when the SLA allows it). */
  answerBy: string | null;
}

const named = (id: number | null, name: string | null): Named | null => (id !== null && name !== null ? { id, name } : null);
const agentRef = (id: number | null, login: string | null, name: string | null): AgentRef | null =>
  id !== null && login !== null ? { id, login, name: name ?? login } : null;

/** Loads the ticket for the caller: 404 when it does not exist or the caller may not read it. */
export async function readableTicket(db: Kysely<DB>, access: Access, id: number): Promise<TicketDetails> {
  const t = await ticketDetails(db, id);
  if (!t) throw new NotFound('ticket');
  await access.assertTicket(t, 'ro');
  return t;
}

/** Loads the ticket of a process incident: administrators read it whatever their queue rights. */
async function incidentTicket(db: Kysely<DB>, access: Access, id: number): Promise<TicketDetails> {
  const t = await ticketDetails(db, id);
  if (!t) throw new NotFound('ticket');
  await access.assertIncidentTicket(t);
  return t;
}

/**
 * The view of ticket `id` for the caller (`incident`: as the operations view shows an incident's
 * ticket, which administrators read whatever their queue rights). `justCreated` skips the read check: whoever created a
 * ticket sees it in the answer, even when the queue lets them create but not read.
 */
export async function buildTicketView(
  db: Kysely<DB>,
  access: Access,
  id: number,
  opts: { justCreated?: boolean; now?: Date; incident?: boolean } = {},
): Promise<TicketView> {
  const t = opts.justCreated ? await ticketDetails(db, id) : opts.incident ? await incidentTicket(db, access, id) : await readableTicket(db, access, id);
  if (!t) throw new NotFound('ticket');
  const actor = access.requireActor();
  const agentId = actor.kind === 'agent' ? actor.id : null;
  const customer = actor.kind === 'customer';

  const counts = await db
    .selectFrom('articles as a')
    .select([
      sql<number>`count(*)::int`.as('total'),
      sql<string>`coalesce(sum(a.time_units), 0)`.as('units'),
      sql<number>`count(*) filter (where not exists (
        select 1 from article_flags f where f.article_id = a.id and f.agent_id = ${agentId ?? 0}))::int`.as('unread'),
    ])
    .where('a.ticket_id', '=', id)
    .$if(customer, (q) => q.where('a.visible_for_customer', '=', true))
    .executeTakeFirstOrThrow();

  const watchers = customer
    ? []
    : await db
        .selectFrom('ticket_watchers as w')
        .innerJoin('agents as ag', 'ag.id', 'w.agent_id')
        .select(['ag.id', 'ag.login', sql<string>`ag.first_name || ' ' || ag.last_name`.as('name')])
        .where('w.ticket_id', '=', id)
        .orderBy('ag.login')
        .execute();
  const dynamicFields = (await getValues(db, 'ticket', [id], { includeInternal: !customer && (await access.isAdmin()), customerVisibleOnly: customer })).get(id) ?? {};

  return {
    id: t.id,
    number: t.tn,
    title: t.title,
    view: customer ? 'customer' : 'agent',
    queue: { id: t.queue_id, name: t.queue_name },
    state: { id: t.state_id, name: t.state_name, type: t.state_type },
    priority: { id: t.priority_id, name: t.priority_name },
    type: { id: t.type_id, name: t.type_name },
    service: named(t.service_id, t.service_name),
    sla: named(t.sla_id, t.sla_name),
    owner: customer ? null : agentRef(t.owner_id, t.owner_login, t.owner_name),
    responsible: customer ? null : agentRef(t.responsible_id, t.responsible_login, t.responsible_name),
    customer: t.customer_id !== null ? { id: t.customer_id, name: t.company_name } : null,
    customerUser:
      t.customer_user_id !== null && t.customer_user_login !== null
        ? { id: t.customer_user_id, login: t.customer_user_login, name: t.customer_user_name ?? '', email: t.customer_user_email ?? '' }
        : null,
    locked: t.locked,
    pendingUntil: t.pending_until?.toISOString() ?? null,
    archived: t.archived,
    mergedInto: t.merged_into_id !== null && t.merged_into_tn !== null ? { id: t.merged_into_id, number: t.merged_into_tn } : null,
    createdAt: t.created_at.toISOString(),
    changedAt: t.changed_at.toISOString(),
    timeUnits: Number(counts.units),
    watchers,
    watching: agentId !== null && watchers.some((w) => w.id === agentId),
    links: customer ? [] : await listLinks(db, access, id),
    dynamicFields,
    articleCount: counts.total,
    unreadArticleCount: customer ? 0 : counts.unread,
    escalation: customer ? null : await escalationView(db, t, opts.now ?? new Date()),
    answerBy: customer ? await answerBy(db, t) : null,
  };
}
