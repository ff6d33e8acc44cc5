/**
 * The one resolver: who hears of a notification, and on which channel. It gathers the agents of the
 * notification's recipient groups, leaves out the one who caused the event, invalid agents and
 * agents who may not read the ticket's queue (asked of the access helper), and applies each agent's
 * preferences (the notification switched on, or for watchers `watchedTickets`; channels `email`
 * and `web`; nothing while they are out of office). Customers hear of their own tickets in the portal (web).
 */
import { isLanguage, type Language } from '../i18n/languages';
import { sql, type Kysely } from 'kysely';
import { agentsWithQueuePermission } from '../access/access';
import type { DB } from '../db/schema';
import { absentAgents } from '../preferences/out-of-office';
import { DEFAULT_PREFERENCES, type Preferences } from '../preferences/schema';
import type { NotificationDefinition, NotificationEvent, RecipientGroup } from './events';

export interface TicketForNotification {
  id: number;
  queue_id: number;
  locked: boolean;
  owner_id: number | null;
  responsible_id: number | null;
  customer_user_id: number | null;
}

export interface Recipients {
  agents: Array<{ id: number; login: string; email: string; firstName: string; lastName: string; channels: { email: boolean; web: boolean }; language: Language }>;
  /** The customer user to notify in the portal, if any. */
  customerUserId: number | null;
  /** The customer user's language (their account's; English when they chose none). */
  customerLanguage: Language;
}

/** The valid agents among `ids`. */
async function validAgents(db: Kysely<DB>, ids: number[]): Promise<number[]> {
  return (await db.selectFrom('agents').select('id').where('id', 'in', ids).where('valid', '=', true).execute()).map((r) => r.id);
}

/** Agents with `queueId` in their *My queues*. */
async function myQueueAgents(db: Kysely<DB>, queueId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('agent_preferences')
    .select('agent_id')
    .where('key', '=', 'myQueues')
    .where(sql<boolean>`value @> ${JSON.stringify([queueId])}::jsonb`)
    .execute();
  return rows.map((r) => r.agent_id);
}

/**
 * Resolves the recipients of notification `def` (with recipient groups `groups`) for `event` on `t`.
 *
 * @example
 * const { agents, customerUserId } = await resolveRecipients(trx, def, def.recipients, event, ticket);
 */
export async function resolveRecipients(
  db: Kysely<DB>,
  def: NotificationDefinition,
  groups: RecipientGroup[],
  event: NotificationEvent,
  t: TicketForNotification | null,
  now: Date = new Date(),
): Promise<Recipients> {
  const actor = event.actor ?? null;
  const isActor = (kind: 'agent' | 'customer', id: number) => actor?.kind === kind && actor.id === id;

  // Why each agent is a candidate: watchers-only candidates answer to `watchedTickets`.
  const reasons = new Map<number, Set<RecipientGroup>>();
  const add = (ids: Array<number | null | undefined>, g: RecipientGroup) => {
    for (const id of ids) if (id != null) reasons.set(id, (reasons.get(id) ?? new Set()).add(g));
  };
  for (const g of groups) {
    // Without a ticket only the agents the event names are candidates (it checked their access).
    if (!t) {
      if (g === 'assignees') add(event.agentIds ?? [], g);
      continue;
    }
    switch (g) {
      case 'owner': add([t.owner_id], g); break;
      case 'responsible': add([t.responsible_id], g); break;
      case 'assignees': add(event.agentIds ?? [], g); break;
      case 'watchers':
        add((await db.selectFrom('ticket_watchers').select('agent_id').where('ticket_id', '=', t.id).execute()).map((r) => r.agent_id), g);
        break;
      case 'myQueues': add(await myQueueAgents(db, t.queue_id), g); break;
      case 'queueRw': add(await agentsWithQueuePermission(db, t.queue_id, 'rw'), g); break;
      case 'customer': break;
    }
  }
  for (const id of [...reasons.keys()]) if (isActor('agent', id)) reasons.delete(id);

  const agents: Recipients['agents'] = [];
  if (reasons.size) {
    // Never an agent who may not read the ticket's queue (invalid agents drop out here too).
    const readers = new Set(t ? await agentsWithQueuePermission(db, t.queue_id, 'ro', [...reasons.keys()]) : await validAgents(db, [...reasons.keys()]));
    // Agents away today hear nothing (unless the notification is one that reaches them anyway).
    const away = def.sendOnOutOfOffice ? new Set<number>() : new Set((await absentAgents(db, now, [...readers])).map((a) => a.agentId));
    const ids = [...reasons.keys()].filter((id) => readers.has(id) && !away.has(id));
    if (ids.length) {
      const rows = await db.selectFrom('agents').select(['id', 'login', 'email', 'first_name', 'last_name']).where('id', 'in', ids).orderBy('id').execute();
      const prefRows = await db
        .selectFrom('agent_preferences')
        .select(['agent_id', 'key', 'value'])
        .where('agent_id', 'in', ids)
        .where('key', 'in', ['notifications', 'notificationChannels', 'language'])
        .execute();
      for (const a of rows) {
        const mine = (key: string) => prefRows.find((p) => p.agent_id === a.id && p.key === key)?.value as Record<string, boolean> | undefined;
        const wants: Preferences['notifications'] = { ...DEFAULT_PREFERENCES.notifications, ...mine('notifications') };
        const channels: Preferences['notificationChannels'] = { ...DEFAULT_PREFERENCES.notificationChannels, ...mine('notificationChannels') };
        const why = reasons.get(a.id)!;
        const asWatcher = why.has('watchers') && wants.watchedTickets;
        const otherwise = [...why].some((g) => g !== 'watchers') && (def.preference === null || wants[def.preference]);
        if (!asWatcher && !otherwise) continue;
        if (!channels.email && !channels.web) continue;
        const language = prefRows.find((p) => p.agent_id === a.id && p.key === 'language')?.value;
        agents.push({ id: a.id, login: a.login, email: a.email, firstName: a.first_name, lastName: a.last_name, channels: { email: channels.email && !!a.email, web: channels.web }, language: isLanguage(language) ? language : 'en' });
      }
    }
  }

  let customerUserId: number | null = null;
  let customerLanguage: Language = 'en';
  if (t && groups.includes('customer') && t.customer_user_id !== null && !isActor('customer', t.customer_user_id)) {
    const c = await db.selectFrom('customer_users').select(['id', 'valid', 'language']).where('id', '=', t.customer_user_id).executeTakeFirst();
    if (c?.valid) customerUserId = c.id;
    if (isLanguage(c?.language)) customerLanguage = c.language;
  }
  return { agents, customerUserId, customerLanguage };
}
