/**
 * Calendars and appointments (issue 22): `calendars` (name, colour, the permission group whose
 * ro/rw decide who sees and changes its appointments, valid); `appointments` with an optional
 * RFC 5545 rule (`rrule`, expanded per request window), exceptions (`exdates`), overrides of one
 * occurrence (`parent_id` + `recurrence_id`), a reminder offset, and the ticket rule that made it;
 * `appointment_tickets` links appointments and tickets; `calendar_feed_tokens` the private iCal
 * feed URLs (per calendar and agent, revocable); `ticket_appointment_rules` Znuny's ticket
 * appointments (per calendar: which tickets, which ticket date).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('calendars')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('color', 'text', (c) => c.notNull())
    .addColumn('group_id', 'integer', (c) => c.notNull().references('groups.id'))
    .addColumn('valid', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('ticket_appointment_rules')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('calendar_id', 'integer', (c) => c.notNull().references('calendars.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('queue_ids', 'jsonb', (c) => c.notNull())
    .addColumn('search', 'jsonb', (c) => c.notNull())
    .addColumn('start_from', 'text', (c) => c.notNull())
    .addColumn('duration_minutes', 'integer', (c) => c.notNull().check(sql`duration_minutes >= 0`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('valid', 'boolean', (c) => c.notNull().defaultTo(true))
    .execute();

  await db.schema
    .createTable('appointments')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('calendar_id', 'integer', (c) => c.notNull().references('calendars.id').onDelete('cascade'))
    .addColumn('uid', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'integer', (c) => c.references('appointments.id').onDelete('cascade'))
    .addColumn('recurrence_id', 'timestamptz')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('location', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('all_day', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('start_at', 'timestamptz', (c) => c.notNull())
    .addColumn('end_at', 'timestamptz', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('rrule', 'text')
    .addColumn('last_end_at', 'timestamptz')
    .addColumn('exdates', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('reminder_minutes', 'integer', (c) => c.check(sql`reminder_minutes >= 0`))
    .addColumn('rule_id', 'integer', (c) => c.references('ticket_appointment_rules.id').onDelete('cascade'))
    .addColumn('rule_ticket_id', 'integer', (c) => c.references('tickets.id').onDelete('cascade'))
    .addColumn('created_by', 'integer', (c) => c.references('agents.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('appointments_end_after_start', sql`end_at >= start_at`)
    .execute();
  // The window query: appointments that start before the window ends and end (or repeat) after it starts.
  await sql`create index appointments_window on appointments (calendar_id, start_at, last_end_at)`.execute(db);
  // Overrides of one occurrence share their series' UID (iCalendar RECURRENCE-ID).
  await sql`create unique index appointments_uid on appointments (uid) where parent_id is null`.execute(db);
  await sql`create unique index appointments_override on appointments (parent_id, recurrence_id) where parent_id is not null`.execute(db);
  await sql`create unique index appointments_rule_ticket on appointments (rule_id, rule_ticket_id) where rule_id is not null`.execute(db);

  await db.schema
    .createTable('appointment_tickets')
    .addColumn('appointment_id', 'integer', (c) => c.notNull().references('appointments.id').onDelete('cascade'))
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('appointment_tickets_pk', ['appointment_id', 'ticket_id'])
    .execute();
  await db.schema.createIndex('appointment_tickets_ticket').on('appointment_tickets').column('ticket_id').execute();

  await db.schema
    .createTable('calendar_feed_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('calendar_id', 'integer', (c) => c.notNull().references('calendars.id').onDelete('cascade'))
    .addColumn('agent_id', 'integer', (c) => c.notNull().references('agents.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('calendar_feed_tokens_one', ['calendar_id', 'agent_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('calendar_feed_tokens').execute();
  await db.schema.dropTable('appointment_tickets').execute();
  await db.schema.dropTable('appointments').execute();
  await db.schema.dropTable('ticket_appointment_rules').execute();
  await db.schema.dropTable('calendars').execute();
}
