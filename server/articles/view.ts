/**
 * The article view: article columns, who wrote it, attachment metadata (never the bytes), the
 * calling agent's seen flag and article dynamic fields. Built for a page of articles at once.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { getValues } from '../dynamic-fields/values';
import { articleDeliveries, type ArticleDelivery } from '../mail/log';

export interface ArticleView {
  id: number;
  ticketId: number;
  originalTicketId: number | null;
  channel: string;
  senderType: string;
  direction: string;
  visibleForCustomer: boolean;
  from: string;
  to: string;
  cc: string;
  subject: string;
  contentType: 'text/plain' | 'text/html';
  bodyText: string;
  bodyHtml: string | null;
  important: boolean;
  /** The mail's Message-ID (received or sent mail), else null. */
  messageId: string | null;
  /** `unexpected-sender`: a mail follow-up from someone outside the thread. */
  flag: string | null;
  timeUnits: number;
  createdAt: string;
  createdBy: { kind: 'agent' | 'customer'; id: number; name: string } | null;
  seen: boolean;
  attachments: Array<{ position: number; filename: string; contentType: string; size: number; sha256: string; inline: boolean; contentId: string | null; url: string }>;
  dynamicFields: Record<string, unknown>;
  /** Set for articles that went out by mail: queued, sent, written to the outbox, or failed (not delivered, with the server's answer). */
  delivery?: ArticleDelivery;
}

/** The article columns and author names of a query over `articles as a`. */
export function articleQuery(db: Kysely<DB>) {
  return db
    .selectFrom('articles as a')
    .leftJoin('agents as ag', 'ag.id', 'a.created_by_agent_id')
    .leftJoin('customer_users as cu', 'cu.id', 'a.created_by_customer_user_id')
    .selectAll('a')
    .select([
      sql<string | null>`ag.first_name || ' ' || ag.last_name`.as('agent_name'),
      sql<string | null>`cu.first_name || ' ' || cu.last_name`.as('customer_name'),
    ]);
}

export type ArticleRow = Awaited<ReturnType<ReturnType<typeof articleQuery>['executeTakeFirstOrThrow']>>;

/**
 * Views of `rows`. `agentId` is the caller when an agent (for seen flags); customers see every
 * article as seen. `fieldScope` picks the dynamic fields: internal ones too, or only customer-visible ones.
 */
export async function articleViews(db: Kysely<DB>, rows: ArticleRow[], agentId: number | null, fieldScope: { includeInternal?: boolean; customerVisibleOnly?: boolean }): Promise<ArticleView[]> {
  const ids = rows.map((r) => r.id);
  if (!ids.length) return [];
  const attachments = await db
    .selectFrom('attachments')
    .select(['article_id', 'position', 'filename', 'content_type', 'size', 'sha256', 'inline', 'content_id'])
    .where('article_id', 'in', ids)
    .orderBy('article_id')
    .orderBy('position')
    .execute();
  const seen = new Set(
    agentId === null
      ? ids
      : (await db.selectFrom('article_flags').select('article_id').where('agent_id', '=', agentId).where('article_id', 'in', ids).execute()).map((r) => r.article_id),
  );
  const fields = await getValues(db, 'article', ids, fieldScope);
  const deliveries = await articleDeliveries(db, rows.filter((r) => r.channel === 'email' && r.direction === 'outgoing').map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    ticketId: r.ticket_id,
    originalTicketId: r.original_ticket_id,
    channel: r.channel,
    senderType: r.sender_type,
    direction: r.direction,
    visibleForCustomer: r.visible_for_customer,
    from: r.from_addr,
    to: r.to_addr,
    cc: r.cc_addr,
    subject: r.subject,
    contentType: r.body_html === null ? 'text/plain' : 'text/html',
    bodyText: r.body_text,
    bodyHtml: r.body_html,
    important: r.important,
    messageId: r.message_id,
    flag: r.flag,
    timeUnits: Number(r.time_units),
    createdAt: r.created_at.toISOString(),
    createdBy:
      r.created_by_agent_id !== null
        ? { kind: 'agent', id: r.created_by_agent_id, name: r.agent_name ?? '' }
        : r.created_by_customer_user_id !== null
          ? { kind: 'customer', id: r.created_by_customer_user_id, name: r.customer_name ?? '' }
          : null,
    seen: seen.has(r.id),
    attachments: attachments
      .filter((a) => a.article_id === r.id)
      .map((a) => ({
        position: a.position,
        filename: a.filename,
        contentType: a.content_type,
        size: a.size,
        sha256: a.sha256,
        inline: a.inline,
        contentId: a.content_id,
        url: `/api/v1/articles/${r.id}/attachments/${a.position}`,
      })),
    dynamicFields: fields.get(r.id) ?? {},
    ...(deliveries.has(r.id) ? { delivery: deliveries.get(r.id)! } : {}),
  }));
}
