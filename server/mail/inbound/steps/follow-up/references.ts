/** Follow-up check 2 (Znuny FollowUpCheck::References): `In-Reply-To`, then `References` newest first, against the Message-IDs stored on articles. */
import type { FollowUpCheck } from './index';
import { followMerges } from './ticket';

export const referencesCheck: FollowUpCheck = {
  by: 'references',
  async find(ctx, { db }) {
    const ids = [...new Set([...ctx.parsed.inReplyTo, ...[...ctx.parsed.references].reverse()])].slice(0, 100);
    if (!ids.length) return undefined;
    const rows = await db.selectFrom('articles').select(['ticket_id', 'message_id']).where('message_id', 'in', ids).execute();
    for (const id of ids) {
      const hit = rows.find((r) => r.message_id === id);
      if (hit) return followMerges(db, hit.ticket_id);
    }
    return undefined;
  },
};
