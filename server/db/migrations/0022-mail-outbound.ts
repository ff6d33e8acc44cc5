/**
 * Outgoing mail (issue 16): the mail log (one row per Message-ID, written when the mail is queued
 * and updated by the job that sends it: where it went, the server's answer, the raw message as
 * sent), admin-managed mail texts (answer templates, salutations and signatures with OTRS tags or
 * `{{ticket.…}}` templates) and each queue's mail settings (its system address for From, its
 * salutation and signature).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('mail_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('message_id', 'text', (c) => c.notNull().unique())
    .addColumn('job_id', 'bigint')
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'integer', (c) => c.references('tickets.id').onDelete('set null'))
    .addColumn('article_id', 'integer', (c) => c.references('articles.id').onDelete('set null'))
    .addColumn('from_addr', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('to_addr', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('cc_addr', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('bcc_addr', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('subject', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('queued').check(sql`status in ('queued', 'retrying', 'sent', 'written', 'failed')`))
    .addColumn('transport', 'text')
    .addColumn('answer', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('file', 'text')
    .addColumn('raw', 'bytea')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mail_log_article').on('mail_log').column('article_id').execute();
  await db.schema.createIndex('mail_log_ticket').on('mail_log').column('ticket_id').execute();
  await db.schema.createIndex('mail_log_created').on('mail_log').column('created_at').execute();

  await db.schema
    .createTable('mail_texts')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('template', 'salutation', 'signature')`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull().defaultTo('text/plain').check(sql`content_type in ('text/plain', 'text/html')`))
    .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('valid', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('mail_texts_kind_name', ['kind', 'name'])
    .execute();

  await db.schema
    .createTable('queue_mail_settings')
    .addColumn('queue_id', 'integer', (c) => c.primaryKey().references('queues.id').onDelete('cascade'))
    .addColumn('system_address', 'text')
    .addColumn('salutation_id', 'integer', (c) => c.references('mail_texts.id').onDelete('set null'))
    .addColumn('signature_id', 'integer', (c) => c.references('mail_texts.id').onDelete('set null'))
    .execute();

  // Shipped texts, as OTRS ships "system standard salutation" and "system standard signature".
  await db
    .insertInto('mail_texts')
    .values([
      { kind: 'salutation', name: 'system standard salutation', body: 'Dear <OTRS_CUSTOMER_REALNAME>,\n\nthank you for your request.\n', comment: 'shipped' },
      { kind: 'signature', name: 'system standard signature', body: '\n--\n<OTRS_AGENT_UserFirstname> <OTRS_AGENT_UserLastname>\n<OTRS_TICKET_Queue>\n', comment: 'shipped' },
    ])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('queue_mail_settings').execute();
  await db.schema.dropTable('mail_texts').execute();
  await db.schema.dropTable('mail_log').execute();
}
