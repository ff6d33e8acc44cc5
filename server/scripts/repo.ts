/** Typed queries for the script library: names with immutable, numbered versions. */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';

type Db = Kysely<DB>;

export const scriptRepo = {
  list(db: Db) {
    return db
      .selectFrom('scripts as s')
      .innerJoin('script_versions as v', (j) => j.onRef('v.name', '=', 's.name').onRef('v.version', '=', 's.latest_version'))
      .leftJoin('agents as a', 'a.id', 'v.created_by')
      .select(['s.name', 's.description', 's.latest_version', 's.created_at', 'v.created_at as changed_at', 'a.login as changed_by'])
      .orderBy('s.name')
      .execute();
  },
  get(db: Db, name: string) {
    return db.selectFrom('scripts').selectAll().where('name', '=', name).executeTakeFirst();
  },
  lock(db: Db, name: string) {
    return db.selectFrom('scripts').selectAll().where('name', '=', name).forUpdate().executeTakeFirst();
  },
  /** Version `version` of `name`, or its latest. */
  version(db: Db, name: string, version?: number) {
    let q = db
      .selectFrom('script_versions as v')
      .leftJoin('agents as a', 'a.id', 'v.created_by')
      .select(['v.name', 'v.version', 'v.source', 'v.created_at', 'a.login as created_by'])
      .where('v.name', '=', name);
    q = version === undefined ? q.orderBy('v.version', 'desc').limit(1) : q.where('v.version', '=', version);
    return q.executeTakeFirst();
  },
  versions(db: Db, name: string) {
    return db
      .selectFrom('script_versions as v')
      .leftJoin('agents as a', 'a.id', 'v.created_by')
      .select(['v.version', 'v.created_at', 'a.login as created_by'])
      .where('v.name', '=', name)
      .orderBy('v.version', 'desc')
      .execute();
  },
};
