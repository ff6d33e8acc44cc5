/**
 * Queries behind the generic catalogue (table.ts): one query shape over the simple named tables.
 * Kysely cannot type a query whose table is chosen at run time, so these run on an untyped view of
 * the connection; the rows are typed as `CatalogueRow` (id, name, valid and the spec's columns).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import type { CatalogueSpec, UsageSpec, Values } from './table';
import { containsPattern, prefixPattern, type ListQuery } from './schema';
import { SEPARATOR } from './hierarchy';

export interface CatalogueRow {
  id: number;
  name: string;
  valid: boolean;
  [column: string]: unknown;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const untyped = (db: Kysely<DB>) => db as unknown as Kysely<any>;

/** `select t.*, r0.name as ref_0, ...` with the referenced names joined in. */
function selectRows(db: Kysely<DB>, spec: CatalogueSpec) {
  let q = untyped(db).selectFrom(`${spec.table} as t`).selectAll('t');
  (spec.refs ?? []).forEach((r, i) => {
    q = q.leftJoin(`${r.table} as r${i}`, `r${i}.id`, `t.${r.column}`).select(`r${i}.name as ref_${i}`);
  });
  return q;
}

export const catalogueRepo = {
  async list(db: Kysely<DB>, spec: CatalogueSpec, query: ListQuery, visible: number[] | 'all'): Promise<{ rows: CatalogueRow[]; total: number }> {
    if (visible !== 'all' && visible.length === 0) return { rows: [], total: 0 };
    let where = untyped(db).selectFrom(`${spec.table} as t`);
    if (visible !== 'all') where = where.where('t.id', 'in', visible);
    if (query.valid !== undefined) where = where.where('t.valid', '=', query.valid);
    if (query.search) where = where.where('t.name', 'ilike', containsPattern(query.search));
    const { total } = await where.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow();
    let q = selectRows(db, spec);
    if (visible !== 'all') q = q.where('t.id', 'in', visible);
    if (query.valid !== undefined) q = q.where('t.valid', '=', query.valid);
    if (query.search) q = q.where('t.name', 'ilike', containsPattern(query.search));
    const rows = await q
      .orderBy('t.name')
      .orderBy('t.id')
      .limit(query.perPage)
      .offset((query.page - 1) * query.perPage)
      .execute();
    return { rows: rows as CatalogueRow[], total: Number(total) };
  },

  async byId(db: Kysely<DB>, spec: CatalogueSpec, id: number): Promise<CatalogueRow | undefined> {
    return (await selectRows(db, spec).where('t.id', '=', id).executeTakeFirst()) as CatalogueRow | undefined;
  },

  async byName(db: Kysely<DB>, spec: CatalogueSpec, name: string): Promise<CatalogueRow | undefined> {
    return (await selectRows(db, spec).where('t.name', '=', name).executeTakeFirst()) as CatalogueRow | undefined;
  },

  /** Every row below `name` (`name::...`), deepest last. */
  async descendants(db: Kysely<DB>, spec: CatalogueSpec, name: string): Promise<CatalogueRow[]> {
    const rows = await untyped(db)
      .selectFrom(spec.table)
      .selectAll()
      .where('name', 'like', prefixPattern(name + SEPARATOR))
      .orderBy('name')
      .execute();
    return rows as CatalogueRow[];
  },

  async refTarget(db: Kysely<DB>, table: 'groups' | 'state_types', ref: { id: number } | { name: string }): Promise<{ id: number; name: string } | undefined> {
    if ('id' in ref && !(ref.id <= 2_147_483_647)) return undefined;
    const q = untyped(db).selectFrom(table).select(['id', 'name']);
    const row = 'id' in ref ? await q.where('id', '=', ref.id).executeTakeFirst() : await q.where('name', '=', ref.name).executeTakeFirst();
    return row as { id: number; name: string } | undefined;
  },

  async insert(db: Kysely<DB>, spec: CatalogueSpec, values: Values): Promise<number> {
    const row = await untyped(db).insertInto(spec.table).values(values).returning('id').executeTakeFirstOrThrow();
    return (row as { id: number }).id;
  },

  async update(db: Kysely<DB>, spec: CatalogueSpec, id: number, values: Values): Promise<void> {
    await untyped(db).updateTable(spec.table).set(values).where('id', '=', id).execute();
  },

  async remove(db: Kysely<DB>, spec: CatalogueSpec, id: number): Promise<void> {
    await untyped(db).deleteFrom(spec.table).where('id', '=', id).execute();
  },

  /** How many rows of `u.table` refer to `id`. */
  async usage(db: Kysely<DB>, u: UsageSpec, id: number): Promise<number> {
    const row = await untyped(db)
      .selectFrom(u.table)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where(u.column, '=', id)
      .executeTakeFirstOrThrow();
    return Number((row as { n: string }).n);
  },
};
