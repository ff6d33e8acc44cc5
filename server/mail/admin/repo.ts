/**
 * Typed queries of the inbound-mail admin API: rows of mail accounts, postmaster filters, auto
 * responses, system addresses and problem mails with their queue names, name lookups, and the
 * pending `mail-fetch` jobs of an account.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { MAIL_FETCH } from '../../engine/job-kinds/mail-fetch';

type Db = Kysely<DB>;

export const accountRows = (db: Db) => db.selectFrom('mail_accounts as a').leftJoin('queues as q', 'q.id', 'a.queue_id').selectAll('a').select('q.name as queue_name');
export type AccountRow = Awaited<ReturnType<ReturnType<typeof accountRows>['executeTakeFirstOrThrow']>>;

export const filterRows = (db: Db) => db.selectFrom('postmaster_filters').selectAll();

export const responseRows = (db: Db) => db.selectFrom('auto_responses as r').innerJoin('queues as q', 'q.id', 'r.queue_id').selectAll('r').select('q.name as queue_name');
export type ResponseRow = Awaited<ReturnType<ReturnType<typeof responseRows>['executeTakeFirstOrThrow']>>;

export const addressRows = (db: Db) => db.selectFrom('system_addresses as s').innerJoin('queues as q', 'q.id', 's.queue_id').selectAll('s').select('q.name as queue_name');
export type AddressRow = Awaited<ReturnType<ReturnType<typeof addressRows>['executeTakeFirstOrThrow']>>;

/** Problem mails still waiting (not reprocessed), without their raw bytes. */
export const problemRows = (db: Db) =>
  db
    .selectFrom('problem_mails as p')
    .leftJoin('queues as q', 'q.id', 'p.queue_id')
    .select(['p.id', 'p.source', 'p.code', 'p.reason', 'p.size', 'p.from_addr', 'p.subject', 'p.message_id', 'p.queue_id', 'p.received_at', 'q.name as queue_name'])
    .where('p.status', '=', 'new');
export type ProblemRow = Awaited<ReturnType<ReturnType<typeof problemRows>['executeTakeFirstOrThrow']>>;

export async function idByName(db: Db, table: 'queues' | 'states' | 'priorities', name: string): Promise<number | undefined> {
  return (await db.selectFrom(table).select('id').where('name', '=', name).executeTakeFirst())?.id;
}

export async function agentByLogin(db: Db, login: string): Promise<number | undefined> {
  return (await db.selectFrom('agents').select('id').where('login', '=', login).executeTakeFirst())?.id;
}

/** Removes the fetch jobs of an account that have not started. */
export async function dropPendingFetches(db: Db, accountId: number): Promise<void> {
  await db.deleteFrom('jobs').where('kind', '=', MAIL_FETCH).where('status', '=', 'ready').where(sql<boolean>`payload->>'accountId' = ${String(accountId)}`).execute();
}

export async function pendingFetches(db: Db, accountId: number): Promise<number> {
  const r = await db.selectFrom('jobs').select(sql<string>`count(*)`.as('n')).where('kind', '=', MAIL_FETCH).where('status', 'in', ['ready', 'running']).where(sql<boolean>`payload->>'accountId' = ${String(accountId)}`).executeTakeFirstOrThrow();
  return Number(r.n);
}
