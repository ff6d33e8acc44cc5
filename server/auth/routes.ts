/**
 * `/api/v1/auth`: agent and customer login (session cookie + CSRF token), logout, who am I, and
 * API tokens for agents.
 */
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Access } from '../access/access';
import type { Actor } from './actor';
import { authRepo } from './repo';
import { createTokenBody, loginBody, type CreateTokenBody, type LoginBody } from './schema';
import { NotFound } from '../errors';
import type { AppEnv } from '../http/env';
import { SESSION_COOKIE } from '../http/middleware';
import { idParam, jsonBody } from '../http/validate';
import type { LoginResult } from './service';

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
  };
}

function remoteAddr(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? '';
  } catch {
    return '';
  }
}

async function login(c: Context<AppEnv>, kind: Actor['kind']) {
  const body = await jsonBody<LoginBody>(c, loginBody);
  const { auth, config, database } = c.get('services');
  const result: LoginResult = await auth.login(kind, body.login, body.password, {
    userAgent: c.req.header('user-agent') ?? '',
    remoteAddr: remoteAddr(c),
  });
  setCookie(c, SESSION_COOKIE, result.sessionId, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: config.cookieSecure,
    path: '/',
    expires: result.expiresAt,
  });
  c.set('access', new Access(database.db, result.actor));
  return c.json({ user: await describe(c, result.actor), csrfToken: result.csrfToken, expiresAt: result.expiresAt.toISOString() });
}

export function authRoutes() {
  const app = new Hono<AppEnv>();

  app.post('/login', (c) => login(c, 'agent'));
  app.post('/customer/login', (c) => login(c, 'customer'));

  app.post('/logout', async (c) => {
    c.get('access').requireActor();
    const sid = getCookie(c, SESSION_COOKIE);
    if (sid) await c.get('services').auth.logout(sid);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.body(null, 204);
  });

  app.get('/me', async (c) => {
    const actor = c.get('access').requireActor();
    return c.json({ user: await describe(c, actor), via: actor.via, csrfToken: c.get('sessionCsrf') ?? null });
  });

  app.get('/tokens', async (c) => {
    const agent = c.get('access').requireAgent();
    const rows = await c.get('services').auth.listTokens(agent.id);
    return c.json({ tokens: rows.map(tokenView) });
  });

  app.post('/tokens', async (c) => {
    const agent = c.get('access').requireAgent();
    const body = await jsonBody<CreateTokenBody>(c, createTokenBody);
    const created = await c
      .get('services')
      .auth.createToken(agent.id, body.name ?? 'API token', body.expiresAt ? new Date(body.expiresAt) : null);
    return c.json({ ...tokenView(created), token: created.token }, 201);
  });

  app.delete('/tokens/:id', async (c) => {
    const agent = c.get('access').requireAgent();
    await c.get('services').auth.revokeToken(agent.id, idParam(c));
    return c.body(null, 204);
  });

  return app;
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
