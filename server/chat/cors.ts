/**
 * The website widget runs on other origins: its script (`/chat/widget.js`) and the public
 * endpoints (`/chat/public/...`) answer any origin (CORS with `*`, never with credentials, so no
 * cookie of the helpdesk is ever sent along or needed: the chat token in `X-Chat-Token` is the
 * visitor's credential, which a forging page cannot know — no CSRF surface), and the script may be
 * loaded cross-origin (`Cross-Origin-Resource-Policy: cross-origin`). Every other path keeps the
 * same-origin defaults. Registered before `secureHeaders` so its header wins.
 */
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { AppEnv } from '../http/env';

const publicCors = cors({ origin: '*', allowMethods: ['GET', 'POST', 'OPTIONS'], allowHeaders: ['content-type', 'x-chat-token', 'accept-language'], maxAge: 600 });

const isWidgetPath = (p: string) => p === '/api/v1/chat/widget.js' || p.startsWith('/api/v1/chat/public/');

export const chatCrossOrigin = (): MiddlewareHandler<AppEnv> =>
  async function chatCrossOrigin(c, next) {
    if (!isWidgetPath(c.req.path)) return next();
    const preflight = await publicCors(c, next);
    if (preflight) {
      preflight.headers.set('cross-origin-resource-policy', 'cross-origin');
      return preflight;
    }
    c.res.headers.set('cross-origin-resource-policy', 'cross-origin');
  };
