/**
 * The helpdesk core: services and SLAs, tickets (with a per-day number counter), articles and
 * attachments, read flags, watchers, links, history, time accounting, dynamic fields and their
 * values, and the per-ticket full-text document (tsvector + pg_trgm). Frozen in time.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const now = sql`now()`;
  // pg_trgm lives in `public` so every schema (tests use one per file) shares the one installation.
  await sql`create extension if not exists pg_trgm with schema public`.execute(db);

  await db.schema
    .alterTable('customer_users')
    .addColumn('can_see_company_tickets', 'boolean', (c) => c.notNull().defaultTo(true))
    .execute();

  for (const table of ['services']) {
    await db.schema
      .createTable(table)
      .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('valid', 'boolean', (c) => c.notNull().defaultTo(true))
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .execute();
  }
  await db.schema
    .createTable('slas')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('first_response_minutes', 'integer')
    .addColumn('update_minutes', 'integer')
    .addColumn('solution_minutes', 'integer')
    .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('valid', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable('ticket_counters')
    .addColumn('day', 'text', (c) => c.primaryKey())
    .addColumn('counter', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('tickets')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('tn', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('queue_id', 'integer', (c) => c.notNull().references('queues.id'))
    .addColumn('state_id', 'integer', (c) => c.notNull().references('states.id'))
    .addColumn('priority_id', 'integer', (c) => c.notNull().references('priorities.id'))
    .addColumn('type_id', 'integer', (c) => c.notNull().references('ticket_types.id'))
    .addColumn('service_id', 'integer', (c) => c.references('services.id'))
    .addColumn('sla_id', 'integer', (c) => c.references('slas.id'))
    .addColumn('locked', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('owner_id', 'integer', (c) => c.references('agents.id'))
    .addColumn('responsible_id', 'integer', (c) => c.references('agents.id'))
    .addColumn('customer_id', 'text')
    .addColumn('customer_user_id', 'integer', (c) => c.references('customer_users.id'))
    .addColumn('pending_until', 'timestamptz')
    .addColumn('archived', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('merged_into_id', 'integer', (c) => c.references('tickets.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('created_by_agent_id', 'integer', (c) => c.references('agents.id'))
    .addColumn('created_by_customer_user_id', 'integer', (c) => c.references('customer_users.id'))
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  for (const col of ['queue_id', 'state_id', 'priority_id', 'owner_id', 'responsible_id', 'customer_id', 'customer_user_id', 'created_at', 'changed_at']) {
    await db.schema.createIndex(`tickets_${col}`).on('tickets').column(col).execute();
  }
  await db.schema.createIndex('tickets_queue_state').on('tickets').columns(['queue_id', 'state_id', 'id']).execute();

  await db.schema
    .createTable('articles')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('email', 'phone', 'note', 'portal', 'chat', 'internal')`))
    .addColumn('sender_type', 'text', (c) => c.notNull().check(sql`sender_type in ('agent', 'customer', 'system')`))
    .addColumn('direction', 'text', (c) => c.notNull().check(sql`direction in ('incoming', 'outgoing', 'internal')`))
    .addColumn('visible_for_customer', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('from_addr', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('to_addr', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('cc_addr', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('subject', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('body_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('body_html', 'text')
    .addColumn('important', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('time_units', 'numeric', (c) => c.notNull().defaultTo(0))
    .addColumn('original_ticket_id', 'integer', (c) => c.references('tickets.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('created_by_agent_id', 'integer', (c) => c.references('agents.id'))
    .addColumn('created_by_customer_user_id', 'integer', (c) => c.references('customer_users.id'))
    .execute();
  await db.schema.createIndex('articles_ticket').on('articles').columns(['ticket_id', 'id']).execute();

  await db.schema
    .createTable('attachments')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content', 'bytea', (c) => c.notNull())
    .addColumn('inline', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('content_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint('attachments_article_position', ['article_id', 'position'])
    .execute();

  await db.schema
    .createTable('article_flags')
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('agent_id', 'integer', (c) => c.notNull().references('agents.id').onDelete('cascade'))
    .addColumn('seen_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('article_flags_pk', ['article_id', 'agent_id'])
    .execute();
  await db.schema.createIndex('article_flags_agent').on('article_flags').column('agent_id').execute();

  await db.schema
    .createTable('ticket_watchers')
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('agent_id', 'integer', (c) => c.notNull().references('agents.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('ticket_watchers_pk', ['ticket_id', 'agent_id'])
    .execute();
  await db.schema.createIndex('ticket_watchers_agent').on('ticket_watchers').column('agent_id').execute();

  await db.schema
    .createTable('ticket_links')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('source_ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('target_ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('normal', 'parent-child')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('created_by_agent_id', 'integer', (c) => c.references('agents.id'))
    .addUniqueConstraint('ticket_links_unique', ['source_ticket_id', 'target_ticket_id', 'type'])
    .addCheckConstraint('ticket_links_not_self', sql`source_ticket_id <> target_ticket_id`)
    .execute();
  await db.schema.createIndex('ticket_links_target').on('ticket_links').column('target_ticket_id').execute();

  await db.schema
    .createTable('ticket_history')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('article_id', 'integer', (c) => c.references('articles.id').onDelete('set null'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('field', 'text')
    .addColumn('old_value', 'text')
    .addColumn('new_value', 'text')
    .addColumn('message', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('data', 'jsonb')
    .addColumn('actor_kind', 'text', (c) => c.notNull().check(sql`actor_kind in ('agent', 'customer', 'system')`))
    .addColumn('actor_id', 'integer')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex('ticket_history_ticket').on('ticket_history').columns(['ticket_id', 'id']).execute();

  await db.schema
    .createTable('dynamic_fields')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('field_type', 'text', (c) =>
      c.notNull().check(sql`field_type in ('text', 'textarea', 'dropdown', 'multiselect', 'checkbox', 'date', 'datetime', 'integer')`),
    )
    .addColumn('object_type', 'text', (c) => c.notNull().check(sql`object_type in ('ticket', 'article')`))
    .addColumn('config', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('internal', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('field_order', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('valid', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable('dynamic_field_values')
    .addColumn('field_id', 'integer', (c) => c.notNull().references('dynamic_fields.id').onDelete('cascade'))
    .addColumn('object_id', 'integer', (c) => c.notNull())
    .addColumn('value', 'jsonb', (c) => c.notNull())
    .addColumn('value_text', 'text')
    .addColumn('value_num', 'numeric')
    .addColumn('value_date', 'timestamptz')
    .addPrimaryKeyConstraint('dynamic_field_values_pk', ['field_id', 'object_id'])
    .execute();
  await db.schema.createIndex('dfv_text').on('dynamic_field_values').columns(['field_id', 'value_text']).execute();
  await db.schema.createIndex('dfv_num').on('dynamic_field_values').columns(['field_id', 'value_num']).execute();
  await db.schema.createIndex('dfv_date').on('dynamic_field_values').columns(['field_id', 'value_date']).execute();
  await db.schema.createIndex('dfv_object').on('dynamic_field_values').column('object_id').execute();

  await db.schema
    .createTable('ticket_search')
    .addColumn('ticket_id', 'integer', (c) => c.primaryKey().references('tickets.id').onDelete('cascade'))
    .addColumn('document', sql`tsvector`, (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .execute();
  await sql`create index ticket_search_document on ticket_search using gin (document)`.execute(db);
  await sql`create index ticket_search_content_trgm on ticket_search using gin (content public.gin_trgm_ops)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'ticket_search', 'dynamic_field_values', 'dynamic_fields', 'ticket_history', 'ticket_links', 'ticket_watchers',
    'article_flags', 'attachments', 'articles', 'tickets', 'ticket_counters', 'slas', 'services',
  ]) {
    await db.schema.dropTable(t).execute();
  }
  await db.schema.alterTable('customer_users').dropColumn('can_see_company_tickets').execute();
}
