/**
 * What every ticket write carries through its transaction: the transaction itself, the caller's
 * access decisions bound to it, who is acting (for history) and one timestamp for the whole change.
 */
import type { Kysely } from 'kysely';
import type { Access } from '../access/access';
import type { Actor } from '../auth/actor';
import type { Config } from '../config';
import type { DB } from '../db/schema';
import { historyActor, type HistoryActor } from '../history/history';

export interface WriteContext {
  /** The transaction: use it, never the pool, for every query of the change. */
  db: Kysely<DB>;
  /** The caller's access, querying through `db`. */
  access: Access;
  actor: Actor;
  by: HistoryActor;
  now: Date;
  config: Config;
}

/** The dependencies of the ticket and article services (a subset of `Services`). */
export interface TicketDeps {
  database: { db: Kysely<DB> };
  config: Config;
  now: () => Date;
}

/**
 * A write context inside a transaction someone else opened (the process engine persists its own
 * state in the same transaction). `by` overrides who history names, e.g. `{ kind: 'system', id: null }`
 * when the engine acts with an agent's permissions.
 */
export function contextFor(trx: Kysely<DB>, access: Access, deps: Pick<TicketDeps, 'config' | 'now'>, by?: HistoryActor): WriteContext {
  const actor = access.requireActor();
  return { db: trx, access: access.using(trx), actor, by: by ?? historyActor(actor), now: deps.now(), config: deps.config };
}

/** Runs `fn` in one transaction with a write context for the caller (401 without one). */
export async function inTransaction<T>(deps: TicketDeps, access: Access, fn: (ctx: WriteContext) => Promise<T>): Promise<T> {
  const actor = access.requireActor();
  const now = deps.now();
  return deps.database.db.transaction().execute((trx) =>
    fn({ db: trx, access: access.using(trx), actor, by: historyActor(actor), now, config: deps.config }),
  );
}
