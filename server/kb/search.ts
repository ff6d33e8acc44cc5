/**
 * Knowledge-base lists, full-text search and suggestions. The query syntax is the ticket search's
 * (`search/query.ts`, translated by `search/fulltext.ts`) over each article's own document; the
 * permission filter (`access/kb.ts`) is part of every query, so totals, pages, excerpts and
 * suggestions only ever contain articles the caller may read.
 *
 * Ranking: `ts_rank` of the query's positive words (title and keywords weigh more), among the
 * newest matches (`RANK_CANDIDATES`). Excerpts:
 * `ts_headline` over the plain text with markers, escaped here and turned into `<mark>`.
 *
 * @example
 * await searchArticles(db, scope, { query: 'printer -toner' }) // → { items: [...], total: 3, page: 1, perPage: 20 }
 */
import { sql, type Kysely, type SqlBool } from 'kysely';
import { kbArticleFilter, type KbScope } from '../access/kb';
import type { DB, KbState } from '../db/schema';
import { fullTextCondition, quoteLexeme, tsqueryText } from '../search/fulltext';
import { parseQuery, type QueryNode } from '../search/query';
import { preferIndexes } from '../search/service';
import type { ListQuery } from './schema';

export interface ArticleSummary {
  id: number;
  title: string;
  state: KbState;
  valid: boolean;
  language: string;
  categoryId: number;
  category: string;
  keywords: string;
  changedAt: Date;
  helpfulYes: number;
  helpfulNo: number;
  excerpt: string;
  rank: number;
}

/** Markers `ts_headline` puts around matches; stripped from stored text (see `documentOf`). */
export const MARK_START = '\u0001';
export const MARK_END = '\u0002';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Escapes an excerpt and turns the markers into `<mark>`. */
export function excerptHtml(raw: string): string {
  return escapeHtml(raw).replaceAll(MARK_START, '<mark>').replaceAll(MARK_END, '</mark>');
}

/** The positive words and phrases of a query (not under NOT) as one OR tsquery, for rank and excerpt. */
export function rankingTsquery(node: QueryNode | null): string | null {
  const parts: string[] = [];
  const walk = (n: QueryNode) => {
    if (n.type === 'not') return;
    if (n.type === 'and' || n.type === 'or') return n.items.forEach(walk);
    const t = tsqueryText(n);
    if (t) parts.push(t);
  };
  if (node) walk(node);
  return parts.length ? parts.join(' | ') : null;
}

/**
 * How many matches a search looks at: full-text results are ranked among at most this many of the
 * newest matching articles (at least the pages asked for), and the total counts up to it (`more`
 * says there are more). Ranking reads every candidate's document, and a common word matches most
 * of a large knowledge base: counting or ranking all of them would cost a read of each. Suggestions
 * rank among SUGGEST_CANDIDATES.
 */
export const RANK_CANDIDATES = 200;
export const SUGGEST_CANDIDATES = 100;

const HEADLINE_OPTIONS = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=35, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`;

type Row = { id: number; title: string; state: KbState; valid: boolean; language: string; category_id: number; category: string; keywords: string; changed_at: Date; helpful_yes: number; helpful_no: number; excerpt: string; rank: number | string };

function toSummary(r: Row): ArticleSummary {
  return {
    id: r.id, title: r.title, state: r.state, valid: r.valid, language: r.language, categoryId: r.category_id, category: r.category,
    keywords: r.keywords, changedAt: r.changed_at, helpfulYes: r.helpful_yes, helpfulNo: r.helpful_no, excerpt: excerptHtml(r.excerpt), rank: Number(r.rank),
  };
}

/** A page of search results: `total` counts the matches up to the ones looked at; `more` is true when there are more than that. */
export interface ArticlePage {
  items: ArticleSummary[];
  total: number;
  more: boolean;
  page: number;
  perPage: number;
}

/**
 * One page of the articles `scope` may read, matching the filters and the full-text query, ranked
 * (with a query) or newest first. Page rows get their excerpt after the limit (cheap).
 */
export async function searchArticles(db: Kysely<DB>, scope: KbScope, q: ListQuery, only?: number[]): Promise<ArticlePage> {
  if (!q.query?.trim()) return searchIn(db, scope, q, only);
  // As the ticket search: the planner asks the GIN index instead of reading every document.
  return db.transaction().execute(async (trx) => {
    await preferIndexes(trx);
    return searchIn(trx, scope, q, only);
  });
}

async function searchIn(db: Kysely<DB>, scope: KbScope, q: ListQuery, only?: number[]): Promise<ArticlePage> {
  const node = parseQuery(q.query ?? '');
  const perPage = q.perPage ?? 20;
  const page = q.page ?? 1;
  const rankQ = rankingTsquery(node);
  let base = db.selectFrom('kb_articles as a').where(kbArticleFilter(scope));
  if (only) base = base.where('a.id', 'in', only.length ? only : [0]);
  if (q.categoryId) base = base.where('a.category_id', '=', q.categoryId);
  if (q.state) base = base.where('a.state', '=', q.state);
  if (q.language) base = base.where('a.language', '=', q.language);
  const valid = q.valid ?? 'true';
  if (valid !== 'all') base = base.where('a.valid', '=', valid === 'true');
  if (node) base = base.where(fullTextCondition(node, { document: sql.ref('a.document'), content: sql.ref('a.content') }));
  const looked = Math.max(RANK_CANDIDATES, page * perPage);

  if (!node) {
    // Newest first straight from the index on changed_at; the total counts up to `looked`.
    const [countRow, rows] = await Promise.all([
      db.selectFrom(base.select(sql`1`.as('x')).limit(looked + 1).as('m')).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
      withDetails(db, base.select(['a.id', 'a.content', sql<number>`0`.as('rank')]).orderBy('a.changed_at', 'desc').orderBy('a.id', 'desc').limit(perPage).offset((page - 1) * perPage).as('p'), null),
    ]);
    const n = Number(countRow.n);
    return { items: rows.map(toSummary), total: Math.min(n, looked), more: n > looked, page, perPage };
  }
  // One pass over the newest matches gives the total (up to `looked`) and the candidates with
  // their rank; only the page's rows are then read in full (excerpts).
  const rank = rankQ ? sql<number>`ts_rank(a.document, to_tsquery('simple', ${rankQ}))` : sql<number>`0`;
  const found = await base.select(['a.id', 'a.changed_at', rank.as('rank')]).orderBy('a.id', 'desc').limit(looked + 1).execute();
  const more = found.length > looked;
  const candidates = found.slice(0, looked).map((r) => ({ id: r.id, at: new Date(r.changed_at).getTime(), rank: Number(r.rank) }));
  candidates.sort((a, b) => b.rank - a.rank || b.at - a.at || b.id - a.id);
  const pageIds = candidates.slice((page - 1) * perPage, page * perPage);
  if (!pageIds.length) return { items: [], total: candidates.length, more, page, perPage };
  const ranks = new Map(pageIds.map((c) => [c.id, c.rank]));
  const order = new Map(pageIds.map((c, i) => [c.id, i]));
  const rows = await withDetails(db, db.selectFrom('kb_articles as a').select(['a.id', 'a.content', sql<number>`0`.as('rank')]).where('a.id', 'in', pageIds.map((c) => c.id)).as('p'), rankQ);
  const items = rows.map((r) => toSummary({ ...r, rank: ranks.get(r.id) ?? 0 })).sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  return { items, total: candidates.length, more, page, perPage };
}

/** Joins a page of `{id, content, rank}` rows with the columns and the excerpt, keeping its order. */
async function withDetails(db: Kysely<DB>, page: ReturnType<ReturnType<Kysely<DB>['selectFrom']>['as']>, rankQ: string | null): Promise<Row[]> {
  const excerpt = rankQ
    ? sql<string>`ts_headline('simple', left(p.content, 20000), to_tsquery('simple', ${rankQ}), ${HEADLINE_OPTIONS})`
    : sql<string>`left(p.content, 200)`;
  return (await db
    .selectFrom(page as never)
    .innerJoin('kb_articles as a', 'a.id', 'p.id' as never)
    .innerJoin('kb_categories as c', 'c.id', 'a.category_id')
    .select(['a.id', 'a.title', 'a.state', 'a.valid', 'a.language', 'a.category_id', 'c.name as category', 'a.keywords', 'a.changed_at', 'a.helpful_yes', 'a.helpful_no'])
    .select([excerpt.as('excerpt'), sql<number>`p.rank`.as('rank')])
    .orderBy(sql`p.rank`, 'desc')
    .orderBy('a.changed_at', 'desc')
    .orderBy('a.id', 'desc')
    .execute()) as Row[];
}

/** Words that say nothing about the topic (the `simple` configuration keeps every word). */
const STOP_WORDS = new Set(
  ('the and for are but not you all any can had her was one our out has have this that with from they will would there their what about which when your into than then them these some been were does dont cant how why who its also just like please hello thanks thank help need want get got '
    + 'der die das und ist nicht ein eine einen dem den des mit von auf für ich sie wir ihr bei aus wie was bitte danke hallo kann habe hat noch nur auch oder aber wenn').split(' '),
);

/** Most distinct words of a typed text a suggestion looks for. */
export const SUGGEST_WORDS = 12;

/**
 * The tsquery of the words a customer is typing: distinct words of three or more letters, stop
 * words left out, any of them; the last one as a prefix while it is still being typed.
 *
 * @example
 * suggestionTsquery('Printer shows error E5 on the displ') // → "'printer' | 'shows' | 'error' | 'displ':*"
 */
export function suggestionTsquery(text: string): string | null {
  const words = (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length >= 3 && !STOP_WORDS.has(w));
  const unique = [...new Set(words)];
  if (!unique.length) return null;
  const typing = !/[\s\p{P}]$/u.test(text) && words.length > 0 ? words[words.length - 1] : undefined;
  const chosen = unique.slice(0, SUGGEST_WORDS);
  if (typing && !chosen.includes(typing)) chosen[chosen.length - 1] = typing;
  return chosen.map((w) => (w === typing ? `${quoteLexeme(w)}:*` : quoteLexeme(w))).join(' | ');
}

/** The best-ranked valid articles `scope` may read for a text being typed (subject + message). */
export async function suggestArticles(db: Kysely<DB>, scope: KbScope, text: string, limit = 5, exclude: number[] = []): Promise<ArticleSummary[]> {
  const tsq = suggestionTsquery(text);
  if (!tsq) return [];
  return db.transaction().execute(async (trx) => {
    await preferIndexes(trx);
    return suggestIn(trx, scope, tsq, limit, exclude);
  });
}

async function suggestIn(db: Kysely<DB>, scope: KbScope, tsq: string, limit: number, exclude: number[]): Promise<ArticleSummary[]> {
  let q = db
    .selectFrom('kb_articles as a')
    .where(kbArticleFilter(scope))
    .where('a.valid', '=', true)
    .where(sql<SqlBool>`a.document @@ to_tsquery('simple', ${tsq})`);
  if (exclude.length) q = q.where('a.id', 'not in', exclude);
  // Ranked among the newest matches (as searchIn), then only the best rows are read in full.
  const found = await q.select(['a.id', sql<number>`ts_rank(a.document, to_tsquery('simple', ${tsq}))`.as('rank')]).orderBy('a.id', 'desc').limit(SUGGEST_CANDIDATES).execute();
  const best = found.map((r) => ({ id: r.id, rank: Number(r.rank) })).sort((a, b) => b.rank - a.rank || b.id - a.id).slice(0, limit);
  if (!best.length) return [];
  const ranks = new Map(best.map((c, i) => [c.id, [c.rank, i] as const]));
  const rows = await withDetails(db, db.selectFrom('kb_articles as a').select(['a.id', 'a.content', sql<number>`0`.as('rank')]).where('a.id', 'in', best.map((c) => c.id)).as('p'), tsq);
  return rows.map((r) => toSummary({ ...r, rank: ranks.get(r.id)![0] })).sort((a, b) => ranks.get(a.id)![1] - ranks.get(b.id)![1]);
}
