/**
 * The Content-Security-Policy of every answer. Scripts come only from this origin: no inline script
 * runs unless the page's own policy lists its SHA-256 hash, so markup that slips past escaping
 * cannot run code. Pages we serve (the designer's build, the API reference) get the hashes of their
 * inline scripts (SvelteKit's boot script) computed from the HTML itself; every other answer gets
 * the policy without any. Inline styles stay allowed (Svelte transitions and bpmn-js set them).
 */
import { createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './env';

const DIRECTIVES: Record<string, string[]> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'connect-src': ["'self'"],
  'frame-ancestors': ["'none'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
};

/**
 * The policy, allowing the inline scripts with these hashes (`'sha256-…'`).
 *
 * @example
 * policy(["'sha256-abc='"]); // "default-src 'self'; script-src 'self' 'sha256-abc='; …"
 */
export function policy(scriptHashes: readonly string[] = []): string {
  return Object.entries(DIRECTIVES)
    .map(([name, values]) => [name, ...values, ...(name === 'script-src' ? scriptHashes : [])].join(' '))
    .join('; ');
}

const INLINE_SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;

/** The CSP hashes of a page's inline scripts (those without `src`), exactly as a browser computes them. */
export function inlineScriptHashes(html: string): string[] {
  const hashes = new Set<string>();
  for (const [, attrs, body] of html.matchAll(INLINE_SCRIPT)) {
    if (/\bsrc\s*=/i.test(attrs!)) continue;
    hashes.add(`'sha256-${createHash('sha256').update(body!, 'utf8').digest('base64')}'`);
  }
  return [...hashes];
}

const policies = new Map<string, string>();

/** The policy of one of our pages (remembered per page text: the pages are few and fixed). */
export function pagePolicy(html: string): string {
  let p = policies.get(html);
  if (p === undefined) {
    if (policies.size > 32) policies.clear();
    policies.set(html, (p = policy(inlineScriptHashes(html))));
  }
  return p;
}

/** Answers one of our HTML pages with the policy that lets its own inline scripts run, and no other. */
export function htmlPage(c: Context, html: string, headers: Record<string, string> = {}) {
  return c.html(html, 200, { ...headers, 'content-security-policy': pagePolicy(html) });
}

/** Sets the policy on every answer that did not bring its own (a page with hashes). */
export const contentSecurityPolicy = (): MiddlewareHandler<AppEnv> =>
  async function contentSecurityPolicy(c, next) {
    await next();
    if (!c.res.headers.has('content-security-policy')) c.res.headers.set('content-security-policy', policy());
  };
