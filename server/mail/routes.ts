/**
 * The mail API: agents send ticket mail (`POST /tickets/{id}/email`: reply, reply all, forward,
 * redirect, outbound email; `POST /tickets/email`: a new email ticket) and read what a reply
 * form starts with; admins read the mail log (with each message's .eml) and manage mail texts
 * (templates, salutations, signatures) and each queue's system address, salutation and signature.
 * Handlers validate, then call the mail services.
 */
import { ArticleService } from '../articles/service';
import { articleView } from '../articles/schema';
import { notifyTicketsChanged } from '../engine/ticket-changed';
import { NotFound } from '../errors';
import { ApiRouter, idSchema, reply } from '../http/api';
import { inTransaction } from '../tickets/context';
import { nextTicketNumber } from '../tickets/number';
import { ticketView } from '../tickets/schema';
import { TicketService } from '../tickets/service';
import { readableTicket } from '../tickets/view';
import type { MailStatus, MailTextKind } from '../db/schema';
import { listMailLog, mailLogRaw } from './log';
import { renderForTicket } from './render';
import {
  emailTicketBody,
  mailDefaultsView,
  mailLogQuery,
  mailLogView,
  mailTextBody,
  mailTextListView,
  mailTextQuery,
  mailTextView,
  queueMailBody,
  queueMailListView,
  queueMailView,
  renderBody,
  renderView,
  ticketMailBody,
} from './schema';
import { deleteMailText, listMailTexts, listQueueMail, mailDefaults, saveMailText, saveQueueMail, type MailTextInput } from './service';
import { createEmailTicket, sendTicketMail, type EmailTicketInput, type TicketMailInput } from './ticket-mail';

const id = { id: idSchema };

function ticketMailRouter(): ApiRouter {
  const api = new ApiRouter('/tickets', 'Mail');
  api.post<unknown, unknown, EmailTicketInput>(
    '/email',
    {
      summary: 'New email ticket: a ticket whose first article is a mail to the customer',
      description: 'The ticket and its email article are written and the mail queued in one transaction. Subjects and addresses with line breaks are refused (400 naming the field).',
      auth: 'agent',
      body: emailTicketBody,
      responses: { 201: ticketView },
    },
    async (c, { body }) => {
      const services = c.get('services');
      const access = c.get('access');
      const tn = await nextTicketNumber(services.database.db, services.now(), services.config.ticketNumberPrefix);
      const ticketId = await inTransaction(services, access, (ctx) => createEmailTicket(ctx, body, tn));
      return reply(201, await new TicketService(services).get(access, ticketId));
    },
  );
  api.post<{ id: number }, unknown, TicketMailInput>(
    '/:id/email',
    {
      summary: 'Send ticket mail: reply, reply all, forward, redirect or an outbound email',
      description:
        'Writes an outgoing email article (visible to the customer) and queues its mail in one transaction: the ticket hook is put in the subject, From is the queue\'s system address, In-Reply-To/References thread it. `nextState` sets the ticket\'s state with it. The article\'s `delivery` shows whether the mail went out.',
      auth: 'agent',
      params: id,
      body: ticketMailBody,
      responses: { 201: articleView },
    },
    async (c, { params, body }) => {
      const services = c.get('services');
      const access = c.get('access');
      const { articleId } = await inTransaction(services, access, (ctx) => sendTicketMail(ctx, params.id, body));
      await notifyTicketsChanged(services, [params.id], access);
      return reply(201, await new ArticleService(services).get(access, articleId));
    },
  );
  api.get<{ id: number }>(
    '/:id/email/defaults',
    { summary: "What a mail on this ticket starts with: From, the ticket hook, the queue's salutation and signature rendered", auth: 'agent', params: id, responses: { 200: mailDefaultsView } },
    async (c, { params }) => {
      const services = c.get('services');
      const access = c.get('access');
      await readableTicket(services.database.db, access, params.id);
      return mailDefaults(services.database.db, services.config.mailOut, params.id, access.requireAgent().id);
    },
  );
  return api;
}

function mailRouter(): ApiRouter {
  const api = new ApiRouter('/mail', 'Mail');
  api.get<unknown, { page: number; perPage: number; status?: MailStatus; ticketId?: number }>(
    '/log',
    { summary: 'The mail log: every mail queued, sent, written to the outbox or not delivered, newest first', auth: 'admin', query: mailLogQuery, responses: { 200: mailLogView } },
    async (c, { query }) => ({ ...(await listMailLog(c.get('services').database.db, query)), page: query.page, perPage: query.perPage }),
  );
  api.get<{ id: number }>(
    '/log/:id/eml',
    { summary: 'Download a logged mail as sent (.eml)', auth: 'admin', params: id, responses: { 200: { binary: 'message/rfc822' } } },
    async (c, { params }) => {
      const r = await mailLogRaw(c.get('services').database.db, params.id);
      if (!r) throw new NotFound('message');
      return new Response(r.raw, { status: 200, headers: { 'content-type': 'message/rfc822', 'content-disposition': `attachment; filename="${r.file.replace(/"/g, '')}"` } });
    },
  );
  api.get<unknown, { kind?: MailTextKind }>(
    '/texts',
    { summary: 'Mail texts: answer templates, salutations and signatures (agents see the valid ones)', auth: 'agent', query: mailTextQuery, responses: { 200: mailTextListView } },
    async (c, { query }) => listMailTexts(c.get('services').database.db, query.kind, !(await c.get('access').isAdmin())),
  );
  api.post<unknown, unknown, MailTextInput>(
    '/texts',
    { summary: 'Create a mail text', auth: 'admin', body: mailTextBody, responses: { 201: mailTextView } },
    async (c, { body }) => reply(201, await saveMailText(c.get('services').database.db, null, body, c.get('services').now())),
  );
  api.put<{ id: number }, unknown, MailTextInput>(
    '/texts/:id',
    { summary: 'Change a mail text', auth: 'admin', params: id, body: mailTextBody, responses: { 200: mailTextView } },
    async (c, { params, body }) => saveMailText(c.get('services').database.db, params.id, body, c.get('services').now()),
  );
  api.delete<{ id: number }>(
    '/texts/:id',
    { summary: 'Delete a mail text (queues using it fall back to the standard one)', auth: 'admin', params: id, responses: { 204: null } },
    async (c, { params }) => {
      await deleteMailText(c.get('services').database.db, params.id);
      return reply(204, null);
    },
  );
  api.get(
    '/queues',
    { summary: "Each queue's mail settings: system address (From), salutation, signature", auth: 'admin', responses: { 200: queueMailListView } },
    async (c) => listQueueMail(c.get('services').database.db),
  );
  api.put<{ id: number }, unknown, { systemAddress?: string | null; salutationId?: number | null; signatureId?: number | null }>(
    '/queues/:id',
    { summary: "Set a queue's mail settings", auth: 'admin', params: id, body: queueMailBody, responses: { 200: queueMailView } },
    async (c, { params, body }) => saveQueueMail(c.get('services').database.db, params.id, body),
  );
  api.post<unknown, unknown, { ticketId: number; text: string }>(
    '/render',
    {
      summary: 'Render a text against a ticket: {{ticket.…}} templates and OTRS tags (<OTRS_CUSTOMER_REALNAME>, <OTRS_TICKET_TicketNumber>, <OTRS_AGENT_UserFirstname>, …)',
      auth: 'agent',
      body: renderBody,
      responses: { 200: renderView },
    },
    async (c, { body }) => {
      const services = c.get('services');
      const access = c.get('access');
      await readableTicket(services.database.db, access, body.ticketId);
      return { text: await renderForTicket(services.database.db, body.ticketId, body.text, { agentId: access.requireAgent().id }) };
    },
  );
  return api;
}

export function mailRouters(): ApiRouter[] {
  return [ticketMailRouter(), mailRouter()];
}
