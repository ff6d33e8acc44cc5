/** Typed queries for outbound services (with the logins of who created and last changed each). */
import type { Insertable, Kysely, Updateable } from 'kysely';
import type { DB } from '../db/schema';
import type { OutboundServicesTable } from '../db/tables-outbound';

type Db = Kysely<DB>;

const base = (db: Db) =>
  db
    .selectFrom('outbound_services as s')
    .leftJoin('agents as c', 'c.id', 's.created_by')
    .leftJoin('agents as u', 'u.id', 's.changed_by')
    .selectAll('s')
    .select(['c.login as created_by_login', 'u.login as changed_by_login']);

export const outboundRepo = {
  list(db: Db) {
    return base(db).orderBy('s.name').execute();
  },
  get(db: Db, name: string) {
    return base(db).where('s.name', '=', name).executeTakeFirst();
  },
  lock(db: Db, name: string) {
    return db.selectFrom('outbound_services').selectAll().where('name', '=', name).forUpdate().executeTakeFirst();
  },
  insert(db: Db, row: Insertable<OutboundServicesTable>) {
    return db.insertInto('outbound_services').values(row).execute();
  },
  update(db: Db, name: string, row: Updateable<OutboundServicesTable>) {
    return db.updateTable('outbound_services').set(row).where('name', '=', name).execute();
  },
  async remove(db: Db, name: string): Promise<boolean> {
    const r = await db.deleteFrom('outbound_services').where('name', '=', name).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  },
};

export type OutboundRow = NonNullable<Awaited<ReturnType<typeof outboundRepo.get>>>;
