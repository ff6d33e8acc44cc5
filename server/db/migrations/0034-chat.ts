/**
 * Chat (issue 24): `chat_channels` (rooms with a permission group whose `ro` members see their
 * chats; one default channel), `chat_availability` (per agent: not available / internal / internal
 * and external, online or away, "my chat channels"), `chats` (who started it: an agent, a customer
 * user or a public visitor; request → active → closed; the ticket it became), `chat_participants`
 * (agents in a chat, invited or joined, with their read position) and `chat_messages` (sanitised
 * HTML and its text; the id orders a chat and lets a client ask for what it missed).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('chat_channels')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('group_id', 'integer', (c) => c.notNull().references('groups.id'))
    .addColumn('is_default', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('valid', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index chat_channels_one_default on chat_channels (is_default) where is_default`.execute(db);
  // The default channel belongs to the `users` group every agent of a fresh install is in.
  const users = await sql<{ id: number }>`select id from groups where name = 'users'`.execute(db);
  const group = users.rows[0]?.id ?? (await sql<{ id: number }>`select min(id) as id from groups`.execute(db)).rows[0]?.id;
  if (group != null) await sql`insert into chat_channels (name, group_id, is_default) values ('Default', ${group}, true)`.execute(db);

  await db.schema
    .createTable('chat_availability')
    .addColumn('agent_id', 'integer', (c) => c.primaryKey().references('agents.id').onDelete('cascade'))
    .addColumn('availability', 'text', (c) => c.notNull().defaultTo('unavailable').check(sql`availability in ('unavailable', 'internal', 'external')`))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('online').check(sql`status in ('online', 'away')`))
    .addColumn('channel_ids', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('chats')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('channel_id', 'integer', (c) => c.references('chat_channels.id'))
    .addColumn('origin', 'text', (c) => c.notNull().check(sql`origin in ('agent', 'customer', 'public')`))
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('request', 'active', 'closed')`))
    .addColumn('topic', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by_agent_id', 'integer', (c) => c.references('agents.id').onDelete('set null'))
    .addColumn('customer_user_id', 'integer', (c) => c.references('customer_users.id').onDelete('cascade'))
    .addColumn('visitor_name', 'text')
    .addColumn('visitor_email', 'text')
    .addColumn('visitor_token_hash', 'text')
    .addColumn('remote_addr', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('en'))
    .addColumn('customer_last_read_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('ticket_id', 'integer', (c) => c.references('tickets.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('accepted_at', 'timestamptz')
    .addColumn('closed_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('chats_state_channel').on('chats').columns(['state', 'channel_id']).execute();
  await db.schema.createIndex('chats_customer').on('chats').column('customer_user_id').execute();
  await db.schema.createIndex('chats_remote_addr').on('chats').columns(['remote_addr', 'created_at']).execute();

  await db.schema
    .createTable('chat_participants')
    .addColumn('chat_id', 'integer', (c) => c.notNull().references('chats.id').onDelete('cascade'))
    .addColumn('agent_id', 'integer', (c) => c.notNull().references('agents.id').onDelete('cascade'))
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('invited', 'joined', 'left')`))
    .addColumn('last_read_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('joined_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('chat_participants_pk', ['chat_id', 'agent_id'])
    .execute();
  await db.schema.createIndex('chat_participants_agent').on('chat_participants').column('agent_id').execute();

  await db.schema
    .createTable('chat_messages')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('chat_id', 'integer', (c) => c.notNull().references('chats.id').onDelete('cascade'))
    .addColumn('sender', 'text', (c) => c.notNull().check(sql`sender in ('agent', 'customer', 'visitor', 'system')`))
    .addColumn('agent_id', 'integer', (c) => c.references('agents.id').onDelete('set null'))
    .addColumn('sender_name', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('body_text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('chat_messages_chat').on('chat_messages').columns(['chat_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['chat_messages', 'chat_participants', 'chats', 'chat_availability', 'chat_channels']) await db.schema.dropTable(t).execute();
}
