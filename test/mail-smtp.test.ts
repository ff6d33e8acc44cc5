/**
 * Real SMTP: nodemailer delivers into our MAIL_LISTEN listener on a free port. A mail to a system
 * address becomes a ticket in that address's queue with its attachments; a reply with In-Reply-To
 * lands on the same ticket; a stranger's address is refused with 550 and an oversized mail with 552.
 */
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeParsePool } from '../server/mail/inbound/parse-pool';
import { startMailListener, type MailListener } from '../server/mail/inbound/smtp-listener';
import { databaseKinds } from './support/db';
import { createQueue } from './support/fixtures';
import { inboundConfig, mailEnv, type MailEnv } from './support/mail';

afterAll(() => closeParsePool());

describe.each(databaseKinds)('SMTP listener (%s)', (kind) => {
  let env: MailEnv;
  let listener: MailListener;
  let sales: number;
  let transport: ReturnType<typeof nodemailer.createTransport>;
  beforeAll(async () => {
    env = await mailEnv(kind);
    sales = await createQueue(env.database.db, 'Sales', 'users');
    listener = await startMailListener(env.services, inboundConfig({ MAIL_MAX_BYTES: '200000' }), { host: '127.0.0.1', port: 0 });
    transport = nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, secure: false, ignoreTLS: true });
  });
  afterAll(async () => {
    transport?.close();
    await listener?.close();
    await env?.close();
  });

  it('creates a ticket in the queue of the recipient address with its attachments, and threads the reply onto it', async () => {
    const sent = await transport.sendMail({
      from: 'Kim <kim@customer.test>',
      to: 'sales@helpdesk.test',
      subject: 'Offer for 40 chairs',
      text: 'Please send an offer.',
      attachments: [{ filename: 'chairs.csv', content: 'model,count\nX1,40\n' }, { filename: 'photo.png', content: Buffer.from([0x89, 0x50, 0x4e, 0x47]) }],
    });
    expect(sent.response).toMatch(/^250 accepted \(new-ticket \d+\)/);
    const db = env.database.db;
    const t = await db.selectFrom('tickets').select(['id', 'queue_id', 'title']).where('title', '=', 'Offer for 40 chairs').executeTakeFirstOrThrow();
    expect(t.queue_id).toBe(sales);
    const a = await db.selectFrom('articles').select(['id', 'message_id']).where('ticket_id', '=', t.id).executeTakeFirstOrThrow();
    expect(a.message_id).toBe(sent.messageId);
    const files = await db.selectFrom('attachments').select(['filename', 'size']).where('article_id', '=', a.id).orderBy('position').execute();
    expect(files).toEqual([{ filename: 'chairs.csv', size: 18 }, { filename: 'photo.png', size: 4 }]);

    const reply = await transport.sendMail({ from: 'kim@customer.test', to: 'sales@helpdesk.test', subject: 'Re: Offer', text: 'And 2 tables.', inReplyTo: sent.messageId, references: [sent.messageId] });
    expect(reply.response).toMatch(/follow-up/);
    const articles = await db.selectFrom('articles').select('body_text').where('ticket_id', '=', t.id).orderBy('id').execute();
    expect(articles.map((x) => x.body_text.trim())).toEqual(['Please send an offer.', 'And 2 tables.']);
  });

  it('refuses recipients that are not system addresses (550) and mails over MAIL_MAX_BYTES (552)', async () => {
    await expect(transport.sendMail({ from: 'kim@customer.test', to: 'someone@elsewhere.test', subject: 'x', text: 'x' })).rejects.toMatchObject({ responseCode: 550 });
    await expect(
      transport.sendMail({ from: 'kim@customer.test', to: 'support@helpdesk.test', subject: 'big', text: 'x', attachments: [{ filename: 'big.bin', content: Buffer.alloc(300_000, 1) }] }),
    ).rejects.toMatchObject({ responseCode: 552 });
    const n = await env.database.db.selectFrom('tickets').select((eb) => eb.fn.countAll<string>().as('n')).where('title', '=', 'big').executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(0);
  });
});
