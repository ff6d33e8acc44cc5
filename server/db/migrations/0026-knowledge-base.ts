/**
 * Knowledge base (issue 21): nested categories (each with the agent group that may read it and
 * whether customers may see it), articles (state internal / external / public, sections, a
 * full-text document kept in the row), every change as a revision, attachments, links to tickets
 * and to other articles, "was this helpful" votes (one per voter) and deflected tickets.
 * Frozen in time.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('kb_categories')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('parent_id', 'integer', (c) => c.references('kb_categories.id').onDelete('restrict'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('group_id', 'integer', (c) => c.notNull().references('groups.id'))
    .addColumn('customer_visible', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('valid', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index kb_categories_name on kb_categories (coalesce(parent_id, 0), lower(name))`.execute(db);

  await db.schema
    .createTable('kb_articles')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('category_id', 'integer', (c) => c.notNull().references('kb_categories.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('keywords', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('internal', 'external', 'public')`))
    .addColumn('valid', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('en'))
    .addColumn('symptom', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('problem', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('solution', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('body', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('document', sql`tsvector`, (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('helpful_yes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('helpful_no', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'integer', (c) => c.references('agents.id').onDelete('set null'))
    .addColumn('changed_by', 'integer', (c) => c.references('agents.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`create index kb_articles_document on kb_articles using gin (document)`.execute(db);
  await sql`create index kb_articles_content_trgm on kb_articles using gin (content public.gin_trgm_ops)`.execute(db);
  await db.schema.createIndex('kb_articles_category').on('kb_articles').columns(['category_id', 'state']).execute();

  await db.schema
    .createTable('kb_revisions')
    .addColumn('article_id', 'integer', (c) => c.notNull().references('kb_articles.id').onDelete('cascade'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('snapshot', 'jsonb', (c) => c.notNull())
    .addColumn('changed_by', 'integer', (c) => c.references('agents.id').onDelete('set null'))
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addPrimaryKeyConstraint('kb_revisions_pk', ['article_id', 'revision'])
    .execute();

  await db.schema
    .createTable('kb_attachments')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('article_id', 'integer', (c) => c.notNull().references('kb_articles.id').onDelete('cascade'))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('content', 'bytea', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('inline', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('content_id', 'text')
    .execute();
  await db.schema.createIndex('kb_attachments_article').on('kb_attachments').column('article_id').execute();

  await db.schema
    .createTable('kb_links')
    .addColumn('article_id', 'integer', (c) => c.notNull().references('kb_articles.id').onDelete('cascade'))
    .addColumn('ticket_id', 'integer', (c) => c.references('tickets.id').onDelete('cascade'))
    .addColumn('target_article_id', 'integer', (c) => c.references('kb_articles.id').onDelete('cascade'))
    .addColumn('created_by', 'integer', (c) => c.references('agents.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('kb_links_one_target', sql`(ticket_id is null) <> (target_article_id is null)`)
    .execute();
  await sql`create unique index kb_links_ticket on kb_links (article_id, ticket_id) where ticket_id is not null`.execute(db);
  await sql`create unique index kb_links_article on kb_links (article_id, target_article_id) where target_article_id is not null`.execute(db);
  await sql`create index kb_links_by_ticket on kb_links (ticket_id) where ticket_id is not null`.execute(db);

  await db.schema
    .createTable('kb_votes')
    .addColumn('article_id', 'integer', (c) => c.notNull().references('kb_articles.id').onDelete('cascade'))
    .addColumn('voter', 'text', (c) => c.notNull())
    .addColumn('helpful', 'boolean', (c) => c.notNull())
    .addColumn('voted_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('kb_votes_pk', ['article_id', 'voter'])
    .execute();

  await db.schema
    .createTable('kb_deflections')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('article_id', 'integer', (c) => c.notNull().references('kb_articles.id').onDelete('cascade'))
    .addColumn('customer_user_id', 'integer', (c) => c.references('customer_users.id').onDelete('set null'))
    .addColumn('subject', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['kb_deflections', 'kb_votes', 'kb_links', 'kb_attachments', 'kb_revisions', 'kb_articles', 'kb_categories']) {
    await db.schema.dropTable(t).execute();
  }
}
