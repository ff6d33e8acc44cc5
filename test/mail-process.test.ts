/**
 * The process action SendEmail on a real SMTP capture: a deployed process whose transition sends
 * mail queues it in the step's transaction and the job delivers it (ticket hook, automatic-mail
 * headers, a template by name rendered for the ticket); test mode lists the mail and sends none.
 * PGlite, and PostgreSQL with TEST_DATABASE_URL.
 */
import type { Process } from '../engine/model/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeMailTransports } from '../server/mail/transport';
import { databaseKinds } from './support/db';
import { deploy, processTicket, startEngineHelpdesk, type EngineHelpdesk } from './support/engine';
import { startSmtpCapture, type SmtpCapture } from './support/smtp';

const mailer: Process = {
  format: 'process/1',
  key: 'mailer',
  name: 'Mailer',
  start: { interfaces: ['agent'] },
  nodes: [
    { id: 'start', type: 'startEvent' },
    { id: 'end', type: 'endEvent' },
  ],
  transitions: [
    {
      id: 't1',
      from: 'start',
      to: 'end',
      actions: [
        { type: 'SendEmail', to: '{{customer.email}}', cc: 'lead@helpdesk.test', subject: 'Received: {{ticket.title}}', body: 'Hello {{customer.firstName}}, we have your request.' },
        { type: 'SendEmail', to: 'ops@helpdesk.test', template: 'ops-notice' },
      ],
    },
  ],
} as Process;

describe.each(databaseKinds)('SendEmail on %s', (kind) => {
  let h: EngineHelpdesk;
  let smtp: SmtpCapture;
  beforeAll(async () => {
    h = await startEngineHelpdesk(kind);
    smtp = await startSmtpCapture();
    h.srv.services.config.mailOut.smtpUrl = smtp.url;
    const t = await h.as.admin!.post('/api/v1/mail/texts', { kind: 'template', name: 'ops-notice', subject: 'Ticket <OTRS_TICKET_TicketNumber> started', body: 'Queue {{ticket.queue}}, customer <OTRS_CUSTOMER_REALNAME>.' });
    expect(t.status, JSON.stringify(t.body)).toBe(201);
    await deploy(h, mailer);
  }, 180_000);
  afterAll(async () => {
    closeMailTransports();
    await smtp?.close();
    await h?.close();
  });

  it('test mode lists the mail it would send and sends none', async () => {
    const jobsBefore = await h.srv.database.db.selectFrom('jobs').select('id').where('kind', '=', 'mail').execute();
    const res = await h.as.admin!.post('/api/v1/processes/mailer/simulate', { scenario: { name: 'carl asks', ticket: { title: 'New laptop' }, customer: { email: 'carl@customer.test', firstName: 'carl' } } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.reports[0].mails).toEqual([
      expect.objectContaining({ node: 'start', transition: 't1', cc: 'lead@helpdesk.test', subject: expect.stringMatching(/^Received: /) }),
      expect.objectContaining({ to: 'ops@helpdesk.test', template: 'ops-notice' }),
    ]);
    const jobsAfter = await h.srv.database.db.selectFrom('jobs').select('id').where('kind', '=', 'mail').execute();
    expect(jobsAfter).toHaveLength(jobsBefore.length);
    expect(smtp.mails).toHaveLength(0);
  });

  it('sends the mail when the deployed process takes the transition', async () => {
    const s = await processTicket(h, 'alice', 'mailer', { title: 'New laptop', customerUser: 'carl' });
    await h.worker.drain();
    const mails = await smtp.waitFor(2);
    const tn = (await h.as.alice!.get(`/api/v1/tickets/${s.ticketId}`)).body.number;
    const toCustomer = mails.find((m) => m.to.includes('carl@customer.test'))!;
    expect(toCustomer.parsed.subject).toBe(`[Ticket#${tn}] Received: New laptop`);
    expect(toCustomer.parsed.text?.trim()).toBe('Hello carl, we have your request.');
    expect(toCustomer.to).toContain('lead@helpdesk.test');
    expect(toCustomer.parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(toCustomer.parsed.headers.get('x-loop')).toBe('helpdesk@localhost');
    const ops = mails.find((m) => m.to.includes('ops@helpdesk.test'))!;
    expect(ops.parsed.subject).toBe(`[Ticket#${tn}] Ticket ${tn} started`);
    expect(ops.parsed.text?.trim()).toBe('Queue Support, customer carl Customer.');
    const history = (await h.as.alice!.get(`/api/v1/tickets/${s.ticketId}/history?perPage=100`)).body.items.map((x: any) => x.message);
    expect(history).toContain(`Process sent an email to carl@customer.test: "[Ticket#${tn}] Received: New laptop".`);
  });

  it('a recipient that comes out empty (a ticket without customer) sends nothing, says so, and the process goes on', async () => {
    const before = (await h.srv.database.db.selectFrom('jobs').select('id').where('kind', '=', 'mail').execute()).length;
    const res = await h.as.alice!.post('/api/v1/process-tickets', { process: 'mailer', ticket: { title: 'No customer', queue: 'Support', article: { body: 'Start' } } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const jobs = await h.srv.database.db.selectFrom('jobs').select('payload').where('kind', '=', 'mail').execute();
    // Only the ops notice: the customer mail had nobody to go to.
    expect(jobs.length - before).toBe(1);
    const history = (await h.as.alice!.get(`/api/v1/tickets/${res.body.ticketId ?? res.body.ticket?.id}/history?perPage=100`)).body.items.map((x: any) => x.message);
    expect(history).toContain('Process sent no email: the recipient (to) is empty.');
  });

  it('an unknown template is an incident, not a silent skip', async () => {
    const broken = { ...mailer, key: 'mailer-broken', name: 'Mailer broken', transitions: [{ id: 't1', from: 'start', to: 'end', actions: [{ type: 'SendEmail', to: 'ops@helpdesk.test', template: 'no-such-template' }] }] } as Process;
    await deploy(h, broken);
    const res = await h.as.alice!.post('/api/v1/process-tickets', { process: 'mailer-broken', ticket: { title: 'x', queue: 'Support', article: { body: 'Start' } } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('no mail template "no-such-template"');
  });
});
