/**
 * `/api/v1/mail/...` for administrators: mail accounts (with a connection test), postmaster
 * filters, auto responses, system addresses (list, read, create, change, delete each) and problem
 * mails (list, raw download, reprocess, delete).
 */
import type { Context } from 'hono';
import { ApiRouter, idSchema, reply, type JsonSchema } from '../../http/api';
import type { AppEnv } from '../../http/env';
import type { Access } from '../../access/access';
import * as s from './schema';
import { MailAdminService } from './service';

const id = { id: idSchema };

interface Crud<I> {
  list(a: Access): Promise<unknown[]>;
  get(a: Access, id: number): Promise<unknown>;
  save(a: Access, id: number | undefined, input: I): Promise<unknown>;
  remove(a: Access, id: number): Promise<void>;
}

/** The five routes of one admin-managed table. */
function crud<I>(api: ApiRouter, path: string, what: string, schemas: { view: JsonSchema; list: JsonSchema; create: JsonSchema; patch: JsonSchema }, ops: (c: Context<AppEnv>) => Crud<I>, describe?: string) {
  api.get(path, { summary: `List the ${what}s`, auth: 'admin', responses: { 200: schemas.list } }, async (c) => ({ items: await ops(c).list(c.get('access')) }));
  api.post<unknown, unknown, I>(path, { summary: `Create a ${what}`, ...(describe ? { description: describe } : {}), auth: 'admin', body: schemas.create, responses: { 201: schemas.view } }, async (c, { body }) =>
    reply(201, await ops(c).save(c.get('access'), undefined, body)),
  );
  api.get<{ id: number }>(`${path}/:id`, { summary: `One ${what}`, auth: 'admin', params: id, responses: { 200: schemas.view } }, (c, { params }) => ops(c).get(c.get('access'), params.id));
  api.patch<{ id: number }, unknown, I>(`${path}/:id`, { summary: `Change a ${what}`, description: 'Only the properties given change.', auth: 'admin', params: id, body: schemas.patch, responses: { 200: schemas.view } }, (c, { params, body }) =>
    ops(c).save(c.get('access'), params.id, body),
  );
  api.delete<{ id: number }>(`${path}/:id`, { summary: `Delete a ${what}`, auth: 'admin', params: id, responses: { 204: null } }, async (c, { params }) => {
    await ops(c).remove(c.get('access'), params.id);
    return reply(204, null);
  });
}

export function mailAdminRouter(): ApiRouter {
  const api = new ApiRouter('/mail', 'Mail (inbound)');
  const svc = (c: Context<AppEnv>) => new MailAdminService(c.get('services'));

  crud<s.AccountInput>(
    api,
    '/accounts',
    'mail account',
    { view: s.accountView, list: s.accountListView, create: s.accountCreateBody, patch: s.accountPatchBody },
    (c) => ({ list: (a) => svc(c).listAccounts(a), get: (a, i) => svc(c).getAccount(a, i), save: (a, i, b) => svc(c).saveAccount(a, i, b), remove: (a, i) => svc(c).deleteAccount(a, i) }),
    'IMAP or POP3 mailbox fetched by `mail-fetch` jobs every `intervalSeconds` while valid. The password is stored encrypted (SECRETS_KEY) and never returned. The port defaults to the protocol’s (993/995 with TLS, 143/110 without). A private or loopback host needs an `allowList` entry.',
  );
  api.post<{ id: number }>(
    '/accounts/:id/test',
    { summary: 'Test a mail account', description: 'Connects, logs in and opens the folder without fetching anything; answers `ok` or the server’s error in words.', auth: 'admin', params: id, responses: { 200: s.testConnectionView } },
    (c, { params }) => svc(c).testAccount(c.get('access'), params.id),
  );

  crud<s.FilterInput>(
    api,
    '/filters',
    'postmaster filter',
    { view: s.filterView, list: s.filterListView, create: s.filterCreateBody, patch: s.filterPatchBody },
    (c) => ({ list: (a) => svc(c).listFilters(a), get: (a, i) => svc(c).getFilter(a, i), save: (a, i, b) => svc(c).saveFilter(a, i, b), remove: (a, i) => svc(c).deleteFilter(a, i) }),
    'Every rule of `matches` must hold (a header name or `Body`, a regular expression matched case-insensitively, optionally negated); the `actions` then apply. Filters run in name order; `stop` (default true) ends the evaluation on a match.',
  );

  crud<s.ResponseInput>(
    api,
    '/auto-responses',
    'auto response',
    { view: s.responseView, list: s.responseListView, create: s.responseCreateBody, patch: s.responsePatchBody },
    (c) => ({ list: (a) => svc(c).listResponses(a), get: (a, i) => svc(c).getResponse(a, i), save: (a, i, b) => svc(c).saveResponse(a, i, b), remove: (a, i) => svc(c).deleteResponse(a, i) }),
    'One per queue and kind. Subject and body are templates with OTRS tags (`<OTRS_TICKET_TicketNumber>`, `<OTRS_CUSTOMER_REALNAME>`, `<OTRS_CUSTOMER_SUBJECT>` …) and `{{ticket.number}}`, `{{ticket.title}}`, `{{customer.name}}` …',
  );

  crud<s.AddressInput>(
    api,
    '/addresses',
    'system address',
    { view: s.addressView, list: s.addressListView, create: s.addressCreateBody, patch: s.addressPatchBody },
    (c) => ({ list: (a) => svc(c).listAddresses(a), get: (a, i) => svc(c).getAddress(a, i), save: (a, i, b) => svc(c).saveAddress(a, i, b), remove: (a, i) => svc(c).deleteAddress(a, i) }),
    'An address the helpdesk receives mail for (the SMTP listener accepts only these and `MAIL_ADDRESSES`), and the queue its mail goes to.',
  );

  api.get('/problems', { summary: 'List the problem mails', description: 'Mails that could not be parsed or processed, newest first, without their source.', auth: 'admin', responses: { 200: s.problemListView } }, async (c) => ({
    items: await svc(c).listProblems(c.get('access')),
  }));
  api.get<{ id: number }>('/problems/:id/raw', { summary: 'Download a problem mail (.eml)', auth: 'admin', params: id, responses: { 200: { binary: 'message/rfc822' } } }, async (c, { params }) => {
    const { raw, filename } = await svc(c).problemRaw(c.get('access'), params.id);
    return new Response(raw, { status: 200, headers: { 'Content-Type': 'message/rfc822', 'Content-Disposition': `attachment; filename="${filename}"`, 'X-Content-Type-Options': 'nosniff' } });
  });
  api.post<{ id: number }>(
    '/problems/:id/reprocess',
    {
      summary: 'Reprocess a problem mail',
      description: 'Runs the whole pipeline again on the kept mail (after the cause was fixed). Success removes it from the list; another failure keeps it with the new code and reason.',
      auth: 'admin',
      params: id,
      responses: { 200: s.reprocessView },
    },
    (c, { params }) => svc(c).reprocess(c.get('access'), params.id),
  );
  api.delete<{ id: number }>('/problems/:id', { summary: 'Delete a problem mail', auth: 'admin', params: id, responses: { 204: null } }, async (c, { params }) => {
    await svc(c).deleteProblem(c.get('access'), params.id);
    return reply(204, null);
  });
  return api;
}
