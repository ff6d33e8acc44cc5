/**
 * Step 6, the queue's follow-up option and the queue of a new ticket. A follow-up to a closed ticket
 * does what its queue says (OTRS "Follow up Option"): `possible` reopens it, `reject` keeps the mail
 * on the ticket without reopening and answers with the reject auto response, `new_ticket` opens a
 * new ticket. A new ticket goes to the filter's queue, else the source's fixed queue (a mail
 * account's), else the queue of the first recipient that is a system address, else
 * `MAIL_DEFAULT_QUEUE`. A sender over the per-sender limit opens no new ticket: the mail is kept as
 * a problem mail (SENDER_LIMIT) and not answered.
 */
import { defaultQueueId, queueForRecipients } from '../dispatch';
import { MailProblem, type MailStep } from '../types';

export const followUpOption: MailStep = {
  name: 'follow-up-option',
  async run(ctx, { db, inbound }) {
    if (ctx.followUp) {
      const t = await db
        .selectFrom('tickets as t')
        .innerJoin('queues as q', 'q.id', 't.queue_id')
        .innerJoin('states as s', 's.id', 't.state_id')
        .innerJoin('state_types as st', 'st.id', 's.type_id')
        .select(['t.queue_id', 'q.follow_up', 'st.name as state_type'])
        .where('t.id', '=', ctx.followUp.ticketId)
        .executeTakeFirstOrThrow();
      ctx.queueId = t.queue_id;
      if (t.state_type !== 'closed' || t.follow_up === 'possible') return;
      if (t.follow_up === 'reject') {
        ctx.decision = 'reject';
        return;
      }
      ctx.parsed.warnings.push(`follow-up to the closed ticket ${ctx.followUp.tn}, whose queue opens a new ticket for follow-ups`);
      ctx.followUp = undefined;
      ctx.decision = 'new-ticket';
    }
    if (ctx.overSenderLimit) {
      throw new MailProblem('SENDER_LIMIT', `${ctx.sender.address} opened ${inbound.maxPerSender} tickets within ${inbound.senderWindowHours} h already (MAIL_MAX_PER_SENDER); this mail is kept here, unanswered`);
    }
    let queueId: number | undefined;
    if (ctx.filter.queue) {
      queueId = (await db.selectFrom('queues').select('id').where('name', '=', ctx.filter.queue).where('valid', '=', true).executeTakeFirst())?.id;
      if (queueId === undefined) ctx.parsed.warnings.push(`postmaster filter queue "${ctx.filter.queue}" does not exist`);
    }
    queueId ??= ctx.mail.queueId ?? undefined;
    queueId ??= await queueForRecipients(db, inbound, [...(ctx.mail.recipients ?? []), ...ctx.parsed.to.map((a) => a.address), ...ctx.parsed.cc.map((a) => a.address)]);
    queueId ??= await defaultQueueId(db, inbound);
    if (queueId === undefined) throw new MailProblem('NO_QUEUE', `no queue for this mail: the default queue "${inbound.defaultQueue}" (MAIL_DEFAULT_QUEUE) does not exist`);
    ctx.queueId = queueId;
    ctx.decision = 'new-ticket';
  },
};
