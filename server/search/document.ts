/**
 * The per-ticket full-text document: the title plus every article's subject and plain-text body,
 * as a `simple` tsvector (no stemming, so the query syntax means what it says) and as plain text
 * for trigram matching of wildcards. Call `refreshTicketSearch` in the same transaction as any
 * change to a ticket's title or articles (create, add article, merge, split).
 *
 * Customer users must not find a ticket by words of its internal articles, so their searches use
 * `customerDocument`: the same document built on the fly from the articles visible to customers.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../db/schema';

/**
 * At most this many characters of a ticket's article text are indexed. On PGlite the database runs
 * on the server's event loop, and a ticket's document is rebuilt on every article: the cap bounds
 * that work (and keeps the tsvector under PostgreSQL's 1 MB limit for ordinary text).
 */
export const SEARCH_TEXT_MAX_CHARS = 512 * 1024;

/** The articles' text, oldest first, of the articles `a` of ticket `t` (an aggregate), capped. */
const articleText = sql`left(string_agg(left(a.subject || ' ' || a.body_text, ${sql.lit(SEARCH_TEXT_MAX_CHARS)}), ' ' order by a.id), ${sql.lit(SEARCH_TEXT_MAX_CHARS)})`;

/** The tsvector and content of a ticket from its title and its articles' aggregated text. */
function documentOf(title: RawBuilder<unknown>, text: RawBuilder<unknown>) {
  return {
    document: sql`setweight(to_tsvector('simple', ${title}), 'A') || to_tsvector('simple', coalesce(${text}, ''))`,
    content: sql<string>`${title} || ' ' || coalesce(${text}, '')`,
  };
}

/** Rebuilds the search document of the given tickets from their current title and articles. */
export async function refreshTicketSearch(db: Kysely<DB>, ticketIds: number[]): Promise<void> {
  if (!ticketIds.length) return;
  const doc = documentOf(sql`t.title`, sql`a.txt`);
  await sql`
    insert into ticket_search (ticket_id, document, content)
    select t.id, ${doc.document}, ${doc.content}
    from tickets t
    left join lateral (select ${articleText} as txt from articles a where a.ticket_id = t.id) a on true
    where t.id = any(${ticketIds}::int[])
    on conflict (ticket_id) do update set document = excluded.document, content = excluded.content
  `.execute(db);
}

/**
 * A lateral subquery (alias it `s`) giving `document` and `content` of ticket `t` from its title
 * and only the articles visible to customers: join it with `innerJoinLateral(..., onTrue)`.
 */
export function customerDocument(): RawBuilder<{ document: unknown; content: string }> {
  const doc = documentOf(sql`t.title`, articleText);
  return sql`(select ${doc.document} as document, ${doc.content} as content
    from articles a where a.ticket_id = t.id and a.visible_for_customer)`;
}
