/**
 * Reading request bodies: JSON parsed with a clear message on malformed input (with the position),
 * then checked against a JSON Schema with ajv. Every problem is reported with its JSON path
 * (`/tickets/0/title`); the first one is the error's `path`, all of them are in `details`.
 */
import { Ajv, type ErrorObject, type Schema, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Context } from 'hono';
import { BadRequest, ValidationFailed } from '../errors';
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

/**
 * Parses the body as JSON; malformed JSON is a 400 `MALFORMED_JSON` naming the position, and a
 * body nested deeper than `MAX_JSON_DEPTH` (a nesting bomb) a 400 `NESTING_TOO_DEEP`.
 */
export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
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
