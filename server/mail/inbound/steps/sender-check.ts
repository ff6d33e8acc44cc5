/**
 * Step 7, who may follow up: a follow-up from someone who is not the ticket's customer user, an
 * agent, or a sender or recipient of one of the ticket's articles is flagged `unexpected-sender` on
 * its article (and said in the history), not silently merged — a known Zammad complaint.
 */
import type { MailStep } from '../types';

const ADDRESS = /[^\s<>,;:"()[\]]+@[^\s<>,;:"()[\]]+/g;

/** The lower-cased addresses in an address list as stored on articles (`"Kim" <kim@x.test>, b@y.test`). */
export function addressesIn(text: string): string[] {
  return (text.match(ADDRESS) ?? []).map((a) => a.toLowerCase());
}

export const senderCheck: MailStep = {
  name: 'sender-check',
  async run(ctx, { db }) {
    if (!ctx.followUp || ctx.sender.agentId !== null) return;
    const ticketId = ctx.followUp.ticketId;
    const t = await db
      .selectFrom('tickets as t')
      .leftJoin('customer_users as cu', 'cu.id', 't.customer_user_id')
      .select(['t.customer_user_id', 'cu.email'])
      .where('t.id', '=', ticketId)
      .executeTakeFirstOrThrow();
    const from = ctx.sender.address;
    if (!from) {
      ctx.unexpectedSender = true;
      return;
    }
    if ((t.customer_user_id !== null && t.customer_user_id === ctx.sender.customerUserId) || t.email?.toLowerCase() === from) return;
    const articles = await db.selectFrom('articles').select(['from_addr', 'to_addr', 'cc_addr']).where('ticket_id', '=', ticketId).execute();
    const known = new Set(articles.flatMap((a) => addressesIn(`${a.from_addr}, ${a.to_addr}, ${a.cc_addr}`)));
    if (!known.has(from)) ctx.unexpectedSender = true;
  },
};
