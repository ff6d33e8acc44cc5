/**
 * Statistic definitions and running them: define (stats rw; system-wide only by administrators),
 * list, get, change, delete, import/export as JSON, and run a definition — matrix, list or
 * static — as the calling agent, with the axes and filters changed before the run.
 */
import type { Kysely, Selectable } from 'kysely';
import type { DB } from '../db/schema';
import type { StatDefinitionsTable } from '../db/tables-statistics';
import type { Access } from '../access/access';
import { BadRequest, Conflict, DomainError, Forbidden, NotFound } from '../errors';
import { checkTimeZone } from './dimensions';
import { effective, runList, runMatrix } from './query';
import { runStatic } from './static';
import type { RunParams, StatDefinition, StatResult } from './schema';

export interface StatView {
  id: number;
  name: string;
  kind: StatDefinition['kind'];
  systemWide: boolean;
  shipped: boolean;
  definition: StatDefinition;
  changedAt: string;
}

export function view(r: Selectable<StatDefinitionsTable>): StatView {
  return { id: r.id, name: r.name, kind: r.kind, systemWide: r.system_wide, shipped: r.shipped, definition: r.definition as StatDefinition, changedAt: r.changed_at.toISOString() };
}

/** Checks what a schema cannot: the time zone, the parts each kind needs, who may mark it system-wide. */
async function checkDefinition(access: Access, def: StatDefinition): Promise<void> {
  if (def.timeZone) checkTimeZone(def.timeZone, '/timeZone');
  if (def.kind === 'matrix' && !def.x) throw new BadRequest('a matrix statistic needs an X axis', '/x');
  if (def.kind === 'static' && !def.static) throw new BadRequest('a static statistic names its computation', '/static');
  if (def.systemWide && !(await access.isAdmin())) throw new Forbidden('only administrators mark a statistic system-wide', 'ADMIN_REQUIRED', '/systemWide');
}

export async function listStats(db: Kysely<DB>, access: Access): Promise<StatView[]> {
  await access.assertStats('ro');
  const rows = await db.selectFrom('stat_definitions').selectAll().orderBy('name').execute();
  return rows.map(view);
}

export async function getStat(db: Kysely<DB>, access: Access, id: number): Promise<StatView> {
  await access.assertStats('ro');
  const r = await db.selectFrom('stat_definitions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw new NotFound('statistic');
  return view(r);
}

export async function createStat(db: Kysely<DB>, access: Access, def: StatDefinition, now: Date): Promise<StatView> {
  await access.assertStats('rw');
  await checkDefinition(access, def);
  const taken = await db.selectFrom('stat_definitions').select('id').where('name', '=', def.name).executeTakeFirst();
  if (taken) throw new Conflict(`a statistic named ${JSON.stringify(def.name)} exists`, '/name', 'NAME_TAKEN');
  const r = await db
    .insertInto('stat_definitions')
    .values({ name: def.name, kind: def.kind, definition: JSON.stringify(def), system_wide: !!def.systemWide, created_by: access.requireAgent().id, created_at: now, changed_at: now })
    .returningAll()
    .executeTakeFirstOrThrow();
  return view(r);
}

export async function updateStat(db: Kysely<DB>, access: Access, id: number, def: StatDefinition, now: Date): Promise<StatView> {
  await access.assertStats('rw');
  await checkDefinition(access, def);
  const old = await getStat(db, access, id);
  if (old.systemWide && !(await access.isAdmin())) throw new Forbidden('only administrators change a system-wide statistic', 'ADMIN_REQUIRED');
  const taken = await db.selectFrom('stat_definitions').select('id').where('name', '=', def.name).where('id', '!=', id).executeTakeFirst();
  if (taken) throw new Conflict(`a statistic named ${JSON.stringify(def.name)} exists`, '/name', 'NAME_TAKEN');
  const r = await db
    .updateTable('stat_definitions')
    .set({ name: def.name, kind: def.kind, definition: JSON.stringify(def), system_wide: !!def.systemWide, changed_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return view(r);
}

export async function deleteStat(db: Kysely<DB>, access: Access, id: number): Promise<void> {
  await access.assertStats('rw');
  const old = await getStat(db, access, id);
  if (old.systemWide && !(await access.isAdmin())) throw new Forbidden('only administrators delete a system-wide statistic', 'ADMIN_REQUIRED');
  await db.deleteFrom('stat_definitions').where('id', '=', id).execute();
}

/** Imports definitions (an export file): each by name, replacing one of the same name. */
export async function importStats(db: Kysely<DB>, access: Access, defs: StatDefinition[], now: Date): Promise<StatView[]> {
  await access.assertStats('rw');
  for (const [i, d] of defs.entries()) {
    try {
      await checkDefinition(access, d);
    } catch (e) {
      if (e instanceof DomainError) throw new DomainError(e.status, e.code, `statistic ${i}: ${e.message}`, `/statistics/${i}${e.path ?? ''}`);
      throw e;
    }
  }
  return db.transaction().execute(async (trx) => {
    const out: StatView[] = [];
    for (const d of defs) {
      const values = { name: d.name, kind: d.kind, definition: JSON.stringify(d), system_wide: !!d.systemWide, changed_at: now };
      const r = await trx
        .insertInto('stat_definitions')
        .values({ ...values, created_by: access.requireAgent().id, created_at: now })
        .onConflict((oc) => oc.column('name').doUpdateSet(values))
        .returningAll()
        .executeTakeFirstOrThrow();
      out.push(view(r));
    }
    return out;
  });
}

export interface RunOptions {
  /** Preview: at most this many list rows, and the query stops after `timeoutMs`. */
  preview?: boolean;
  timeoutMs?: number;
  limit?: number;
}

/**
 * Runs a definition as the caller: only the tickets the caller may read unless the definition is
 * system-wide (then the caller needs `stats` rw).
 *
 * @example
 * const result = await runDefinition(db, access, def, { x: { dimension: 'priority' } }, now);
 */
export async function runDefinition(db: Kysely<DB>, access: Access, stored: StatDefinition, params: RunParams | undefined, now: Date, opts: RunOptions = {}): Promise<StatResult> {
  await access.assertStats('ro');
  const def = effective(stored, params);
  if (def.timeZone) checkTimeZone(def.timeZone, '/timeZone');
  const timeoutMs = opts.timeoutMs ?? (opts.preview ? 10_000 : undefined);
  if (def.kind === 'matrix') return runMatrix(db, access, def, { timeoutMs });
  if (def.kind === 'list') return runList(db, access, def, { limit: opts.limit ?? (opts.preview ? 100 : 10_000), timeoutMs });
  return runStatic({ db, access, now }, def);
}

export async function runStat(db: Kysely<DB>, access: Access, id: number, params: RunParams | undefined, now: Date, opts: RunOptions = {}): Promise<StatResult> {
  const s = await getStat(db, access, id);
  return runDefinition(db, access, s.definition, params, now, opts);
}
