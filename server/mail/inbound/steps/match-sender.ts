/** Step 2, match the sender: a customer user or an agent with the From address; otherwise the sender stays unknown (recorded by address). */
import { sql } from 'kysely';
import type { MailStep } from '../types';

export const matchSender: MailStep = {
  name: 'match-sender',
  async run(ctx, { db }) {
    const from = ctx.parsed.from;
    ctx.sender = { address: from?.address ?? '', name: from?.name ?? '', customerUserId: null, customerId: null, agentId: null };
    if (!from) return;
    // One round trip: the customer user (lowest id) and the agent with this address.
    const { rows } = await sql<{ cu_id: number | null; customer_id: string | null; agent_id: number | null }>`
      select cu.id as cu_id, cu.customer_id,
             (select a.id from agents a where lower(a.email) = ${from.address} order by a.id limit 1) as agent_id
      from (select 1) as one
      left join lateral (select id, customer_id from customer_users where lower(email) = ${from.address} and valid = true order by id limit 1) as cu on true`.execute(db);
    const r = rows[0];
    if (r?.cu_id != null) {
      ctx.sender.customerUserId = r.cu_id;
      ctx.sender.customerId = r.customer_id;
    }
    if (r?.agent_id != null) ctx.sender.agentId = r.agent_id;
  },
};
