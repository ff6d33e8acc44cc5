/**
 * Knowledge-base categories: the tree the caller may see (with how many articles in each they may
 * read), administrators' create and change, and a category's export and import as JSON
 * (`helpdesk-kb/1`: the category with its sub-categories and the articles the caller may read).
 */
import type { Kysely } from 'kysely';
import type { Access } from '../access/access';
import { kbArticleFilter, kbScope, type KbScope } from '../access/kb';
import type { DB } from '../db/schema';
import { BadRequest, Conflict, NotFound } from '../errors';
import type { CategoryInput, ExportDocument } from './schema';
import { writeArticle, type WriteBy } from './write';

async function groupRef(db: Kysely<DB>, ref: string | number, path: string): Promise<number> {
  const q = db.selectFrom('groups').select('id');
  const g = await (typeof ref === 'number' ? q.where('id', '=', ref) : q.where('name', '=', ref)).executeTakeFirst();
  if (!g) throw new BadRequest(`unknown group ${JSON.stringify(ref)}`, path, undefined, 'UNKNOWN_REFERENCE');
  return g.id;
}

const isUnique = (e: unknown) => (e as { code?: string })?.code === '23505';

export async function listCategories(db: Kysely<DB>, scope: KbScope) {
  if (!scope.categoryIds.length) return [];
  const rows = await db
    .selectFrom('kb_categories as c')
    .innerJoin('groups as g', 'g.id', 'c.group_id')
    .select(['c.id', 'c.parent_id', 'c.name', 'c.comment', 'c.customer_visible', 'c.valid', 'g.name as group'])
    .where('c.id', 'in', scope.categoryIds)
    .orderBy('c.name')
    .execute();
  const counts = await db
    .selectFrom('kb_articles as a')
    .select(['a.category_id', (eb) => eb.fn.countAll<string>().as('n')])
    .where(kbArticleFilter(scope))
    .where('a.valid', '=', true)
    .groupBy('a.category_id')
    .execute();
  const n = new Map(counts.map((c) => [c.category_id, Number(c.n)]));
  const agent = scope.reader === 'agent';
  return rows.map((r) => ({
    id: r.id, parentId: r.parent_id, name: r.name, articleCount: n.get(r.id) ?? 0,
    ...(agent ? { comment: r.comment, group: r.group, customerVisible: r.customer_visible, valid: r.valid } : {}),
  }));
}

async function assertParent(db: Kysely<DB>, parentId: number | null | undefined, selfId?: number): Promise<void> {
  if (parentId == null) return;
  let id: number | null = parentId;
  for (let depth = 0; id !== null; depth++) {
    if (id === selfId) throw new BadRequest('a category cannot be inside itself', '/parentId');
    const row: { parent_id: number | null } | undefined = await db.selectFrom('kb_categories').select('parent_id').where('id', '=', id).executeTakeFirst();
    if (!row) throw new BadRequest(`unknown category ${id}`, '/parentId', undefined, 'UNKNOWN_REFERENCE');
    if (depth > 32) throw new BadRequest('categories nest at most 32 deep', '/parentId');
    id = row.parent_id;
  }
}

export async function saveCategory(db: Kysely<DB>, access: Access, id: number | undefined, input: CategoryInput): Promise<number> {
  await access.assertAdmin();
  await assertParent(db, input.parentId, id);
  const values = {
    name: input.name.trim(),
    parent_id: input.parentId ?? null,
    group_id: await groupRef(db, input.group, '/group'),
    customer_visible: input.customerVisible ?? true,
    valid: input.valid ?? true,
    comment: input.comment ?? '',
  };
  try {
    if (id === undefined) return (await db.insertInto('kb_categories').values(values).returning('id').executeTakeFirstOrThrow()).id;
    const r = await db.updateTable('kb_categories').set(values).where('id', '=', id).executeTakeFirst();
    if (!Number(r.numUpdatedRows)) throw new NotFound('knowledge-base category');
    return id;
  } catch (e) {
    if (isUnique(e)) throw new Conflict(`there is a category "${values.name}" here already`, '/name', 'DUPLICATE_NAME');
    throw e;
  }
}

/** The category with its sub-categories (those the caller may read) and their readable articles. */
export async function exportCategory(db: Kysely<DB>, access: Access, id: number): Promise<ExportDocument> {
  access.requireAgent();
  const scope = await kbScope(db, access);
  if (!scope.categoryIds.includes(id)) throw new NotFound('knowledge-base category');
  const all = await db.selectFrom('kb_categories as c').innerJoin('groups as g', 'g.id', 'c.group_id').select(['c.id', 'c.parent_id', 'c.name', 'c.comment', 'c.customer_visible', 'c.valid', 'g.name as group']).execute();
  const readable = new Set(scope.categoryIds);
  const tree: typeof all = [];
  const walk = (pid: number) => {
    for (const c of all.filter((x) => x.parent_id === pid && readable.has(x.id))) {
      tree.push(c);
      walk(c.id);
    }
  };
  tree.push(all.find((c) => c.id === id)!);
  walk(id);
  const ids = tree.map((c) => c.id);
  const articles = await db
    .selectFrom('kb_articles as a')
    .select(['a.category_id', 'a.title', 'a.keywords', 'a.state', 'a.valid', 'a.language', 'a.symptom', 'a.problem', 'a.solution', 'a.body', 'a.comment'])
    .where('a.category_id', 'in', ids)
    .where(kbArticleFilter(scope))
    .orderBy('a.id')
    .execute();
  return {
    format: 'helpdesk-kb/1',
    categories: tree.map((c) => ({ key: String(c.id), parentKey: c.id === id ? null : String(c.parent_id), name: c.name, group: c.group, customerVisible: c.customer_visible, valid: c.valid, comment: c.comment })),
    articles: articles.map(({ category_id, ...a }) => ({ categoryKey: String(category_id), ...a })),
  };
}

/** Creates the categories and articles of an export (administrators), all or nothing. */
export async function importCategory(db: Kysely<DB>, access: Access, doc: ExportDocument & { parentId?: number | null }, by: WriteBy): Promise<{ categories: number; articles: number }> {
  await access.assertAdmin();
  await assertParent(db, doc.parentId);
  return db.transaction().execute(async (trx) => {
    const ids = new Map<string, number>();
    for (const [i, c] of doc.categories.entries()) {
      const path = `/categories/${i}`;
      if (ids.has(c.key)) throw new BadRequest(`key "${c.key}" appears twice`, `${path}/key`);
      const parent = c.parentKey == null ? (doc.parentId ?? null) : ids.get(c.parentKey);
      if (parent === undefined) throw new BadRequest(`parentKey "${c.parentKey}" names no category before this one`, `${path}/parentKey`, undefined, 'UNKNOWN_REFERENCE');
      try {
        const row = await trx
          .insertInto('kb_categories')
          .values({ name: c.name, parent_id: parent, group_id: await groupRef(trx, c.group, `${path}/group`), customer_visible: c.customerVisible ?? true, valid: c.valid ?? true, comment: c.comment ?? '' })
          .returning('id')
          .executeTakeFirstOrThrow();
        ids.set(c.key, row.id);
      } catch (e) {
        if (isUnique(e)) throw new Conflict(`there is a category "${c.name}" there already`, `${path}/name`, 'DUPLICATE_NAME');
        throw e;
      }
    }
    for (const [i, a] of doc.articles.entries()) {
      const categoryId = ids.get(a.categoryKey);
      if (categoryId === undefined) throw new BadRequest(`categoryKey "${a.categoryKey}" names no imported category`, `/articles/${i}/categoryKey`, undefined, 'UNKNOWN_REFERENCE');
      await writeArticle(trx, undefined, { ...a, categoryId, note: 'Imported.' }, by);
    }
    return { categories: ids.size, articles: doc.articles.length };
  });
}
