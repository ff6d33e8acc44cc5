/**
 * Authentication rules: password login with throttling and lock-out, database sessions with a CSRF
 * token, API tokens for agents, and the first-start admin. Knows nothing about HTTP.
 */
import type { Logger } from 'pino';
import type { Config } from '../config';
import { BadRequest, NotFound, TooManyRequests, Unauthenticated, ValidationFailed } from '../errors';
import type { Actor } from './actor';
import { LOCAL_TOKEN_LOGIN } from './local-token';
import { authRepo, type Db } from './repo';
import { dummyPasswordHash, generatePassword, hashPassword, newSecret, secretHash, verifyPassword } from './secrets';
import { TwoFactorService, type SecondFactorInput } from './two-factor/service';
import type { SecondFactorMethod } from '../db/tables-two-factor';

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
  /** Set when the browser asked to be remembered and the policy allows it: the cookie value. */
  trustedDevice?: { token: string; expiresAt: Date };
}

/** The password was right; a second factor (or, with `setup`, setting one up) comes next. */
export interface SecondFactorNeeded {
  secondFactor: { challenge: string; expiresAt: Date; setup: boolean; method: SecondFactorMethod | null; rememberDays: number };
}

export type LoginOutcome = LoginResult | SecondFactorNeeded;

export interface LoginOptions extends SecondFactorInput {
  /** Remember this browser (when the policy allows remembered devices). */
  rememberDevice?: boolean;
  /**
   * False for callers that cannot show a second step (Generic Interface): a missing or needed
   * second factor is then an error (`TWO_FACTOR_REQUIRED`, `TWO_FACTOR_SETUP_REQUIRED`).
   */
  interactive?: boolean;
}

type Meta = { userAgent?: string; remoteAddr?: string };

export interface ResolvedSession {
  actor: Actor;
  csrfToken: string;
  expiresAt: Date;
}

const MINUTE = 60_000;
/** Sessions are touched at most this often, so reads do not write on every request. */
const TOUCH_EVERY_MS = MINUTE;

export class AuthService {
  readonly twoFactor: TwoFactorService;
  /** Hash of the running server's local CLI token (`local-token.ts`), when it has one. */
  private localTokenHash: string | undefined;

  constructor(private readonly deps: AuthDeps) {
    this.twoFactor = new TwoFactorService({ db: deps.db, now: deps.now });
  }

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
   * A user with a second factor (or one the policy makes set one up) gets a challenge instead of a
   * session, unless a code or a remembered browser came with the password; a wrong code counts as
   * a failed login, so codes are throttled and locked out exactly as passwords are.
   */
  async login(kind: Actor['kind'], login: string, password: string, meta: Meta = {}, opts: LoginOptions = {}): Promise<LoginOutcome> {
    const now = this.deps.now();
    const key = `${kind}:${login.trim().toLowerCase()}`;
    await this.checkLock(key, now);

    const actor = await this.checkPassword(kind, login.trim(), password);
    if (!actor) await this.fail(key, now, new Unauthenticated('login or password is wrong', 'INVALID_CREDENTIALS'));
    return this.secondStep(actor!, key, meta, opts);
  }

  /** `login` for callers without a second step: a needed second factor must come along as `code`. */
  async loginDirect(kind: Actor['kind'], login: string, password: string, meta: Meta = {}, code?: string): Promise<LoginResult> {
    const outcome = await this.login(kind, login, password, meta, { code, interactive: false });
    if ('secondFactor' in outcome) throw new Unauthenticated('a second factor is needed', 'TWO_FACTOR_REQUIRED');
    return outcome;
  }

  private async secondStep(actor: Actor, key: string, meta: Meta, opts: LoginOptions): Promise<LoginOutcome> {
    const now = this.deps.now();
    const subject = { kind: actor.kind, id: actor.id };
    const tf = this.twoFactor;
    const policy = await tf.policy();
    const method = await tf.methodOf(subject);
    if (method) {
      const trusted = await tf.isTrusted(subject, opts.trustedToken, policy);
      if (!trusted) {
        if (opts.code || opts.recoveryCode) {
          if (!(await tf.verify(subject, opts))) await this.fail(key, now, new Unauthenticated('the code is wrong or was used already', 'INVALID_CODE'));
        } else {
          if (opts.interactive === false) {
            throw new Unauthenticated(method === 'totp' ? 'this login has two-factor login: give the code of the authenticator app (TwoFactorToken)' : 'this login gets its codes by mail, which needs the web login; use an API token', 'TWO_FACTOR_REQUIRED');
          }
          const ch = await tf.openChallenge(subject, key, false);
          return { secondFactor: { challenge: ch.token, expiresAt: ch.expiresAt, setup: false, method: ch.method, rememberDays: policy.trustedDeviceDays } };
        }
      }
    } else if (await tf.isRequired(actor, policy)) {
      if (opts.interactive === false) {
        throw new Unauthenticated('this login must set up two-factor login in the web interface first', 'TWO_FACTOR_SETUP_REQUIRED');
      }
      const ch = await tf.openChallenge(subject, key, true);
      return { secondFactor: { challenge: ch.token, expiresAt: ch.expiresAt, setup: true, method: null, rememberDays: 0 } };
    }
    const remember = !!method && !!opts.rememberDevice && !(await tf.isTrusted(subject, opts.trustedToken, policy));
    return this.finish(actor, key, meta, remember);
  }

  /** Clears the throttle, opens the session and, when asked and allowed, remembers the browser. */
  private async finish(actor: Actor, key: string, meta: Meta, rememberDevice: boolean): Promise<LoginResult> {
    await authRepo.clearFailures(this.db, key);
    const session = await this.openSession(actor, meta);
    const days = rememberDevice ? (await this.twoFactor.policy()).trustedDeviceDays : 0;
    const trustedDevice = days > 0 ? await this.twoFactor.trustDevice({ kind: actor.kind, id: actor.id }, days, meta.userAgent ?? '') : undefined;
    return { actor, ...session, ...(trustedDevice ? { trustedDevice } : {}) };
  }

  /**
   * The second step of a login: the code (or recovery code) for a challenge. A wrong code counts
   * against the login's throttle; a locked login answers `LOGIN_LOCKED` even for the right code.
   */
  async completeLogin(challenge: string, meta: Meta, opts: LoginOptions): Promise<LoginResult> {
    const now = this.deps.now();
    const ch = await this.twoFactor.challenge(challenge);
    if (!ch || ch.setup) throw new Unauthenticated('this login has expired; enter your password again', 'INVALID_CHALLENGE');
    await this.checkLock(ch.throttle_key, now);
    const actor = await this.actorFor(ch.subject_kind, ch.subject_id, 'session');
    if (!actor) throw new Unauthenticated('this login has expired; enter your password again', 'INVALID_CHALLENGE');
    if (!(await this.twoFactor.verify({ kind: actor.kind, id: actor.id }, opts, ch))) {
      await this.fail(ch.throttle_key, now, new Unauthenticated('the code is wrong or was used already', 'INVALID_CODE'));
    }
    await this.twoFactor.closeChallenge(ch.token_hash);
    return this.finish(actor, ch.throttle_key, meta, !!opts.rememberDevice);
  }

  /** The user behind a setup challenge (forced setup at login), for the setup steps. */
  async setupSubject(challenge: string): Promise<{ kind: Actor['kind']; id: number }> {
    const ch = await this.twoFactor.challenge(challenge);
    if (!ch?.setup) throw new Unauthenticated('this login has expired; enter your password again', 'INVALID_CHALLENGE');
    return { kind: ch.subject_kind, id: ch.subject_id };
  }

  /** Finishes a forced setup with its first code: the factor becomes active and the session opens. */
  async completeSetup(challenge: string, code: string, meta: Meta): Promise<LoginResult & { recoveryCodes: string[] }> {
    const ch = await this.twoFactor.challenge(challenge);
    if (!ch?.setup) throw new Unauthenticated('this login has expired; enter your password again', 'INVALID_CHALLENGE');
    const actor = await this.actorFor(ch.subject_kind, ch.subject_id, 'session');
    if (!actor) throw new Unauthenticated('this login has expired; enter your password again', 'INVALID_CHALLENGE');
    const { recoveryCodes } = await this.twoFactor.confirmSetup({ kind: actor.kind, id: actor.id }, code);
    await this.twoFactor.closeChallenge(ch.token_hash);
    return { ...(await this.finish(actor, ch.throttle_key, meta, false)), recoveryCodes };
  }

  /** Re-checks the password of a signed-in user (setting up or switching off a second factor). */
  async confirmPassword(actor: Actor, password: string): Promise<void> {
    const now = this.deps.now();
    const key = `${actor.kind}:${actor.login.toLowerCase()}`;
    await this.checkLock(key, now);
    if (!(await this.checkPassword(actor.kind, actor.login, password))) {
      await this.fail(key, now, new BadRequest('the current password is wrong', '/password', undefined, 'WRONG_PASSWORD'));
    }
  }

  private async checkLock(key: string, now: Date) {
    const throttle = await authRepo.throttle(this.db, key);
    if (throttle?.locked_until && throttle.locked_until > now) throw this.lockedError(throttle.locked_until, now);
  }

  /** Counts a failed attempt on `key` and throws: the lock when it is reached, else `error`. */
  private async fail(key: string, now: Date, error: Error): Promise<never> {
    const lockUntil = new Date(now.getTime() + this.deps.config.loginLockMinutes * MINUTE);
    const row = await authRepo.recordFailure(this.db, key, now, this.deps.config.loginMaxFailures, lockUntil);
    if (row.locked_until && row.locked_until > now) throw this.lockedError(row.locked_until, now);
    throw error;
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
      if (!a?.valid) return undefined;
      return { kind: 'agent', id: a.id, login: a.login, via, ...(a.password_change_required && via === 'session' ? { passwordChangeRequired: true as const } : {}) };
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

