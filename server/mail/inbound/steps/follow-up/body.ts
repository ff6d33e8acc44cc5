/** Follow-up check 3 (Znuny FollowUpCheck::Body), only with `MAIL_FOLLOW_UP_BODY=1`: the ticket hook and number anywhere in the body. */
import type { FollowUpCheck } from './index';
import { hookPattern, ticketByNumber } from './ticket';

export const bodyCheck: FollowUpCheck = {
  by: 'body',
  async find(ctx, { db, inbound }) {
    if (!inbound.followUpInBody) return undefined;
    const m = hookPattern(inbound.ticketHook).exec(ctx.parsed.text.slice(0, 200_000));
    return m ? ticketByNumber(db, m[1]!) : undefined;
  },
};
