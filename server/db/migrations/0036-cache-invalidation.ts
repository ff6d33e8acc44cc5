/**
 * Cache invalidation across server processes. Each server keeps rarely-changing rows in memory
 * (API token → agent, agents, group permissions, catalogue entries by name: `server/db/table-changes.ts`).
 * A statement-level trigger on each of those tables sends `NOTIFY helpdesk_table_changes` with
 * `<schema>.<table>` — delivered at commit, to every process that LISTENs — so each drops what it
 * holds of that table, however the change was made (API, CLI, psql). Marking an API token used
 * (`last_used_at`) is not a change worth announcing. Frozen here: the table list as of this migration.
 */
import { sql, type Kysely } from 'kysely';

const TABLES = [
  'agents', 'agent_groups', 'agent_roles', 'role_groups', 'roles', 'groups',
  'queues', 'states', 'state_types', 'priorities', 'ticket_types', 'services', 'slas',
];

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create or replace function helpdesk_table_changed() returns trigger language plpgsql as $$
    begin
      perform pg_notify('helpdesk_table_changes', current_schema() || '.' || tg_table_name);
      return null;
    end $$`.execute(db);
  for (const t of TABLES) {
    await sql`create trigger ${sql.raw(`${t}_changed`)} after insert or update or delete or truncate on ${sql.table(t)}
      for each statement execute function helpdesk_table_changed()`.execute(db);
  }
  await sql`create trigger api_tokens_changed after insert or delete or update of agent_id, token_hash, expires_at, revoked_at on api_tokens
    for each statement execute function helpdesk_table_changed()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [...TABLES, 'api_tokens']) await sql`drop trigger if exists ${sql.raw(`${t}_changed`)} on ${sql.table(t)}`.execute(db);
  await sql`drop function if exists helpdesk_table_changed()`.execute(db);
}
