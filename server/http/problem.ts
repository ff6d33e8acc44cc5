/**
 * The one place where errors become HTTP responses: `{"error": {"code", "message", "path"}}`.
 * Domain errors keep their status; anything unexpected is logged with its stack and answered as a
 * plain 500 without internals.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { DomainError, TooManyRequests, unstorableTextError } from '../errors';
import type { AppEnv } from './env';

export interface ProblemBody {
  error: { code: string; message: string; path?: string; details?: unknown };
}

export function problem(c: Context, status: number, code: string, message: string, path?: string, details?: unknown) {
  const body: ProblemBody = { error: { code, message } };
  if (path !== undefined) body.error.path = path;
  if (details !== undefined) body.error.details = details;
  return c.json(body, status as 400);
}

export function onError(err: Error, c: Context<AppEnv>) {
  if (err instanceof DomainError) {
    if (err instanceof TooManyRequests) c.header('Retry-After', String(err.retryAfterSeconds));
    return problem(c, err.status, err.code, err.message, err.path, err.details);
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 401 ? 'UNAUTHENTICATED' : 'HTTP_ERROR';
    return problem(c, status, code, err.message || 'request failed');
  }
  const unstorable = unstorableTextError(err);
  if (unstorable) {
    (c.get('log') ?? console).warn({ err }, 'text the database cannot store reached it');
    return problem(c, 400, unstorable.code, unstorable.message);
  }
  const log = c.get('log');
  (log ?? console).error({ err }, 'unhandled error');
  return problem(c, 500, 'INTERNAL', `internal error (request ${c.get('requestId') ?? '?'})`);
}

export function notFound(c: Context<AppEnv>) {
  return problem(c, 404, 'ROUTE_NOT_FOUND', `no route for ${c.req.method} ${new URL(c.req.url).pathname}`);
}
