/**
 * Finding the operation for a request, as OTOBO's REST transport does: each route
 * (`/Ticket/:TicketID`) becomes an anchored pattern whose placeholders capture one path segment;
 * the first route (in the configured order) whose pattern and method match wins, and its
 * placeholders become request data.
 */
import type { HttpMethod, RouteConfig, WebserviceConfig } from './schema';

export interface RouteMatch {
  operation: string;
  /** Placeholder values, URL-decoded. */
  params: Record<string, string>;
}

export type RouteResult = { match: RouteMatch } | { methodNotAllowed: HttpMethod[] } | { notFound: true };

const compiled = new WeakMap<RouteConfig, RegExp>();

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `/Ticket/:TicketID` → `^/Ticket/(?<TicketID>[^/]+)/?$`. */
export function routePattern(route: string): RegExp {
  const body = route
    .replace(/\/+$/, '')
    .split('/')
    .map((seg) => (seg.startsWith(':') ? `(?<${seg.slice(1)}>[^/]+)` : escapeRegExp(seg)))
    .join('/');
  return new RegExp(`^${body}/?$`);
}

function patternOf(r: RouteConfig): RegExp {
  let re = compiled.get(r);
  if (!re) compiled.set(r, (re = routePattern(r.route)));
  return re;
}

function decode(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

/**
 * The route for `method` and `path` (the part after `/Webservice/<Name>`, still URL-encoded).
 *
 * @example
 * matchRoute(config, 'GET', '/Ticket/42') // → { match: { operation: 'TicketGet', params: { TicketID: '42' } } }
 */
export function matchRoute(config: WebserviceConfig, method: string, path: string): RouteResult {
  const target = path === '' ? '/' : path;
  const allowed = new Set<HttpMethod>();
  for (const r of config.routes) {
    const m = patternOf(r).exec(target);
    if (!m) continue;
    if (r.methods.length && !r.methods.includes(method as HttpMethod)) {
      r.methods.forEach((x) => allowed.add(x));
      continue;
    }
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(m.groups ?? {})) params[k] = decode(v);
    return { match: { operation: r.operation, params } };
  }
  if (allowed.size) return { methodNotAllowed: [...allowed] };
  return { notFound: true };
}
