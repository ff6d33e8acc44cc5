/**
 * Open user tasks as rows (issue 9): one row per token waiting at a user task, written by the
 * `openUserTask` / `closeUserTask` effect handlers (`server/engine/effects/user-tasks.ts`), so
 * "the open dialogs assigned to me" is an indexed lookup instead of a scan of every instance's
 * state. The assignment is stored as the engine resolved it (templates rendered): an agent login,
 * a role name, a queue name, each optional. Rows go with their instance (cascade).
 *
 * Instances already waiting at a user task when this runs get their rows from their state and
 * their version's definition (`backfillUserTasks`); an assignment part that is a template
 * (`{{ticket.owner}}`) cannot be rendered in SQL and is left empty, so such a task shows for the
 * ticket's owner and responsible until it is opened again.
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
  await backfillUserTasks(db);
}

/**
 * Inserts the rows of every running instance's tokens that wait for a dialog (existing rows stay).
 *
 * @example
 * await backfillUserTasks(db); // after 0015 created the table on a database with running instances
 */
export async function backfillUserTasks(db: Kysely<any>): Promise<void> {
  const plain = (part: string) => sql.raw(`nullif(case when n.node->'assign'->>'${part}' like '%{{%' then null else btrim(n.node->'assign'->>'${part}') end, '')`);
  await sql`
    insert into process_user_tasks (instance_id, token, node, ticket_id, name, interfaces, assign_agent, assign_role, assign_queue, opened_at)
    select i.id, tok->>'id', tok->>'nodeId', i.ticket_id, n.node->>'name',
           array(select jsonb_array_elements_text(n.node->'dialog'->'interfaces')
                 union select jsonb_array_elements_text(d->'interfaces') from jsonb_array_elements(coalesce(n.node->'alternativeDialogs', '[]'::jsonb)) d),
           ${plain('agent')}, ${plain('role')}, ${plain('queue')},
           to_timestamp(0) + ((tok->>'since')::bigint / 1000) * interval '1 second' + ((tok->>'since')::bigint % 1000) * interval '1 millisecond'
      from process_instances i
      join process_versions v on v.key = i.process_key and v.version = i.process_version
      cross join lateral jsonb_array_elements(i.state->'tokens') tok
      cross join lateral (select x as node from jsonb_array_elements(v.definition->'nodes') x where x->>'id' = tok->>'nodeId' and x->>'type' = 'userTask') n
     where i.status in ('running', 'incident') and tok->>'wait' = 'dialog'
    on conflict (instance_id, token, node) do nothing`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('process_user_tasks').execute();
}
