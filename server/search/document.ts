/**
 * The per-ticket full-text document: the title plus every article's subject and plain-text body,
 * as a `simple` tsvector (no stemming, so the query syntax means what it says) and as plain text
 * for trigram matching of wildcards. Call `refreshTicketSearch` in the same transaction as any
 * change to a ticket's title or articles (create, add article, merge, split).
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema';

/** Rebuilds the search document of the given tickets from their current title and articles. */
export async function refreshTicketSearch(db: Kysely<DB>, ticketIds: number[]): Promise<void> {
  if (!ticketIds.length) return;
  await sql`
    insert into ticket_search (ticket_id, document, content)
    select t.id,
           setweight(to_tsvector('simple', t.title), 'A') || to_tsvector('simple', coalesce(a.txt, '')),
           t.title || ' ' || coalesce(a.txt, '')
    from tickets t
    left join lateral (
      select string_agg(subject || ' ' || body_text, ' ' order by id) as txt from articles where ticket_id = t.id
    ) a on true
    where t.id = any(${ticketIds}::int[])
    on conflict (ticket_id) do update set document = excluded.document, content = excluded.content
  `.execute(db);
}
