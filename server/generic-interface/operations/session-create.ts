/**
 * SessionCreate: `UserLogin` (agent) or `CustomerUserLogin` (customer user) with `Password` opens a
 * session of `AuthService` (the same sessions, throttling and lock-out as the web login) and
 * answers `{"SessionID": "..."}`, usable as `SessionID` in the body or query of later calls. A login
 * with two-factor login needs `TwoFactorToken` (Znuny's name): the current code of the
 * authenticator app, or one of the recovery codes; without it the answer is `AuthFail` saying so.
 */
import { TooManyRequests, Unauthenticated } from '../../errors';
import { opError } from '../envelope';
import type { OperationHandler } from '../operation';
import { text, twoFactorToken } from '../params';

const OP = 'SessionCreate';

export const sessionCreate: OperationHandler = async (ctx, data) => {
  const userLogin = text(data.UserLogin);
  const customerLogin = text(data.CustomerUserLogin);
  if (!Object.keys(data).length) throw opError(OP, 'MissingParameter', 'The request is empty!');
  const password = typeof data.Password === 'string' ? data.Password : typeof data.Password === 'number' ? String(data.Password) : '';
  if (!password) throw opError(OP, 'MissingParameter', 'Password parameter is missing!');
  if (!userLogin && !customerLogin) throw opError(OP, 'AuthFail', 'Authorization failing!');
  try {
    const result = await ctx.services.auth.loginDirect(userLogin ? 'agent' : 'customer', (userLogin ?? customerLogin)!, password, {
      userAgent: ctx.headers.get('user-agent') ?? '',
      remoteAddr: ctx.remoteAddr,
    }, twoFactorToken(data.TwoFactorToken));
    return { SessionID: result.sessionId };
  } catch (e) {
    if (e instanceof TooManyRequests) throw opError(OP, 'AuthFail', e.message);
    // A missing second factor says so (the client must send TwoFactorToken); anything else stays vague.
    if (e instanceof Unauthenticated && e.code.startsWith('TWO_FACTOR')) throw opError(OP, 'AuthFail', e.message);
    if (e instanceof Unauthenticated) throw opError(OP, 'AuthFail', 'Authorization failing!');
    throw e;
  }
};
