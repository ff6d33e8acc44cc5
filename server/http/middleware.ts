/**
 * Named middleware factories, in the order the app uses them: request context (id, logger,
 * services), access log, size limit, authentication and CSRF protection.
 */
import { randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';
import { Access } from '../access/access';
import { Forbidden, PayloadTooLarge, Unauthenticated } from '../errors';
import type { Services } from '../services';
import type { AppEnv } from './env';

export const SESSION_COOKIE = 'hd_session';
export const CSRF_HEADER = 'x-csrf-token';

/** Gives each request an id (or keeps a sane incoming `X-Request-Id`), a child logger and the services. */
export const requestContext = (services: Services): MiddlewareHandler<AppEnv> =>
  async function requestContext(c, next) {
    const incoming = c.req.header('x-request-id');
    const id = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    c.set('requestId', id);
    c.set('services', services);
    c.set('log', services.log.child({ reqId: id }));
    c.set('actor', undefined);
    c.set('sessionCsrf', undefined);
    c.set('access', new Access(services.database.db, undefined));
    c.header('X-Request-Id', id);
    await next();
  };

/** One log line per request with status and duration. */
export const accessLog = (): MiddlewareHandler<AppEnv> =>
  async function accessLog(c, next) {
    const start = performance.now();
    await next();
    const ms = Math.round((performance.now() - start) * 10) / 10;
    const status = c.res.status;
    const line = { method: c.req.method, path: c.req.path, status, ms };
    if (status >= 500) c.get('log').error(line, 'request');
    else c.get('log').info(line, 'request');
  };

/**
 * Whether the request came over HTTPS: the URL the server saw (a TLS socket), or — only with
 * `TRUST_PROXY` on — the first `X-Forwarded-Proto` of the reverse proxy in front.
 */
export function cameOverHttps(c: Context<AppEnv>): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  if (!c.get('services').config.trustProxy) return false;
  return (c.req.header('x-forwarded-proto') ?? '').split(',')[0]!.trim().toLowerCase() === 'https';
}

/** Refuses bodies larger than `max` bytes with a 413 problem, whether announced or streamed. */
export const bodyLimit = (max: number): MiddlewareHandler<AppEnv> =>
  honoBodyLimit({
    maxSize: max,
    onError: () => {
      throw new PayloadTooLarge(max);
    },
  });

/**
 * Finds the caller: `Authorization: Bearer <API token>` (a bad token is a 401 at once), else the
 * session cookie (a bad or expired one is ignored and cleared, so the route decides). Sets `actor`
 * and a fresh `access` helper for it.
 */
export const authenticate = (): MiddlewareHandler<AppEnv> =>
  async function authenticate(c, next) {
    const { auth, database } = c.get('services');
    const header = c.req.header('authorization');
    if (header) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      if (!m) throw new Unauthenticated('Authorization header must be "Bearer <token>"', 'INVALID_TOKEN');
      const actor = await auth.resolveToken(m[1]!);
      if (!actor) throw new Unauthenticated('API token is unknown, revoked or expired', 'INVALID_TOKEN');
      c.set('actor', actor);
    } else {
      const sid = getCookie(c, SESSION_COOKIE);
      if (sid) {
        const session = await auth.resolveSession(sid);
        if (session) {
          c.set('actor', session.actor);
          c.set('sessionCsrf', session.csrfToken);
        } else {
          c.header('Set-Cookie', `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`, { append: true });
        }
      }
    }
    const actor = c.get('actor');
    if (actor?.kind === 'agent' && actor.passwordChangeRequired && !allowedBeforePasswordChange(c.req.method, c.req.path)) {
      throw new Forbidden('change the password an administrator gave you first (POST /api/v1/me/password)', 'PASSWORD_CHANGE_REQUIRED');
    }
    c.set('access', new Access(database.db, actor));
    await next();
  };

/**
 * What an agent who must replace the password an administrator gave may do before that: sign in
 * and out, read who they are and their preferences (the interface needs them), pick a language,
 * and change the password. Everything else answers 403 `PASSWORD_CHANGE_REQUIRED`.
 */
function allowedBeforePasswordChange(method: string, path: string): boolean {
  if (!path.startsWith('/api/')) return true;
  const p = path.replace(/^\/api\/v1/, '');
  if (p.startsWith('/auth/') || p === '/me/password' || p === '/me/language' || p.startsWith('/i18n')) return true;
  return SAFE_METHODS.has(method) && p === '/me/preferences';
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cookie-authenticated writes must echo the session's CSRF token in `X-CSRF-Token` (the token is
 * returned by login and by `GET /api/v1/auth/me`). Token-authenticated calls need none: a browser
 * never sends a bearer token on its own.
 */
export const csrfProtection = (): MiddlewareHandler<AppEnv> =>
  async function csrfProtection(c, next) {
    const expected = c.get('sessionCsrf');
    if (expected && !SAFE_METHODS.has(c.req.method) && c.req.header(CSRF_HEADER) !== expected) {
      throw new Forbidden(`a write with a session cookie needs the ${CSRF_HEADER} header from login`, 'CSRF_TOKEN_INVALID');
    }
    await next();
  };
