/**
 * Speed for the knowledge base (issue 21) at 100,000 articles:
 * - an article's search document (`kb_articles.document`, the tsvector the GIN index answers) and
 *   its plain text (`content`, which wildcard patterns read) are kept in the row (storage MAIN), so
 *   checking and ranking a candidate reads one heap page instead of the TOAST table (the HTML
 *   sections move out first); existing rows are rewritten to follow;
 * - newest-first lists walk an index on (changed_at, id) instead of sorting every readable article.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table kb_articles alter column document set storage main, alter column content set storage main`.execute(db);
  // A changed value is stored anew under the new storage (an unchanged one keeps its TOAST pointer).
  await sql`update kb_articles set document = document || ''::tsvector, content = content || ''`.execute(db);
  await sql`create index kb_articles_changed on kb_articles (changed_at desc, id desc)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index kb_articles_changed`.execute(db);
  await sql`alter table kb_articles alter column document set storage extended, alter column content set storage extended`.execute(db);
}
