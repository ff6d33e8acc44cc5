/**
 * Authentication rules: password login with throttling and lock-out, database sessions with a CSRF
 * token, API tokens for agents, and the first-start admin. Knows nothing about HTTP.
 */
import type { Logger } from 'pino';
import type { Config } from '../config';
import { NotFound, TooManyRequests, Unauthenticated, ValidationFailed } from '../errors';
import type { Actor } from './actor';
import { LOCAL_TOKEN_LOGIN } from './local-token';
import { authRepo, type Db } from './repo';
import { dummyPasswordHash, generatePassword, hashPassword, newSecret, secretHash, verifyPassword } from './secrets';

export type Clock = () => Date;

export interface AuthDeps {
  db: Db;
  config: Pick<Config, 'sessionIdleMinutes' | 'sessionMaxHours' | 'loginMaxFailures' | 'loginLockMinutes'>;
  now: Clock;
}

export interface SessionInfo {
  /** The cookie value; only its hash is stored. */
  sessionId: string;
  csrfToken: string;
  expiresAt: Date;
}

export interface LoginResult extends SessionInfo {
  actor: Actor;
}

export interface ResolvedSession {
  actor: Actor;
  csrfToken: string;
  expiresAt: Date;
}

const MINUTE = 60_000;
/** Sessions are touched at most this often, so reads do not write on every request. */
const TOUCH_EVERY_MS = MINUTE;

export class AuthService {
  /** Hash of the running server's local CLI token (`local-token.ts`), when it has one. */
  private localTokenHash: string | undefined;

  constructor(private readonly deps: AuthDeps) {}

  /** From now on `token` authenticates as the agent `admin` (the local CLI's credential; one per start). */
  acceptLocalToken(token: string): void {
    this.localTokenHash = secretHash(token);
  }

  private get db() {
    return this.deps.db;
  }

  /**
   * Checks a login and password and opens a session. Every failure answers the same
   * `INVALID_CREDENTIALS`, whether the login exists or not; after `loginMaxFailures` failures in a
   * row the login is locked for `loginLockMinutes` (`LOGIN_LOCKED`, 429), even with the right password.
   */
  async login(kind: Actor['kind'], login: string, password: string, meta: { userAgent?: string; remoteAddr?: string } = {}): Promise<LoginResult> {
    const now = this.deps.now();
    const key = `${kind}:${login.trim().toLowerCase()}`;
    const throttle = await authRepo.throttle(this.db, key);
    if (throttle?.locked_until && throttle.locked_until > now) {
      throw this.lockedError(throttle.locked_until, now);
    }

    const actor = await this.checkPassword(kind, login.trim(), password);
    if (!actor) {
      const lockUntil = new Date(now.getTime() + this.deps.config.loginLockMinutes * MINUTE);
      const row = await authRepo.recordFailure(this.db, key, now, this.deps.config.loginMaxFailures, lockUntil);
      if (row.locked_until && row.locked_until > now) throw this.lockedError(row.locked_until, now);
      throw new Unauthenticated('login or password is wrong', 'INVALID_CREDENTIALS');
    }
    if (throttle) await authRepo.clearFailures(this.db, key);
    return { actor, ...(await this.openSession(actor, meta)) };
  }

  private lockedError(until: Date, now: Date) {
    const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
    return new TooManyRequests(
      `too many failed logins: this login is locked until ${until.toISOString()}`,
      seconds,
      'LOGIN_LOCKED',
    );
  }

  private async checkPassword(kind: Actor['kind'], login: string, password: string): Promise<Actor | undefined> {
    if (kind === 'agent') {
      const agent = await authRepo.agentByLogin(this.db, login);
      const ok = await verifyPassword(password, agent?.password_hash ?? (await dummyPasswordHash()));
      if (!agent || !ok || !agent.valid) return undefined;
      return { kind: 'agent', id: agent.id, login: agent.login, via: 'session' };
    }
    const user = await authRepo.customerUserByLogin(this.db, login);
    const ok = await verifyPassword(password, user?.password_hash ?? (await dummyPasswordHash()));
    if (!user || !ok || !user.valid || user.login_forbidden) return undefined;
    return { kind: 'customer', id: user.id, login: user.login, customerId: user.customer_id, companyTickets: user.can_see_company_tickets, via: 'session' };
  }

  private async openSession(actor: Actor, meta: { userAgent?: string; remoteAddr?: string }): Promise<SessionInfo> {
    const now = this.deps.now();
    const sessionId = newSecret(32);
    const csrfToken = newSecret(24);
    const expiresAt = this.nextExpiry(now, now);
    await authRepo.insertSession(this.db, {
      id_hash: secretHash(sessionId),
      subject_kind: actor.kind,
      subject_id: actor.id,
      csrf_token: csrfToken,
      created_at: now,
      last_seen_at: now,
      expires_at: expiresAt,
      user_agent: (meta.userAgent ?? '').slice(0, 500),
      remote_addr: meta.remoteAddr ?? '',
    });
    return { sessionId, csrfToken, expiresAt };
  }

  /** Sliding idle expiry, capped by the absolute session lifetime. */
  private nextExpiry(createdAt: Date, now: Date): Date {
    const idle = now.getTime() + this.deps.config.sessionIdleMinutes * MINUTE;
    const max = createdAt.getTime() + this.deps.config.sessionMaxHours * 60 * MINUTE;
    return new Date(Math.min(idle, max));
  }

  /** The actor behind a session cookie, or undefined when it is unknown, expired or its owner invalid. */
  async resolveSession(sessionId: string): Promise<ResolvedSession | undefined> {
    const now = this.deps.now();
    const idHash = secretHash(sessionId);
    const s = await authRepo.sessionByHash(this.db, idHash);
    if (!s) return undefined;
    if (s.expires_at <= now) {
      await authRepo.deleteSession(this.db, idHash);
      return undefined;
    }
    const actor = await this.actorFor(s.subject_kind, s.subject_id, 'session');
    if (!actor) return undefined;
    let expiresAt = s.expires_at;
    if (now.getTime() - s.last_seen_at.getTime() > TOUCH_EVERY_MS) {
      expiresAt = this.nextExpiry(s.created_at, now);
      await authRepo.touchSession(this.db, idHash, now, expiresAt);
    }
    return { actor, csrfToken: s.csrf_token, expiresAt };
  }

  private async actorFor(kind: Actor['kind'], id: number, via: Actor['via']): Promise<Actor | undefined> {
    if (kind === 'agent') {
      const a = await authRepo.agentById(this.db, id);
      return a?.valid ? { kind: 'agent', id: a.id, login: a.login, via } : undefined;
    }
    const u = await authRepo.customerUserById(this.db, id);
    return u && u.valid && !u.login_forbidden
      ? { kind: 'customer', id: u.id, login: u.login, customerId: u.customer_id, companyTickets: u.can_see_company_tickets, via }
      : undefined;
  }

  async logout(sessionId: string): Promise<void> {
    await authRepo.deleteSession(this.db, secretHash(sessionId));
  }

  /** Creates an API token for an agent; the token is returned once and stored only as a hash. */
  async createToken(agentId: number, name: string, expiresAt: Date | null) {
    if (expiresAt && expiresAt.getTime() <= this.deps.now().getTime()) {
      const problem = { path: '/expiresAt', message: 'must lie in the future (the token would be expired already)' };
      throw new ValidationFailed(`request body: ${problem.path} ${problem.message}`, problem.path, [problem]);
    }
    const token = newSecret(32, 'hd_');
    const row = await authRepo.insertToken(this.db, {
      agent_id: agentId,
      name,
      token_hash: secretHash(token),
      prefix: token.slice(0, 10),
      expires_at: expiresAt,
    });
    return { ...row, token };
  }

  listTokens(agentId: number) {
    return authRepo.tokensOfAgent(this.db, agentId);
  }

  /** Revokes one of the agent's own tokens; someone else's token is reported as not found. */
  async revokeToken(agentId: number, tokenId: number): Promise<void> {
    const res = await authRepo.revokeToken(this.db, tokenId, agentId, this.deps.now());
    if (!res.numUpdatedRows) throw new NotFound(`API token ${tokenId}`, 'id');
  }

  /** The agent behind a bearer token, or undefined when unknown, revoked or expired. */
  async resolveToken(token: string): Promise<Actor | undefined> {
    if (this.localTokenHash && secretHash(token) === this.localTokenHash) {
      // The operator, as the CLI's direct access (`access/operator.ts`): even an admin set invalid,
      // so `admin reset-password` can make it valid again.
      const admin = await authRepo.agentByLogin(this.db, LOCAL_TOKEN_LOGIN);
      return admin ? { kind: 'agent', id: admin.id, login: admin.login, via: 'token' } : undefined;
    }
    const row = await authRepo.tokenByHash(this.db, secretHash(token));
    const now = this.deps.now();
    if (!row || row.revoked_at || (row.expires_at && row.expires_at <= now)) return undefined;
    const actor = await this.actorFor('agent', row.agent_id, 'token');
    if (!actor) return undefined;
    if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > TOUCH_EVERY_MS) {
      await authRepo.markTokenUsed(this.db, row.id, now);
    }
    return actor;
  }

  /** Removes sessions that have expired (called periodically by the server). */
  async purgeExpiredSessions(): Promise<void> {
    await authRepo.deleteExpiredSessions(this.db, this.deps.now());
  }
}

/**
 * Makes sure an `admin` agent exists, member of `admin` and `users` with `rw`. Returns the password
 * when it created the agent and generated one (so the caller can print it once).
 */
export async function ensureAdmin(db: Db, password: string | undefined, log?: Logger): Promise<{ created: boolean; generatedPassword?: string }> {
  const existing = await authRepo.agentByLogin(db, 'admin');
  if (existing) return { created: false };
  const pw = password ?? generatePassword();
  try {
    await db.transaction().execute(async (trx) => {
      const agent = await trx
        .insertInto('agents')
        .values({
          login: 'admin',
          first_name: 'Admin',
          last_name: 'Istrator',
          email: 'admin@localhost',
          password_hash: await hashPassword(pw),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const groups = await trx.selectFrom('groups').select('id').where('name', 'in', ['admin', 'users']).execute();
      if (groups.length) {
        await trx
          .insertInto('agent_groups')
          .values(groups.map((g) => ({ agent_id: agent.id, group_id: g.id, permission: 'rw' as const })))
          .execute();
      }
    });
  } catch (e) {
    // Another process created it at the same moment.
    if (await authRepo.agentByLogin(db, 'admin')) return { created: false };
    throw e;
  }
  log?.info({ login: 'admin' }, 'created the admin agent');
  return password ? { created: true } : { created: true, generatedPassword: pw };
}

