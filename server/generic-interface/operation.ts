/**
 * What every operation gets and how it authenticates its caller. Operations receive the request
 * data (body, `Data` envelope unwrapped, query and route placeholders merged) and return their
 * answer's data, or throw an `OperationError`. Callers authenticate in the request, never by
 * cookie: `SessionID` (body or query; a session of `AuthService`), an `X-API-Key` header (or
 * `Authorization: Bearer`) holding an API token, or `UserLogin`/`CustomerUserLogin` with
 * `Password` (checked by `AuthService.login`, so throttling and lock-out are shared with the UI).
 */
import { Access } from '../access/access';
import { TooManyRequests, Unauthenticated } from '../errors';
import type { Services } from '../services';
import { opError } from './envelope';
import { text, twoFactorToken, type Data } from './params';
import type { OperationConfig, Webservice } from './schema';

export interface OperationContext {
  services: Services;
  webservice: Webservice;
  /** The configured operation name (e.g. `TicketGetList`) and its configuration. */
  operationName: string;
  operation: OperationConfig;
  headers: Headers;
  remoteAddr: string;
}

export type OperationHandler = (ctx: OperationContext, data: Data) => Promise<Data>;

/** OTOBO's texts for one operation's authentication failures (without the `<Op>: ` prefix). */
export interface AuthTexts {
  /** No credentials at all (MissingParameter); absent: an AuthFail with `fail`. */
  missing?: string;
  /** A login without a password (MissingParameter); absent: an AuthFail with `fail`. */
  noPassword?: string;
  /** Wrong credentials or an unknown session (AuthFail). */
  fail: string;
}

function bearer(header: string | null): string | undefined {
  const m = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return m?.[1];
}

/** The caller of operation `op`, as an `Access`; throws the operation's AuthFail/MissingParameter. */
export async function authenticate(ctx: OperationContext, data: Data, op: string, texts: AuthTexts): Promise<Access> {
  const { auth, database } = ctx.services;
  const access = (actor: Access['actor']) => new Access(database.db, actor);
  const fail = () => opError(op, 'AuthFail', texts.fail);

  const sessionId = text(data.SessionID);
  if (sessionId) {
    const session = await auth.resolveSession(sessionId);
    if (!session) throw fail();
    return access(session.actor);
  }

  const apiKey = text(ctx.headers.get('x-api-key')) ?? bearer(ctx.headers.get('authorization'));
  if (apiKey) {
    const actor = await auth.resolveToken(apiKey);
    if (!actor) throw fail();
    return access(actor);
  }

  const userLogin = text(data.UserLogin);
  const customerLogin = text(data.CustomerUserLogin);
  if (!userLogin && !customerLogin) throw texts.missing ? opError(op, 'MissingParameter', texts.missing) : fail();
  const password = typeof data.Password === 'string' ? data.Password : typeof data.Password === 'number' ? String(data.Password) : '';
  if (!password) throw texts.noPassword ? opError(op, 'MissingParameter', texts.noPassword) : fail();
  try {
    const result = await auth.loginDirect(userLogin ? 'agent' : 'customer', (userLogin ?? customerLogin)!, password, {
      userAgent: ctx.headers.get('user-agent') ?? '',
      remoteAddr: ctx.remoteAddr,
    }, twoFactorToken(data.TwoFactorToken));
    // Credentials in the request authenticate this request only: the session is not kept.
    await auth.logout(result.sessionId);
    return access(result.actor);
  } catch (e) {
    if (e instanceof TooManyRequests) throw opError(op, 'AuthFail', e.message);
    if (e instanceof Unauthenticated && e.code.startsWith('TWO_FACTOR')) throw opError(op, 'AuthFail', e.message);
    if (e instanceof Unauthenticated) throw fail();
    throw e;
  }
}
