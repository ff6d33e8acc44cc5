/**
 * Mail both ways on real servers, as the OTRS agent workflow runs: a customer's mail to our SMTP
 * listener becomes a ticket; the agent's reply goes out over SMTP (a capture server on loopback)
 * answering the customer's own Message-ID; the customer's answer to that reply, with a subject that
 * lost the ticket hook, still lands on the same ticket through In-Reply-To. The agents who have the
 * queue in My queues hear of the new ticket, and the agent holding the lock of the follow-up, by
 * mail and in the bell.
 * PGlite, and PostgreSQL with TEST_DATABASE_URL.
 */
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type JobWorker } from '../server/engine/worker';
import { closeParsePool } from '../server/mail/inbound/parse-pool';
import { startMailListener, type MailListener } from '../server/mail/inbound/smtp-listener';
import { closeMailTransports } from '../server/mail/transport';
import { databaseKinds } from './support/db';
import { inboundConfig } from './support/mail';
import { startSmtpCapture, type SmtpCapture } from './support/smtp';
import { startHelpdesk, type Helpdesk } from './support/tickets';

afterAll(() => closeParsePool());

describe.each(databaseKinds)('mail round trip on %s', (kind) => {
  let h: Helpdesk;
  let worker: JobWorker;
  let smtp: SmtpCapture;
  let listener: MailListener;
  let customer: ReturnType<typeof nodemailer.createTransport>;

  beforeAll(async () => {
    h = await startHelpdesk(kind, { queues: { Support: 'users' }, agents: { alice: { users: ['rw'] }, bob: { users: ['rw'] } } });
    for (const who of ['alice', 'bob']) expect((await h.as[who]!.put('/api/v1/me/preferences', { myQueues: [h.queues.Support] })).status).toBe(200);
    worker = startWorker(h.srv.services, { loop: false });
    smtp = await startSmtpCapture();
    h.srv.services.config.mailOut.smtpUrl = smtp.url;
    // The queue's system address: mail to it makes tickets in Support, and answers come from it.
    await h.srv.services.database.db.insertInto('system_addresses').values({ address: 'support@helpdesk.test', display_name: 'Support', queue_id: h.queues.Support! }).execute();
    listener = await startMailListener(h.srv.services, inboundConfig({ MAIL_ADDRESSES: '' }), { host: '127.0.0.1', port: 0 });
    customer = nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, secure: false, ignoreTLS: true });
  }, 180_000);
  afterAll(async () => {
    customer?.close();
    await listener?.close();
    await worker?.stop();
    closeMailTransports();
    await smtp?.close();
    await h?.close();
  });

  it("threads the agent's reply to the customer's mail, and the customer's answer back onto the ticket", async () => {
    const first = await customer.sendMail({ from: 'Kim <kim@customer.test>', to: 'support@helpdesk.test', subject: 'VPN drops every hour', text: 'Since Monday.' });
    const db = h.srv.services.database.db;
    const ticket = await db.selectFrom('tickets').select(['id', 'tn']).where('title', '=', 'VPN drops every hour').executeTakeFirstOrThrow();
    const articles = (await h.as.alice!.get(`/api/v1/tickets/${ticket.id}/articles`)).body.items;
    expect(articles).toHaveLength(1);
    // Both agents of the queue hear of the new ticket: in the bell and by mail.
    for (const who of ['alice', 'bob']) {
      const bell = (await h.as[who]!.get('/api/v1/notifications')).body;
      expect(bell.items.filter((n: any) => n.ticketId === ticket.id).map((n: any) => n.event)).toEqual(['ticketCreated']);
    }
    await worker.drain();
    const created = await smtp.waitFor(2);
    expect(created.map((m) => m.parsed.subject)).toEqual([`New ticket [${ticket.tn}] VPN drops every hour`, `New ticket [${ticket.tn}] VPN drops every hour`]);
    smtp.mails.splice(0);
    expect((await h.as.alice!.post(`/api/v1/tickets/${ticket.id}/lock`)).status).toBe(200);

    const reply = await h.as.alice!.post(`/api/v1/tickets/${ticket.id}/email`, { kind: 'reply', articleId: articles[0].id, to: 'kim@customer.test', subject: 'Re: VPN drops every hour', body: 'Please send the client log.' });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    await worker.drain();
    const [out] = await smtp.waitFor(1);
    expect(out!.parsed.subject).toBe(`[Ticket#${ticket.tn}] Re: VPN drops every hour`);
    expect(out!.parsed.inReplyTo).toBe(first.messageId);
    expect(out!.parsed.from?.value[0]).toMatchObject({ name: 'Support', address: 'support@helpdesk.test' });
    expect(out!.parsed.references).toContain(first.messageId);

    // The customer's mail program dropped the hook from the subject: In-Reply-To finds the ticket.
    const answer = await customer.sendMail({ from: 'kim@customer.test', to: 'support@helpdesk.test', subject: 'Re: VPN', text: 'Log attached.', inReplyTo: out!.parsed.messageId, references: [first.messageId, out!.parsed.messageId!] });
    expect(answer.response).toMatch(/follow-up/);
    const bodies = await db.selectFrom('articles').select('body_text').where('ticket_id', '=', ticket.id).orderBy('id').execute();
    expect(bodies.map((b) => b.body_text.trim())).toEqual(['Since Monday.', 'Please send the client log.', 'Log attached.']);
    expect(await db.selectFrom('tickets').select('id').where('title', '=', 'Re: VPN').executeTakeFirst()).toBeUndefined();

    // Alice holds the lock: she hears of the follow-up (bell and mail); Bob does not.
    const bell = async (who: string) => (await h.as[who]!.get('/api/v1/notifications')).body.items.filter((n: any) => n.ticketId === ticket.id).map((n: any) => n.event);
    expect(await bell('alice')).toEqual(['followUp', 'ticketCreated']);
    expect(await bell('bob')).toEqual(['ticketCreated']);
    smtp.mails.splice(0);
    await worker.drain();
    const [notice] = await smtp.waitFor(1);
    expect(notice!.parsed.subject).toBe(`Follow-up [${ticket.tn}] VPN drops every hour`);
    expect(notice!.to).toEqual([expect.stringContaining('alice')]);
  });
});
