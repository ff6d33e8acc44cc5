/** Typed queries for process drafts and deployed versions. */
import { sql, type Kysely } from 'kysely';
import type { DB, ProcessState } from '../db/schema';

type Db = Kysely<DB>;

export const processRepo = {
  list(db: Db) {
    return db
      .selectFrom('processes as p')
      .leftJoin(
        (eb) =>
          eb
            .selectFrom('process_versions')
            .select(['key', sql<number>`max(version)`.as('latest')])
            .groupBy('key')
            .as('lv'),
        (join) => join.onRef('lv.key', '=', 'p.key'),
      )
      .leftJoin('process_versions as v', (join) => join.onRef('v.key', '=', 'p.key').onRef('v.version', '=', 'lv.latest'))
      .select([
        'p.key', 'p.name', 'p.draft_changed_at', 'p.created_at',
        sql<boolean>`p.draft is not null`.as('has_draft'),
        sql<boolean>`p.draft is not null and (v.definition is null or p.draft - 'version' - 'state' <> v.definition - 'version' - 'state')`.as('draft_differs'),
        'v.version as latest_version', 'v.state as latest_state', 'v.deployed_at as latest_deployed_at',
      ])
      .orderBy('p.key')
      .execute();
  },
  get(db: Db, key: string) {
    return db.selectFrom('processes').selectAll().where('key', '=', key).executeTakeFirst();
  },
  insert(db: Db, row: { key: string; name: string; draft: string | null; now: Date; by: number | null }) {
    return db
      .insertInto('processes')
      .values({ key: row.key, name: row.name, draft: row.draft, draft_changed_at: row.draft ? row.now : null, draft_changed_by: row.by, created_at: row.now, created_by: row.by })
      .execute();
  },
  saveDraft(db: Db, key: string, draft: string | null, name: string, now: Date, by: number | null) {
    return db.updateTable('processes').set({ draft, name, draft_changed_at: now, draft_changed_by: by }).where('key', '=', key).execute();
  },
  versions(db: Db, key: string) {
    return db
      .selectFrom('process_versions as v')
      .leftJoin('agents as a', 'a.id', 'v.deployed_by')
      .select(['v.key', 'v.version', 'v.name', 'v.state', 'v.checksum', 'v.deployed_at', 'a.login as deployed_by_login'])
      .where('v.key', '=', key)
      .orderBy('v.version', 'desc')
      .execute();
  },
  version(db: Db, key: string, version: number | 'latest') {
    let q = db
      .selectFrom('process_versions as v')
      .leftJoin('agents as a', 'a.id', 'v.deployed_by')
      .select(['v.key', 'v.version', 'v.name', 'v.state', 'v.checksum', 'v.deployed_at', 'v.definition', 'a.login as deployed_by_login'])
      .where('v.key', '=', key);
    q = version === 'latest' ? q.orderBy('v.version', 'desc').limit(1) : q.where('v.version', '=', version);
    return q.executeTakeFirst();
  },
  /** The next version number, taken under a row lock on the process so concurrent deploys serialise. */
  async nextVersion(db: Db, key: string): Promise<number> {
    await db.selectFrom('processes').select('key').where('key', '=', key).forUpdate().execute();
    const r = await db
      .selectFrom('process_versions')
      .select(sql<number>`coalesce(max(version), 0) + 1`.as('next'))
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    return Number(r.next);
  },
  insertVersion(db: Db, row: { key: string; version: number; name: string; definition: string; state: ProcessState; checksum: string; now: Date; by: number | null }) {
    return db
      .insertInto('process_versions')
      .values({ key: row.key, version: row.version, name: row.name, definition: row.definition, state: row.state, checksum: row.checksum, deployed_at: row.now, deployed_by: row.by })
      .execute();
  },
  setState(db: Db, key: string, version: number, state: ProcessState) {
    return db.updateTable('process_versions').set({ state }).where('key', '=', key).where('version', '=', version).executeTakeFirst();
  },
};
