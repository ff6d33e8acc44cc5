/**
 * The web channel: a row in `notifications` per recipient (the bell), announced to the live
 * streams of every server process once the transaction commits.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { announceNotifications } from '../../live/notify';

export interface WebNotification {
  recipient: { kind: 'agent' | 'customer'; id: number };
  event: string;
  ticketId: number | null;
  articleId?: number | null;
  title: string;
  body: string;
}

/** Longest body kept for the bell (the full text is the ticket itself). */
const BODY_CHARS = 500;

export async function sendWeb(db: Kysely<DB>, items: WebNotification[], now: Date): Promise<void> {
  if (!items.length) return;
  const rows = await db
    .insertInto('notifications')
    .values(
      items.map((n) => ({
        recipient_kind: n.recipient.kind,
        recipient_id: n.recipient.id,
        event: n.event,
        ticket_id: n.ticketId,
        article_id: n.articleId ?? null,
        title: n.title.replace(/\s+/g, ' ').trim().slice(0, 300),
        body: n.body.length > BODY_CHARS ? `${n.body.slice(0, BODY_CHARS - 1)}…` : n.body,
        created_at: now,
      })),
    )
    .returning('id')
    .execute();
  await announceNotifications(db, rows.map((r) => r.id));
}
