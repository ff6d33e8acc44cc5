/**
 * Languages (issue 25): a customer user's chosen interface language (`customer_users.language`,
 * null: the browser's), and notification texts per language (`notification_template_texts`: an
 * administrator's subject and body of an event in one language, over the shipped text of that
 * language). Agents keep their language in `agent_preferences` (key `language`).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('customer_users').addColumn('language', 'text').execute();
  await db.schema
    .createTable('notification_template_texts')
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('changed_by', 'integer', (c) => c.references('agents.id').onDelete('set null'))
    .addPrimaryKeyConstraint('notification_template_texts_pk', ['event', 'language'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('notification_template_texts').execute();
  await db.schema.alterTable('customer_users').dropColumn('language').execute();
}
