/**
 * Builds the raw message (RFC 5322) of a queued mail with nodemailer's MailComposer: the fixed
 * Message-ID, Date (the time the mail was queued, so every attempt builds the same mail),
 * In-Reply-To / References, `Auto-Submitted: auto-generated`, `X-Loop` and
 * `X-Auto-Response-Suppress` on automatic mail, the text part with the HTML alternative, and the
 * attachments (inline ones by `cid:`). The same bytes go to the SMTP server or into the outbox.
 */
import MailComposer from 'nodemailer/lib/mail-composer';
import { parseAddresses } from './address';
import type { MailJobPayload } from './queue';

export interface ComposedMail {
  raw: Buffer;
  /** The SMTP envelope: sender and every recipient (Bcc included; Bcc is not a header). */
  envelope: { from: string; to: string[] };
}

/** The system address as an address only. */
export function addressOnly(from: string): string {
  return parseAddresses(from, '/from')[0]?.address ?? from;
}

/**
 * Composes `mail` (from `defaultFrom` when it names none) as it was queued at `date`.
 *
 * @example
 * const { raw, envelope } = await composeMail(payload, 'helpdesk@example.com', job.created_at);
 */
export async function composeMail(mail: MailJobPayload, defaultFrom: string, date: Date): Promise<ComposedMail> {
  const from = mail.from || defaultFrom;
  const headers: Record<string, string> = { ...(mail.headers ?? {}) };
  if (mail.auto) {
    headers['Auto-Submitted'] = 'auto-generated';
    headers['X-Auto-Response-Suppress'] = 'All';
    headers['X-Loop'] = addressOnly(defaultFrom);
  }
  const composer = new MailComposer({
    from,
    to: mail.to,
    ...(mail.cc?.length ? { cc: mail.cc } : {}),
    ...(mail.bcc?.length ? { bcc: mail.bcc } : {}),
    ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
    subject: mail.subject,
    text: mail.text,
    ...(mail.html ? { html: mail.html } : {}),
    messageId: mail.messageId,
    date,
    ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
    ...(mail.references?.length ? { references: mail.references } : {}),
    headers,
    attachments: (mail.attachments ?? []).map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: Buffer.from(a.content, 'base64'),
      ...(a.cid ? { cid: a.cid, contentDisposition: 'inline' as const } : {}),
    })),
  });
  const raw = await new Promise<Buffer>((resolve, reject) => composer.compile().build((err, buf) => (err ? reject(err) : resolve(buf))));
  const to = [...(mail.to ?? []), ...(mail.cc ?? []), ...(mail.bcc ?? [])].flatMap((t) => parseAddresses(t, '/to').map((a) => a.address));
  return { raw, envelope: { from: mail.envelopeFrom ?? addressOnly(from), to } };
}
