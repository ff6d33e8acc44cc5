/**
 * The one outbound invoker: every call to a remote system (service tasks, ExecuteInvoker actions,
 * the admin's test call) goes through `invoke`. It builds the request from the operation's templates
 * (`{{ticket.…}}`, `{{vars.…}}`, `{{params.…}}`), adds default headers, auth and the
 * `Idempotency-Key`, and sends it under a deadline with a response size limit. Redirects are followed
 * by hand (at most 5), and before every hop the host is resolved and each of its addresses checked:
 * private, loopback, link-local, CGNAT, unspecified, multicast and reserved addresses are refused
 * unless the service's allow-list names the host or a network holding the address (on the hop's
 * port, when the entry has one: `127.0.0.1:8080`). The connection
 * then goes to the address that was checked (a pinned `lookup`), so a DNS answer that changes between
 * check and connect (DNS rebinding) cannot lead it elsewhere. The answer is mapped with JSON
 * pointers into variables and dynamic fields. Failures come back as a code, never as a throw.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { JsonValue } from '../../engine/model/types';
import { parseTemplate, render, resolveTemplate, type TemplateContext } from '../../engine/model/templates';
import { resolveValue } from '../../engine/runtime/resolve';
import type { OutboundAuthKind, OutboundOperation } from '../db/tables-outbound';
import { allowed, parseIp, specialRange } from './ip';

/** An outbound service as the invoker needs it, with its secret decrypted. */
export interface ServiceConfig {
  name: string;
  baseUrl: string;
  auth: { kind: OutboundAuthKind; user?: string | null; header?: string | null; secret?: string | null };
  /** Set when the stored secret cannot be decrypted: every call fails with CONFIG. */
  secretError?: string;
  headers: Record<string, string>;
  timeoutMs: number;
  retries: number;
  allowList: string[];
  operations: Record<string, OutboundOperation>;
  maxResponseBytes: number;
}

/** What the templates see. */
export interface InvokeContext {
  ticket?: Record<string, unknown>;
  customer?: Record<string, unknown>;
  owner?: Record<string, unknown>;
  responsible?: Record<string, unknown>;
  vars?: Record<string, unknown>;
  params?: Record<string, unknown>;
}

/** Resolves a host name to every address it has (tests inject one; production uses `dns.lookup`). */
export type Resolver = (host: string) => Promise<Array<{ address: string; family: number }>>;

export interface InvokeOptions {
  /** Sent as `Idempotency-Key`; the caller keeps it stable across retries of the same call. */
  idempotencyKey?: string;
  /** Overrides the service's timeout. */
  timeoutMs?: number;
  resolver?: Resolver;
}

export type InvokeErrorCode = 'HTTP_404' | 'HTTP_4XX' | 'HTTP_5XX' | 'TIMEOUT' | 'NETWORK' | 'MAPPING' | 'REFUSED' | 'CONFIG' | 'TOO_LARGE';

export interface MappedResult {
  vars: Record<string, JsonValue>;
  dynamicFields: Record<string, JsonValue>;
}

export type InvokeResult =
  | { ok: true; status: number; body: JsonValue; result: MappedResult; durationMs: number; excerpt: string; request: { method: string; url: string } }
  | { ok: false; code: InvokeErrorCode; message: string; status?: number; retriable: boolean; durationMs: number; excerpt?: string; request?: { method: string; url: string } };

export const MAX_REDIRECTS = 5;
const EXCERPT_CHARS = 2000;

const systemResolver: Resolver = (host) => dnsLookup(host, { all: true, verbatim: true });

/** A failure inside the exchange, carried to `invoke`'s one catch. */
class CallFailed extends Error {
  constructor(
    readonly code: InvokeErrorCode,
    message: string,
    readonly retriable: boolean,
    readonly status?: number,
    readonly excerpt?: string,
  ) {
    super(message);
  }
}

/**
 * Calls `operation` of `service` and maps the answer; never throws.
 *
 * @example
 * const r = await invoke(service, 'getHostStatus', { params: { host: 'web1' } }, { idempotencyKey: '12:t1:r1' });
 * if (r.ok) r.result.vars;                    // { status: 'up' }
 * else r.code;                                // 'HTTP_404', 'TIMEOUT', 'REFUSED', …
 */
export async function invoke(service: ServiceConfig | undefined, operation: string, context: InvokeContext, opts: InvokeOptions = {}): Promise<InvokeResult> {
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 100) / 100;
  let request: { method: string; url: string } | undefined;
  const controller = new AbortController();
  const timeoutMs = opts.timeoutMs ?? service?.timeoutMs ?? 10_000;
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    if (!service) throw new CallFailed('CONFIG', `there is no outbound service of that name`, false);
    const op = service.operations[operation];
    if (!op) throw new CallFailed('CONFIG', `service "${service.name}" has no operation "${operation}"; it has ${Object.keys(service.operations).join(', ') || 'none'}`, false);
    if (service.secretError) throw new CallFailed('CONFIG', service.secretError, false);
    const built = buildRequest(service, op, context, opts.idempotencyKey);
    request = { method: built.method, url: redact(built.url) };
    const res = await follow(service, built, controller.signal, opts.resolver ?? systemResolver, (u, m) => (request = { method: m, url: redact(u) }));
    const excerpt = res.body.toString('utf8', 0, Math.min(res.body.length, EXCERPT_CHARS * 4)).slice(0, EXCERPT_CHARS);
    const success = op.successStatuses?.length ? op.successStatuses.includes(res.status) : res.status >= 200 && res.status < 300;
    if (!success) {
      const code: InvokeErrorCode = res.status === 404 ? 'HTTP_404' : res.status >= 500 ? 'HTTP_5XX' : 'HTTP_4XX';
      throw new CallFailed(code, `${service.name}/${operation} answered HTTP ${res.status}`, res.status >= 500 || res.status === 429, res.status, excerpt);
    }
    const body = parseBody(res, op, service.name, operation, excerpt);
    const result = mapResponse(body, op, `${service.name}/${operation}`, res.status, excerpt);
    return { ok: true, status: res.status, body, result, durationMs: elapsed(), excerpt, request: request! };
  } catch (e) {
    // A deadline that cut the body off surfaces as a network error: it is still a timeout.
    const f =
      controller.signal.aborted && !(e instanceof CallFailed && e.code !== 'NETWORK')
        ? new CallFailed('TIMEOUT', `no answer within ${timeoutMs} ms`, true)
        : e instanceof CallFailed
          ? e
          : networkFailure(e);
    const failed: InvokeResult = { ok: false, code: f.code, message: f.message, retriable: f.retriable, durationMs: elapsed() };
    if (f.status !== undefined) failed.status = f.status;
    if (f.excerpt !== undefined) failed.excerpt = f.excerpt;
    if (request) failed.request = request;
    return failed;
  } finally {
    clearTimeout(timer);
  }
}

function networkFailure(e: unknown): CallFailed {
  const err = e as NodeJS.ErrnoException;
  if (err?.name === 'AbortError') return new CallFailed('TIMEOUT', 'the call was aborted at its deadline', true);
  const why =
    err?.code === 'ENOTFOUND' || err?.code === 'EAI_AGAIN' ? `cannot resolve the host (${err.code})`
      : err?.code === 'ECONNREFUSED' ? 'the connection was refused'
        : err?.code === 'ECONNRESET' ? 'the connection was reset'
          : `${err?.code ? `${err.code}: ` : ''}${err?.message ?? String(e)}`;
  return new CallFailed('NETWORK', why, true);
}

/** The URL without credentials, for logs and answers. */
function redact(u: URL): string {
  const c = new URL(u.href);
  c.username = '';
  c.password = '';
  return c.href;
}

interface BuiltRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: Buffer;
  /** Header names that carry credentials: dropped when a redirect leaves the origin. */
  credentialHeaders: string[];
}

/** Text of a template value inside a URL path or header. */
function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** Renders a path template, URL-encoding each inserted value. */
function renderPath(template: string, ctx: TemplateContext): string {
  return parseTemplate(template)
    .parts.map((p) => (p.kind === 'text' ? p.text : encodeURIComponent(text(resolveTemplate(p.raw, ctx)))))
    .join('');
}

/**
 * The request an operation makes with `context`: URL, headers (defaults, operation, auth,
 * idempotency key) and JSON body. Throws `CallFailed` CONFIG when the result is not a valid request.
 */
function buildRequest(service: ServiceConfig, op: OutboundOperation, context: InvokeContext, idempotencyKey?: string): BuiltRequest {
  const ctx = context as TemplateContext;
  let url: URL;
  try {
    url = new URL(service.baseUrl.replace(/\/+$/, '') + renderPath(op.path, ctx));
  } catch {
    throw new CallFailed('CONFIG', `the operation's path does not make a valid URL with the base URL ${service.baseUrl}`, false);
  }
  for (const [k, v] of Object.entries(op.query ?? {})) url.searchParams.append(k, render(v, ctx));
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'helpdesk-outbound/1' };
  for (const [k, v] of Object.entries(service.headers)) headers[k.toLowerCase()] = render(v, ctx);
  for (const [k, v] of Object.entries(op.headers ?? {})) headers[k.toLowerCase()] = render(v, ctx);
  let body: Buffer | undefined;
  if (op.body !== undefined && op.method !== 'GET') {
    body = Buffer.from(JSON.stringify(resolveValue(op.body as JsonValue, ctx, true)), 'utf8');
    headers['content-type'] ??= 'application/json';
  }
  if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
  const credentialHeaders: string[] = [];
  const { auth } = service;
  if (auth.kind !== 'none') {
    if (!auth.secret) throw new CallFailed('CONFIG', `service "${service.name}" uses ${auth.kind} auth but has no secret stored`, false);
    if (auth.kind === 'basic') headers.authorization = `Basic ${Buffer.from(`${auth.user ?? ''}:${auth.secret}`).toString('base64')}`;
    if (auth.kind === 'bearer') headers.authorization = `Bearer ${auth.secret}`;
    if (auth.kind === 'basic' || auth.kind === 'bearer') credentialHeaders.push('authorization');
    if (auth.kind === 'apiKey') {
      const name = (auth.header ?? 'x-api-key').toLowerCase();
      headers[name] = auth.secret;
      credentialHeaders.push(name);
    }
  }
  for (const [k, v] of Object.entries(headers)) {
    if (/[\r\n]/.test(v)) throw new CallFailed('CONFIG', `header ${k} would contain a line break`, false);
  }
  return { method: op.method, url, headers, ...(body ? { body } : {}), credentialHeaders };
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** Sends the request, following redirects by hand; every hop is checked against the allow-list. */
async function follow(service: ServiceConfig, first: BuiltRequest, signal: AbortSignal, resolver: Resolver, onHop: (u: URL, method: string) => void): Promise<Answer> {
  let req = first;
  for (let hop = 0; ; hop++) {
    const address = await checkedAddress(service, req.url, resolver, signal);
    const res = await exchange(req, address, signal, service.maxResponseBytes);
    const location = res.headers.location;
    if (![301, 302, 303, 307, 308].includes(res.status) || !location) return res;
    if (hop >= MAX_REDIRECTS) throw new CallFailed('NETWORK', `more than ${MAX_REDIRECTS} redirects (last to ${location})`, false, res.status);
    let next: URL;
    try {
      next = new URL(location, req.url);
    } catch {
      throw new CallFailed('NETWORK', `redirect to an invalid URL: ${location}`, false, res.status);
    }
    if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new CallFailed('REFUSED', `redirect to a ${next.protocol} URL refused`, false, res.status);
    const toGet = res.status === 303 || ((res.status === 301 || res.status === 302) && req.method === 'POST');
    const headers = { ...req.headers };
    if (next.origin !== req.url.origin) for (const h of req.credentialHeaders) delete headers[h];
    if (toGet) delete headers['content-type'];
    req = { method: toGet ? 'GET' : req.method, url: next, headers, ...(!toGet && req.body ? { body: req.body } : {}), credentialHeaders: req.credentialHeaders };
    onHop(next, req.method);
  }
}

/** Resolves the URL's host and checks every address; resolves to the one to connect to. */
async function checkedAddress(service: ServiceConfig, url: URL, resolver: Resolver, signal: AbortSignal): Promise<{ address: string; family: number }> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CallFailed('CONFIG', `${url.protocol} URLs cannot be called`, false);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const literal = parseIp(host);
  let addresses: Array<{ address: string; family: number }>;
  if (literal) addresses = [{ address: host, family: literal.version }];
  else {
    const aborted = new Promise<never>((_r, reject) => signal.addEventListener('abort', () => reject(new CallFailed('TIMEOUT', `no answer (resolving ${host}) within the deadline`, true)), { once: true }));
    addresses = await Promise.race([resolver(host), aborted]);
  }
  if (!addresses.length) throw new CallFailed('NETWORK', `${host} has no address`, true);
  // Entries with a port name that port only, so the port is checked on every hop as the host is.
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  for (const a of addresses) {
    const why = specialRange(a.address);
    if (why && !allowed(service.allowList, host, a.address, port)) {
      throw new CallFailed(
        'REFUSED',
        `${host} resolves to ${a.address}, a ${why} address, and the service's allow-list does not name it on port ${port}; add the host (host:${port} for this port only) or its network to call it`,
        false,
      );
    }
  }
  return addresses[0]!;
}

/** One HTTP exchange against the checked address; the body is read up to `maxBytes`. */
function exchange(req: BuiltRequest, address: { address: string; family: number }, signal: AbortSignal, maxBytes: number): Promise<Answer> {
  const pinned = ((_host: string, options: { all?: boolean }, cb: (...args: unknown[]) => void) => {
    if (options?.all) cb(null, [{ address: address.address, family: address.family }]);
    else cb(null, address.address, address.family);
  }) as unknown as LookupFunction;
  const lib = req.url.protocol === 'https:' ? https : http;
  const headers = { ...req.headers, ...(req.body ? { 'content-length': String(req.body.length) } : {}) };
  return new Promise<Answer>((resolve, reject) => {
    const r = lib.request(
      {
        protocol: req.url.protocol,
        hostname: req.url.hostname.replace(/^\[|\]$/g, ''),
        port: req.url.port || undefined,
        path: req.url.pathname + req.url.search,
        method: req.method,
        headers,
        signal,
        lookup: pinned,
        agent: false,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        const declared = Number(res.headers['content-length']);
        const tooLarge = () => new CallFailed('TOO_LARGE', `the answer is larger than ${maxBytes} bytes`, false, status);
        if (Number.isFinite(declared) && declared > maxBytes) {
          reject(tooLarge());
          res.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        let total = 0;
        res.on('data', (chunk: Buffer) => {
          total += chunk.length;
          if (total > maxBytes) {
            reject(tooLarge());
            res.destroy();
            r.destroy();
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => resolve({ status, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
        res.on('aborted', () => reject(new CallFailed('NETWORK', 'the answer was cut off', true, status)));
      },
    );
    r.on('error', reject);
    r.end(req.body);
  });
}

/** The answer's body: parsed JSON when it is JSON (or a mapping needs it), else the text. */
function parseBody(res: Answer, op: OutboundOperation, service: string, operation: string, excerpt: string): JsonValue {
  if (res.body.length === 0) return null;
  const textBody = res.body.toString('utf8');
  const type = String(res.headers['content-type'] ?? '');
  const needsJson = Object.keys(op.response?.vars ?? {}).length + Object.keys(op.response?.dynamicFields ?? {}).length > 0;
  if (!/json/i.test(type) && !needsJson) return textBody;
  try {
    return JSON.parse(textBody) as JsonValue;
  } catch {
    if (!needsJson) return textBody;
    throw new CallFailed('MAPPING', `${service}/${operation} answered ${type || 'without a content type'} that is not JSON, so its mapping cannot apply`, false, res.status, excerpt);
  }
}

/**
 * The value at a JSON pointer (RFC 6901), or undefined when there is none.
 *
 * @example
 * pointerGet({ a: [{ b: 1 }] }, '/a/0/b'); // 1
 * pointerGet({ a: 1 }, '/x');              // undefined
 */
export function pointerGet(doc: unknown, pointer: string): unknown {
  if (pointer === '') return doc;
  let v: unknown = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(v)) {
      if (!/^(0|[1-9]\d*)$/.test(key) || Number(key) >= v.length) return undefined;
      v = v[Number(key)];
    } else if (v !== null && typeof v === 'object' && Object.prototype.hasOwnProperty.call(v, key)) {
      v = (v as Record<string, unknown>)[key];
    } else return undefined;
  }
  return v;
}

/** True when `text` is a JSON pointer (`''` or `/a/b`, with `~0` / `~1` escapes only). */
export function isJsonPointer(text: string): boolean {
  return text === '' || (text.startsWith('/') && !/~(?![01])/.test(text));
}

function mapResponse(body: JsonValue, op: OutboundOperation, what: string, status: number, excerpt: string): MappedResult {
  const out: MappedResult = { vars: {}, dynamicFields: {} };
  for (const [target, mapping] of [['vars', op.response?.vars], ['dynamicFields', op.response?.dynamicFields]] as const) {
    for (const [name, pointer] of Object.entries(mapping ?? {})) {
      const v = pointerGet(body, pointer);
      if (v === undefined) throw new CallFailed('MAPPING', `${what}: the answer has nothing at ${pointer || '(the whole body)'} for ${target}.${name}`, false, status, excerpt);
      out[target][name] = v as JsonValue;
    }
  }
  return out;
}
