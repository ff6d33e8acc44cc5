/**
 * The process engine's tables: the script library (names with immutable versions), process
 * instances (one root instance per ticket at most), their own log, and the job table that script
 * runs (and later service calls, timers, mail) go through, claimed with `FOR UPDATE SKIP LOCKED`.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const now = sql`now()`;
  await db.schema
    .createTable('scripts')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('latest_version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('created_by', 'integer', (c) => c.references('agents.id').onDelete('set null'))
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createTable('script_versions')
    .addColumn('name', 'text', (c) => c.notNull().references('scripts.name').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('created_by', 'integer', (c) => c.references('agents.id').onDelete('set null'))
    .addPrimaryKeyConstraint('script_versions_pk', ['name', 'version'])
    .execute();

  await db.schema
    .createTable('process_instances')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('process_key', 'text', (c) => c.notNull())
    .addColumn('process_version', 'integer', (c) => c.notNull())
    .addColumn('parent_instance_id', 'integer', (c) => c.references('process_instances.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('running', 'incident', 'completed', 'cancelled')`))
    .addColumn('state', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('completed_at', 'timestamptz')
    .addForeignKeyConstraint('process_instances_version_fk', ['process_key', 'process_version'], 'process_versions', ['key', 'version'])
    .execute();
  await sql`create unique index process_instances_root_ticket on process_instances (ticket_id) where parent_instance_id is null`.execute(db);
  await db.schema.createIndex('process_instances_status').on('process_instances').columns(['status', 'process_key']).execute();

  await db.schema
    .createTable('process_instance_log')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('instance_id', 'integer', (c) => c.notNull().references('process_instances.id').onDelete('cascade'))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('node', 'text')
    .addColumn('transition', 'text')
    .addColumn('message', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('data', 'jsonb')
    .addColumn('actor', 'text')
    .execute();
  await db.schema.createIndex('process_instance_log_instance').on('process_instance_log').columns(['instance_id', 'id']).execute();

  await db.schema
    .createTable('jobs')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('instance_id', 'integer', (c) => c.references('process_instances.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('ready').check(sql`status in ('ready', 'running', 'done', 'failed')`))
    .addColumn('run_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(5))
    .addColumn('lease_until', 'timestamptz')
    .addColumn('locked_by', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('finished_at', 'timestamptz')
    .execute();
  // Claiming scans ready jobs by due time, and running jobs by lease expiry.
  await sql`create index jobs_claim on jobs (run_at) where status = 'ready'`.execute(db);
  await sql`create index jobs_lease on jobs (lease_until) where status = 'running'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['jobs', 'process_instance_log', 'process_instances', 'script_versions', 'scripts']) await db.schema.dropTable(t).execute();
}
