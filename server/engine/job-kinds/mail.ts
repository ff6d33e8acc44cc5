/**
 * Mail jobs (made by `mail/queue.ts`'s `queueMail`): compose the message with its fixed
 * Message-ID, send it over SMTP or write it into the outbox, and record the outcome in the mail
 * log (the server's answer, the raw message). There is no instance event: `run` resolves to null.
 *
 * - Temporary failures (a 4xx answer, no connection, a timeout) are tried again with an exponential
 *   backoff (`MAIL_RETRY_BASE_MS`, doubling, at most 1 h) until the job's attempts run out.
 * - A permanent failure (a 5xx answer, an address the composer refuses) or the last failed attempt
 *   marks the mail `failed` and its article "not delivered" with the server's answer in the ticket
 *   history: never a silent drop.
 * - At least once: a mail already logged as sent/written is not sent again; a crash after the server
 *   accepted it but before the log says so sends it again, with the same Message-ID and Date, so
 *   the receiving side sees one message twice (mail clients and our inbound side de-duplicate by
 *   Message-ID), never two different mails.
 */
import { writeHistory } from '../../history/history';
import { composeMail, type ComposedMail } from '../../mail/compose';
import { mailStatus, recordAttempt } from '../../mail/log';
import type { MailJobPayload } from '../../mail/queue';
import { deliver, MailSendFailed } from '../../mail/transport';
import type { Services } from '../../services';
import type { JobRow } from '../jobs';
import { RetryJob, type JobKind } from './types';

const RETRY_CAP_MS = 3_600_000;

/** The wait after failed attempt `attempt`: base · 2^(attempt-1), at most 1 h. */
export function mailRetryDelay(baseMs: number, attempt: number): number {
  return Math.min(RETRY_CAP_MS, baseMs * 2 ** Math.max(0, attempt - 1));
}

async function failed(services: Services, job: JobRow, p: MailJobPayload, answer: string, transport: string | null, composed?: ComposedMail): Promise<void> {
  const db = services.database.db;
  const now = services.now();
  await db.transaction().execute(async (trx) => {
    await recordAttempt(trx, p.messageId, { status: 'failed', transport, answer, attempts: job.attempts, ...(composed ? { raw: composed.raw } : {}) }, now);
    if (p.ticketId === undefined) return;
    const exists = await trx.selectFrom('tickets').select('id').where('id', '=', p.ticketId).executeTakeFirst();
    if (!exists) return;
    await writeHistory(
      trx,
      [{ ticketId: p.ticketId, articleId: p.articleId ?? null, type: 'Misc', field: 'MailDelivery', message: `Mail "${p.subject}" to ${p.to.join(', ')} was not delivered: ${answer}`, data: { messageId: p.messageId, answer, attempts: job.attempts } }],
      { kind: 'system', id: null },
      now,
    );
  });
  services.log.warn({ messageId: p.messageId, answer, jobId: job.id }, 'mail not delivered');
}

export const mailJob: JobKind = {
  async run(job, payload, env) {
    const { services } = env;
    const p = payload as MailJobPayload;
    const cfg = services.config.mailOut;
    const db = services.database.db;
    const status = await mailStatus(db, p.messageId);
    if (status === 'sent' || status === 'written' || status === 'failed') return null; // done before a crash

    let composed: ComposedMail;
    try {
      composed = await composeMail(p, cfg.from, job.created_at);
    } catch (e) {
      await failed(services, job, p, `the mail could not be composed: ${e instanceof Error ? e.message : String(e)}`, null);
      return null;
    }
    try {
      const r = await deliver(cfg, composed, p.messageId, job.created_at);
      await recordAttempt(db, p.messageId, { status: r.transport === 'smtp' ? 'sent' : 'written', transport: r.transport, answer: r.answer, attempts: job.attempts, from: p.from || cfg.from, raw: composed.raw, file: r.file ?? null }, services.now());
      return null;
    } catch (e) {
      const err = e instanceof MailSendFailed ? e : new MailSendFailed(e instanceof Error ? e.message : String(e), false, e instanceof Error ? e.message : String(e));
      const transport = cfg.smtpUrl ? 'smtp' : 'outbox';
      if (err.permanent || job.attempts >= job.max_attempts) {
        await failed(services, job, p, err.permanent ? err.answer : `${err.answer} (gave up after ${job.attempts} attempts)`, transport, composed);
        return null;
      }
      await recordAttempt(db, p.messageId, { status: 'retrying', transport, answer: err.answer, attempts: job.attempts }, services.now());
      throw new RetryJob(err.answer, mailRetryDelay(cfg.retryBaseMs, job.attempts));
    }
  },
};
