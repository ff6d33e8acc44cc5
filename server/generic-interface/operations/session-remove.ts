/**
 * SessionRemove: ends a session (as the web logout does). OTOBO has no such operation; Znuny-style
 * clients call it to log out. Answers `{}`; an unknown or expired session is
 * `SessionRemove.SessionInvalid`.
 */
import { opError } from '../envelope';
import type { OperationHandler } from '../operation';
import { text } from '../params';

const OP = 'SessionRemove';

export const sessionRemove: OperationHandler = async (ctx, data) => {
  const sessionId = text(data.SessionID);
  if (!sessionId) throw opError(OP, 'MissingParameter', 'SessionID is missing!');
  const { auth } = ctx.services;
  if (!(await auth.resolveSession(sessionId))) throw opError(OP, 'SessionInvalid', 'SessionID is Invalid!');
  await auth.logout(sessionId);
  return {};
};
