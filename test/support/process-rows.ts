/**
 * Puts a process straight into the tables as an active version 1, without the API, for set-ups
 * that have no admin session or that must not count the deploy (the durability test, benchmarks).
 */
import type { Database } from '../../server/db/index';

/**
 * Inserts `doc` as process `doc.key` with version 1 active, deployed at `at`.
 *
 * @example
 * await insertActiveProcess(database.db, scriptOnly);
 */
export async function insertActiveProcess(db: Database['db'], doc: { key: string; name: string }, at = new Date()): Promise<void> {
  await db.insertInto('processes').values({ key: doc.key, name: doc.name, draft: null, created_at: at, created_by: null }).execute();
  await db.insertInto('process_versions')
    .values({ key: doc.key, version: 1, name: doc.name, definition: JSON.stringify({ ...doc, version: 1 }), state: 'active', checksum: 'test', deployed_at: at, deployed_by: null })
    .execute();
}
