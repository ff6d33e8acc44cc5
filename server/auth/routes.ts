/**
 * `/api/v1/auth`: agent and customer login (session cookie + CSRF token), logout, who am I, and
 * API tokens for agents.
 */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Access } from '../access/access';
import type { Actor } from './actor';
import { authRepo } from './repo';
import { agentView, createTokenBody, customerUserView, loginBody, meView, sessionView, tokenCreatedView, tokenListView, type CreateTokenBody, type LoginBody } from './schema';
import { NotFound } from '../errors';
import { ApiRouter, idSchema, reply } from '../http/api';
import type { AppEnv } from '../http/env';
import { cameOverHttps, SESSION_COOKIE } from '../http/middleware';

/** The public view of the caller. */
async function describe(c: Context<AppEnv>, actor: Actor) {
  const db = c.get('services').database.db;
  if (actor.kind === 'agent') {
    const a = await authRepo.agentById(db, actor.id);
    if (!a) throw new NotFound('agent');
    return {
      kind: 'agent' as const,
      id: a.id,
      login: a.login,
      firstName: a.first_name,
      lastName: a.last_name,
      email: a.email,
      isAdmin: await c.get('access').isAdmin(),
    };
  }
  const u = await authRepo.customerUserById(db, actor.id);
  if (!u) throw new NotFound('customer user');
  return {
    kind: 'customer' as const,
    id: u.id,
    login: u.login,
    firstName: u.first_name,
    lastName: u.last_name,
    email: u.email,
    customerId: u.customer_id,
    companyTickets: u.can_see_company_tickets,
    language: u.language,
  };
}

/** The client's address as the socket sees it (a proxy's own address behind a reverse proxy). */
export function remoteAddr(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? '';
  } catch {
    return '';
  }
}

async function login(c: Context<AppEnv>, kind: Actor['kind'], body: LoginBody) {
  const { auth, config, database } = c.get('services');
  const result = await auth.login(kind, body.login, body.password, {
    userAgent: c.req.header('user-agent') ?? '',
    remoteAddr: remoteAddr(c),
  });
  setCookie(c, SESSION_COOKIE, result.sessionId, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: config.cookieSecure || cameOverHttps(c),
    path: '/',
    expires: result.expiresAt,
  });
  c.set('access', new Access(database.db, result.actor));
  return { user: await describe(c, result.actor), csrfToken: result.csrfToken, expiresAt: result.expiresAt.toISOString() };
}

function tokenView(t: { id: number; name: string; prefix: string; created_at: Date; expires_at: Date | null; last_used_at?: Date | null; revoked_at?: Date | null }) {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    createdAt: t.created_at.toISOString(),
    expiresAt: t.expires_at?.toISOString() ?? null,
    lastUsedAt: t.last_used_at?.toISOString() ?? null,
    revokedAt: t.revoked_at?.toISOString() ?? null,
  };
}

export function authRouter(): ApiRouter {
  const api = new ApiRouter('/auth', 'Authentication');

  api.post<unknown, unknown, LoginBody>(
    '/login',
    { summary: 'Log an agent in (sets the session cookie)', auth: 'none', body: loginBody, responses: { 200: sessionView(agentView) } },
    (c, { body }) => login(c, 'agent', body),
  );
  api.post<unknown, unknown, LoginBody>(
    '/customer/login',
    { summary: 'Log a customer user in (sets the session cookie)', auth: 'none', body: loginBody, responses: { 200: sessionView(customerUserView) } },
    (c, { body }) => login(c, 'customer', body),
  );

  api.post('/logout', { summary: 'End the current session', auth: 'any', responses: { 204: null } }, async (c) => {
    c.get('access').requireActor();
    const sid = getCookie(c, SESSION_COOKIE);
    if (sid) await c.get('services').auth.logout(sid);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return reply(204, null);
  });

  api.get('/me', { summary: 'The caller, and the CSRF token of a cookie session', auth: 'any', responses: { 200: meView } }, async (c) => {
    const actor = c.get('access').requireActor();
    return { user: await describe(c, actor), via: actor.via, csrfToken: c.get('sessionCsrf') ?? null };
  });

  api.get('/tokens', { summary: "List the calling agent's API tokens", auth: 'agent', responses: { 200: tokenListView } }, async (c) => {
    const agent = c.get('access').requireAgent();
    const rows = await c.get('services').auth.listTokens(agent.id);
    return { tokens: rows.map(tokenView) };
  });

  api.post<unknown, unknown, CreateTokenBody>(
    '/tokens',
    { summary: 'Create an API token (returned once)', auth: 'agent', body: createTokenBody, responses: { 201: tokenCreatedView } },
    async (c, { body }) => {
      const agent = c.get('access').requireAgent();
      const created = await c
        .get('services')
        .auth.createToken(agent.id, body.name ?? 'API token', body.expiresAt ? new Date(body.expiresAt) : null);
      return reply(201, { ...tokenView(created), token: created.token });
    },
  );

  api.delete<{ id: number }>(
    '/tokens/:id',
    { summary: 'Revoke one of your API tokens', auth: 'agent', params: { id: idSchema }, responses: { 204: null } },
    async (c, { params }) => {
      const agent = c.get('access').requireAgent();
      await c.get('services').auth.revokeToken(agent.id, params.id);
      return reply(204, null);
    },
  );

  return api;
}
