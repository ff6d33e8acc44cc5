/**
 * `/api/v1/kb/...`: the knowledge base. Reading is open to everyone (what each caller sees is
 * decided by `access/kb.ts` inside the queries: the public only public articles, customer users
 * external and public ones, agents the categories of their groups); writing is for agents with
 * `rw` on the category's group; categories and import for administrators.
 */
import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { ApiRouter, idSchema, reply } from '../http/api';
import type { AppEnv } from '../http/env';
import { cameOverHttps } from '../http/middleware';
import { kbScope } from '../access/kb';
import { exportCategory, importCategory, listCategories, saveCategory } from './categories';
import {
  articleInput, articleList, articleView, categoryInput, categoryList, deflectBody, diffView, exportView, importBody, importView, insertQuery, insertView,
  linkBody, listQuery, revisionList, revisionView, suggestionList, suggestQuery, voteBody, voteView,
  type ArticleInput, type CategoryInput, type ExportDocument, type ListQuery,
} from './schema';
import { KbService } from './service';

const service = (c: Context<AppEnv>) => new KbService(c.get('services'));
const id = { id: idSchema };
const VOTER_COOKIE = 'hd_kb_voter';

/** One vote per signed-in user, or per browser session (a cookie) for the public. */
function voter(c: Context<AppEnv>, create: boolean): string | undefined {
  const a = c.get('access').actor;
  if (a) return `${a.kind}:${a.id}`;
  let v = getCookie(c, VOTER_COOKIE);
  if (v && !/^[0-9a-f]{32}$/.test(v)) v = undefined;
  if (!v && create) {
    v = randomBytes(16).toString('hex');
    setCookie(c, VOTER_COOKIE, v, { httpOnly: true, sameSite: 'Lax', path: '/api/v1/kb', secure: cameOverHttps(c), maxAge: 60 * 60 * 24 * 365 });
  }
  return v ? `session:${v}` : undefined;
}

const created = (articleId: number) => reply(201, { id: articleId });
const createdView = { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } } as const;

export function kbRouter(): ApiRouter {
  const api = new ApiRouter('/kb', 'Knowledge base');
  const db = (c: Context<AppEnv>) => c.get('services').database.db;

  api.get('/categories', { summary: 'The categories you may see, with how many articles in each you may read', auth: 'none', responses: { 200: categoryList } }, async (c) => ({
    items: await listCategories(db(c), await kbScope(db(c), c.get('access'))),
  }));
  api.post<unknown, unknown, CategoryInput>('/categories', { summary: 'Create a category (administrators)', auth: 'admin', body: categoryInput, responses: { 201: createdView } }, async (c, { body }) =>
    created(await saveCategory(db(c), c.get('access'), undefined, body)),
  );
  api.put<{ id: number }, unknown, CategoryInput>('/categories/:id', { summary: 'Change a category (administrators)', auth: 'admin', params: id, body: categoryInput, responses: { 204: null } }, async (c, { params, body }) => {
    await saveCategory(db(c), c.get('access'), params.id, body);
    return reply(204, null);
  });
  api.get<{ id: number }>(
    '/categories/:id/export',
    { summary: 'Export a category with its sub-categories and articles as JSON (helpdesk-kb/1)', description: 'Only what you may read is exported.', auth: 'agent', params: id, responses: { 200: exportView } },
    (c, { params }) => exportCategory(db(c), c.get('access'), params.id),
  );
  api.post<unknown, unknown, ExportDocument & { parentId?: number | null }>(
    '/categories/import',
    { summary: 'Import an export (helpdesk-kb/1) as new categories and articles (administrators)', description: 'All or nothing: a bad entry is a 400 naming its path and nothing is created.', auth: 'admin', body: importBody, responses: { 201: importView } },
    async (c, { body }) => {
      const s = c.get('services');
      return reply(201, await importCategory(db(c), c.get('access'), body, { agentId: c.get('access').requireAgent().id, now: s.now(), maxAttachmentBytes: s.config.maxBodyBytes }));
    },
  );

  api.get<unknown, ListQuery>(
    '/articles',
    {
      summary: 'List and search the articles you may read',
      description: 'Full-text `query` in the syntax of the ticket search (words, "phrases", `*`/`?`, `+`/`-`, AND, OR, NOT, parentheses); ranked, with `excerpt` highlighting the matches in `<mark>`. Without a query: newest first. `valid=false|all` (agents) shows invalid articles.',
      auth: 'none',
      query: listQuery,
      responses: { 200: articleList },
    },
    (c, { query }) => service(c).list(c.get('access'), query),
  );
  api.get<unknown, { text: string; limit?: number }>(
    '/suggestions',
    { summary: 'Articles that may answer what is being typed (subject and message)', description: 'Any of the typed words (three letters or more, common words left out; the last one as a prefix), best ranked first; only articles you may read.', auth: 'none', query: suggestQuery, responses: { 200: suggestionList } },
    async (c, { query }) => ({ items: await service(c).suggest(c.get('access'), query.text, query.limit) }),
  );
  api.post<unknown, unknown, ArticleInput>(
    '/articles',
    { summary: 'Write an article (revision 1)', description: 'Needs `rw` on the category\'s group. Sections are HTML, sanitised.', auth: 'agent', body: articleInput, responses: { 201: createdView } },
    async (c, { body }) => created(await service(c).create(c.get('access'), body)),
  );
  api.get<{ id: number }>('/articles/:id', { summary: 'Read an article', auth: 'none', params: id, responses: { 200: articleView } }, (c, { params }) =>
    service(c).get(c.get('access'), params.id, voter(c, false)),
  );
  api.put<{ id: number }, unknown, ArticleInput>(
    '/articles/:id',
    { summary: 'Change an article (a new revision)', auth: 'agent', params: id, body: articleInput, responses: { 204: null } },
    async (c, { params, body }) => {
      await service(c).update(c.get('access'), params.id, body);
      return reply(204, null);
    },
  );
  api.get<{ id: number }>('/articles/:id/revisions', { summary: 'The history of an article, newest first', auth: 'agent', params: id, responses: { 200: revisionList } }, async (c, { params }) => ({
    items: await service(c).revisions(c.get('access'), params.id),
  }));
  api.get<{ id: number; revision: number }>(
    '/articles/:id/revisions/:revision',
    { summary: 'An article as it was in one revision', auth: 'agent', params: { id: idSchema, revision: idSchema }, responses: { 200: revisionView } },
    (c, { params }) => service(c).revision(c.get('access'), params.id, params.revision),
  );
  api.post<{ id: number; revision: number }>(
    '/articles/:id/revisions/:revision/restore',
    { summary: 'Make an old revision current again (as a new revision)', auth: 'agent', params: { id: idSchema, revision: idSchema }, responses: { 204: null } },
    async (c, { params }) => {
      await service(c).restore(c.get('access'), params.id, params.revision);
      return reply(204, null);
    },
  );
  api.get<{ id: number }, { from: number; to: number }>(
    '/articles/:id/diff',
    {
      summary: 'What changed between two revisions, field by field, line by line',
      auth: 'agent',
      params: id,
      query: { type: 'object', additionalProperties: false, required: ['from', 'to'], properties: { from: idSchema, to: idSchema } },
      responses: { 200: diffView },
    },
    (c, { params, query }) => service(c).diff(c.get('access'), params.id, query.from, query.to),
  );
  api.get<{ id: number; attachment: number }, { inline?: string }>(
    '/articles/:id/attachments/:attachment',
    {
      summary: 'Download an attachment of an article you may read',
      auth: 'none',
      params: { id: idSchema, attachment: idSchema },
      query: { type: 'object', additionalProperties: false, properties: { inline: { enum: ['1', '0', 'true', 'false'] } } },
      responses: { 200: { binary: 'application/octet-stream' } },
    },
    async (c, { params, query }) => {
      const a = await service(c).attachment(c.get('access'), params.id, params.attachment, query.inline === '1' || query.inline === 'true');
      return new Response(a.content, { status: 200, headers: a.headers });
    },
  );
  api.post<{ id: number }, unknown, { helpful: boolean }>(
    '/articles/:id/vote',
    { summary: 'Was this helpful? One vote per user (or browser session); voting again changes the vote', auth: 'none', params: id, body: voteBody, responses: { 200: voteView } },
    (c, { params, body }) => service(c).vote(c.get('access'), params.id, voter(c, true)!, body.helpful),
  );
  api.post<{ id: number }, unknown, { subject?: string }>(
    '/articles/:id/solved',
    { summary: '"This solved my problem": records a ticket that did not need opening', auth: 'none', params: id, body: deflectBody, responses: { 204: null } },
    async (c, { params, body }) => {
      await service(c).deflect(c.get('access'), params.id, body.subject);
      return reply(204, null);
    },
  );
  api.post<{ id: number }, unknown, { ticketId?: number; articleId?: number }>(
    '/articles/:id/links',
    { summary: 'Link the article to a ticket (needs note on it) or to another article', auth: 'agent', params: id, body: linkBody, responses: { 204: null } },
    async (c, { params, body }) => {
      await service(c).link(c.get('access'), params.id, body);
      return reply(204, null);
    },
  );
  api.delete<{ id: number }, { ticketId?: number; articleId?: number }>(
    '/articles/:id/links',
    {
      summary: 'Remove a link to a ticket or an article',
      auth: 'agent',
      params: id,
      query: { type: 'object', additionalProperties: false, properties: { ticketId: idSchema, articleId: idSchema } },
      responses: { 204: null },
    },
    async (c, { params, query }) => {
      await service(c).unlink(c.get('access'), params.id, query);
      return reply(204, null);
    },
  );
  api.get<{ id: number }, { ticketId?: number; format?: 'text' | 'link' }>(
    '/articles/:id/insert',
    {
      summary: 'What "Insert into reply" puts at the cursor',
      description: 'The article as text (`format=text`) or its title and link (`format=link`). `customerMaySee` tells whether the ticket\'s customer may read the article themselves.',
      auth: 'agent',
      params: id,
      query: insertQuery,
      responses: { 200: insertView },
    },
    (c, { params, query }) => service(c).insertion(c.get('access'), params.id, query),
  );
  api.get<{ id: number }>(
    '/tickets/:id/articles',
    { summary: 'The knowledge-base articles linked to a ticket that you may read', description: 'Agents who may read the ticket; its customer sees the external and public ones.', auth: 'any', params: id, responses: { 200: suggestionList } },
    async (c, { params }) => ({ items: await service(c).ticketArticles(c.get('access'), params.id) }),
  );
  api.get<{ id: number }>(
    '/tickets/:id/suggestions',
    { summary: 'Articles that may answer a ticket (from its title and first article)', auth: 'agent', params: id, responses: { 200: suggestionList } },
    async (c, { params }) => ({ items: await service(c).ticketSuggestions(c.get('access'), params.id) }),
  );
  return api;
}
