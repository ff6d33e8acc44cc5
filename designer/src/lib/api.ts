/**
 * The designer's one way to talk to the server. `request()` sends and reads JSON, adds the
 * session's CSRF token to writes once it is known (`upload()` sends files, `download()` fetches them), and turns the server's error shape
 * `{"error": {"code", "message", "path"}}` into a thrown `ApiError`. `errorMessage()` is the one
 * place that turns any failure into text fit for the screen.
 */
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';

/** A failed API call: the server's error code, message and path, with the HTTP status. */
export class ApiError extends Error {
  /** HTTP status; 0 when the server could not be reached at all. */
  readonly status: number;
  /** Stable machine-readable code, e.g. `INVALID_CREDENTIALS`. */
  readonly code: string;
  /** JSON path or field the error is about, when the server named one. */
  readonly path: string | undefined;

  constructor(status: number, code: string, message: string, path?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.path = path;
  }
}

/** Methods that never change anything, so never need the CSRF token. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

let csrfToken: string | null = null;

/** Remembers the session's CSRF token (from login or `me`) for later writes; `null` forgets it. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/**
 * Calls the API and returns the parsed JSON answer (`undefined` for an empty one, e.g. 204).
 * A `body` is sent as JSON. Any failure, including an unreachable server, throws `ApiError`.
 */
export async function request<T>(method: string, url: string, body?: unknown): Promise<T> {
  const response = await send(method, url, body === undefined ? undefined : { body: JSON.stringify(body), contentType: 'application/json' });
  return (await readJson(response)) as T;
}

/**
 * Sends a file as it is (`content` with its content type, e.g. a BPMN file as `application/xml`)
 * and returns the parsed JSON answer; failures throw `ApiError` as with `request()`.
 */
export async function upload<T>(method: string, url: string, content: Blob | string, contentType: string): Promise<T> {
  const response = await send(method, url, { body: content, contentType });
  return (await readJson(response)) as T;
}

/** Fetches a file (an export) with the file name the server suggests; failures throw `ApiError`. */
export async function download(url: string): Promise<{ blob: Blob; filename: string | undefined }> {
  const response = await send('GET', url);
  const disposition = response.headers.get('content-disposition') ?? '';
  const filename = /filename="?([^";]+)"?/.exec(disposition)?.[1];
  return { blob: await response.blob(), filename };
}

async function send(method: string, url: string, payload?: { body: BodyInit; contentType: string }): Promise<Response> {
  const verb = method.toUpperCase();
  // The server writes its messages (validation errors, problems) in the reader's language.
  const headers = new Headers({ accept: 'application/json', 'accept-language': getLocale() });
  if (payload) headers.set('content-type', payload.contentType);
  if (csrfToken && !SAFE_METHODS.has(verb)) headers.set('x-csrf-token', csrfToken);

  let response: Response;
  try {
    response = await fetch(url, { method: verb, headers, body: payload?.body, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', m.error_network());
  }
  if (!response.ok) {
    // A session that ended (idle timeout, sign-out elsewhere): tell the app shell, which signs in again.
    if (response.status === 401 && !url.startsWith('/api/v1/auth/')) window.dispatchEvent(new CustomEvent(SESSION_ENDED));
    throw toApiError(response.status, await readJson(response));
  }
  return response;
}

/** Window event fired when an API call finds the session gone (401 outside `/auth/`). */
export const SESSION_ENDED = 'helpdesk:session-ended';

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function toApiError(status: number, data: unknown): ApiError {
  const error = typeof data === 'object' && data !== null ? (data as { error?: unknown }).error : undefined;
  if (typeof error === 'object' && error !== null) {
    const { code, message, path } = error as Record<string, unknown>;
    if (typeof message === 'string' && message) {
      return new ApiError(
        status,
        typeof code === 'string' ? code : 'HTTP_ERROR',
        message,
        typeof path === 'string' ? path : undefined,
      );
    }
  }
  // No error body: a proxy, or a server that is starting or down.
  return new ApiError(status, 'HTTP_ERROR', fallbackMessage(status));
}

function fallbackMessage(status: number): string {
  if (status === 401) return m.error_401();
  if (status === 403) return m.error_403();
  if (status === 404) return m.error_404();
  if (status === 429) return m.error_429();
  if (status >= 500) return m.error_5xx({ status });
  return m.error_http({ status });
}

/** Readable text for anything thrown: the server's message for an `ApiError`, capitalised. */
export function errorMessage(err: unknown): string {
  const text = (err instanceof Error ? err.message : typeof err === 'string' ? err : '').trim();
  const message = text || m.error_unknown();
  return message.charAt(0).toUpperCase() + message.slice(1);
}

/** The signed-in agent or customer user, as `/api/v1/auth/login` and `/me` describe it. */
export interface User {
  kind: 'agent' | 'customer';
  id: number;
  login: string;
  firstName: string;
  lastName: string;
  email: string;
  isAdmin?: boolean;
  /** An agent who must replace the password an administrator gave before anything else. */
  passwordChangeRequired?: boolean;
  /** A customer user's chosen language (null: the browser's). */
  language?: string | null;
}

/** The languages the interface speaks and the system default (`DEFAULT_LANGUAGE`). */
export function languages(): Promise<{ languages: string[]; defaultLanguage: string }> {
  return request('GET', '/api/v1/i18n');
}

/** Stores the caller's language (null: follow the browser). */
export function saveLanguage(language: string | null): Promise<{ language: string | null }> {
  return request('PUT', '/api/v1/me/language', { language });
}

interface SessionAnswer {
  user: User;
  csrfToken: string | null;
}

/** The answer to a right password when a second factor (or setting one up) comes next (see `two-factor.ts`). */
export interface SecondFactor {
  challenge: string;
  expiresAt: string;
  /** The policy requires a second factor and this user has none: set one up now. */
  setup: boolean;
  /** `email`: a code has just been mailed. */
  method: 'totp' | 'email' | null;
  /** Days this browser may be remembered; 0: not offered. */
  rememberDays: number;
}

export interface SecondFactorAnswer {
  secondFactor: SecondFactor;
}

/**
 * Agent sign-in with a session cookie; keeps the CSRF token for later writes. A login with a second
 * factor answers its challenge instead of the user.
 */
export async function login(loginName: string, password: string): Promise<User | SecondFactorAnswer> {
  const answer = await request<SessionAnswer | SecondFactorAnswer>('POST', '/api/v1/auth/login', { login: loginName, password });
  if ('secondFactor' in answer) return answer;
  setCsrfToken(answer.csrfToken);
  return answer.user;
}

/** The caller's session after a reload, or `null` when not signed in. */
export async function currentUser(): Promise<User | null> {
  try {
    const answer = await request<SessionAnswer>('GET', '/api/v1/auth/me');
    setCsrfToken(answer.csrfToken);
    return answer.user;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw err;
  }
}

/**
 * Ends the session. A session that had already ended (401) counts as signed out; on any other
 * failure the token is kept, since the session is still alive.
 */
export async function logout(): Promise<void> {
  try {
    await request<void>('POST', '/api/v1/auth/logout');
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 401)) throw err;
  }
  setCsrfToken(null);
}
