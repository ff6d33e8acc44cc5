/**
 * The one way anything in the product sends an email: `queueMail` writes the mail as a durable job
 * (kind `mail`) in the caller's transaction, so a mail exists exactly when the article, event or
 * notification that causes it is committed. Its Message-ID is fixed here, when the job is made, so a
 * crash between sending and marking the job done never produces two different mails (the job kind
 * `job-kinds/mail.ts` sends it over SMTP or into the outbox folder and records the server's answer).
 *
 * Features (replies, process actions, notifications, auto responses, SLA escalations, reminders,
 * reports, two-factor codes) call this; none sends mail itself.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';

/** An attachment carried by value (base64), e.g. a report or an article's file. */
export interface MailAttachment {
  filename: string;
  contentType: string;
  /** The file's bytes, base64. */
  content: string;
  /** Set for inline images referenced as `cid:` from the HTML part. */
  cid?: string;
}

/** A mail to send; addresses are already resolved (`Name <addr>` or `addr`). */
export interface OutgoingMail {
  /** What caused it, for the mail log: `reply`, `forward`, `redirect`, `process`, `notification`, `auto-response`, `password-reset`, ... */
  purpose: string;
  /** From address; default: the system address `MAIL_FROM`. */
  from?: string;
  to: string[];
  cc?: string[];
  bcc?: string[];
  replyTo?: string;
  subject: string;
  /** Plain-text part (always sent). */
  text: string;
  /** HTML part (sanitised HTML; sent as the alternative to `text`). */
  html?: string;
  /** Message-ID (with angle brackets) this answers. */
  inReplyTo?: string;
  /** Message-IDs of the thread, oldest first. */
  references?: string[];
  /** Automatic mail (notifications, auto responses): adds `Auto-Submitted: auto-generated`. */
  auto?: boolean;
  /** Further headers (names and values without CR/LF). */
  headers?: Record<string, string>;
  attachments?: MailAttachment[];
  /** The ticket and article this mail belongs to, if any (delivery state is shown on the article). */
  ticketId?: number;
  articleId?: number;
  /** SMTP envelope sender when it differs from `from` (a redirect keeps the original From). */
  envelopeFrom?: string;
}

/** The payload stored in `jobs.payload` for kind `mail`. */
export interface MailJobPayload extends OutgoingMail {
  messageId: string;
}

/** The domain of our Message-IDs: `MAIL_DOMAIN`, else the domain of `MAIL_FROM`, else `localhost`. */
export function mailDomain(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MAIL_DOMAIN) return env.MAIL_DOMAIN;
  const from = env.MAIL_FROM ?? '';
  const m = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from);
  return m ? m[1]! : 'localhost';
}

/** A new Message-ID in our domain, with angle brackets. */
export function newMessageId(domain = mailDomain()): string {
  return `<${Date.now().toString(36)}.${randomBytes(8).toString('hex')}@${domain}>`;
}

/**
 * Queues `mail` as a job in `db` (pass the transaction of the change that causes the mail) and
 * resolves to its job id and Message-ID.
 *
 * @example
 * await db.transaction().execute(async (trx) => {
 *   const articleId = await addArticle(trx, ...);
 *   const { messageId } = await queueMail(trx, { purpose: 'reply', to: ['kim@example.com'], subject, text, ticketId, articleId });
 * });
 */
export async function queueMail(
  db: Kysely<DB> | Transaction<DB>,
  mail: OutgoingMail,
  opts: { now?: Date; messageId?: string; maxAttempts?: number } = {},
): Promise<{ jobId: string; messageId: string }> {
  const now = opts.now ?? new Date();
  const messageId = opts.messageId ?? newMessageId();
  const payload: MailJobPayload = { ...mail, messageId };
  const row = await db
    .insertInto('jobs')
    .values({ kind: 'mail', instance_id: null, key: `mail:${messageId}`, payload: JSON.stringify(payload), max_attempts: opts.maxAttempts ?? 10, run_at: now, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  // The mail log shows it from now on (queued), and the article's delivery state with it.
  await db
    .insertInto('mail_log')
    .values({
      message_id: messageId, job_id: String(row.id), purpose: mail.purpose, ticket_id: mail.ticketId ?? null, article_id: mail.articleId ?? null,
      from_addr: mail.from ?? '', to_addr: mail.to.join(', '), cc_addr: (mail.cc ?? []).join(', '), bcc_addr: (mail.bcc ?? []).join(', '),
      subject: mail.subject, status: 'queued', transport: null, answer: null, file: null, raw: null, created_at: now, changed_at: now,
    })
    .execute();
  // The article carries the Message-ID it went out with, like a received mail carries its own: an
  // answer's In-Reply-To/References find the ticket by it (inbound follow-up check), and our replies
  // thread on it. The first mail of an article names it (a redirect resends the original's).
  if (mail.articleId) await db.updateTable('articles').set({ message_id: messageId }).where('id', '=', mail.articleId).where('message_id', 'is', null).execute();
  return { jobId: String(row.id), messageId };
}
