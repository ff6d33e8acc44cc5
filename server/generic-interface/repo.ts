/**
 * Typed queries on web services and their debugger log: rows by id or name, list, insert, update,
 * delete; debugger entries written with pruning beyond the service's retention, and read by page.
 */
import { sql, type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { DB, DebugLevel, WebservicesTable } from '../db/schema';
import type { DebugEntry, Webservice, WebserviceConfig } from './schema';

type Db = Kysely<DB>;
export type WebserviceRow = Selectable<WebservicesTable>;

/** The row as the domain sees it. */
export function toWebservice(r: WebserviceRow): Webservice {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    valid: r.valid,
    envelope: r.envelope,
    debugLevel: r.debug_level,
    debugRetention: r.debug_retention,
    maxLength: r.max_length,
    config: r.config as WebserviceConfig,
    createdAt: r.created_at.toISOString(),
    changedAt: r.changed_at.toISOString(),
  };
}

export const webserviceRepo = {
  byId(db: Db, id: number) {
    return db.selectFrom('webservices').selectAll().where('id', '=', id).executeTakeFirst();
  },
  byName(db: Db, name: string) {
    return db.selectFrom('webservices').selectAll().where('name', '=', name).executeTakeFirst();
  },
  list(db: Db) {
    return db.selectFrom('webservices').selectAll().orderBy('name').execute();
  },
  insert(db: Db, values: Insertable<WebservicesTable>) {
    return db.insertInto('webservices').values(values).returning('id').executeTakeFirstOrThrow();
  },
  update(db: Db, id: number, set: Updateable<WebservicesTable>) {
    return db.updateTable('webservices').set(set).where('id', '=', id).executeTakeFirst();
  },
  delete(db: Db, id: number) {
    return db.deleteFrom('webservices').where('id', '=', id).executeTakeFirst();
  },
};

export interface NewDebugEntry {
  webserviceId: number;
  requestId: string;
  remoteAddr: string;
  operation: string | null;
  level: DebugLevel;
  summary: string;
  status: number;
  request: unknown;
  response: unknown;
  at: Date;
}

export const debugLogRepo = {
  /** Writes one entry and prunes the service's oldest entries beyond `retention`. */
  async insert(db: Db, e: NewDebugEntry, retention: number): Promise<void> {
    await db
      .insertInto('webservice_debug_log')
      .values({
        webservice_id: e.webserviceId,
        request_id: e.requestId,
        remote_addr: e.remoteAddr,
        operation: e.operation,
        level: e.level,
        summary: e.summary,
        status: e.status,
        request: JSON.stringify(e.request),
        response: JSON.stringify(e.response),
        created_at: e.at,
      })
      .execute();
    await sql`delete from webservice_debug_log
      where webservice_id = ${e.webserviceId}
        and id < (select id from webservice_debug_log where webservice_id = ${e.webserviceId}
                  order by id desc offset ${retention - 1} limit 1)`.execute(db);
  },

  async page(db: Db, webserviceId: number, page: number, perPage: number): Promise<{ items: DebugEntry[]; total: number }> {
    const { total } = await db
      .selectFrom('webservice_debug_log')
      .select(sql<number>`count(*)::int`.as('total'))
      .where('webservice_id', '=', webserviceId)
      .executeTakeFirstOrThrow();
    const rows = await db
      .selectFrom('webservice_debug_log')
      .selectAll()
      .where('webservice_id', '=', webserviceId)
      .orderBy('id', 'desc')
      .limit(perPage)
      .offset((page - 1) * perPage)
      .execute();
    return {
      total,
      items: rows.map((r) => ({
        id: Number(r.id),
        createdAt: r.created_at.toISOString(),
        requestId: r.request_id,
        remoteAddr: r.remote_addr,
        operation: r.operation,
        level: r.level,
        summary: r.summary,
        status: r.status,
        request: r.request as Record<string, unknown>,
        response: r.response as Record<string, unknown>,
      })),
    };
  },

  clear(db: Db, webserviceId: number) {
    return db.deleteFrom('webservice_debug_log').where('webservice_id', '=', webserviceId).execute();
  },
};
