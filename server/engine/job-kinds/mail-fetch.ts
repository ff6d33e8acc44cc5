/**
 * Mail-fetch jobs: fetch one mail account (server/mail/inbound/fetch.ts), record the time and any
 * error on the account, and schedule the next fetch after the account's interval. A failed fetch is
 * recorded and retried at the next interval (not by the job's own retries: the account says how often).
 */
import { sql } from 'kysely';
import { loadInboundConfig } from '../../mail/inbound/config';
import { fetchAccount } from '../../mail/inbound/fetch';
import type { JobKind } from './types';

export const MAIL_FETCH = 'mail-fetch';

/** Schedules the next fetch of an account at `at` (one job per account and time). */
export async function scheduleMailFetch(db: import('kysely').Kysely<import('../../db/schema').DB>, accountId: number, at: Date): Promise<void> {
  await db
    .insertInto('jobs')
    .values({ kind: MAIL_FETCH, instance_id: null, key: `mail-fetch:${accountId}:${at.getTime()}`, payload: JSON.stringify({ accountId }), max_attempts: 1, run_at: at, created_at: at })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}

export const mailFetchJob: JobKind = {
  async run(_job, payload, { services }) {
    const { accountId } = payload as { accountId: number };
    const db = services.database.db;
    const account = await db.selectFrom('mail_accounts').selectAll().where('id', '=', accountId).executeTakeFirst();
    if (!account || !account.valid) return null;
    const now = services.now();
    let error: string | null = null;
    try {
      await fetchAccount(services, account, loadInboundConfig());
    } catch (e) {
      error = (e as Error).message.slice(0, 2000);
      services.log.warn({ account: account.name, err: e }, 'mail fetch failed');
    }
    await db.updateTable('mail_accounts').set({ last_fetch_at: now, last_error: error }).where('id', '=', accountId).execute();
    const pending = await db.selectFrom('jobs').select(sql<string>`count(*)`.as('n')).where('kind', '=', MAIL_FETCH).where('status', '=', 'ready').where(sql<boolean>`payload->>'accountId' = ${String(accountId)}`).executeTakeFirstOrThrow();
    if (Number(pending.n) === 0) await scheduleMailFetch(db, accountId, new Date(services.now().getTime() + account.interval_seconds * 1000));
    return null;
  },
};
