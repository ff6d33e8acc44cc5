/**
 * Who may read and write knowledge-base articles — the one place that decides it, used inside every
 * query (lists, search, counts, suggestions, views, attachments, insert into reply, links).
 *
 * - A category is readable when it and every category above it is: agents need `ro` on each one's
 *   group (system access: every group); customers and the public need each one valid and
 *   customer-visible.
 * - In a readable category an agent reads every article (any state, valid or not); a signed-in
 *   customer user the valid `external` and `public` ones; a caller without login the valid
 *   `public` ones.
 * - Writing an article needs `rw` on its category's group (and reading the category); managing
 *   categories is for administrators.
 *
 * @example
 * const scope = await kbScope(db, access);
 * db.selectFrom('kb_articles as a').where(kbArticleFilter(scope)).selectAll().execute();
 */
import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import type { DB, KbState } from '../db/schema';
import { Forbidden, NotFound } from '../errors';
import type { Access } from './access';

export type KbReader = 'public' | 'customer' | 'agent';

/** What one caller may see of the knowledge base, loaded once per request. */
export interface KbScope {
  reader: KbReader;
  /** Ids of the categories the caller may read (their ancestors included in the check). */
  categoryIds: number[];
  /** The article states the caller may read. */
  states: KbState[];
  /** Whether invalid articles are shown too (agents only). */
  invalidToo: boolean;
}

interface CategoryRow {
  id: number;
  parent_id: number | null;
  group_id: number;
  customer_visible: boolean;
  valid: boolean;
}

const STATES: Record<KbReader, KbState[]> = { public: ['public'], customer: ['external', 'public'], agent: ['internal', 'external', 'public'] };

function readerOf(access: Access): KbReader {
  const a = access.actor;
  return !a ? 'public' : a.kind === 'customer' ? 'customer' : 'agent';
}

/** Categories that pass `own` themselves and through all their ancestors. */
function closed(rows: CategoryRow[], own: (c: CategoryRow) => boolean): number[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const memo = new Map<number, boolean>();
  const ok = (id: number, depth: number): boolean => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const c = byId.get(id);
    const v = !!c && depth < 64 && own(c) && (c.parent_id === null || ok(c.parent_id, depth + 1));
    memo.set(id, v);
    return v;
  };
  return rows.filter((r) => ok(r.id, 0)).map((r) => r.id);
}

/** The caller's knowledge-base scope. */
export async function kbScope(db: Kysely<DB>, access: Access): Promise<KbScope> {
  return scopeOf(db, readerOf(access), access);
}

/**
 * What a signed-in customer user may see (the same for every customer user): whether a ticket's
 * customer could read an article an agent is about to insert into a reply.
 */
export function kbCustomerScope(db: Kysely<DB>): Promise<KbScope> {
  return scopeOf(db, 'customer');
}

async function scopeOf(db: Kysely<DB>, reader: KbReader, access?: Access): Promise<KbScope> {
  const rows = await db.selectFrom('kb_categories').select(['id', 'parent_id', 'group_id', 'customer_visible', 'valid']).execute();
  let own: (c: CategoryRow) => boolean;
  if (reader === 'agent' && access) {
    const groups = new Set(await access.groupIds('ro'));
    own = (c) => groups.has(c.group_id);
  } else {
    own = (c) => c.valid && c.customer_visible;
  }
  return { reader, categoryIds: closed(rows, own), states: STATES[reader], invalidToo: reader === 'agent' };
}

/**
 * A where-clause over `kb_articles` (aliased `a` by default) keeping only what the scope may read.
 * Use it in every query that lists, counts, searches, suggests or fetches articles.
 */
// The alias is chosen by the caller, so the builder cannot be typed to one table shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function kbArticleFilter(scope: KbScope, alias = 'a'): (eb: ExpressionBuilder<any, any>) => Expression<SqlBool> {
  const col = (c: string) => `${alias}.${c}`;
  return (eb) => {
    if (!scope.categoryIds.length) return eb.val(false);
    const conds: Expression<SqlBool>[] = [eb(col('category_id'), 'in', scope.categoryIds)];
    if (scope.states.length < 3) conds.push(eb(col('state'), 'in', scope.states));
    if (!scope.invalidToo) conds.push(eb(col('valid'), '=', true));
    return eb.and(conds);
  };
}

/** Whether the scope may read an article with these columns. */
export function kbMayRead(scope: KbScope, a: { category_id: number; state: KbState; valid: boolean }): boolean {
  return scope.categoryIds.includes(a.category_id) && scope.states.includes(a.state) && (a.valid || scope.invalidToo);
}

/** Throws 404 "knowledge-base article" unless the scope may read the article. */
export function assertKbRead(scope: KbScope, a: { category_id: number; state: KbState; valid: boolean } | undefined): asserts a {
  if (!a || !kbMayRead(scope, a)) throw new NotFound('knowledge-base article');
}

/** Whether the scope may read the category (for the tree and filters). */
export function kbMayReadCategory(scope: KbScope, categoryId: number): boolean {
  return scope.categoryIds.includes(categoryId);
}

/**
 * Throws unless the caller may write articles in the category: 404 when they cannot even read it,
 * 403 without `rw` on its group.
 */
export async function assertKbWrite(access: Access, scope: KbScope, category: { id: number; group_id: number } | undefined, path = '/categoryId'): Promise<void> {
  access.requireAgent();
  if (!category || !scope.categoryIds.includes(category.id)) throw new NotFound('knowledge-base category', path);
  if (!(await access.onGroup(category.group_id, 'rw'))) {
    throw new Forbidden("you need the 'rw' permission on this category's group to write its articles", 'PERMISSION_DENIED', path);
  }
}
