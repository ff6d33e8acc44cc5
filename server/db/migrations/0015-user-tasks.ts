/**
 * Open user tasks as rows (issue 9): one row per token waiting at a user task, written by the
 * `openUserTask` / `closeUserTask` effect handlers (`server/engine/effects/user-tasks.ts`), so
 * "the open dialogs assigned to me" is an indexed lookup instead of a scan of every instance's
 * state. The assignment is stored as the engine resolved it (templates rendered): an agent login,
 * a role name, a queue name, each optional. Rows go with their instance (cascade).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('process_user_tasks')
    .addColumn('instance_id', 'integer', (c) => c.notNull().references('process_instances.id').onDelete('cascade'))
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('node', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('name', 'text')
    .addColumn('interfaces', sql`text[]`, (c) => c.notNull())
    .addColumn('assign_agent', 'text')
    .addColumn('assign_role', 'text')
    .addColumn('assign_queue', 'text')
    .addColumn('opened_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('process_user_tasks_pk', ['instance_id', 'token', 'node'])
    .execute();
  await db.schema.createIndex('process_user_tasks_agent').on('process_user_tasks').columns(['assign_agent', 'opened_at']).execute();
  await db.schema.createIndex('process_user_tasks_role').on('process_user_tasks').columns(['assign_role', 'opened_at']).execute();
  await db.schema.createIndex('process_user_tasks_queue').on('process_user_tasks').columns(['assign_queue', 'opened_at']).execute();
  await db.schema.createIndex('process_user_tasks_ticket').on('process_user_tasks').column('ticket_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('process_user_tasks').execute();
}
