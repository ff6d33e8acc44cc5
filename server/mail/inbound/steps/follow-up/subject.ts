/** Follow-up check 1 (Znuny FollowUpCheck::Subject): the ticket hook and number in the subject, `[Ticket#2026120610000015]`. */
import type { FollowUpCheck } from './index';
import { hookPattern, ticketByNumber } from './ticket';

export const subjectCheck: FollowUpCheck = {
  by: 'subject',
  async find(ctx, { db, inbound }) {
    const m = hookPattern(inbound.ticketHook).exec(ctx.parsed.subject);
    return m ? ticketByNumber(db, m[1]!) : undefined;
  },
};
