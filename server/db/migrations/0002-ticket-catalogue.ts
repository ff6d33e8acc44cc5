/**
 * The catalogue a new OTRS/OTOBO install has: state types and states, priorities `1 very low` …
 * `5 very high`, ticket type `Unclassified`, groups `users` and `admin`, and the queues `Raw`,
 * `Junk`, `Misc` and `Postmaster` (all in group `users`). Frozen in time.
 */
import { sql, type Kysely } from 'kysely';

const STATE_TYPES = ['new', 'open', 'closed', 'pending reminder', 'pending auto', 'removed', 'merged'];
const STATES: Array<[string, string, string]> = [
  ['new', 'new', 'New ticket created by customer.'],
  ['open', 'open', 'Open tickets.'],
  ['closed successful', 'closed', 'Ticket is closed successful.'],
  ['closed unsuccessful', 'closed', 'Ticket is closed unsuccessful.'],
  ['pending reminder', 'pending reminder', 'Ticket is pending for agent reminder.'],
  ['pending auto close+', 'pending auto', 'Ticket is pending for automatic close.'],
  ['pending auto close-', 'pending auto', 'Ticket is pending for automatic close.'],
  ['merged', 'merged', 'State for merged tickets.'],
  ['removed', 'removed', 'Customer removed ticket.'],
];
const PRIORITIES = ['1 very low', '2 low', '3 normal', '4 high', '5 very high'];
const QUEUES: Array<[string, string]> = [
  ['Postmaster', 'Default queue for incoming emails.'],
  ['Raw', 'All default incoming tickets.'],
  ['Junk', 'All junk tickets.'],
  ['Misc', 'All misc tickets.'],
];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('state_types')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .execute();
  await db.schema
    .createTable('states')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('type_id', 'integer', (c) => c.notNull().references('state_types.id'))
    .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('valid', 'boolean', (c) => c.notNull().defaultTo(true))
    .execute();
  for (const table of ['priorities', 'ticket_types']) {
    await db.schema
      .createTable(table)
      .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('valid', 'boolean', (c) => c.notNull().defaultTo(true))
      .execute();
  }

  await db.insertInto('state_types').values(STATE_TYPES.map((name) => ({ name }))).execute();
  for (const [name, type, comment] of STATES) {
    await db
      .insertInto('states')
      .values({ name, comment, type_id: sql`(select id from state_types where name = ${type})` })
      .execute();
  }
  await db.insertInto('priorities').values(PRIORITIES.map((name) => ({ name }))).execute();
  await db.insertInto('ticket_types').values({ name: 'Unclassified' }).execute();
  await db
    .insertInto('groups')
    .values([
      { name: 'users', comment: 'Group for default access.' },
      { name: 'admin', comment: 'Group of all administrators.' },
    ])
    .execute();
  for (const [name, comment] of QUEUES) {
    await db
      .insertInto('queues')
      .values({ name, comment, group_id: sql`(select id from groups where name = 'users')` })
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('queues').execute();
  await db.deleteFrom('groups').where('name', 'in', ['users', 'admin']).execute();
  for (const t of ['ticket_types', 'priorities', 'states', 'state_types']) await db.schema.dropTable(t).execute();
}
