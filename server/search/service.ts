/**
 * Ticket lists and search: filters, full-text query, sorting, page or cursor pagination, and only
 * ever the tickets the caller may read. Knows no HTTP; other domains (the Generic Interface's
 * TicketSearch, dashboards) call `search` with the caller's `Access`.
 *
 * @example
 * const list = await new SearchService(db).search(access, { queues: ['Misc'], query: 'printer -toner', perPage: 50 });
 * // → { items: [...TicketSummary], total: 12, totalCapped: false, page: 1, perPage: 50, nextCursor: null }
 */
import { sql, type Kysely } from 'kysely';
import type { Access } from '../access/access';
import type { DB } from '../db/schema';
import { fullTextFilter, ticketConditions, type Condition } from './filters';
import { parseQuery } from './query';
import { countTickets, ticketPage, type SummaryRow } from './repo';
import { DEFAULT_PER_PAGE, MAX_PER_PAGE, type TicketList, type TicketSearchCriteria } from './schema';
import { decodeCursor, defaultOrder, encodeCursor, filterFingerprint, invalidCursor, sortKeys } from './sort';

/**
 * A full-text search counts its matches only up to this many: beyond, `total` is this number and
 * `totalCapped` is true ("more than 1,000"), so a common word costs no more than a rare one.
 */
export const COUNT_CAP = 1000;

/** Up to this many full-text matches, a page is listed from the matches rather than in list order. */
export const FEW_MATCHES = COUNT_CAP;

/**
 * Within the search's transaction, prices a random page read as on an SSD (1.1, unless the server
 * is set lower already). With PostgreSQL's default of 4 (spinning disks), the planner reads and
 * tests every search document instead of asking the GIN index as soon as a word is in a fifth of
 * them, which is three times slower for such common words.
 */
export async function preferIndexes(trx: Kysely<DB>): Promise<void> {
  await sql`select set_config('random_page_cost', '1.1', true) where current_setting('random_page_cost')::float8 > 1.1`.execute(trx);
}

export class SearchService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly opts: { fewMatches?: number } = {},
  ) {}

  /**
   * One page of the tickets the caller may read that match `criteria`. `queryString` marks
   * criteria read from a URL (error paths then name its parameters; values are coerced from text).
   */
  async search(access: Access, criteria: TicketSearchCriteria, opts: { queryString?: boolean } = {}): Promise<TicketList> {
    const actor = access.requireActor();
    const fullText = parseQuery(criteria.query ?? '');
    const sort = criteria.sort ?? 'created';
    const order = criteria.order ?? defaultOrder(sort);
    const perPage = Math.min(criteria.perPage ?? DEFAULT_PER_PAGE, MAX_PER_PAGE);
    const page = criteria.page ?? 1;
    const keys = sortKeys(sort);
    const filters = filterFingerprint(criteria);
    const after = criteria.cursor ? decodeCursor(criteria.cursor, { sort, order, filters }, keys) : undefined;

    const conditions = await ticketConditions(this.db, access, criteria, opts.queryString);
    const forCustomer = actor.kind === 'customer';
    const offset = after ? 0 : (page - 1) * perPage;
    const pageOf = (db: Kysely<DB>, conds: Condition[]) =>
      ticketPage(db, conds, { keys, order, limit: perPage + 1, offset, ...(after ? { after } : {}) }).catch((e: { code?: string }) => {
        // A tampered cursor value the database cannot read (class 22: data exception).
        if (after && typeof e?.code === 'string' && e.code.startsWith('22')) throw invalidCursor('not a cursor of this API');
        throw e;
      });
    let total: number;
    let rows: SummaryRow[];
    let capped = false;
    if (fullText) {
      [total, rows] = await this.db.transaction().execute(async (trx) => {
        await preferIndexes(trx);
        // Count first (up to the cap): how many match decides how to fetch the page (see fullTextFilter).
        const n = await countTickets(trx, [...conditions, fullTextFilter(fullText, forCustomer)], COUNT_CAP);
        capped = n > COUNT_CAP;
        if (n === 0 || (!capped && !after && offset >= n)) return [n, []] as const;
        const few = !capped && n <= (this.opts.fewMatches ?? FEW_MATCHES);
        return [Math.min(n, COUNT_CAP), await pageOf(trx, [...conditions, fullTextFilter(fullText, forCustomer, few)])] as const;
      });
    } else {
      [total, rows] = await Promise.all([countTickets(this.db, conditions), pageOf(this.db, conditions)]);
    }
    const more = rows.length > perPage;
    const items = rows.slice(0, perPage);
    const last = items[items.length - 1];
    return {
      // Customers are not told which agents work their tickets (as in the ticket view).
      items: forCustomer ? items.map((r) => ({ ...r.summary, owner: null, responsible: null })) : items.map((r) => r.summary),
      total,
      totalCapped: capped,
      page: after ? null : page,
      perPage,
      nextCursor: more && last ? encodeCursor({ sort, order, filters, values: last.keys }) : null,
    };
  }
}
