/**
 * Declared API routes. A domain builds an `ApiRouter`, declares each route with its JSON Schemas
 * (path parameters, query, body, responses) and a handler that receives validated input and returns
 * a value. The router validates input with ajv (400 with the JSON path), optionally validates the
 * output against the declared response schema (tests always do, so schemas cannot drift), and
 * records every route so the OpenAPI document is generated from the same schemas.
 *
 * @example
 * const api = new ApiRouter('/queues', 'Queues');
 * api.get('/:id', { summary: 'Get a queue', params: { id: idSchema }, responses: { 200: queueView } },
 *   async (c, { params }) => c.get('services').queues.get(params.id));
 */
import { Hono, type Context } from 'hono';
import type { Schema } from 'ajv';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { DomainError } from '../errors';
import type { AppEnv } from './env';
import { assertStorableParams, check, describeErrors, readJson } from './validate';
import { ValidationFailed } from '../errors';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** Query strings and path parameters arrive as strings: this ajv coerces them to the schema's types. */
const coercing = addFormats(new Ajv({ allErrors: true, strict: false, coerceTypes: 'array', useDefaults: true }));
/** Output checks: no defaults or coercion, just the truth. */
const strictOut = addFormats(new Ajv({ allErrors: true, strict: false }));

export type JsonSchema = Record<string, unknown>;
export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteSpec {
  summary: string;
  description?: string;
  /** Path parameter schemas by name (`/:id` → `{ id: {type: 'integer'} }`). */
  params?: Record<string, JsonSchema>;
  /** Schema of the query object (type object; array-typed properties collect repeated keys). */
  query?: JsonSchema;
  /** Schema of the JSON request body. */
  body?: JsonSchema;
  /** Response schemas by status; `null` for no body. Binary responses: `{ binary: 'content/type' }`. */
  responses: Record<number, JsonSchema | null>;
  /**
   * Who may call it: enforced before the input is read (401/403), and shown in the document.
   * Finer checks (per queue, per ticket) stay in the service through the access helper.
   */
  auth?: 'none' | 'any' | 'agent' | 'admin';
}

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
}

/** What a handler returns: a value (200, or the only declared 2xx), `{status, body}`, or a raw Response. */
export class Reply<T = unknown> {
  constructor(
    readonly status: number,
    readonly body: T,
    readonly headers: Record<string, string> = {},
  ) {}
}

export const reply = <T>(status: number, body: T, headers?: Record<string, string>) => new Reply(status, body, headers);

type Handler<P, Q, B> = (c: Context<AppEnv>, input: RouteInput<P, Q, B>) => Promise<unknown> | unknown;

export interface RouteRecord {
  method: Method;
  /** Path relative to `/api/v1`, in Hono syntax. */
  path: string;
  tag: string;
  spec: RouteSpec;
}

const compiledIn = new WeakMap<object, ReturnType<Ajv['compile']>>();
function compileWith(ajv: Ajv, schema: object) {
  let fn = compiledIn.get(schema);
  if (!fn) compiledIn.set(schema, (fn = ajv.compile(schema)));
  return fn;
}

function coerce<T>(schema: JsonSchema, value: unknown, what: string): T {
  const fn = compileWith(coercing, schema);
  if (!fn(value)) {
    const problems = describeErrors(fn.errors);
    const first = problems[0]!;
    throw new ValidationFailed(`${what}: ${first.path} ${first.message}`, first.path, problems);
  }
  return value as T;
}

function queryObject(c: Context, schema: JsonSchema): Record<string, unknown> {
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const all = c.req.queries();
  const out: Record<string, unknown> = {};
  for (const [key, values] of Object.entries(all)) {
    const isArray = props[key]?.type === 'array';
    out[key] = isArray ? values.flatMap((v) => v.split(',')).filter((v) => v !== '') : values[values.length - 1];
  }
  return out;
}

export class ApiRouter {
  readonly app = new Hono<AppEnv>();
  readonly routes: RouteRecord[] = [];

  /**
   * @param base where the router is mounted below `/api/v1` (e.g. `/tickets`)
   * @param tag the OpenAPI tag grouping its routes
   */
  constructor(
    readonly base: string,
    readonly tag: string,
  ) {}

  get<P = unknown, Q = unknown>(path: string, spec: RouteSpec, handler: Handler<P, Q, undefined>) {
    return this.add('get', path, spec, handler);
  }
  post<P = unknown, Q = unknown, B = unknown>(path: string, spec: RouteSpec, handler: Handler<P, Q, B>) {
    return this.add('post', path, spec, handler);
  }
  put<P = unknown, Q = unknown, B = unknown>(path: string, spec: RouteSpec, handler: Handler<P, Q, B>) {
    return this.add('put', path, spec, handler);
  }
  patch<P = unknown, Q = unknown, B = unknown>(path: string, spec: RouteSpec, handler: Handler<P, Q, B>) {
    return this.add('patch', path, spec, handler);
  }
  delete<P = unknown, Q = unknown>(path: string, spec: RouteSpec, handler: Handler<P, Q, undefined>) {
    return this.add('delete', path, spec, handler);
  }

  private add<P, Q, B>(method: Method, path: string, spec: RouteSpec, handler: Handler<P, Q, B>): this {
    const full = (this.base + (path === '/' ? '' : path)) || '/';
    this.routes.push({ method, path: full, tag: this.tag, spec });
    const paramsSchema = spec.params
      ? { type: 'object', properties: spec.params, required: Object.keys(spec.params) }
      : undefined;
    this.app.on(method.toUpperCase(), path, async (c) => {
      await guard(c, spec.auth);
      const rawParams = c.req.param() as Record<string, string>;
      assertStorableParams(rawParams, 'path parameter');
      const params = paramsSchema ? coerce<P>(paramsSchema, { ...rawParams }, 'path') : (rawParams as P);
      const rawQuery = spec.query ? queryObject(c, spec.query) : {};
      assertStorableParams(rawQuery, 'query parameter');
      const query = spec.query ? coerce<Q>(spec.query, rawQuery, 'query') : ({} as Q);
      const body = spec.body ? check<B>(spec.body, await readJson(c)) : (undefined as B);
      const result = await handler(c, { params, query, body });
      if (result instanceof Response) return result;
      const r = result instanceof Reply ? result : new Reply(defaultStatus(spec), result);
      if (c.get('services').config.validateResponses) validateOutput(spec, method, full, r);
      for (const [k, v] of Object.entries(r.headers)) c.header(k, v);
      if (r.body === undefined || r.body === null) return c.body(null, r.status as 204);
      return c.json(r.body as object, r.status as 200);
    });
    return this;
  }
}

/** Enforces the declared audience before any input is read, so a caller without rights gets 401/403 first. */
async function guard(c: Context<AppEnv>, auth: RouteSpec['auth']) {
  const access = c.get('access');
  if (auth === 'any') access.requireActor();
  else if (auth === 'agent') access.requireAgent();
  else if (auth === 'admin') await access.assertAdmin();
}

function defaultStatus(spec: RouteSpec): number {
  const ok = Object.keys(spec.responses).map(Number).filter((s) => s >= 200 && s < 300);
  return ok.length === 1 ? ok[0]! : 200;
}

/** A handler's answer that does not match its declared schema is a bug: fail loudly. */
function validateOutput(spec: RouteSpec, method: Method, path: string, r: Reply) {
  if (!(r.status in spec.responses)) {
    throw new DomainError(500, 'RESPONSE_UNDECLARED', `${method.toUpperCase()} ${path} answered ${r.status}, which it does not declare`);
  }
  const schema = spec.responses[r.status];
  if (!schema) return;
  // Round-trip through JSON so Dates are checked as the client sees them.
  const value = JSON.parse(JSON.stringify(r.body ?? null));
  const fn = compileWith(strictOut, schema);
  if (!fn(value)) {
    const problems = describeErrors(fn.errors);
    throw new DomainError(500, 'RESPONSE_INVALID', `${method.toUpperCase()} ${path} answered a body that does not match its schema: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`, undefined, problems);
  }
}

/** Schema of a positive integer id in a path. */
export const idSchema = { type: 'integer', minimum: 1, maximum: 2147483647 } as const;

export type { Schema };
