/** Step 2, match the sender: a customer user or an agent with the From address; otherwise the sender stays unknown (recorded by address). */
import type { MailStep } from '../types';

export const matchSender: MailStep = {
  name: 'match-sender',
  async run(ctx, { db }) {
    const from = ctx.parsed.from;
    ctx.sender = { address: from?.address ?? '', name: from?.name ?? '', customerUserId: null, customerId: null, agentId: null };
    if (!from) return;
    const cu = await db
      .selectFrom('customer_users')
      .select(['id', 'customer_id'])
      .where((eb) => eb(eb.fn('lower', ['email']), '=', from.address))
      .where('valid', '=', true)
      .orderBy('id')
      .executeTakeFirst();
    if (cu) {
      ctx.sender.customerUserId = cu.id;
      ctx.sender.customerId = cu.customer_id;
    }
    const agent = await db.selectFrom('agents').select('id').where((eb) => eb(eb.fn('lower', ['email']), '=', from.address)).orderBy('id').executeTakeFirst();
    if (agent) ctx.sender.agentId = agent.id;
  },
};
