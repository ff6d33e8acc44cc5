/**
 * The email channel: one mail per agent, queued as a durable `mail` job in the event's transaction
 * (the outbound mail job sends it). Marked automatic (`Auto-Submitted`), so mail robots do not
 * answer it; names and subjects lose CR/LF so nothing can inject a header.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { queueMail } from '../../mail/queue';

export interface EmailNotification {
  to: { name: string; email: string };
  subject: string;
  text: string;
  ticketId: number | null;
  articleId?: number | null;
  /** The notification's key, for the mail log. */
  key: string;
}

const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ').trim();

/** `"Name" <addr>` with the name quoted and stripped of what could break the header. */
export function mailbox(name: string, email: string): string {
  const n = oneLine(name).replace(/["\\<>]/g, '');
  return n ? `"${n}" <${oneLine(email)}>` : oneLine(email);
}

export async function sendEmail(db: Kysely<DB>, n: EmailNotification, now: Date): Promise<void> {
  await queueMail(
    db,
    {
      purpose: 'notification',
      to: [mailbox(n.to.name, n.to.email)],
      subject: oneLine(n.subject).slice(0, 900),
      text: n.text,
      auto: true,
      headers: { 'X-Helpdesk-Notification': n.key },
      ...(n.ticketId !== null ? { ticketId: n.ticketId } : {}),
      ...(n.articleId ? { articleId: n.articleId } : {}),
    },
    { now },
  );
}
