/**
 * Ticket lists sort by creation or change time with the id as tie-break, and continue after a
 * cursor with `(created_at, id) < ($1, $2)`: composite indexes let that seek straight to the next
 * page at any depth. They replace the single-column indexes of 0003, which they cover.
 * Frozen in time.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  for (const col of ['created_at', 'changed_at']) {
    await db.schema.createIndex(`tickets_${col}_id`).on('tickets').columns([col, 'id']).execute();
    await db.schema.dropIndex(`tickets_${col}`).execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const col of ['created_at', 'changed_at']) {
    await db.schema.createIndex(`tickets_${col}`).on('tickets').column(col).execute();
    await db.schema.dropIndex(`tickets_${col}_id`).execute();
  }
}
