/** Queries of the web notifications (the bell): list, count unread, mark read, and the view shape. */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';

export interface Recipient {
  kind: 'agent' | 'customer';
  id: number;
}

export interface NotificationView {
  id: number;
  event: string;
  ticketId: number | null;
  ticketNumber: string | null;
  articleId: number | null;
  title: string;
  body: string;
  createdAt: string;
  read: boolean;
}

function base(db: Kysely<DB>) {
  return db
    .selectFrom('notifications as n')
    .leftJoin('tickets as t', 't.id', 'n.ticket_id')
    .select(['n.id', 'n.event', 'n.ticket_id', 't.tn', 'n.article_id', 'n.title', 'n.body', 'n.created_at', 'n.read_at', 'n.recipient_kind', 'n.recipient_id']);
}

type Row = Awaited<ReturnType<ReturnType<typeof base>['execute']>>[number];

const view = (r: Row): NotificationView => ({
  id: r.id,
  event: r.event,
  ticketId: r.ticket_id,
  ticketNumber: r.tn,
  articleId: r.article_id,
  title: r.title,
  body: r.body,
  createdAt: new Date(r.created_at).toISOString(),
  read: r.read_at !== null,
});

/** The recipient's notifications, newest first; `before` pages on (ids below it). */
export async function listNotifications(db: Kysely<DB>, who: Recipient, opts: { limit: number; before?: number; unread?: boolean }): Promise<NotificationView[]> {
  let q = base(db).where('n.recipient_kind', '=', who.kind).where('n.recipient_id', '=', who.id);
  if (opts.before !== undefined) q = q.where('n.id', '<', opts.before);
  if (opts.unread) q = q.where('n.read_at', 'is', null);
  return (await q.orderBy('n.id', 'desc').limit(opts.limit).execute()).map(view);
}

export async function unreadCount(db: Kysely<DB>, who: Recipient): Promise<number> {
  const r = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('recipient_kind', '=', who.kind)
    .where('recipient_id', '=', who.id)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The notifications with these ids, with their recipients (for live delivery). */
export async function notificationsByIds(db: Kysely<DB>, ids: number[]): Promise<Array<{ recipient: Recipient; view: NotificationView }>> {
  if (!ids.length) return [];
  const rows = await base(db).where('n.id', 'in', ids).orderBy('n.id').execute();
  return rows.map((r) => ({ recipient: { kind: r.recipient_kind, id: r.recipient_id }, view: view(r) }));
}

/** Marks one (resolves to whether it is the recipient's) or all of the recipient's notifications read. */
export async function markRead(db: Kysely<DB>, who: Recipient, id: number | 'all', now: Date): Promise<boolean> {
  let q = db.updateTable('notifications').set({ read_at: now }).where('recipient_kind', '=', who.kind).where('recipient_id', '=', who.id);
  if (id === 'all') {
    await q.where('read_at', 'is', null).execute();
    return true;
  }
  q = q.where('id', '=', id);
  const exists = await db.selectFrom('notifications').select('read_at').where('id', '=', id).where('recipient_kind', '=', who.kind).where('recipient_id', '=', who.id).executeTakeFirst();
  if (!exists) return false;
  if (exists.read_at === null) await q.execute();
  return true;
}
