/**
 * SessionGet: the data of a valid session as OTOBO lists it, `{"SessionData": [{Key, Value}]}`
 * sorted by key (who it belongs to, when it started, when it was last used); an unknown or expired
 * session is `SessionGet.SessionInvalid`.
 */
import { secretHash } from '../../auth/secrets';
import { opError } from '../envelope';
import type { OperationHandler } from '../operation';
import { text, type Data } from '../params';

const OP = 'SessionGet';

const epoch = (d: Date) => String(Math.floor(d.getTime() / 1000));

export const sessionGet: OperationHandler = async (ctx, data) => {
  if (!Object.keys(data).length) throw opError(OP, 'MissingParameter', 'The request is empty!');
  const sessionId = text(data.SessionID);
  if (!sessionId) throw opError(OP, 'MissingParameter', 'SessionID is missing!');
  const session = await ctx.services.auth.resolveSession(sessionId);
  if (!session) throw opError(OP, 'SessionInvalid', 'SessionID is Invalid!');
  const db = ctx.services.database.db;
  const row = await db.selectFrom('sessions').select(['created_at', 'last_seen_at', 'user_agent', 'remote_addr']).where('id_hash', '=', secretHash(sessionId)).executeTakeFirst();
  const a = session.actor;
  const values: Data = { UserLogin: a.login, UserID: String(a.id), UserType: a.kind === 'agent' ? 'User' : 'Customer' };
  const person =
    a.kind === 'agent'
      ? await db.selectFrom('agents').select(['first_name', 'last_name', 'email']).where('id', '=', a.id).executeTakeFirst()
      : await db.selectFrom('customer_users').select(['first_name', 'last_name', 'email']).where('id', '=', a.id).executeTakeFirst();
  if (person) {
    values.UserFirstname = person.first_name;
    values.UserLastname = person.last_name;
    values.UserFullname = `${person.first_name} ${person.last_name}`.trim();
    values.UserEmail = person.email;
  }
  if (a.kind === 'customer') values.UserCustomerID = a.customerId;
  if (row) {
    values.UserSessionStart = epoch(row.created_at);
    values.UserLastRequest = epoch(row.last_seen_at);
    values.UserRemoteAddr = row.remote_addr;
    values.UserRemoteUserAgent = row.user_agent;
  }
  values.SessionExpires = epoch(session.expiresAt);
  return {
    SessionData: Object.keys(values)
      .sort()
      .map((Key) => ({ Key, Value: values[Key] })),
  };
};
