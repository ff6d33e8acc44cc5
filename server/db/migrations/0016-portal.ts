/**
 * The customer portal (issue 10): settings as key → JSON rows (`portal` holds the portal's title,
 * welcome text, logo, colours and whether self-registration is open), one-time password-reset
 * tokens (only their SHA-256 is kept; used or expired ones are refused), and a `customer_visible`
 * flag on dynamic fields: only such fields show in the portal, on new tickets and in a customer's
 * view of a ticket; and each queue's follow-up option (OTRS's "Follow up Option"): whether a
 * customer's reply to a closed ticket reopens it (`possible`, the default) or is refused (`reject`).
 *
 * Dynamic field configurations become `json` instead of `jsonb`: jsonb reorders object keys (by
 * length, then bytes), so a dropdown's possible values showed in that order instead of the
 * admin's; `json` keeps the text as written. (Rows written before keep the jsonb order.)
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'jsonb', (c) => c.notNull())
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('changed_by', 'integer', (c) => c.references('agents.id').onDelete('set null'))
    .execute();

  await db.schema
    .createTable('password_resets')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('subject_kind', 'text', (c) => c.notNull().check(sql`subject_kind in ('agent', 'customer')`))
    .addColumn('subject_id', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('password_resets_subject').on('password_resets').columns(['subject_kind', 'subject_id']).execute();

  await db.schema.alterTable('dynamic_fields').addColumn('customer_visible', 'boolean', (c) => c.notNull().defaultTo(false)).execute();
  await sql`alter table dynamic_fields alter column config drop default`.execute(db);
  await sql`alter table dynamic_fields alter column config type json using config::text::json`.execute(db);
  await sql`alter table dynamic_fields alter column config set default '{}'::json`.execute(db);
  await db.schema
    .alterTable('queues')
    .addColumn('follow_up', 'text', (c) => c.notNull().defaultTo('possible').check(sql`follow_up in ('possible', 'reject')`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('queues').dropColumn('follow_up').execute();
  await sql`alter table dynamic_fields alter column config drop default`.execute(db);
  await sql`alter table dynamic_fields alter column config type jsonb using config::jsonb`.execute(db);
  await sql`alter table dynamic_fields alter column config set default '{}'::jsonb`.execute(db);
  await db.schema.alterTable('dynamic_fields').dropColumn('customer_visible').execute();
  await db.schema.dropTable('password_resets').execute();
  await db.schema.dropTable('settings').execute();
}
