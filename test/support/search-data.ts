/**
 * Tickets for search tests, written straight into `tickets` / `articles` / `dynamic_field_values`
 * (independent of the ticket API) and then indexed with `refreshTicketSearch`, as a write would.
 */
import type { Kysely } from 'kysely';
import type { DB, DynamicFieldType } from '../../server/db/schema';
import { refreshTicketSearch } from '../../server/search/document';
import { createAgent, createCustomerUser, createQueue } from './fixtures';

type Db = Kysely<DB>;

export interface ArticleSeed {
  subject?: string;
  body?: string;
  visibleForCustomer?: boolean;
}

export interface TicketSeed {
  title: string;
  queue?: string;
  state?: string;
  priority?: string;
  type?: string;
  owner?: number | null;
  responsible?: number | null;
  customerUser?: number | null;
  customerId?: string | null;
  locked?: boolean;
  archived?: boolean;
  created?: string;
  changed?: string;
  pendingUntil?: string | null;
  tn?: string;
  articles?: ArticleSeed[];
}

let counter = 0;

async function idByName(db: Db, table: 'queues' | 'states' | 'priorities' | 'ticket_types', name: string): Promise<number> {
  const row = await db.selectFrom(table).select('id').where('name', '=', name).executeTakeFirst();
  if (!row) throw new Error(`test data: no ${table} row named ${name}`);
  return row.id;
}

/** Inserts a ticket with its articles and builds its search document. Resolves to its id. */
export async function insertTicket(db: Db, seed: TicketSeed): Promise<number> {
  const n = ++counter;
  const created = seed.created ?? new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString();
  const { id } = await db
    .insertInto('tickets')
    .values({
      tn: seed.tn ?? `2026010110${String(process.pid % 1000).padStart(3, '0')}${String(n).padStart(5, '0')}`,
      title: seed.title,
      queue_id: await idByName(db, 'queues', seed.queue ?? 'Misc'),
      state_id: await idByName(db, 'states', seed.state ?? 'open'),
      priority_id: await idByName(db, 'priorities', seed.priority ?? '3 normal'),
      type_id: await idByName(db, 'ticket_types', seed.type ?? 'Unclassified'),
      owner_id: seed.owner ?? null,
      responsible_id: seed.responsible ?? null,
      customer_user_id: seed.customerUser ?? null,
      customer_id: seed.customerId ?? null,
      locked: seed.locked ?? false,
      archived: seed.archived ?? false,
      created_at: created,
      changed_at: seed.changed ?? created,
      pending_until: seed.pendingUntil ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const a of seed.articles ?? []) {
    await db
      .insertInto('articles')
      .values({
        ticket_id: id,
        channel: a.visibleForCustomer ? 'email' : 'note',
        sender_type: 'agent',
        direction: a.visibleForCustomer ? 'outgoing' : 'internal',
        visible_for_customer: a.visibleForCustomer ?? false,
        subject: a.subject ?? '',
        body_text: a.body ?? '',
      })
      .execute();
  }
  await refreshTicketSearch(db, [id]);
  return id;
}

/** Creates a ticket dynamic field. Resolves to its id. */
export async function createDynamicField(db: Db, name: string, type: DynamicFieldType, config: Record<string, unknown> = {}, objectType: 'ticket' | 'article' = 'ticket'): Promise<number> {
  const { id } = await db
    .insertInto('dynamic_fields')
    .values({ name, label: name, field_type: type, object_type: objectType, config: JSON.stringify(config) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Stores a value with the denormalised search columns, as the ticket domain does. */
export async function setDynamicFieldValue(db: Db, fieldId: number, type: DynamicFieldType, objectId: number, value: unknown): Promise<void> {
  const row = { value_text: null as string | null, value_num: null as number | null, value_date: null as string | null };
  if (type === 'text' || type === 'textarea' || type === 'dropdown') row.value_text = value as string;
  if (type === 'multiselect') row.value_text = (value as string[]).join('\n');
  if (type === 'date') {
    row.value_text = value as string;
    row.value_date = `${value as string}T00:00:00Z`;
  }
  if (type === 'datetime') row.value_date = value as string;
  if (type === 'integer') row.value_num = value as number;
  if (type === 'checkbox') row.value_num = value ? 1 : 0;
  await db
    .insertInto('dynamic_field_values')
    .values({ field_id: fieldId, object_id: objectId, value: JSON.stringify(value), ...row })
    .execute();
}

/** Ids of a list answer's items, in order. */
export const idsOf = (body: { items: Array<{ id: number }> }) => body.items.map((t) => t.id);

/** Ids of the filter-test fixture's tickets and people. */
export interface FilterFixture {
  tickets: Record<'A' | 'B' | 'C' | 'D' | 'E' | 'F', number>;
  agents: { admin: number; alice: number };
  customerUsers: { cu1: number; cu2: number };
  queues: { misc: number; raw: number; europe: number };
  fields: Record<'Color' | 'Tags' | 'Days' | 'Approved' | 'Due' | 'Deadline' | 'Note' | 'ArticleOnly', number>;
}

/**
 * Six tickets (E archived) spread over queues, states, priorities, types, owners and customers,
 * with dynamic field values; `agents.alice` has rw on `users`. See the table in search-filters.test.ts.
 */
export async function filterFixture(db: Db): Promise<FilterFixture> {
  const make = {
    agent: (login: string) => createAgent(db, login, 'pw', { groups: { users: ['rw'] } }),
    customerUser: (login: string, customerId: string) => createCustomerUser(db, login, 'pw', { customerId }),
    queue: (name: string) => createQueue(db, name, 'users'),
  };
  const admin = (await db.selectFrom('agents').select('id').where('login', '=', 'admin').executeTakeFirstOrThrow()).id;
  const alice = await make.agent('alice');
  const cu1 = await make.customerUser('cu1', 'ACME');
  const cu2 = await make.customerUser('cu2', 'BETA');
  const europe = await make.queue('Sales::Europe');
  await db.insertInto('ticket_types').values({ name: 'Incident' }).execute();
  const A = await insertTicket(db, {
    title: 'Alpha invoice', queue: 'Misc', state: 'new', priority: '1 very low', owner: alice, responsible: admin,
    customerId: 'ACME', customerUser: cu1, created: '2026-01-01T10:00:00Z', changed: '2026-02-01T10:00:00Z', tn: '2026010110000001',
  });
  const B = await insertTicket(db, {
    title: 'Beta printer', queue: 'Raw', state: 'open', priority: '5 very high', owner: admin, locked: true,
    customerId: 'BETA', customerUser: cu2, created: '2026-01-02T10:00:00Z', changed: '2026-01-15T10:00:00Z', tn: '2026010210000002',
  });
  const C = await insertTicket(db, {
    title: 'Gamma invoice', queue: 'Sales::Europe', state: 'pending reminder', pendingUntil: '2026-05-01T08:00:00Z', type: 'Incident',
    customerId: 'ACME', created: '2026-01-03T10:00:00Z', changed: '2026-03-01T10:00:00Z', tn: '2026010310000003',
  });
  const D = await insertTicket(db, { title: 'Delta', queue: 'Misc', state: 'closed successful', priority: '2 low', created: '2026-01-04T10:00:00Z', tn: '2026010410000004' });
  const E = await insertTicket(db, { title: 'Epsilon archived', queue: 'Misc', state: 'closed successful', archived: true, created: '2026-01-05T10:00:00Z', tn: '2026010510000005' });
  const F = await insertTicket(db, { title: 'Zeta merged', queue: 'Raw', state: 'merged', created: '2026-01-06T10:00:00Z', tn: '2026010610000006' });

  const fields = {
    Color: await createDynamicField(db, 'Color', 'dropdown', { possibleValues: { red: 'Red', blue: 'Blue', green: 'Green' } }),
    Tags: await createDynamicField(db, 'Tags', 'multiselect', { possibleValues: { a: 'A', b: 'B', c: 'C' } }),
    Days: await createDynamicField(db, 'Days', 'integer', { min: 0, max: 100 }),
    Approved: await createDynamicField(db, 'Approved', 'checkbox'),
    Due: await createDynamicField(db, 'Due', 'date'),
    Deadline: await createDynamicField(db, 'Deadline', 'datetime'),
    Note: await createDynamicField(db, 'Note', 'text'),
    ArticleOnly: await createDynamicField(db, 'ArticleOnly', 'text', {}, 'article'),
  };
  const set = (f: keyof typeof fields, type: DynamicFieldType, ticket: number, value: unknown) => setDynamicFieldValue(db, fields[f], type, ticket, value);
  await set('Color', 'dropdown', A, 'red');
  await set('Color', 'dropdown', B, 'blue');
  await set('Tags', 'multiselect', A, ['a', 'b']);
  await set('Tags', 'multiselect', B, ['c']);
  await set('Days', 'integer', A, 3);
  await set('Days', 'integer', B, 10);
  await set('Days', 'integer', C, 5);
  await set('Approved', 'checkbox', A, true);
  await set('Approved', 'checkbox', B, false);
  await set('Due', 'date', A, '2026-03-01');
  await set('Due', 'date', B, '2026-04-01');
  await set('Deadline', 'datetime', A, '2026-03-01T12:00:00Z');
  await set('Deadline', 'datetime', B, '2026-03-05T12:00:00Z');
  await set('Note', 'text', A, 'call back later');
  await set('Note', 'text', B, 'Waiting for parts');
  return {
    tickets: { A, B, C, D, E, F },
    agents: { admin, alice },
    customerUsers: { cu1, cu2 },
    queues: {
      misc: (await db.selectFrom('queues').select('id').where('name', '=', 'Misc').executeTakeFirstOrThrow()).id,
      raw: (await db.selectFrom('queues').select('id').where('name', '=', 'Raw').executeTakeFirstOrThrow()).id,
      europe,
    },
    fields,
  };
}
