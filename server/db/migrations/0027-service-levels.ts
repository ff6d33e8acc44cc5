/**
 * Service levels and time (issue 20): business calendars (IANA time zone, working ranges per
 * weekday, holidays; one may be the default), assigned per SLA and per queue; SLAs get notify
 * percentages, their services, conditions that select them for tickets without an explicit SLA, and
 * whether the portal may show "we answer by"; tickets get their escalation state (the three
 * deadlines, the earliest as `escalation_at`, and what the clocks need) with partial indexes for
 * the escalation scans; `ticket_escalation_notices` records each warning/escalation notice sent, so
 * that it goes out once however many processes look.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('business_calendars')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('UTC'))
    .addColumn('week', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('holidays', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('is_default', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('valid', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // OTOBO's shipped working hours (TimeWorkingHours): Monday to Friday, 08:00–20:00.
  const day = [{ from: '08:00', to: '20:00' }];
  await db
    .insertInto('business_calendars')
    .values({ name: 'Standard', time_zone: 'UTC', week: JSON.stringify({ 1: day, 2: day, 3: day, 4: day, 5: day }), is_default: true, comment: 'Monday to Friday, 08:00–20:00 UTC' })
    .execute();

  await db.schema
    .alterTable('slas')
    .addColumn('calendar_id', 'integer', (c) => c.references('business_calendars.id').onDelete('set null'))
    .addColumn('first_response_notify', 'integer', (c) => c.check(sql`first_response_notify between 1 and 99`))
    .addColumn('update_notify', 'integer', (c) => c.check(sql`update_notify between 1 and 99`))
    .addColumn('solution_notify', 'integer', (c) => c.check(sql`solution_notify between 1 and 99`))
    .addColumn('service_ids', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('conditions', 'jsonb')
    .addColumn('portal_visible', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  await db.schema.alterTable('queues').addColumn('calendar_id', 'integer', (c) => c.references('business_calendars.id').onDelete('set null')).execute();

  await db.schema
    .alterTable('tickets')
    .addColumn('escalation_sla_id', 'integer', (c) => c.references('slas.id').onDelete('set null'))
    .addColumn('first_response_at', 'timestamptz')
    .addColumn('first_response_due', 'timestamptz')
    .addColumn('update_due', 'timestamptz')
    .addColumn('update_base', 'timestamptz')
    .addColumn('update_since', 'timestamptz')
    .addColumn('update_used_seconds', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('solution_due', 'timestamptz')
    .addColumn('solved_at', 'timestamptz')
    .addColumn('escalation_at', 'timestamptz')
    .addColumn('escalation_notify_at', 'timestamptz')
    .execute();
  await sql`create index tickets_escalation_at on tickets (escalation_at, id) where escalation_at is not null`.execute(db);
  await sql`create index tickets_escalation_notify_at on tickets (escalation_notify_at, id) where escalation_notify_at is not null`.execute(db);

  await db.schema
    .createTable('ticket_escalation_notices')
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('firstResponse', 'update', 'solution')`))
    .addColumn('level', 'text', (c) => c.notNull().check(sql`level in ('warning', 'escalation')`))
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('ticket_escalation_notices_pk', ['ticket_id', 'kind', 'level', 'due_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('ticket_escalation_notices').execute();
  await sql`drop index tickets_escalation_notify_at`.execute(db);
  await sql`drop index tickets_escalation_at`.execute(db);
  await db.schema
    .alterTable('tickets')
    .dropColumn('escalation_sla_id').dropColumn('first_response_at').dropColumn('first_response_due').dropColumn('update_due').dropColumn('update_base')
    .dropColumn('update_since').dropColumn('update_used_seconds').dropColumn('solution_due').dropColumn('solved_at')
    .dropColumn('escalation_at').dropColumn('escalation_notify_at')
    .execute();
  await db.schema.alterTable('queues').dropColumn('calendar_id').execute();
  await db.schema
    .alterTable('slas')
    .dropColumn('calendar_id').dropColumn('first_response_notify').dropColumn('update_notify').dropColumn('solution_notify')
    .dropColumn('service_ids').dropColumn('conditions').dropColumn('portal_visible')
    .execute();
  await db.schema.dropTable('business_calendars').execute();
}
