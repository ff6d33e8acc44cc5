/**
 * `/api/v1/tickets/...` (create, read one, change, lock, watch, merge, links, articles, split,
 * history, bulk) and `/api/v1/articles/...` (read, seen, attachment download, split). Handlers
 * validate, then call `TicketService` / `ArticleService`. Ticket lists and search live in
 * `server/search/`.
 */
import type { Context } from 'hono';
import { ArticleService } from '../articles/service';
import { articleInput, articleListQuery, articleListView, articleView, type ArticleInput, type ArticleListQuery } from '../articles/schema';
import { NotFound } from '../errors';
import { historyListView, historyQuery, type HistoryQuery } from '../history/schema';
import { ApiRouter, idSchema, reply } from '../http/api';
import type { AppEnv } from '../http/env';
import {
  bulkBody,
  bulkResultView,
  linkBody,
  linkListView,
  linkView,
  mergeBody,
  splitBody,
  ticketCreateBody,
  ticketPatchBody,
  ticketView,
  type BulkInput,
  type LinkInput,
  type MergeInput,
  type SplitInput,
  type TicketCreateInput,
  type TicketPatchInput,
} from './schema';
import { TicketService } from './service';

type C = Context<AppEnv>;
const tickets = (c: C) => new TicketService(c.get('services'));
const articles = (c: C) => new ArticleService(c.get('services'));
const id = { id: idSchema };

const mergeResultView = {
  type: 'object',
  additionalProperties: false,
  required: ['source', 'target', 'movedArticles'],
  properties: { source: ticketView, target: ticketView, movedArticles: { type: 'integer' } },
} as const;

function ticketsRouter(): ApiRouter {
  const api = new ApiRouter('/tickets', 'Tickets');

  api.post<unknown, unknown, TicketCreateInput>(
    '/',
    {
      summary: 'Create a ticket with its first article',
      description: 'Agents need `create` on the queue and become owner unless `owner` is given. Customer users open portal tickets (queue `Raw` unless given).',
      auth: 'any',
      body: ticketCreateBody,
      responses: { 201: ticketView },
    },
    async (c, { body }) => reply(201, await tickets(c).create(c.get('access'), body)),
  );

  api.post<unknown, unknown, BulkInput>(
    '/bulk',
    {
      summary: 'Change state, queue, owner or priority of many tickets and/or add a note to each',
      description: 'Each ticket changes in its own transaction; the answer reports every ticket (`ok`, or the error it met).',
      auth: 'agent',
      body: bulkBody,
      responses: { 200: bulkResultView },
    },
    (c, { body }) => tickets(c).bulk(c.get('access'), body),
  );

  api.get<{ id: number }>(
    '/:id',
    { summary: 'Get a ticket', auth: 'any', params: id, responses: { 200: ticketView } },
    (c, { params }) => tickets(c).get(c.get('access'), params.id),
  );

  api.patch<{ id: number }, unknown, TicketPatchInput>(
    '/:id',
    {
      summary: 'Change a ticket',
      description:
        'Moving needs `move_into` on the ticket and the target queue; owner changes `owner`; priority changes `priority`; everything else `rw`. Every change writes history. 204 when the change (a move) took the ticket out of your sight.',
      auth: 'agent',
      params: id,
      body: ticketPatchBody,
      responses: { 200: ticketView, 204: null },
    },
    async (c, { params, body }) => {
      const view = await tickets(c).update(c.get('access'), params.id, body);
      return view ? reply(200, view) : reply(204, null);
    },
  );

  api.post<{ id: number }>(
    '/:id/lock',
    { summary: 'Lock a ticket (the caller becomes owner)', auth: 'agent', params: id, responses: { 200: ticketView } },
    (c, { params }) => tickets(c).lock(c.get('access'), params.id),
  );
  api.delete<{ id: number }>(
    '/:id/lock',
    { summary: 'Unlock a ticket', auth: 'agent', params: id, responses: { 200: ticketView } },
    (c, { params }) => tickets(c).unlock(c.get('access'), params.id),
  );

  api.post<{ id: number }>(
    '/:id/watch',
    { summary: 'Watch a ticket', auth: 'agent', params: id, responses: { 204: null } },
    async (c, { params }) => {
      await tickets(c).watch(c.get('access'), params.id, true);
      return reply(204, null);
    },
  );
  api.delete<{ id: number }>(
    '/:id/watch',
    { summary: 'Stop watching a ticket', auth: 'agent', params: id, responses: { 204: null } },
    async (c, { params }) => {
      await tickets(c).watch(c.get('access'), params.id, false);
      return reply(204, null);
    },
  );

  api.post<{ id: number }, unknown, MergeInput>(
    '/:id/merge',
    {
      summary: 'Merge this ticket into another (cannot be undone)',
      auth: 'agent',
      params: id,
      body: mergeBody,
      responses: { 200: mergeResultView },
    },
    async (c, { params, body }) => {
      const access = c.get('access');
      const r = await tickets(c).merge(access, params.id, body);
      return { source: await tickets(c).get(access, r.sourceId), target: await tickets(c).get(access, r.targetId), movedArticles: r.movedArticles };
    },
  );

  api.get<{ id: number }>(
    '/:id/links',
    { summary: "A ticket's links, both directions", auth: 'agent', params: id, responses: { 200: linkListView } },
    async (c, { params }) => ({ items: await tickets(c).links(c.get('access'), params.id) }),
  );
  api.post<{ id: number }, unknown, LinkInput>(
    '/:id/links',
    { summary: 'Link a ticket to another', auth: 'agent', params: id, body: linkBody, responses: { 201: linkView } },
    async (c, { params, body }) => reply(201, await tickets(c).addLink(c.get('access'), params.id, body)),
  );
  api.delete<{ id: number; linkId: number }>(
    '/:id/links/:linkId',
    { summary: 'Remove a link', auth: 'agent', params: { id: idSchema, linkId: idSchema }, responses: { 204: null } },
    async (c, { params }) => {
      await tickets(c).removeLink(c.get('access'), params.id, params.linkId);
      return reply(204, null);
    },
  );

  api.get<{ id: number }, ArticleListQuery>(
    '/:id/articles',
    { summary: "A ticket's articles", auth: 'any', params: id, query: articleListQuery, responses: { 200: articleListView } },
    (c, { params, query }) => articles(c).list(c.get('access'), params.id, query),
  );
  api.post<{ id: number }, unknown, ArticleInput>(
    '/:id/articles',
    {
      summary: 'Add an article',
      description: 'Notes need `note`, other agent articles `rw`. Customer users add portal follow-ups to their tickets (a closed ticket reopens).',
      auth: 'any',
      params: id,
      body: articleInput,
      responses: { 201: articleView },
    },
    async (c, { params, body }) => reply(201, await articles(c).add(c.get('access'), params.id, body)),
  );
  api.post<{ id: number; articleId: number }, unknown, SplitInput>(
    '/:id/articles/:articleId/split',
    { summary: 'Split an article off into a new ticket', auth: 'agent', params: { id: idSchema, articleId: idSchema }, body: splitBody, responses: { 201: ticketView } },
    async (c, { params, body }) => {
      const access = c.get('access');
      const a = await articles(c).get(access, params.articleId);
      if (a.ticketId !== params.id) throw new NotFound('article');
      return reply(201, await tickets(c).split(access, params.articleId, body));
    },
  );

  api.get<{ id: number }, HistoryQuery>(
    '/:id/history',
    { summary: "A ticket's history (timeline)", auth: 'agent', params: id, query: historyQuery, responses: { 200: historyListView } },
    (c, { params, query }) => tickets(c).history(c.get('access'), params.id, query.page, query.perPage),
  );

  return api;
}

function articlesRouter(): ApiRouter {
  const api = new ApiRouter('/articles', 'Articles');

  api.get<{ id: number }>(
    '/:id',
    { summary: 'Get an article', auth: 'any', params: id, responses: { 200: articleView } },
    (c, { params }) => articles(c).get(c.get('access'), params.id),
  );
  api.post<{ id: number }>(
    '/:id/seen',
    { summary: 'Mark an article seen by the calling agent', auth: 'agent', params: id, responses: { 204: null } },
    async (c, { params }) => {
      await articles(c).markSeen(c.get('access'), params.id);
      return reply(204, null);
    },
  );
  api.get<{ id: number; n: number }, { inline?: string }>(
    '/:id/attachments/:n',
    {
      summary: 'Download an attachment (n = position, from 1)',
      description: 'Sent as `Content-Disposition: attachment`; `?inline=1` shows images (png, gif, jpeg, webp, bmp) inline.',
      auth: 'any',
      params: { id: idSchema, n: idSchema },
      query: { type: 'object', additionalProperties: false, properties: { inline: { enum: ['1', '0', 'true', 'false'] } } },
      responses: { 200: { binary: 'application/octet-stream' } },
    },
    async (c, { params, query }) => {
      const a = await articles(c).attachment(c.get('access'), params.id, params.n, query.inline === '1' || query.inline === 'true');
      return new Response(a.content, { status: 200, headers: a.headers });
    },
  );
  api.get<{ id: number }, { download?: string }>(
    '/:id/source',
    {
      summary: 'The raw source of a received mail ("plain view")',
      description: 'Agents who may read the ticket; customers never. Shown as text (`text/plain`); `?download=1` sends it as an .eml file. 404 for articles that did not arrive by mail.',
      auth: 'agent',
      params: id,
      query: { type: 'object', additionalProperties: false, properties: { download: { enum: ['1', '0', 'true', 'false'] } } },
      responses: { 200: { binary: 'text/plain' } },
    },
    async (c, { params, query }) => {
      const raw = await articles(c).source(c.get('access'), params.id);
      const download = query.download === '1' || query.download === 'true';
      return new Response(raw, {
        status: 200,
        headers: {
          'Content-Type': download ? 'message/rfc822' : 'text/plain; charset=utf-8',
          'Content-Disposition': download ? `attachment; filename="article-${params.id}.eml"` : 'inline',
          'X-Content-Type-Options': 'nosniff',
          'Content-Security-Policy': "default-src 'none'; sandbox",
        },
      });
    },
  );
  api.post<{ id: number }, unknown, SplitInput>(
    '/:id/split',
    { summary: 'Split an article off into a new ticket', auth: 'agent', params: id, body: splitBody, responses: { 201: ticketView } },
    async (c, { params, body }) => reply(201, await tickets(c).split(c.get('access'), params.id, body)),
  );

  return api;
}

export function ticketRouters(): ApiRouter[] {
  return [ticketsRouter(), articlesRouter()];
}
