/**
 * Outbound web services (issue 7): the remote systems service tasks and ExecuteInvoker actions call,
 * by name. The auth secret (basic password, bearer token, API key) is stored encrypted (AES-256-GCM,
 * see `server/outbound/secrets.ts`); operations, default headers and the allow-list are JSON.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const now = sql`now()`;
  await db.schema
    .createTable('outbound_services')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('base_url', 'text', (c) => c.notNull())
    .addColumn('auth_kind', 'text', (c) => c.notNull().defaultTo('none').check(sql`auth_kind in ('none', 'basic', 'bearer', 'apiKey')`))
    .addColumn('auth_user', 'text')
    .addColumn('auth_header', 'text')
    .addColumn('secret', 'text')
    .addColumn('headers', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('timeout_ms', 'integer', (c) => c.notNull().defaultTo(10_000))
    .addColumn('retries', 'integer', (c) => c.notNull().defaultTo(3))
    .addColumn('allow_list', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('operations', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('max_response_bytes', 'integer', (c) => c.notNull().defaultTo(1_048_576))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('created_by', 'integer', (c) => c.references('agents.id').onDelete('set null'))
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('changed_by', 'integer', (c) => c.references('agents.id').onDelete('set null'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('outbound_services').execute();
}
