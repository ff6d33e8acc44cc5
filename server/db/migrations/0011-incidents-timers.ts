/**
 * Incidents as rows (issue 7) and the lookup behind durable timers. `process_incidents` keeps every
 * incident a token ever had, open (`resolved_at` null) or resolved (how, by whom, when); each row
 * names its instance and the top-most ancestor instance (`root_instance_id`), so a child process's
 * incident shows from its parent. Resolved rows pile up (a million is expected), so the list of open
 * incidents, newest first and filtered by process, code or ticket, runs on partial indexes over open
 * rows only. Timers are jobs of kind `timer` (see `server/engine/effects/timers.ts`); the partial
 * index `jobs_timer_ready` finds an instance's pending timer by its key when it is cancelled.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('process_incidents')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('instance_id', 'integer', (c) => c.notNull().references('process_instances.id').onDelete('cascade'))
    .addColumn('root_instance_id', 'integer', (c) => c.notNull().references('process_instances.id').onDelete('cascade'))
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('process_key', 'text', (c) => c.notNull())
    .addColumn('process_version', 'integer', (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('node', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('details', 'jsonb')
    .addColumn('raised_at', 'timestamptz', (c) => c.notNull())
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('resolved_how', 'text')
    .addColumn('resolved_by', 'text')
    .execute();
  // Open incidents, newest first (ids grow with time): the default list, and its filters.
  await sql`create index process_incidents_open on process_incidents (id) where resolved_at is null`.execute(db);
  await sql`create index process_incidents_open_process on process_incidents (process_key, id) where resolved_at is null`.execute(db);
  await sql`create index process_incidents_open_code on process_incidents (code, id) where resolved_at is null`.execute(db);
  // Any status: per ticket, per instance (+ token: the effect handlers' lookup), per root instance.
  await sql`create index process_incidents_ticket on process_incidents (ticket_id, id)`.execute(db);
  await sql`create index process_incidents_instance on process_incidents (instance_id, token)`.execute(db);
  await sql`create index process_incidents_root on process_incidents (root_instance_id, id)`.execute(db);
  // A pending timer by instance and timer key (cancelTimer), without scanning the job table.
  await sql`create index jobs_timer_ready on jobs (instance_id, (payload->>'timer')) where kind = 'timer' and status = 'ready'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists jobs_timer_ready`.execute(db);
  await db.schema.dropTable('process_incidents').execute();
}
