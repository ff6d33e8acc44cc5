/**
 * The inbound pipeline end to end on the database: a mail becomes a ticket with its attachments and
 * raw source; follow-ups land on the ticket by subject hook, References and (optionally) body;
 * strangers are flagged; the queue's follow-up option applies; loops are not answered; filters
 * route; problem mails are kept with the reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from './support/db';
import { createCustomerUser, createQueue } from './support/fixtures';
import { fixture, inboundConfig, mailEnv, mailJobs, type MailEnv } from './support/mail';
import { processMail } from '../server/mail/inbound/pipeline';
import { closeParsePool } from '../server/mail/inbound/parse-pool';

afterAll(() => closeParsePool());

describe.each(databaseKinds)('inbound mail pipeline (%s)', (kind) => {
  let env: MailEnv;
  let sales: number;
  const inbound = inboundConfig();
  beforeAll(async () => {
    env = await mailEnv(kind);
    const db = env.database.db;
    sales = await createQueue(db, 'Sales', 'users');
    const raw = (await db.selectFrom('queues').select('id').where('name', '=', 'Raw').executeTakeFirstOrThrow()).id;
    const kim = await createCustomerUser(db, 'kim', 'pw-123456789', { customerId: 'ACME' });
    await db.updateTable('customer_users').set({ email: 'Kim@customer.test' }).where('id', '=', kim).execute();
    await db.insertInto('auto_responses').values([
      { queue_id: raw, kind: 'new', subject: 'Received: <OTRS_CUSTOMER_SUBJECT>', body: 'Dear <OTRS_CUSTOMER_REALNAME>, your ticket {{ticket.number}} is open.' },
      { queue_id: raw, kind: 'reject', subject: 'Closed', body: 'Ticket <OTRS_TICKET_TicketNumber> is closed; please write a new mail.' },
    ]).execute();
  });
  afterAll(() => env?.close());
  const db = () => env.database.db;
  const articlesOf = (ticketId: number) => db().selectFrom('articles').selectAll().where('ticket_id', '=', ticketId).orderBy('id').execute();

  let first: { ticketId: number; tn: string };
  it('turns a mail into a ticket for the customer with decoded text, sanitised HTML, inline image, attachment and raw source, and answers it once', async () => {
    const raw = fixture('new-ticket.eml');
    const r = await processMail(env.services, { raw, source: 'pipe' }, inbound);
    expect(r.outcome).toBe('new-ticket');
    first = { ticketId: r.ticketId!, tn: r.tn! };
    const t = await db().selectFrom('tickets as t').innerJoin('queues as q', 'q.id', 't.queue_id').select(['t.title', 'q.name', 't.customer_user_id', 't.customer_id', 't.owner_id']).where('t.id', '=', r.ticketId!).executeTakeFirstOrThrow();
    expect(t).toMatchObject({ title: 'Drucker kaputt – bitte helfen', name: 'Raw', customer_id: 'ACME', owner_id: null });
    expect(t.customer_user_id).not.toBeNull();
    const [a] = await articlesOf(r.ticketId!);
    expect(a).toMatchObject({ channel: 'email', sender_type: 'customer', direction: 'incoming', visible_for_customer: true, message_id: '<first.1@customer.test>', flag: null });
    expect(a!.from_addr).toBe('"Kim Lee" <kim@customer.test>');
    expect(a!.body_html).toContain('Grüße, the printer <b>is</b> broken');
    expect(a!.body_html).not.toMatch(/script|onclick/);
    expect(a!.body_html).toContain(`src="/api/v1/articles/${a!.id}/attachments/1?inline=1"`);
    const files = await db().selectFrom('attachments').select(['filename', 'content_type', 'inline', 'content_id', 'content']).where('article_id', '=', a!.id).orderBy('position').execute();
    expect(files.map((f) => [f.filename, f.inline, f.content_id])).toEqual([['logo.png', true, 'logo@x'], ['report.pdf', false, null]]);
    expect(Buffer.from(files[1]!.content).toString()).toBe('%PDF-1.4\n');
    const src = await db().selectFrom('article_sources').select('raw').where('article_id', '=', a!.id).executeTakeFirstOrThrow();
    expect(Buffer.from(src.raw).equals(raw)).toBe(true);
    const jobs = await mailJobs(env.services);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ purpose: 'auto-response', auto: true, to: ['kim@customer.test'], inReplyTo: '<first.1@customer.test>', ticketId: r.ticketId });
    expect(jobs[0].subject).toBe(`[Ticket#${r.tn}] Received: Drucker kaputt – bitte helfen`);
    expect(jobs[0].text).toBe(`Dear Kim Lee, your ticket ${r.tn} is open.`);
  });

  it('appends a reply with the ticket hook in the subject, one by References, and one by the number in the body only when enabled', async () => {
    const bySubject = await processMail(env.services, { raw: fixture('follow-up-subject.eml', { TICKETNUMBER: first.tn }), source: 'pipe' }, inbound);
    expect(bySubject).toMatchObject({ outcome: 'follow-up', ticketId: first.ticketId });
    const byRefs = await processMail(env.services, { raw: fixture('follow-up-references.eml'), source: 'pipe' }, inbound);
    expect(byRefs).toMatchObject({ outcome: 'follow-up', ticketId: first.ticketId });
    const bodyOff = await processMail(env.services, { raw: fixture('follow-up-body.eml', { TICKETNUMBER: first.tn }), source: 'pipe' }, inbound);
    expect(bodyOff.outcome).toBe('new-ticket');
    const bodyOn = await processMail(env.services, { raw: fixture('follow-up-body.eml', { TICKETNUMBER: first.tn, 'reply.5': 'reply.6' }), source: 'pipe' }, inboundConfig({ MAIL_FOLLOW_UP_BODY: '1' }));
    expect(bodyOn).toMatchObject({ outcome: 'follow-up', ticketId: first.ticketId });
    // No auto response configured for follow-ups: only the two for new tickets were queued.
    expect((await mailJobs(env.services)).map((j) => j.purpose)).toEqual(['auto-response', 'auto-response']);
  });

  it('flags a follow-up from a sender outside the thread instead of silently merging it', async () => {
    const r = await processMail(env.services, { raw: fixture('follow-up-stranger.eml'), source: 'pipe' }, inbound);
    expect(r).toMatchObject({ outcome: 'follow-up', ticketId: first.ticketId });
    const a = await db().selectFrom('articles').select('flag').where('id', '=', r.articleId!).executeTakeFirstOrThrow();
    expect(a.flag).toBe('unexpected-sender');
    const h = await db().selectFrom('ticket_history').select('message').where('article_id', '=', r.articleId!).where('type', '=', 'FollowUp').executeTakeFirstOrThrow();
    expect(h.message).toContain('not part of this ticket');
  });

  it('applies the queue follow-up option to a closed ticket: reopen, reject with the reject answer, or a new ticket', async () => {
    const closed = (await db().selectFrom('states').select('id').where('name', '=', 'closed successful').executeTakeFirstOrThrow()).id;
    const close = () => db().updateTable('tickets').set({ state_id: closed }).where('id', '=', first.ticketId).execute();
    const stateOf = async () => (await db().selectFrom('tickets as t').innerJoin('states as s', 's.id', 't.state_id').select('s.name').where('t.id', '=', first.ticketId).executeTakeFirstOrThrow()).name;
    const reply = (n: number) => fixture('follow-up-references.eml').toString().replace('reply.3', `opt.${n}`);
    await close();
    expect(await processMail(env.services, { raw: Buffer.from(reply(1)), source: 'pipe' }, inbound)).toMatchObject({ outcome: 'follow-up', ticketId: first.ticketId });
    expect(await stateOf()).toBe('open');

    await close();
    await db().updateTable('queues').set({ follow_up: 'reject' }).where('name', '=', 'Raw').execute();
    const before = (await mailJobs(env.services)).length;
    const rejected = await processMail(env.services, { raw: Buffer.from(reply(2)), source: 'pipe' }, inbound);
    expect(rejected).toMatchObject({ outcome: 'reject', ticketId: first.ticketId });
    expect(await stateOf()).toBe('closed successful');
    const jobs = await mailJobs(env.services);
    expect(jobs).toHaveLength(before + 1);
    expect(jobs.at(-1).text).toBe(`Ticket ${first.tn} is closed; please write a new mail.`);

    await db().updateTable('queues').set({ follow_up: 'new_ticket' }).where('name', '=', 'Raw').execute();
    const fresh = await processMail(env.services, { raw: Buffer.from(reply(3)), source: 'pipe' }, inbound);
    expect(fresh.outcome).toBe('new-ticket');
    expect(fresh.ticketId).not.toBe(first.ticketId);
    await db().updateTable('queues').set({ follow_up: 'possible' }).where('name', '=', 'Raw').execute();
  });

  it('does not answer auto-submitted, bulk or looping mail, but keeps it as a ticket', async () => {
    const before = (await mailJobs(env.services)).length;
    const r = await processMail(env.services, { raw: fixture('auto-submitted.eml'), source: 'pipe' }, inbound);
    expect(r.outcome).toBe('new-ticket');
    expect(await mailJobs(env.services)).toHaveLength(before);
    const h = await db().selectFrom('ticket_history').select('message').where('ticket_id', '=', r.ticketId!).where('message', 'like', 'No auto response%').executeTakeFirstOrThrow();
    expect(h.message).toContain('Auto-Submitted: auto-replied');
    expect(h.message).toContain('Precedence: bulk');
    expect(h.message).toContain('X-Loop');
  });

  it('dispatches by recipient address to its queue, and a postmaster filter moves, marks internal or ignores', async () => {
    const toSales = await processMail(env.services, { raw: fixture('spam.eml'), source: 'smtp', recipients: ['sales@helpdesk.test'] }, inbound);
    const q = await db().selectFrom('tickets').select('queue_id').where('id', '=', toSales.ticketId!).executeTakeFirstOrThrow();
    expect(q.queue_id).toBe(sales);

    await db().insertInto('postmaster_filters').values([
      { name: 'a-spam', matches: JSON.stringify([{ field: 'X-Spam-Flag', regex: '^yes$' }]), actions: JSON.stringify({ queue: 'Junk', priority: '1 very low', internal: true }) },
      { name: 'b-everything', matches: JSON.stringify([{ field: 'Subject', regex: 'x', negate: true }]), actions: JSON.stringify({ ignore: true }) },
    ]).execute();
    const spam = await processMail(env.services, { raw: Buffer.from(fixture('spam.eml').toString().replace('spam.1', 'spam.2')), source: 'smtp' }, inbound);
    const t = await db().selectFrom('tickets as t').innerJoin('queues as q', 'q.id', 't.queue_id').innerJoin('priorities as p', 'p.id', 't.priority_id').select(['q.name as queue', 'p.name as priority']).where('t.id', '=', spam.ticketId!).executeTakeFirstOrThrow();
    expect(t).toEqual({ queue: 'Junk', priority: '1 very low' });
    expect((await articlesOf(spam.ticketId!))[0]!.visible_for_customer).toBe(false);
    // "Subject does not contain x": the auto-submitted fixture's subject "Out of office" has none → ignored.
    const ignored = await processMail(env.services, { raw: Buffer.from(fixture('auto-submitted.eml').toString().replace('Out of office', 'Hello').replace('ooo.1', 'ooo.2')), source: 'pipe' }, inbound);
    expect(ignored.outcome).toBe('ignore');
    expect(ignored.ticketId).toBeUndefined();
    await db().deleteFrom('postmaster_filters').execute();
  });

  it('keeps a mail it cannot use as a problem mail with a clear reason, and decodes an unknown charset with a warning', async () => {
    const bad = await processMail(env.services, { raw: fixture('malformed.eml'), source: 'pipe' }, inbound);
    expect(bad).toMatchObject({ outcome: 'problem', code: 'MALFORMED' });
    const big = await processMail(env.services, { raw: fixture('new-ticket.eml'), source: 'pipe' }, inboundConfig({ MAIL_MAX_BYTES: '100' }));
    expect(big).toMatchObject({ outcome: 'problem', code: 'TOO_LARGE' });
    const rows = await db().selectFrom('problem_mails').select(['id', 'code', 'reason', 'subject', 'size']).orderBy('id').execute();
    expect(rows.map((r) => r.code)).toEqual(['MALFORMED', 'TOO_LARGE']);
    expect(rows[1]!.reason).toContain('MAIL_MAX_BYTES');
    expect(rows[1]!.subject).toContain('Drucker');

    const k = await processMail(env.services, { raw: fixture('unknown-charset.eml'), source: 'pipe' }, inbound);
    expect(k.outcome).toBe('new-ticket');
    const h = await db().selectFrom('ticket_history').select('message').where('ticket_id', '=', k.ticketId!).where('type', '=', 'Misc').execute();
    expect(h.map((x) => x.message).join(' ')).toContain('unknown charset "x-klingon"');
  });

  it('opens at most MAIL_MAX_PER_SENDER tickets per sender and window; the rest are kept unanswered', async () => {
    const limited = inboundConfig({ MAIL_MAX_PER_SENDER: '2' });
    const mail = (n: number) => Buffer.from(`From: loop@robot.test\r\nTo: support@helpdesk.test\r\nSubject: ping ${n}\r\nMessage-ID: <ping.${n}@robot.test>\r\n\r\nping\r\n`);
    const out = [];
    for (let i = 1; i <= 3; i++) out.push(await processMail(env.services, { raw: mail(i), source: 'smtp' }, limited));
    expect(out.map((o) => o.outcome)).toEqual(['new-ticket', 'new-ticket', 'problem']);
    expect(out[2]!.code).toBe('SENDER_LIMIT');
  });

  it('turns mails arriving at once into tickets with distinct numbers', async () => {
    const raw = (i: number) => Buffer.from(`From: crowd${i}@customer.test\r\nTo: support@helpdesk.test\r\nSubject: At once ${i}\r\nMessage-ID: <once${i}@customer.test>\r\n\r\nHello.\r\n`);
    const out = await Promise.all(Array.from({ length: 8 }, (_, i) => processMail(env.services, { raw: raw(i), source: 'smtp' }, inbound)));
    expect(out.map((o) => o.outcome)).toEqual(Array(8).fill('new-ticket'));
    expect(new Set(out.map((o) => o.tn)).size).toBe(8);
    const stored = await db().selectFrom('tickets').select('tn').where('id', 'in', out.map((o) => o.ticketId!)).execute();
    expect(stored.map((t) => t.tn).sort()).toEqual(out.map((o) => o.tn).sort());
  });
});
