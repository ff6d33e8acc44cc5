/**
 * Fixtures for the statistics tests: a helpdesk with two queues in two groups, agents with
 * different `stats` rights, a service, an SLA, a ticket type, a customer, a dropdown dynamic field,
 * and five tickets inserted straight into the database at chosen instants (across the spring and
 * autumn DST changes of Europe/Berlin), one closed by a state change, one with time units.
 */
import { inflateSync } from 'node:zlib';
import type { Kysely } from 'kysely';
import { Access } from '../../server/access/access';
import type { Config } from '../../server/config';
import type { DatabaseKind } from '../../server/db/index';
import type { DB } from '../../server/db/schema';
import { createCustomerUser } from './fixtures';
import { PW, startHelpdesk, type Helpdesk } from './tickets';

export interface StatsFixture extends Helpdesk {
  db: Kysely<DB>;
  tickets: Record<'t1' | 't2' | 't3' | 't4' | 't5', number>;
  /** The access of an agent by login, as a route would build it. */
  access(login: string): Access;
}

async function idOf(db: Kysely<DB>, table: 'states' | 'priorities' | 'ticket_types' | 'services' | 'slas', name: string): Promise<number> {
  return (await db.selectFrom(table).select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
}

let seq = 0;

/** Inserts a ticket with the given names and creation instant; resolves to its id. */
export async function insertStatTicket(
  db: Kysely<DB>,
  t: { queueId: number; state: string; priority?: string; type?: string; service?: string; sla?: string; ownerId?: number | null; responsibleId?: number | null; customerId?: string | null; customerUserId?: number | null; createdAt: string; changedAt?: string },
): Promise<number> {
  seq += 1;
  const row = await db
    .insertInto('tickets')
    .values({
      tn: `S${Date.now()}${seq}`,
      title: `stat ticket ${seq}`,
      queue_id: t.queueId,
      state_id: await idOf(db, 'states', t.state),
      priority_id: await idOf(db, 'priorities', t.priority ?? '3 normal'),
      type_id: await idOf(db, 'ticket_types', t.type ?? 'Unclassified'),
      service_id: t.service ? await idOf(db, 'services', t.service) : null,
      sla_id: t.sla ? await idOf(db, 'slas', t.sla) : null,
      owner_id: t.ownerId ?? null,
      responsible_id: t.responsibleId ?? null,
      customer_id: t.customerId ?? null,
      customer_user_id: t.customerUserId ?? null,
      merged_into_id: null,
      created_by_agent_id: null,
      created_by_customer_user_id: null,
      created_at: t.createdAt,
      changed_at: t.changedAt ?? t.createdAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Sets a dropdown value of a ticket. */
export async function setDropdown(db: Kysely<DB>, fieldId: number, ticketId: number, value: string): Promise<void> {
  await db.insertInto('dynamic_field_values').values({ field_id: fieldId, object_id: ticketId, value: JSON.stringify(value), value_text: value, value_num: null, value_date: null }).execute();
}

/** Adds an article (agent, visible to the customer unless told) with time units at `at`. */
export async function addArticle(db: Kysely<DB>, ticketId: number, at: string, opts: { timeUnits?: number; sender?: 'agent' | 'customer'; visible?: boolean } = {}): Promise<void> {
  await db
    .insertInto('articles')
    .values({ ticket_id: ticketId, channel: 'note', sender_type: opts.sender ?? 'agent', direction: 'internal', visible_for_customer: opts.visible ?? true, body_text: 'x', time_units: opts.timeUnits ?? 0, created_at: at, original_ticket_id: null, message_id: null, flag: null, body_html: null, created_by_agent_id: null, created_by_customer_user_id: null })
    .execute();
}

/** Records a state change in the history at `at` (what the closed time dimension reads). */
export async function stateChange(db: Kysely<DB>, ticketId: number, from: string, to: string, at: string): Promise<void> {
  await db
    .insertInto('ticket_history')
    .values({ ticket_id: ticketId, article_id: null, type: 'StateUpdate', field: 'state', old_value: from, new_value: to, data: null, actor_kind: 'system', actor_id: null, created_at: at })
    .execute();
}

/**
 * kim: stats ro, reads Sales; lee: stats rw, reads Sales and Support; nostats: reads Sales only.
 * t1 Sales new (2026-03-31T22:30Z: April in Berlin, March in UTC) owner kim, red, Email/Gold, acme/carol;
 * t2 Sales open, 5 very high, Incident, owner lee, responsible kim, blue, 3.5 time units;
 * t3 Support closed successful (closed 2026-04-16T10:00Z), Incident, owner lee;
 * t4, t5 Support new at 2026-10-25T00:30Z and 01:30Z: both 02:30 on Berlin's wall clock.
 */
export async function startStatsFixture(kind: DatabaseKind, config?: Partial<Config>): Promise<StatsFixture> {
  const h = await startHelpdesk(kind, {
    config,
    queues: { Sales: 'sales', Support: 'support' },
    agents: { kim: { stats: ['ro'], sales: ['ro'] }, lee: { stats: ['rw'], sales: ['ro'], support: ['ro'] }, nostats: { sales: ['ro'] } },
  });
  const db = h.srv.database.db;
  await db.insertInto('services').values({ name: 'Email' }).execute();
  await db.insertInto('slas').values({ name: 'Gold', first_response_minutes: 60, update_minutes: null, solution_minutes: 240 }).execute();
  await db.insertInto('ticket_types').values({ name: 'Incident' }).execute();
  await db.insertInto('customer_companies').values({ customer_id: 'acme', name: 'Acme' }).execute();
  const carol = await createCustomerUser(db, 'carol', PW, { customerId: 'acme' });
  const colour = (
    await db.insertInto('dynamic_fields').values({ name: 'Colour', label: 'Colour', field_type: 'dropdown', object_type: 'ticket', config: JSON.stringify({ possibleValues: { red: 'Red', blue: 'Blue' } }) }).returning('id').executeTakeFirstOrThrow()
  ).id;
  const { kim, lee } = h.agents as { kim: number; lee: number };
  const { Sales, Support } = h.queues as { Sales: number; Support: number };
  const t1 = await insertStatTicket(db, { queueId: Sales, state: 'new', ownerId: kim, service: 'Email', sla: 'Gold', customerId: 'acme', customerUserId: carol, createdAt: '2026-03-31T22:30:00Z' });
  const t2 = await insertStatTicket(db, { queueId: Sales, state: 'open', priority: '5 very high', type: 'Incident', ownerId: lee, responsibleId: kim, createdAt: '2026-04-10T10:00:00Z', changedAt: '2026-05-02T08:00:00Z' });
  const t3 = await insertStatTicket(db, { queueId: Support, state: 'closed successful', type: 'Incident', ownerId: lee, createdAt: '2026-04-15T10:00:00Z', changedAt: '2026-04-16T10:00:00Z' });
  const t4 = await insertStatTicket(db, { queueId: Support, state: 'new', createdAt: '2026-10-25T00:30:00Z' });
  const t5 = await insertStatTicket(db, { queueId: Support, state: 'new', createdAt: '2026-10-25T01:30:00Z' });
  await setDropdown(db, colour, t1, 'red');
  await setDropdown(db, colour, t2, 'blue');
  await addArticle(db, t2, '2026-04-10T10:30:00Z', { timeUnits: 1.5 });
  await addArticle(db, t2, '2026-04-11T10:00:00Z', { timeUnits: 2 });
  await addArticle(db, t3, '2026-04-15T12:00:00Z', { timeUnits: 0 });
  await stateChange(db, t3, 'new', 'closed successful', '2026-04-16T10:00:00Z');
  const adminId = (await db.selectFrom('agents').select('id').where('login', '=', 'admin').executeTakeFirstOrThrow()).id;
  const access = (login: string) => new Access(db, { kind: 'agent', id: login === 'admin' ? adminId : h.agents[login]!, login, via: 'session' });
  return { ...h, db, tickets: { t1, t2, t3, t4, t5 }, access };
}

/**
 * The text a pdfkit PDF shows, page by page and line by line: each page's content stream is
 * inflated and the hex strings of its `TJ` arrays decoded (standard fonts write WinAnsi bytes).
 */
export function pdfPages(pdf: Buffer): string[][] {
  const pages: string[][] = [];
  const raw = pdf.toString('latin1');
  const re = /stream\r?\n([\s\S]*?)\r?\nendstream/g;
  for (let m = re.exec(raw); m; m = re.exec(raw)) {
    const bytes = Buffer.from(m[1]!, 'latin1');
    let content: string;
    try {
      content = inflateSync(bytes).toString('latin1');
    } catch {
      content = m[1]!;
    }
    const lines: string[] = [];
    for (const tj of content.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
      lines.push([...tj[1]!.matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => Buffer.from(h[1]!, 'hex').toString('latin1')).join(''));
    }
    pages.push(lines);
  }
  return pages;
}

/** The text of a pdfkit PDF, line by line over all pages. */
export function pdfText(pdf: Buffer): string[] {
  return pdfPages(pdf).flat();
}
