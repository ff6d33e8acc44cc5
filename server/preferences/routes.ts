/**
 * `/api/v1/me/...`: the calling agent's preferences (`GET`/`PUT /me/preferences`), password change
 * (`POST /me/password`), the dashboard's ticket counts per queue and state
 * (`GET /me/queue-overview`) and unread flags for a list of tickets (`GET /me/unread?tickets=`).
 */
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { ApiRouter, reply } from '../http/api';
import type { AppEnv } from '../http/env';
import { SESSION_COOKIE } from '../http/middleware';
import { passwordBody, preferencesBody, preferencesView, queueOverviewView, unreadQuery, unreadView, type PasswordInput, type PreferencesInput } from './schema';
import { PreferenceService } from './service';

const service = (c: Context<AppEnv>) => new PreferenceService(c.get('services'));

export function preferenceRouter(): ApiRouter {
  const api = new ApiRouter('/me', 'My settings');

  api.get('/preferences', { summary: 'My preferences (defaults filled in)', auth: 'agent', responses: { 200: preferencesView } }, (c) =>
    service(c).get(c.get('access')),
  );

  api.put<unknown, unknown, PreferencesInput>(
    '/preferences',
    {
      summary: 'Change some of my preferences',
      description: 'Only the keys given change; `null` resets a key to its default. `myQueues` must name queues you may read.',
      auth: 'agent',
      body: preferencesBody,
      responses: { 200: preferencesView },
    },
    (c, { body }) => service(c).update(c.get('access'), body),
  );

  api.post<unknown, unknown, PasswordInput>(
    '/password',
    {
      summary: 'Change my password',
      description: 'Agents and customer users. Needs the current password (400 `WRONG_PASSWORD`); the new one must meet the password rules (400 `PASSWORD_RULES` at `/newPassword`). Your other sessions end; this one stays.',
      auth: 'any',
      body: passwordBody,
      responses: { 204: null },
    },
    async (c, { body }) => {
      await service(c).changePassword(c.get('access'), body, getCookie(c, SESSION_COOKIE));
      return reply(204, null);
    },
  );

  api.get(
    '/queue-overview',
    { summary: 'How many tickets I may see, per queue and state (not archived)', auth: 'agent', responses: { 200: queueOverviewView } },
    async (c) => ({ items: await service(c).queueOverview(c.get('access')) }),
  );

  api.get<unknown, { tickets: number[] }>(
    '/unread',
    { summary: 'Which of these tickets hold articles I have not seen', auth: 'agent', query: unreadQuery, responses: { 200: unreadView } },
    async (c, { query }) => ({ ticketIds: await service(c).unread(c.get('access'), query.tickets) }),
  );

  return api;
}
