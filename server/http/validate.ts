/**
 * Reading request bodies: JSON parsed with a clear message on malformed input (with the position),
 * then checked against a JSON Schema with ajv. Every problem is reported with its JSON path
 * (`/tickets/0/title`); the first one is the error's `path`, all of them are in `details`.
 *
 * Text the database cannot store is refused here, before any handler runs: a body that is not
 * UTF-8 (400 `INVALID_UTF8`), and a NUL character or a lone UTF-16 surrogate in any string or key
 * of a body, query string or path parameter (400 `INVALID_CHARACTER` naming where). A JSON body
 * sent with another content type is a 415.
 */
import { Ajv, type ErrorObject, type Schema, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Context } from 'hono';
import { BadRequest, UnsupportedMediaType, ValidationFailed } from '../errors';
import { nestingExceeds } from '../../engine/model/json';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export const ajv = addFormats(new Ajv({ allErrors: true, strict: true, coerceTypes: false, useDefaults: true }));

const compiled = new WeakMap<object, ValidateFunction>();

export interface Problem {
  path: string;
  message: string;
}

/** Turns ajv errors into `{path, message}` pairs a person can act on. */
export function describeErrors(errors: ErrorObject[] | null | undefined): Problem[] {
  return (errors ?? []).map((e) => {
    let path = e.instancePath || '/';
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'required') {
      const prop = (e.params as { missingProperty: string }).missingProperty;
      path = `${e.instancePath}/${prop}`;
      message = 'is required';
    } else if (e.keyword === 'additionalProperties') {
      const prop = (e.params as { additionalProperty: string }).additionalProperty;
      path = `${e.instancePath}/${prop}`;
      message = 'is not an allowed property';
    } else if (e.keyword === 'enum') {
      message = `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    }
    return { path, message };
  });
}

/** Validates a value against a schema, throwing `ValidationFailed` with every problem. */
export function check<T>(schema: Schema, value: unknown, what = 'request body'): T {
  let fn = compiled.get(schema as object);
  if (!fn) compiled.set(schema as object, (fn = ajv.compile(schema)));
  if (!fn(value)) {
    const problems = describeErrors(fn.errors);
    const first = problems[0]!;
    throw new ValidationFailed(`${what}: ${first.path} ${first.message}`, first.path, problems);
  }
  return value as T;
}

/** Deepest nesting accepted in a JSON body (a process document needs about ten levels). */
export const MAX_JSON_DEPTH = 64;

/** A NUL, or a UTF-16 surrogate without its partner (what `\ud800` in JSON gives). */
// eslint-disable-next-line no-control-regex -- finding the NUL is the point
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** What is wrong with a string the database cannot store, or undefined when it is fine. */
export function unstorable(s: string): string | undefined {
  const m = UNSTORABLE.exec(s);
  if (!m) return undefined;
  if (m[0] === '\u0000') return 'contains a NUL character (\\u0000), which cannot be stored';
  return `contains a lone surrogate (\\u${m[0].charCodeAt(0).toString(16)}), which is not valid Unicode`;
}

/** A path or name made printable: NULs and lone surrogates written as `\uXXXX` escapes. */
export function printable(s: string): string {
  return s.replace(new RegExp(UNSTORABLE.source, 'g'), (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The first string (or object key) in a JSON value that the database cannot store, with its JSON
 * pointer (`/article/body`, printable) and the problem; undefined when there is none.
 *
 * @example
 * findUnstorable({ a: ['x', 'y\u0000'] }); // { path: '/a/1', problem: 'contains a NUL character …' }
 */
export function findUnstorable(value: unknown): { path: string; problem: string } | undefined {
  const stack: Array<[unknown, string]> = [[value, '']];
  while (stack.length) {
    const [v, at] = stack.pop()!;
    if (typeof v === 'string') {
      const problem = unstorable(v);
      if (problem) return { path: printable(at) || '/', problem };
    } else if (typeof v === 'object' && v !== null) {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i]!;
        const key = Array.isArray(v) ? k : k.replace(/~/g, '~0').replace(/\//g, '~1');
        const here = `${at}/${key}`;
        const problem = unstorable(k);
        if (problem) return { path: printable(here), problem: `has a key that ${problem}` };
        stack.push([child, here]);
      }
    }
  }
  return undefined;
}

/** Throws a 400 `INVALID_CHARACTER` when a value holds text the database cannot store. */
export function assertStorable(value: unknown, what: string): void {
  const bad = findUnstorable(value);
  if (bad) throw new BadRequest(`${what}: ${bad.path} ${bad.problem}`, bad.path, undefined, 'INVALID_CHARACTER');
}

/**
 * The same for named parameters (a query string, path parameters): 400 `INVALID_CHARACTER` naming
 * the parameter, e.g. `query parameter "title" contains a NUL character`.
 */
export function assertStorableParams(params: Record<string, unknown>, what: string): void {
  for (const [name, v] of Object.entries(params)) {
    const problem = unstorable(name) ? `has a name that ${unstorable(name)}` : [v].flat().map((x) => (typeof x === 'string' ? unstorable(x) : undefined)).find(Boolean);
    if (problem) throw new BadRequest(`${what} "${printable(name)}" ${problem}`, printable(name), undefined, 'INVALID_CHARACTER');
  }
}

/**
 * Decodes UTF-8 strictly (a 400 `INVALID_UTF8` naming the first bad byte instead of a silent U+FFFD).
 * A leading byte-order mark is dropped.
 */
export function decodeUtf8(bytes: Uint8Array, what = 'request body'): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new BadRequest(`${what} is not valid UTF-8 (at byte ${firstInvalidUtf8(bytes)})`, undefined, undefined, 'INVALID_UTF8');
  }
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  const lenient = new TextDecoder('utf-8').decode(bytes);
  let from = 0;
  for (let i = lenient.indexOf('\ufffd'); i >= 0; i = lenient.indexOf('\ufffd', i + 1)) {
    // Every replacement character before the first bad byte was a real one (EF BF BD), so the
    // byte offset of the text before it is exact.
    const at = Buffer.byteLength(lenient.slice(0, i));
    if (!(bytes[at] === 0xef && bytes[at + 1] === 0xbf && bytes[at + 2] === 0xbd)) return at;
    from = at + 3;
  }
  return from;
}

/** `application/json`, or any `+json` type (`application/vnd.api+json`), with or without parameters. */
export function isJsonType(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || /^application\/[\w.+-]+\+json$/.test(type);
}

/**
 * Parses the body as JSON; malformed JSON is a 400 `MALFORMED_JSON` naming the position, and a
 * body nested deeper than `MAX_JSON_DEPTH` (a nesting bomb) a 400 `NESTING_TOO_DEEP`. The body
 * must come as `application/json` (415 otherwise), in UTF-8, and hold no NUL or lone surrogate.
 */
export async function readJson(c: Context): Promise<unknown> {
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  const contentType = c.req.header('content-type');
  if (bytes.length && !isJsonType(contentType)) {
    throw new UnsupportedMediaType(`request body must be JSON sent as Content-Type: application/json (got ${contentType ? `"${contentType}"` : 'none'})`);
  }
  const text = decodeUtf8(bytes);
  if (!text.trim()) throw new BadRequest('request body is empty; expected JSON', undefined, undefined, 'MALFORMED_JSON');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new BadRequest(`request body is not valid JSON: ${(e as Error).message}`, undefined, undefined, 'MALFORMED_JSON');
  }
  if (nestingExceeds(value, MAX_JSON_DEPTH)) {
    throw new BadRequest(`request body is nested more than ${MAX_JSON_DEPTH} levels deep`, undefined, undefined, 'NESTING_TOO_DEEP');
  }
  assertStorable(value, 'request body');
  return value;
}

/** Parses and validates a JSON body. */
export async function jsonBody<T>(c: Context, schema: Schema): Promise<T> {
  return check<T>(schema, await readJson(c));
}

/** Parses a positive integer route parameter, or 400 naming it. */
export function idParam(c: Context, name = 'id'): number {
  const raw = c.req.param(name);
  const n = Number(raw);
  if (!raw || !Number.isSafeInteger(n) || n <= 0) throw new BadRequest(`${name} must be a positive integer`, name);
  return n;
}
