/**
 * Child instances of call activities (issue 7): a child instance remembers the parent's token and
 * run id it answers (`childCompleted` echoes them), and parents find their children by index.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('process_instances').addColumn('parent_token', 'text').execute();
  await db.schema.alterTable('process_instances').addColumn('parent_run', 'text').execute();
  await db.schema.createIndex('process_instances_parent').on('process_instances').column('parent_instance_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('process_instances_parent').execute();
  await db.schema.alterTable('process_instances').dropColumn('parent_run').execute();
  await db.schema.alterTable('process_instances').dropColumn('parent_token').execute();
}
