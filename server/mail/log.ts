/**
 * The mail log's queries: record each attempt's outcome by Message-ID (the row was made when the
 * mail was queued), list it for admins, read one message's raw source, and the delivery state of
 * articles for the article view.
 */
import { sql, type Kysely } from 'kysely';
import type { DB, MailStatus } from '../db/schema';

export interface MailLogItem {
  id: number;
  messageId: string;
  purpose: string;
  ticketId: number | null;
  articleId: number | null;
  from: string;
  to: string;
  cc: string;
  bcc: string;
  subject: string;
  status: MailStatus;
  transport: string | null;
  answer: string | null;
  attempts: number;
  file: string | null;
  createdAt: string;
  changedAt: string;
  emlUrl: string | null;
}

export interface ArticleDelivery {
  status: MailStatus;
  messageId: string;
  answer: string | null;
  at: string;
}

/** Records the outcome of an attempt at mail `messageId`. */
export async function recordAttempt(
  db: Kysely<DB>,
  messageId: string,
  r: { status: MailStatus; transport: string | null; answer: string; attempts: number; from?: string; raw?: Buffer; file?: string | null },
  now: Date,
): Promise<void> {
  await db
    .updateTable('mail_log')
    .set({
      status: r.status,
      transport: r.transport,
      answer: r.answer.slice(0, 2000),
      attempts: r.attempts,
      changed_at: now,
      ...(r.from ? { from_addr: r.from } : {}),
      ...(r.raw ? { raw: r.raw } : {}),
      ...(r.file !== undefined ? { file: r.file } : {}),
    })
    .where('message_id', '=', messageId)
    .execute();
}

/** The status of mail `messageId` (undefined when it is not in the log). */
export async function mailStatus(db: Kysely<DB>, messageId: string): Promise<MailStatus | undefined> {
  const r = await db.selectFrom('mail_log').select('status').where('message_id', '=', messageId).executeTakeFirst();
  return r?.status;
}

const cols = ['id', 'message_id', 'purpose', 'ticket_id', 'article_id', 'from_addr', 'to_addr', 'cc_addr', 'bcc_addr', 'subject', 'status', 'transport', 'answer', 'attempts', 'file', 'created_at', 'changed_at'] as const;

/** A page of the mail log, newest first. */
export async function listMailLog(db: Kysely<DB>, q: { page: number; perPage: number; status?: MailStatus; ticketId?: number }): Promise<{ items: MailLogItem[]; total: number }> {
  const base = db
    .selectFrom('mail_log')
    .$if(q.status !== undefined, (b) => b.where('status', '=', q.status!))
    .$if(q.ticketId !== undefined, (b) => b.where('ticket_id', '=', q.ticketId!));
  const { total } = await base.select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow();
  const rows = await base
    .select(cols)
    .select(sql<boolean>`raw is not null`.as('has_raw'))
    .orderBy('id', 'desc')
    .limit(q.perPage)
    .offset((q.page - 1) * q.perPage)
    .execute();
  return {
    total,
    items: rows.map((r) => ({
      id: Number(r.id),
      messageId: r.message_id,
      purpose: r.purpose,
      ticketId: r.ticket_id,
      articleId: r.article_id,
      from: r.from_addr,
      to: r.to_addr,
      cc: r.cc_addr,
      bcc: r.bcc_addr,
      subject: r.subject,
      status: r.status,
      transport: r.transport,
      answer: r.answer,
      attempts: r.attempts,
      file: r.file,
      createdAt: r.created_at.toISOString(),
      changedAt: r.changed_at.toISOString(),
      emlUrl: r.has_raw ? `/api/v1/mail/log/${r.id}/eml` : null,
    })),
  };
}

/** The raw message of log entry `id` and a file name for it. */
export async function mailLogRaw(db: Kysely<DB>, id: number): Promise<{ raw: Uint8Array; file: string } | undefined> {
  const r = await db.selectFrom('mail_log').select(['raw', 'file', 'id']).where('id', '=', String(id) as never).executeTakeFirst();
  if (!r?.raw) return undefined;
  return { raw: r.raw, file: r.file ?? `mail-${r.id}.eml` };
}

/** The delivery state of each of `articleIds` that was mailed (the latest mail of the article). */
export async function articleDeliveries(db: Kysely<DB>, articleIds: number[]): Promise<Map<number, ArticleDelivery>> {
  const out = new Map<number, ArticleDelivery>();
  if (!articleIds.length) return out;
  const rows = await db
    .selectFrom('mail_log')
    .select(['article_id', 'status', 'message_id', 'answer', 'changed_at'])
    .where('article_id', 'in', articleIds)
    .orderBy('id')
    .execute();
  for (const r of rows) out.set(r.article_id!, { status: r.status, messageId: r.message_id, answer: r.answer, at: r.changed_at.toISOString() });
  return out;
}

/** The Message-ID of article `articleId`: the one it was received with, or our first mail of it. */
export async function articleMessageId(db: Kysely<DB>, articleId: number): Promise<string | undefined> {
  const r = await db.selectFrom('articles').select('message_id').where('id', '=', articleId).executeTakeFirst();
  return r?.message_id ?? undefined;
}
