/**
 * Notifications (issue 16): `notifications` holds the web notifications of agents and customer users
 * (the bell: unread until `read_at` is set), and `notification_templates` the administrators'
 * overrides of the shipped notification templates per event (subject, body, recipients, on/off; an
 * event without a row uses the default defined in code). Queues get OTRS's unlock timeout: minutes
 * after which a locked ticket nobody changed is unlocked again (null: never).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('recipient_kind', 'text', (c) => c.notNull().check(sql`recipient_kind in ('agent', 'customer')`))
    .addColumn('recipient_id', 'integer', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'integer', (c) => c.references('tickets.id').onDelete('cascade'))
    .addColumn('article_id', 'integer', (c) => c.references('articles.id').onDelete('set null'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('read_at', 'timestamptz')
    .execute();
  await sql`create index notifications_recipient on notifications (recipient_kind, recipient_id, id desc)`.execute(db);
  await sql`create index notifications_unread on notifications (recipient_kind, recipient_id) where read_at is null`.execute(db);
  await db.schema.createIndex('notifications_ticket').on('notifications').column('ticket_id').execute();

  await db.schema
    .createTable('notification_templates')
    .addColumn('event', 'text', (c) => c.primaryKey())
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('recipients', 'jsonb', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('changed_by', 'integer', (c) => c.references('agents.id').onDelete('set null'))
    .execute();

  await db.schema.alterTable('queues').addColumn('unlock_timeout', 'integer', (c) => c.check(sql`unlock_timeout > 0`)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('queues').dropColumn('unlock_timeout').execute();
  await db.schema.dropTable('notification_templates').execute();
  await db.schema.dropTable('notifications').execute();
}
