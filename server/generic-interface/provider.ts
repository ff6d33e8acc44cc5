/**
 * The Generic Interface's HTTP face: `/api/webservice/<Name>/<route>` and, so that an OTOBO client
 * changes only the host, `/otobo/nph-genericinterface.pl/Webservice/<Name>/<route>` (and
 * `/WebserviceID/<id>/<route>`). Every method is accepted and handed to `GenericInterface`; the
 * body limit applies, the cookie and its CSRF check do not: callers authenticate in the request.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { PayloadTooLarge } from '../errors';
import type { AppEnv } from '../http/env';
import { bodyLimit } from '../http/middleware';
import { decodeUtf8 } from '../http/validate';
import type { Services } from '../services';
import { errorResponse, type GiResponse } from './envelope';
import { GenericInterface, type ProviderRequest } from './service';

/** Where web services are served; the rest of the path is the route. */
export const PROVIDER_BASES = ['/api/webservice', '/otobo/nph-genericinterface.pl'] as const;

const LOCATION = /^(?:\/api\/webservice\/([^/]+)|\/otobo\/nph-genericinterface\.pl\/Webservice\/([^/]+)|\/otobo\/nph-genericinterface\.pl\/WebserviceID\/(\d+))(\/.*)?$/;

function remoteAddr(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? '';
  } catch {
    return '';
  }
}

function decode(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

/** The web service and route a URL path names, or undefined. */
export function locate(pathname: string): { webservice: ProviderRequest['webservice']; path: string } | undefined {
  const m = LOCATION.exec(pathname);
  if (!m) return undefined;
  const webservice = m[3] !== undefined ? { id: Number(m[3]) } : { name: decode((m[1] ?? m[2])!) };
  return { webservice, path: m[4] ?? '' };
}

function send(c: Context, res: GiResponse) {
  return c.body(JSON.stringify(res.body), res.status as 200, res.headers);
}

/** A body over the limit is answered in the web service's envelope, not as a REST problem. */
const tooLarge = (gi: GenericInterface, limit: number): MiddlewareHandler<AppEnv> =>
  async function genericInterfaceTooLarge(c, next) {
    await next();
    if (c.error instanceof PayloadTooLarge) {
      const where = locate(new URL(c.req.url).pathname);
      c.res = undefined;
      c.res = send(c, await gi.tooLarge({ webservice: where?.webservice ?? { name: '' } }, limit));
    }
  };

export function genericInterfaceApp(services: Services): Hono<AppEnv> {
  const gi = new GenericInterface(services);
  const limit = services.config.maxBodyBytes;
  const app = new Hono<AppEnv>();

  const handler = async (c: Context<AppEnv>) => {
    const url = new URL(c.req.url);
    const where = locate(url.pathname);
    if (!where) return send(c, errorResponse('otobo', 'Webservice.NotFound', `Could not determine WebserviceID or Webservice from query string '${url.pathname}'.`, 404));
    const method = c.req.method.toUpperCase();
    let body: string | undefined;
    let bodyProblem: string | undefined;
    if (method !== 'GET' && method !== 'HEAD') {
      try {
        const bytes = new Uint8Array(await c.req.arrayBuffer());
        try {
          body = decodeUtf8(bytes, 'the body');
        } catch (e) {
          // Kept for the debugger log as far as it reads; the service answers the 400.
          body = new TextDecoder().decode(bytes);
          bodyProblem = (e as Error).message;
        }
      } catch (e) {
        if (e instanceof PayloadTooLarge || (e as Error).name === 'BodyLimitError') return send(c, await gi.tooLarge(where, limit));
        throw e;
      }
    }
    const res = await gi.handle({
      ...where,
      method,
      query: url.searchParams,
      headers: c.req.raw.headers,
      body,
      bodyProblem,
      remoteAddr: remoteAddr(c),
      requestId: c.get('requestId'),
    });
    return send(c, res);
  };

  const chain = [tooLarge(gi, limit), bodyLimit(limit), handler] as const;
  for (const path of [
    '/api/webservice/:name',
    '/api/webservice/:name/*',
    '/otobo/nph-genericinterface.pl/Webservice/:name',
    '/otobo/nph-genericinterface.pl/Webservice/:name/*',
    '/otobo/nph-genericinterface.pl/WebserviceID/:id',
    '/otobo/nph-genericinterface.pl/WebserviceID/:id/*',
  ]) {
    app.all(path, ...chain);
  }
  return app;
}
