/** Typed queries for identities, sessions, API tokens and login throttling. */
import { sql, type Insertable, type Kysely } from 'kysely';
import type { DB, SessionsTable } from '../db/schema';

export type Db = Kysely<DB>;

export const authRepo = {
  agentByLogin(db: Db, login: string) {
    return db.selectFrom('agents').selectAll().where(sql`lower(login)`, '=', login.toLowerCase()).executeTakeFirst();
  },
  agentById(db: Db, id: number) {
    return db.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirst();
  },
  customerUserByLogin(db: Db, login: string) {
    return db
      .selectFrom('customer_users')
      .selectAll()
      .where(sql`lower(login)`, '=', login.toLowerCase())
      .executeTakeFirst();
  },
  customerUserById(db: Db, id: number) {
    return db.selectFrom('customer_users').selectAll().where('id', '=', id).executeTakeFirst();
  },

  throttle(db: Db, key: string) {
    return db.selectFrom('login_throttle').selectAll().where('key', '=', key).executeTakeFirst();
  },
  /**
   * Counts one more attempt, locking the key when `max` is reached; returns the new row. Counting
   * starts again from one after a lock has expired, and (with `resetBefore`) when the previous
   * attempt was before that instant, so only attempts close together add up.
   */
  recordFailure(db: Db, key: string, now: Date, max: number, lockUntil: Date, resetBefore?: Date) {
    const fresh = sql<boolean>`((login_throttle.locked_until is not null and login_throttle.locked_until <= ${now})
      or (${resetBefore ?? null}::timestamptz is not null and login_throttle.last_failure_at < ${resetBefore ?? null}::timestamptz))`;
    return db
      .insertInto('login_throttle')
      .values({ key, failures: 1, last_failure_at: now, locked_until: max <= 1 ? lockUntil : null })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          failures: sql<number>`case when ${fresh} then 1 else login_throttle.failures + 1 end`,
          last_failure_at: now,
          locked_until: sql<Date | null>`case
            when ${fresh} then ${max <= 1 ? lockUntil : null}::timestamptz
            when login_throttle.failures + 1 >= ${max} then ${lockUntil}::timestamptz
            else login_throttle.locked_until end`,
        }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
  },
  clearFailures(db: Db, key: string) {
    return db.deleteFrom('login_throttle').where('key', '=', key).execute();
  },

  insertSession(db: Db, row: Insertable<SessionsTable>) {
    return db.insertInto('sessions').values(row).execute();
  },
  sessionByHash(db: Db, idHash: string) {
    return db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
  },
  touchSession(db: Db, idHash: string, now: Date, expiresAt: Date) {
    return db.updateTable('sessions').set({ last_seen_at: now, expires_at: expiresAt }).where('id_hash', '=', idHash).execute();
  },
  deleteSession(db: Db, idHash: string) {
    return db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
  },
  sessionsOf(db: Db, kind: 'agent' | 'customer', id: number, now: Date) {
    return db
      .selectFrom('sessions')
      .select(['id_hash', 'created_at', 'last_seen_at', 'expires_at', 'user_agent', 'remote_addr'])
      .where('subject_kind', '=', kind)
      .where('subject_id', '=', id)
      .where('expires_at', '>', now)
      .orderBy('last_seen_at', 'desc')
      .execute();
  },
  /** Ends one session of the user, named by the start of its hash (`GET /auth/sessions` shows it). */
  deleteSessionOf(db: Db, kind: 'agent' | 'customer', id: number, hashPrefix: string) {
    return db
      .deleteFrom('sessions')
      .where('subject_kind', '=', kind)
      .where('subject_id', '=', id)
      .where(sql<string>`left(id_hash, ${hashPrefix.length})`, '=', hashPrefix)
      .executeTakeFirst();
  },
  deleteExpiredSessions(db: Db, now: Date) {
    return db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
  },

  insertToken(db: Db, row: { agent_id: number; name: string; token_hash: string; prefix: string; expires_at: Date | null }) {
    return db
      .insertInto('api_tokens')
      .values(row)
      .returning(['id', 'name', 'prefix', 'created_at', 'expires_at'])
      .executeTakeFirstOrThrow();
  },
  tokenByHash(db: Db, tokenHash: string) {
    return db.selectFrom('api_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  },
  tokensOfAgent(db: Db, agentId: number) {
    return db
      .selectFrom('api_tokens')
      .select(['id', 'name', 'prefix', 'created_at', 'last_used_at', 'expires_at', 'revoked_at'])
      .where('agent_id', '=', agentId)
      .orderBy('id')
      .execute();
  },
  markTokenUsed(db: Db, id: number, now: Date) {
    return db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
  },
  revokeToken(db: Db, id: number, agentId: number, now: Date) {
    return db
      .updateTable('api_tokens')
      .set({ revoked_at: now })
      .where('id', '=', id)
      .where('agent_id', '=', agentId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
  },
};
