/**
 * Outgoing mail on real servers: an agent's reply on a ticket becomes an .eml in the outbox and a
 * row in the mail log when no SMTP server is configured; with SMTP_URL pointing at a capture server
 * on loopback the same reply arrives there with the ticket hook, the queue's From, threading
 * headers, the HTML alternative and attachments (parsed with mailparser). A 5xx marks the article
 * "not delivered" with the server's answer; a 4xx is tried again. Header injection is refused.
 * PGlite, and PostgreSQL with TEST_DATABASE_URL.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type JobWorker } from '../server/engine/worker';
import { closeMailTransports } from '../server/mail/transport';
import { databaseKinds } from './support/db';
import { startSmtpCapture, type SmtpCapture } from './support/smtp';
import { Client } from './support/server';
import { countRows, historyLines, newTicket, startHelpdesk, type Helpdesk } from './support/tickets';

describe.each(databaseKinds)('outgoing mail on %s', (kind) => {
  let h: Helpdesk;
  let worker: JobWorker;
  let smtp: SmtpCapture;
  const cfg = () => h.srv.services.config.mailOut;

  beforeAll(async () => {
    h = await startHelpdesk(kind, { queues: { Support: 'users' }, agents: { alice: { users: ['rw'] } }, customers: { carl: 'acme' } });
    worker = startWorker(h.srv.services, { loop: false });
    smtp = await startSmtpCapture();
  }, 180_000);
  afterAll(async () => {
    await worker?.stop();
    closeMailTransports();
    await smtp?.close();
    await h?.close();
  });
  afterEach(() => {
    cfg().smtpUrl = undefined;
    smtp.clearRefusals();
    smtp.mails.splice(0);
  });

  async function ticketWithCustomerMail() {
    const t = await newTicket(h.as.alice!, {
      title: 'Printer on fire',
      queue: 'Support',
      customerUser: 'carl',
      article: { channel: 'email', senderType: 'customer', direction: 'incoming', from: 'Carl Customer <carl@customer.test>', subject: 'Printer on fire', body: 'It burns.' },
    });
    const articles = (await h.as.alice!.get(`/api/v1/tickets/${t.id}/articles`)).body.items;
    return { ticket: t, first: articles[0] };
  }

  it('without SMTP_URL writes the reply as an .eml into the outbox and into the mail log', async () => {
    const { ticket, first } = await ticketWithCustomerMail();
    const res = await h.as.alice!.post(`/api/v1/tickets/${ticket.id}/email`, { kind: 'reply', articleId: first.id, to: 'Carl Customer <carl@customer.test>', subject: 'Re: Printer on fire', body: 'We are on our way.' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ channel: 'email', direction: 'outgoing', visibleForCustomer: true, delivery: { status: 'queued' } });
    expect(res.body.subject).toBe(`[Ticket#${ticket.number}] Re: Printer on fire`);

    expect(await worker.drain()).toBeGreaterThanOrEqual(1);
    const files = readdirSync(cfg().outboxDir).filter((f) => f.endsWith('.eml'));
    expect(files).toHaveLength(1);
    const raw = readFileSync(path.join(cfg().outboxDir, files[0]!));
    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe(`[Ticket#${ticket.number}] Re: Printer on fire`);
    expect(parsed.messageId).toBe(res.body.delivery.messageId);
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value[0]!.address : '').toBe('carl@customer.test');
    expect(parsed.text?.trim()).toBe('We are on our way.');

    const article = (await h.as.alice!.get(`/api/v1/articles/${res.body.id}`)).body;
    expect(article.delivery).toMatchObject({ status: 'written', messageId: res.body.delivery.messageId });

    const log = await h.as.admin!.get('/api/v1/mail/log');
    expect(log.status).toBe(200);
    const entry = log.body.items.find((i: any) => i.messageId === res.body.delivery.messageId);
    expect(entry).toMatchObject({ status: 'written', transport: 'outbox', file: files[0], purpose: 'reply', ticketId: ticket.id, articleId: res.body.id });
    const eml = await fetch(h.srv.url + entry.emlUrl, { headers: { cookie: h.as.admin!.cookie! } });
    expect(eml.headers.get('content-type')).toBe('message/rfc822');
    expect(Buffer.from(await eml.arrayBuffer()).equals(raw)).toBe(true);
    expect((await h.as.alice!.get('/api/v1/mail/log')).status).toBe(403);
  });

  it('with SMTP_URL sends the reply to the SMTP server with hook, queue From, threading, HTML and attachments', async () => {
    cfg().smtpUrl = smtp.url;
    const queue = await h.as.admin!.put(`/api/v1/mail/queues/${h.queues.Support}`, { systemAddress: 'Support <support@helpdesk.test>' });
    expect(queue.status, JSON.stringify(queue.body)).toBe(200);
    const { ticket, first } = await ticketWithCustomerMail();
    const one = await h.as.alice!.post(`/api/v1/tickets/${ticket.id}/email`, {
      kind: 'reply', articleId: first.id, to: 'carl@customer.test', bcc: 'audit@helpdesk.test', subject: 'Re: Printer on fire',
      contentType: 'text/html', body: '<p>Please send a <b>photo</b>.</p><script>alert(1)</script>',
      attachments: [{ filename: 'steps.txt', contentType: 'text/plain', contentBase64: Buffer.from('1. unplug it').toString('base64') }],
    });
    expect(one.status, JSON.stringify(one.body)).toBe(201);
    await worker.drain();
    const [m] = await smtp.waitFor(1);
    expect(m!.parsed.subject).toBe(`[Ticket#${ticket.number}] Re: Printer on fire`);
    expect(m!.parsed.from?.value[0]).toEqual({ name: 'Support', address: 'support@helpdesk.test' });
    expect(m!.parsed.messageId).toBe(one.body.delivery.messageId);
    expect(m!.parsed.html).toContain('<b>photo</b>');
    expect(m!.parsed.html).not.toContain('script');
    expect(m!.parsed.text).toContain('Please send a photo.');
    expect(m!.parsed.attachments.map((a) => [a.filename, a.content.toString()])).toEqual([['steps.txt', '1. unplug it']]);
    expect(m!.to.sort()).toEqual(['audit@helpdesk.test', 'carl@customer.test']);
    expect(m!.parsed.headers.has('bcc')).toBe(false);
    expect(m!.parsed.headers.has('auto-submitted')).toBe(false);

    // The answer to our answer is threaded under it.
    const two = await h.as.alice!.post(`/api/v1/tickets/${ticket.id}/email`, { kind: 'reply', articleId: one.body.id, to: 'carl@customer.test', subject: `Re: ${one.body.subject}`, body: 'Any news?', nextState: 'closed successful' });
    expect(two.status, JSON.stringify(two.body)).toBe(201);
    expect(two.body.subject).toBe(`[Ticket#${ticket.number}] Re: Re: Printer on fire`);
    await worker.drain();
    const [, m2] = await smtp.waitFor(2);
    expect(m2!.parsed.inReplyTo).toBe(one.body.delivery.messageId);
    expect(m2!.parsed.references).toContain(one.body.delivery.messageId);
    expect((await h.as.alice!.get(`/api/v1/tickets/${ticket.id}`)).body.state.name).toBe('closed successful');
    expect((await h.as.alice!.get(`/api/v1/articles/${two.body.id}`)).body.delivery).toMatchObject({ status: 'sent' });
    const log = (await h.as.admin!.get(`/api/v1/mail/log?ticketId=${ticket.id}`)).body.items;
    expect(log.map((i: any) => i.status)).toEqual(['sent', 'sent']);
    expect(log[0].answer).toContain('250');
    await h.as.admin!.put(`/api/v1/mail/queues/${h.queues.Support}`, { systemAddress: null });
  });

  it('marks the article not delivered, with the server answer, when the server refuses for good (5xx)', async () => {
    cfg().smtpUrl = smtp.url;
    smtp.refuse(/^nobody@/, 550, 'No such user here');
    const { ticket, first } = await ticketWithCustomerMail();
    const res = await h.as.alice!.post(`/api/v1/tickets/${ticket.id}/email`, { kind: 'reply', articleId: first.id, to: 'nobody@customer.test', subject: 'Re: x', body: 'Hello?' });
    expect(res.status).toBe(201);
    await worker.drain();
    const article = (await h.as.alice!.get(`/api/v1/articles/${res.body.id}`)).body;
    expect(article.delivery.status).toBe('failed');
    expect(article.delivery.answer).toContain('550');
    expect(article.delivery.answer).toContain('No such user here');
    const job = await h.srv.database.db.selectFrom('jobs').select(['status', 'attempts']).where('key', '=', `mail:${res.body.delivery.messageId}`).executeTakeFirstOrThrow();
    expect(job).toEqual({ status: 'done', attempts: 1 });
    const history = (await h.as.alice!.get(`/api/v1/tickets/${ticket.id}/history?perPage=100`)).body.items.map((x: any) => x.message);
    expect(history.some((m: string) => m.includes('was not delivered') && m.includes('550'))).toBe(true);
    expect(smtp.mails).toHaveLength(0);
  });

  it('tries again later when the server answers 4xx, and delivers once it accepts', async () => {
    cfg().smtpUrl = smtp.url;
    smtp.refuse(/^busy@/, 451, 'Greylisted, try again later');
    const { ticket, first } = await ticketWithCustomerMail();
    const res = await h.as.alice!.post(`/api/v1/tickets/${ticket.id}/email`, { kind: 'reply', articleId: first.id, to: 'busy@customer.test', subject: 'Re: x', body: 'Hello!' });
    await worker.drain();
    const key = `mail:${res.body.delivery.messageId}`;
    const job = await h.srv.database.db.selectFrom('jobs').select(['status', 'attempts', 'run_at', 'last_error']).where('key', '=', key).executeTakeFirstOrThrow();
    expect(job).toMatchObject({ status: 'ready', attempts: 1 });
    expect(job.last_error).toContain('451');
    expect(job.run_at.getTime()).toBeGreaterThan(h.srv.services.now().getTime());
    expect((await h.as.alice!.get(`/api/v1/articles/${res.body.id}`)).body.delivery.status).toBe('retrying');

    smtp.clearRefusals();
    h.srv.advance(cfg().retryBaseMs + 1000);
    await worker.drain();
    const [m] = await smtp.waitFor(1);
    expect(m!.parsed.messageId).toBe(res.body.delivery.messageId);
    expect((await h.as.alice!.get(`/api/v1/articles/${res.body.id}`)).body.delivery.status).toBe('sent');
  });

  it('refuses line breaks in the subject and invalid addresses, and writes nothing', async () => {
    const { ticket, first } = await ticketWithCustomerMail();
    const before = await countRows(h.srv, 'articles');
    const inj = await h.as.alice!.post(`/api/v1/tickets/${ticket.id}/email`, { kind: 'reply', articleId: first.id, to: 'carl@customer.test', subject: 'Hi\r\nBcc: victim@evil.test', body: 'x' });
    expect(inj.status).toBe(400);
    expect(inj.body.error.path).toBe('/subject');
    const to = await h.as.alice!.post(`/api/v1/tickets/${ticket.id}/email`, { kind: 'reply', articleId: first.id, to: 'carl@customer.test\nBcc: victim@evil.test', subject: 'Hi', body: 'x' });
    expect(to.status).toBe(400);
    expect(to.body.error.path).toBe('/to');
    const bad = await h.as.alice!.post(`/api/v1/tickets/${ticket.id}/email`, { kind: 'reply', articleId: first.id, to: 'carl@customer.test', cc: 'not an address', subject: 'Hi', body: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toBe('/cc');
    expect(await countRows(h.srv, 'articles')).toBe(before);
  });

  it('forwards with the attachments and redirects the original unchanged', async () => {
    cfg().smtpUrl = smtp.url;
    const t = await newTicket(h.as.alice!, {
      title: 'Invoice', queue: 'Support', customerUser: 'carl',
      article: { channel: 'email', senderType: 'customer', direction: 'incoming', from: 'carl@customer.test', subject: 'Invoice', body: 'See attached.', attachments: [{ filename: 'invoice.pdf', contentType: 'application/pdf', contentBase64: Buffer.from('%PDF-1.4').toString('base64') }] },
    });
    const first = (await h.as.alice!.get(`/api/v1/tickets/${t.id}/articles`)).body.items[0];
    const fwd = await h.as.alice!.post(`/api/v1/tickets/${t.id}/email`, { kind: 'forward', articleId: first.id, to: 'accounting@helpdesk.test', subject: 'Fwd: Invoice', body: 'FYI' });
    expect(fwd.status, JSON.stringify(fwd.body)).toBe(201);
    const red = await h.as.alice!.post(`/api/v1/tickets/${t.id}/email`, { kind: 'redirect', articleId: first.id, to: 'boss@helpdesk.test' });
    expect(red.status, JSON.stringify(red.body)).toBe(201);
    await worker.drain();
    const mails = await smtp.waitFor(2);
    const f = mails.find((m) => m.to.includes('accounting@helpdesk.test'))!;
    expect(f.parsed.subject).toBe(`[Ticket#${t.number}] Fwd: Invoice`);
    expect(f.parsed.attachments.map((a) => a.filename)).toEqual(['invoice.pdf']);
    const r = mails.find((m) => m.to.includes('boss@helpdesk.test'))!;
    expect(r.parsed.subject).toBe('Invoice');
    expect(r.parsed.from?.value[0]!.address).toBe('carl@customer.test');
    expect(r.parsed.headers.get('resent-to')).toBeTruthy();
    expect(r.from).toBe('helpdesk@localhost');
    expect(r.parsed.attachments.map((a) => a.content.toString())).toEqual(['%PDF-1.4']);
  });

  it('creates a new email ticket whose first article is the mail to the customer', async () => {
    const res = await h.as.alice!.post('/api/v1/tickets/email', { queue: 'Support', customerUser: 'carl', to: 'carl@customer.test', subject: 'Your new laptop', body: 'It is ready for pickup.' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const articles = (await h.as.alice!.get(`/api/v1/tickets/${res.body.id}/articles`)).body.items;
    expect(articles).toHaveLength(1);
    expect(articles[0]).toMatchObject({ channel: 'email', direction: 'outgoing', subject: `[Ticket#${res.body.number}] Your new laptop`, delivery: { status: 'queued' } });
    await worker.drain();
    expect((await h.as.alice!.get(`/api/v1/articles/${articles[0].id}`)).body.delivery.status).toBe('written');
    expect(await historyLines(h.as.alice!, res.body.id)).toContain('NewTicket');
  });

  it('renders salutations and signatures with OTRS tags and templates for the reply form', async () => {
    const sal = await h.as.admin!.post('/api/v1/mail/texts', { kind: 'salutation', name: 'Friendly', body: 'Hello <OTRS_CUSTOMER_REALNAME>, about ticket <OTRS_TICKET_TicketNumber>:' });
    expect(sal.status, JSON.stringify(sal.body)).toBe(201);
    const sig = await h.as.admin!.post('/api/v1/mail/texts', { kind: 'signature', name: 'Alice', body: '-- \n<OTRS_AGENT_UserFirstname> of {{ticket.queue}}' });
    await h.as.admin!.put(`/api/v1/mail/queues/${h.queues.Support}`, { salutationId: sal.body.id, signatureId: sig.body.id });
    const { ticket } = await ticketWithCustomerMail();
    const d = await h.as.alice!.get(`/api/v1/tickets/${ticket.id}/email/defaults`);
    expect(d.status, JSON.stringify(d.body)).toBe(200);
    expect(d.body).toEqual({ from: 'helpdesk@localhost', hook: `[Ticket#${ticket.number}]`, salutation: `Hello carl Customer, about ticket ${ticket.number}:`, signature: '-- \nalice of Support' });
    const r = await h.as.alice!.post('/api/v1/mail/render', { ticketId: ticket.id, text: '{{ticket.title}} for <OTRS_CUSTOMER_DATA_UserEmail>' });
    expect(r.body.text).toBe('Printer on fire for carl@customer.test');
    const dup = await h.as.admin!.post('/api/v1/mail/texts', { kind: 'salutation', name: 'Friendly', body: 'x' });
    expect(dup.status).toBe(409);
    const inj = await h.as.admin!.post('/api/v1/mail/texts', { kind: 'template', name: 'T', subject: 'a\nb', body: 'x' });
    expect(inj.status).toBe(400);
    await h.as.admin!.put(`/api/v1/mail/queues/${h.queues.Support}`, { salutationId: null, signatureId: null });
  });

  it('mails the portal password-reset link and the registration confirmation', async () => {
    cfg().smtpUrl = smtp.url;
    const anon = new Client(h.srv.url);
    expect((await anon.post('/api/v1/auth/customer/password-reset', { email: 'carl@customer.test' })).status).toBe(202);
    expect((await anon.post('/api/v1/auth/customer/register', { email: 'nina@customer.test', firstName: 'Nina', lastName: 'New', password: 'a long passphrase 1' })).status).toBe(202);
    await worker.drain();
    const mails = await smtp.waitFor(2);
    const reset = mails.find((m) => m.to.includes('carl@customer.test'))!;
    expect(reset.parsed.subject).toBe('Set a new password');
    expect(reset.parsed.headers.get('auto-submitted')).toBe('auto-generated');
    const token = /\/portal\/reset\?token=([A-Za-z0-9_-]+)/.exec(reset.parsed.text ?? '')![1]!;
    const confirm = await anon.post('/api/v1/auth/customer/password-reset/confirm', { token, password: 'a brand new passphrase 2' });
    expect(confirm.status, JSON.stringify(confirm.body)).toBe(204);
    const welcome = mails.find((m) => m.to.includes('nina@customer.test'))!;
    expect(welcome.parsed.text).toContain('your account is ready');
  });
});
