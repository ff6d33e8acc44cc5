/**
 * Process definitions: one row per process key holding the editable draft (which may be invalid),
 * and immutable deployed versions (1, 2, 3 ...) each with its own state. Frozen in time.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const now = sql`now()`;
  await db.schema
    .createTable('processes')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('draft', 'jsonb')
    .addColumn('draft_changed_at', 'timestamptz')
    .addColumn('draft_changed_by', 'integer', (c) => c.references('agents.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('created_by', 'integer', (c) => c.references('agents.id'))
    .execute();

  await db.schema
    .createTable('process_versions')
    .addColumn('key', 'text', (c) => c.notNull().references('processes.key').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('definition', 'jsonb', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('active', 'inactive', 'fadeaway')`))
    .addColumn('checksum', 'text', (c) => c.notNull())
    .addColumn('deployed_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('deployed_by', 'integer', (c) => c.references('agents.id'))
    .addPrimaryKeyConstraint('process_versions_pk', ['key', 'version'])
    .execute();
  await db.schema.createIndex('process_versions_state').on('process_versions').columns(['state', 'key']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('process_versions').execute();
  await db.schema.dropTable('processes').execute();
}
