/**
 * `/api/v1/auth`: agent and customer login (session cookie + CSRF token; a user with a second factor
 * gets a challenge first, see `two-factor/routes.ts`), logout, who am I, the caller's sessions,
 * and API tokens for agents.
 */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Access } from '../access/access';
import type { Actor } from './actor';
import type { LoginResult } from './service';
import { authRepo } from './repo';
import { secretHash } from './secrets';
import { agentView, createTokenBody, secondFactorView, sessionListView, customerUserView, loginBody, meView, sessionView, tokenCreatedView, tokenListView, type CreateTokenBody, type LoginBody } from './schema';
import { NotFound } from '../errors';
import { confirmPasswordReset, requestPasswordReset } from '../portal/account';
import { ApiRouter, idSchema, reply } from '../http/api';
import type { AppEnv } from '../http/env';
import { cameOverHttps, SESSION_COOKIE } from '../http/middleware';

/** Sessions are named in the API by the start of their hash (never by the cookie value). */
const SESSION_REF_LENGTH = 16;

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
      passwordChangeRequired: a.password_change_required,
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

/** The cookie that remembers a browser after a login with a second factor (sent to `/api/v1/auth` only). */
export const TRUSTED_COOKIE = 'hd_trusted';

/** Sets the session cookie (and the remembered-browser cookie) of a finished login and answers the session view. */
export async function startSession(c: Context<AppEnv>, result: LoginResult) {
  const { config, database } = c.get('services');
  const secure = config.cookieSecure || cameOverHttps(c);
  setCookie(c, SESSION_COOKIE, result.sessionId, { httpOnly: true, sameSite: 'Lax', secure, path: '/', expires: result.expiresAt });
  if (result.trustedDevice) {
    setCookie(c, TRUSTED_COOKIE, result.trustedDevice.token, { httpOnly: true, sameSite: 'Strict', secure, path: '/api/v1/auth', expires: result.trustedDevice.expiresAt });
  }
  c.set('access', new Access(database.db, result.actor));
  return { user: await describe(c, result.actor), csrfToken: result.csrfToken, expiresAt: result.expiresAt.toISOString() };
}

/** The client meta data a session records. */
export const loginMeta = (c: Context) => ({ userAgent: c.req.header('user-agent') ?? '', remoteAddr: remoteAddr(c) });

async function login(c: Context<AppEnv>, kind: Actor['kind'], body: LoginBody) {
  const outcome = await c.get('services').auth.login(kind, body.login, body.password, loginMeta(c), {
    code: body.code,
    recoveryCode: body.recoveryCode,
    rememberDevice: body.rememberDevice,
    trustedToken: getCookie(c, TRUSTED_COOKIE),
  });
  if ('secondFactor' in outcome) {
    const f = outcome.secondFactor;
    return { secondFactor: { ...f, expiresAt: f.expiresAt.toISOString() } };
  }
  return startSession(c, outcome);
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
    { summary: 'Log an agent in (sets the session cookie)', auth: 'none', body: loginBody, responses: { 200: { oneOf: [sessionView(agentView), secondFactorView] } } },
    (c, { body }) => login(c, 'agent', body),
  );
  api.post<unknown, unknown, LoginBody>(
    '/customer/login',
    { summary: 'Log a customer user in (sets the session cookie)', auth: 'none', body: loginBody, responses: { 200: { oneOf: [sessionView(customerUserView), secondFactorView] } } },
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

  api.post<unknown, unknown, { login: string }>(
    '/password-reset',
    {
      summary: 'Agents: ask for a link to set a new password (by login or email address)',
      description: 'Answers 202 with the same message whether or not an agent has that login or address. The link (`/login/reset?token=…`, valid one hour, once) goes out by mail; set the password with `POST /auth/password-reset/confirm`.',
      auth: 'none',
      body: { type: 'object', additionalProperties: false, required: ['login'], properties: { login: { type: 'string', minLength: 1, maxLength: 300 } } },
      responses: { 202: { type: 'object', additionalProperties: false, required: ['message'], properties: { message: { type: 'string' } } } },
    },
    async (c, { body }) => reply(202, await requestPasswordReset(c.get('services'), body.login, 'agent')),
  );

  api.post<unknown, unknown, { token: string; password: string }>(
    '/password-reset/confirm',
    {
      summary: "Agents: set a new password with the token of a reset link (ends the agent's sessions)",
      description: '400 `INVALID_TOKEN` at `/token` for an unknown, used or expired token; 400 `PASSWORD_RULES` at `/password`.',
      auth: 'none',
      body: { type: 'object', additionalProperties: false, required: ['token', 'password'], properties: { token: { type: 'string', minLength: 1, maxLength: 200 }, password: { type: 'string', minLength: 1, maxLength: 1000 } } },
      responses: { 204: null },
    },
    async (c, { body }) => {
      await confirmPasswordReset(c.get('services'), body.token, body.password, 'agent');
      return reply(204, null);
    },
  );

  api.get('/sessions', { summary: "The caller's open sessions (browsers and GI sessions), newest use first", auth: 'any', responses: { 200: sessionListView } }, async (c) => {
    const actor = c.get('access').requireActor();
    const { database, now } = c.get('services');
    const current = getCookie(c, SESSION_COOKIE);
    const currentHash = current ? secretHash(current) : '';
    const rows = await authRepo.sessionsOf(database.db, actor.kind, actor.id, now());
    return {
      sessions: rows.map((s) => ({
        id: s.id_hash.slice(0, SESSION_REF_LENGTH),
        current: s.id_hash === currentHash,
        createdAt: s.created_at.toISOString(),
        lastSeenAt: s.last_seen_at.toISOString(),
        expiresAt: s.expires_at.toISOString(),
        userAgent: s.user_agent,
        remoteAddr: s.remote_addr,
      })),
    };
  });

  api.delete<{ id: string }>(
    '/sessions/:id',
    { summary: 'End one of your sessions (signs that browser out)', auth: 'any', params: { id: { type: 'string', pattern: `^[0-9a-f]{${SESSION_REF_LENGTH}}$` } }, responses: { 204: null } },
    async (c, { params }) => {
      const actor = c.get('access').requireActor();
      const res = await authRepo.deleteSessionOf(c.get('services').database.db, actor.kind, actor.id, params.id);
      if (!res.numDeletedRows) throw new NotFound(`session ${params.id}`, 'id');
      return reply(204, null);
    },
  );

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
