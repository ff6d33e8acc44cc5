/**
 * Inbound mail (issue 16): every article's `message_id` (received mails here, sent ones by the
 * outbound side) with an index for follow-up detection by `In-Reply-To`/`References`; a `flag` on
 * articles (`unexpected-sender`: a follow-up from someone outside the thread); the raw source of
 * received mails ("plain view"); system addresses (recipient → queue); mail accounts fetched by
 * IMAP/POP3 and the messages already fetched from them; postmaster filters; auto responses per
 * queue; problem mails (kept raw with the reason); and the log of received mails, which the
 * per-sender limit counts. A queue's follow-up option gains `new_ticket`.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const now = sql`now()`;
  await db.schema.alterTable('articles').addColumn('message_id', 'text').addColumn('flag', 'text').execute();
  await db.schema.createIndex('articles_message_id').on('articles').column('message_id').where(sql.ref('message_id'), 'is not', null).execute();

  await db.schema
    .createTable('article_sources')
    .addColumn('article_id', 'integer', (c) => c.primaryKey().references('articles.id').onDelete('cascade'))
    .addColumn('raw', 'bytea', (c) => c.notNull())
    .execute();

  await sql`alter table queues drop constraint if exists queues_follow_up_check`.execute(db);
  await sql`alter table queues add constraint queues_follow_up_check check (follow_up in ('possible', 'reject', 'new_ticket'))`.execute(db);

  await db.schema
    .createTable('system_addresses')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('address', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('queue_id', 'integer', (c) => c.notNull().references('queues.id').onDelete('cascade'))
    .addColumn('valid', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable('mail_accounts')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('protocol', 'text', (c) => c.notNull().check(sql`protocol in ('imap', 'pop3')`))
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('port', 'integer', (c) => c.notNull())
    .addColumn('tls', 'text', (c) => c.notNull().check(sql`tls in ('none', 'starttls', 'tls')`))
    .addColumn('login', 'text', (c) => c.notNull())
    .addColumn('secret', 'text')
    .addColumn('folder', 'text', (c) => c.notNull().defaultTo('INBOX'))
    .addColumn('keep', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('queue_id', 'integer', (c) => c.references('queues.id').onDelete('set null'))
    .addColumn('interval_seconds', 'integer', (c) => c.notNull().defaultTo(300))
    .addColumn('allow_list', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('valid', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('last_fetch_at', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createTable('mail_fetched')
    .addColumn('account_id', 'integer', (c) => c.notNull().references('mail_accounts.id').onDelete('cascade'))
    .addColumn('uid', 'text', (c) => c.notNull())
    .addColumn('fetched_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('mail_fetched_pk', ['account_id', 'uid'])
    .execute();

  await db.schema
    .createTable('postmaster_filters')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('matches', 'jsonb', (c) => c.notNull())
    .addColumn('actions', 'jsonb', (c) => c.notNull())
    .addColumn('stop', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('valid', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable('auto_responses')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('queue_id', 'integer', (c) => c.notNull().references('queues.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('new', 'follow_up', 'reject')`))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('valid', 'boolean', (c) => c.notNull().defaultTo(true))
    .addUniqueConstraint('auto_responses_queue_kind', ['queue_id', 'kind'])
    .execute();

  await db.schema
    .createTable('problem_mails')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('raw', 'bytea', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('from_addr', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('subject', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('message_id', 'text')
    .addColumn('queue_id', 'integer', (c) => c.references('queues.id').onDelete('set null'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('new').check(sql`status in ('new', 'reprocessed')`))
    .addColumn('ticket_id', 'integer', (c) => c.references('tickets.id').onDelete('set null'))
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('reprocessed_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('problem_mails_received').on('problem_mails').column('received_at').execute();

  await db.schema
    .createTable('mail_received')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('from_addr', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'integer', (c) => c.references('tickets.id').onDelete('set null'))
    .addColumn('article_id', 'integer', (c) => c.references('articles.id').onDelete('set null'))
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex('mail_received_sender').on('mail_received').columns(['from_addr', 'received_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['mail_received', 'problem_mails', 'auto_responses', 'postmaster_filters', 'mail_fetched', 'mail_accounts', 'system_addresses', 'article_sources']) {
    await db.schema.dropTable(t).execute();
  }
  await sql`update queues set follow_up = 'possible' where follow_up = 'new_ticket'`.execute(db);
  await sql`alter table queues drop constraint if exists queues_follow_up_check`.execute(db);
  await sql`alter table queues add constraint queues_follow_up_check check (follow_up in ('possible', 'reject'))`.execute(db);
  await db.schema.dropIndex('articles_message_id').execute();
  await db.schema.alterTable('articles').dropColumn('message_id').dropColumn('flag').execute();
}
