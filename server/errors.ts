/**
 * Typed domain errors. Services throw these without knowing about HTTP; the one error handler in
 * `http/problem.ts` turns them into `{"error": {"code", "message", "path"}}` with the status below.
 * Each error carries a stable `code` so clients (and tests) can tell them apart without parsing text.
 */
export class DomainError extends Error {
  /** HTTP status the error maps to. */
  readonly status: number;
  /** Stable machine-readable code, e.g. `NOT_FOUND`. */
  readonly code: string;
  /** JSON path or field name the error is about, when there is one. */
  readonly path: string | undefined;
  /** Extra structured detail (e.g. every validation problem). */
  readonly details: unknown;

  constructor(status: number, code: string, message: string, path?: string, details?: unknown) {
    super(message);
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    this.path = path;
    this.details = details;
  }
}

/** A request that is malformed or fails validation (400). */
export class BadRequest extends DomainError {
  constructor(message: string, path?: string, details?: unknown, code = 'BAD_REQUEST') {
    super(400, code, message, path, details);
  }
}

/** The body does not match the schema (422 would also fit; 400 keeps clients simple). */
export class ValidationFailed extends DomainError {
  constructor(message: string, path: string | undefined, details: unknown) {
    super(400, 'VALIDATION_FAILED', message, path, details);
  }
}

/** No valid credentials (401). */
export class Unauthenticated extends DomainError {
  constructor(message = 'authentication required', code = 'UNAUTHENTICATED') {
    super(401, code, message);
  }
}

/** Authenticated, but not allowed (403). */
export class Forbidden extends DomainError {
  constructor(message: string, code = 'FORBIDDEN', path?: string) {
    super(403, code, message, path);
  }
}

/** Missing, or not visible to the caller (404: a denied read must not leak existence). */
export class NotFound extends DomainError {
  constructor(what: string, path?: string) {
    super(404, 'NOT_FOUND', `${what} not found`, path);
  }
}

/** The request conflicts with the current state, e.g. a duplicate name (409). */
export class Conflict extends DomainError {
  constructor(message: string, path?: string, code = 'CONFLICT') {
    super(409, code, message, path);
  }
}

/** The body exceeds the configured size limit (413). */
export class PayloadTooLarge extends DomainError {
  constructor(limit: number) {
    super(413, 'PAYLOAD_TOO_LARGE', `request body exceeds the limit of ${limit} bytes`);
  }
}

/** One field of the request is larger than its own limit (413), e.g. an article body over `MAX_ARTICLE_BYTES`. */
export class FieldTooLarge extends DomainError {
  constructor(message: string, path: string, code = 'FIELD_TOO_LARGE') {
    super(413, code, message, path);
  }
}

/** The body comes in a content type the endpoint does not read (415). */
export class UnsupportedMediaType extends DomainError {
  constructor(message: string) {
    super(415, 'UNSUPPORTED_MEDIA_TYPE', message);
  }
}

/** Too many attempts; try again later (429). */
export class TooManyRequests extends DomainError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number, code = 'TOO_MANY_REQUESTS') {
    super(429, code, message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * PostgreSQL's refusal of text it cannot store (`22P05` "unsupported Unicode escape sequence" for
 * `\u0000` in jsonb, `22021` "invalid byte sequence" for a NUL in text): the request's fault, so a
 * 400 rather than a 500 if such text ever slips past validation. Undefined for any other error.
 */
export function unstorableTextError(err: unknown): BadRequest | undefined {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return undefined;
  const message = typeof e.message === 'string' ? e.message : '';
  if (e.code === '22P05' || e.code === '22021' || /invalid byte sequence for encoding|unsupported Unicode escape sequence/i.test(message)) {
    return new BadRequest('the request holds text that cannot be stored (a NUL character or invalid Unicode)', undefined, undefined, 'INVALID_CHARACTER');
  }
  return undefined;
}
