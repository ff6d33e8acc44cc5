/**
 * Problem mails: a mail that could not be parsed or processed is kept raw with a code and a reason,
 * listed for administrators (`/api/v1/mail/problems`), downloadable, and reprocessable once the
 * cause is fixed (a queue created, a limit raised). Keeping one is a single insert, outside the
 * failed mail's transaction.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { IncomingMail, MailProblem, ParsedMail } from './types';

/** From, Subject and Message-ID read cheaply from the raw header (for a mail that did not parse). */
export function sketchHeader(raw: Buffer): { from: string; subject: string; messageId: string | null } {
  const head = raw.subarray(0, 65536).toString('latin1').split(/\r?\n\r?\n/)[0] ?? '';
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const get = (name: string) => new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(unfolded)?.[1]?.trim() ?? '';
  const mid = /<[^<>\s]+>/.exec(get('Message-ID'))?.[0] ?? null;
  return { from: get('From').slice(0, 500), subject: get('Subject').slice(0, 500), messageId: mid };
}

export async function keepProblem(db: Kysely<DB>, mail: IncomingMail, problem: MailProblem, parsed: ParsedMail | undefined, now: Date): Promise<number> {
  const sketch = parsed ? { from: parsed.from?.address ?? '', subject: parsed.subject, messageId: parsed.messageId } : sketchHeader(mail.raw);
  const { id } = await db
    .insertInto('problem_mails')
    .values({
      source: mail.source,
      code: problem.code,
      reason: problem.message.slice(0, 2000),
      raw: mail.raw,
      size: mail.raw.length,
      from_addr: sketch.from,
      subject: sketch.subject,
      message_id: sketch.messageId,
      queue_id: mail.queueId ?? null,
      received_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}
