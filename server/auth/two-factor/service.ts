/**
 * Second factors of agents and customer users: TOTP (an authenticator app) or codes by email,
 * one-time recovery codes, remembered browsers ("trusted devices") and the short-lived login
 * challenge between a right password and the second factor. Setting a factor up always ends with
 * a code the user typed (the initial verification); codes are checked against replay (a TOTP step
 * is accepted once, an email code and a recovery code once). Knows nothing about HTTP; the login
 * itself, with its throttle, stays in `AuthService`.
 */
import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { Access } from '../../access/access';
import type { DB } from '../../db/schema';
import type { SecondFactorMethod } from '../../db/tables-two-factor';
import { BadRequest, Conflict } from '../../errors';
import { queueMail } from '../../mail/queue';
import type { Actor } from '../actor';
import { newSecret, secretHash } from '../secrets';
import { readTwoFactorPolicy, type TwoFactorPolicy } from './policy';
import { checkTotp, newTotpSecret, qrDataUri, totpUri } from './totp';

export interface Subject {
  kind: Actor['kind'];
  id: number;
}

/** What the caller offered as second factor. */
export interface SecondFactorInput {
  /** A TOTP code, an email code, or (GI `TwoFactorToken`) a recovery code. */
  code?: string;
  recoveryCode?: string;
  /** The value of the trusted-device cookie. */
  trustedToken?: string;
}

export interface SetupStart {
  method: SecondFactorMethod;
  /** TOTP: the secret (for typing in), the otpauth URI and its QR code as PNG data URI. */
  secret?: string;
  uri?: string;
  qr?: string;
  /** Email: where the code went. */
  sentTo?: string;
}

const MINUTE = 60_000;
export const CHALLENGE_TTL_MS = 10 * MINUTE;
export const EMAIL_CODE_TTL_MS = 10 * MINUTE;
export const RECOVERY_CODE_COUNT = 10;

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const normalRecovery = (code: string) => code.toLowerCase().replace(/[^a-z0-9]/g, '');
const looksLikeRecovery = (code: string) => normalRecovery(code).length === 10 && !/^\d+$/.test(normalRecovery(code));

function newRecoveryCode(): string {
  const chars = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]);
  return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`;
}

const newEmailCode = () => String(randomInt(0, 1_000_000)).padStart(6, '0');

export class TwoFactorService {
  constructor(private readonly deps: { db: Kysely<DB>; now: () => Date; issuer?: string }) {}

  private get db() {
    return this.deps.db;
  }

  private row(s: Subject) {
    return this.db.selectFrom('two_factor').selectAll().where('subject_kind', '=', s.kind).where('subject_id', '=', s.id).executeTakeFirst();
  }

  policy(): Promise<TwoFactorPolicy> {
    return readTwoFactorPolicy(this.db);
  }

  /** The active method of the user, or null without a second factor. */
  async methodOf(s: Subject): Promise<SecondFactorMethod | null> {
    return (await this.row(s))?.method ?? null;
  }

  /** Whether the policy makes this user set up a second factor. */
  async isRequired(actor: Actor, policy?: TwoFactorPolicy): Promise<boolean> {
    const p = policy ?? (await this.policy());
    if (actor.kind === 'customer') return p.requireCustomers;
    if (p.requireAgents) return true;
    return p.requireAdmins && (await new Access(this.db, actor).isAdmin());
  }

  async status(actor: Actor) {
    const s = { kind: actor.kind, id: actor.id };
    const now = this.deps.now();
    const [row, policy, codes, devices] = await Promise.all([
      this.row(s),
      this.policy(),
      this.db.selectFrom('recovery_codes').select((eb) => eb.fn.countAll<string>().as('n')).where('subject_kind', '=', s.kind).where('subject_id', '=', s.id).where('used_at', 'is', null).executeTakeFirstOrThrow(),
      this.db.selectFrom('trusted_devices').select((eb) => eb.fn.countAll<string>().as('n')).where('subject_kind', '=', s.kind).where('subject_id', '=', s.id).where('expires_at', '>', now).executeTakeFirstOrThrow(),
    ]);
    return {
      method: row?.method ?? null,
      enabledAt: row?.enabled_at ?? null,
      required: await this.isRequired(actor, policy),
      recoveryCodesLeft: Number(codes.n),
      trustedDevices: Number(devices.n),
      trustedDeviceDays: policy.trustedDeviceDays,
    };
  }

  private async emailOf(s: Subject): Promise<{ email: string; name: string; login: string }> {
    const table = s.kind === 'agent' ? 'agents' : 'customer_users';
    const u = await this.db.selectFrom(table).select(['email', 'first_name', 'last_name', 'login']).where('id', '=', s.id).executeTakeFirstOrThrow();
    return { email: u.email, name: `${u.first_name} ${u.last_name}`.trim(), login: u.login };
  }

  private async mailCode(s: Subject, code: string, why: string): Promise<string> {
    const who = await this.emailOf(s);
    if (!who.email) throw new BadRequest('your account has no email address; ask an administrator to add one, or use an authenticator app', '/method', undefined, 'NO_EMAIL_ADDRESS');
    await queueMail(this.db, {
      purpose: 'two-factor',
      to: [who.email],
      subject: `Your login code: ${code}`,
      text: `Hello ${who.name || who.login},\n\nyour code ${why} is:\n\n    ${code}\n\nIt is valid for ${EMAIL_CODE_TTL_MS / MINUTE} minutes and works once. If you did not try to log in, change your password: someone knows it.\n`,
      auto: true,
    }, { now: this.deps.now() });
    return who.email;
  }

  /** Starts setting up `method` (replacing a setup in progress); the factor is active only after `confirmSetup`. */
  async beginSetup(s: Subject, method: SecondFactorMethod): Promise<SetupStart> {
    const now = this.deps.now();
    const expires = new Date(now.getTime() + EMAIL_CODE_TTL_MS);
    if (method === 'totp') {
      const secret = newTotpSecret();
      await this.upsertPending(s, { pending_method: 'totp', pending_secret: secret, pending_code_hash: null, pending_expires_at: null });
      const uri = totpUri(secret, this.deps.issuer ?? 'Helpdesk', (await this.emailOf(s)).login);
      return { method, secret, uri, qr: await qrDataUri(uri) };
    }
    const code = newEmailCode();
    const sentTo = await this.mailCode(s, code, 'to switch on login codes by mail');
    await this.upsertPending(s, { pending_method: 'email', pending_secret: null, pending_code_hash: secretHash(code), pending_expires_at: expires });
    return { method, sentTo };
  }

  private async upsertPending(s: Subject, pending: { pending_method: SecondFactorMethod; pending_secret: string | null; pending_code_hash: string | null; pending_expires_at: Date | null }) {
    await this.db
      .insertInto('two_factor')
      .values({ subject_kind: s.kind, subject_id: s.id, ...pending })
      .onConflict((oc) => oc.columns(['subject_kind', 'subject_id']).doUpdateSet(pending))
      .execute();
  }

  /**
   * Finishes the setup with the first code (400 `INVALID_CODE` when wrong, 409 `NO_SETUP` without
   * one in progress): the method becomes active, fresh recovery codes are made and returned once.
   */
  async confirmSetup(s: Subject, code: string): Promise<{ method: SecondFactorMethod; recoveryCodes: string[] }> {
    const now = this.deps.now();
    const row = await this.row(s);
    if (!row?.pending_method) throw new Conflict('no two-factor setup is in progress; start one first', '/code', 'NO_SETUP');
    let step: number | null = null;
    if (row.pending_method === 'totp') {
      step = checkTotp(row.pending_secret!, code, now);
      if (step === null) throw new BadRequest('the code is wrong; check the time on your phone and type the code shown now', '/code', undefined, 'INVALID_CODE');
    } else if (!row.pending_code_hash || !row.pending_expires_at || row.pending_expires_at <= now || secretHash(code.trim()) !== row.pending_code_hash) {
      throw new BadRequest('the code is wrong or has expired; ask for a new one', '/code', undefined, 'INVALID_CODE');
    }
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('two_factor')
        .set({ method: row.pending_method, totp_secret: row.pending_method === 'totp' ? row.pending_secret : null, totp_last_step: step, enabled_at: now, pending_method: null, pending_secret: null, pending_code_hash: null, pending_expires_at: null })
        .where('subject_kind', '=', s.kind)
        .where('subject_id', '=', s.id)
        .execute();
      await this.storeRecoveryCodes(trx, s, codes, now);
    });
    return { method: row.pending_method, recoveryCodes: codes };
  }

  private async storeRecoveryCodes(db: Kysely<DB>, s: Subject, codes: string[], now: Date) {
    await db.deleteFrom('recovery_codes').where('subject_kind', '=', s.kind).where('subject_id', '=', s.id).execute();
    await db
      .insertInto('recovery_codes')
      .values(codes.map((c) => ({ subject_kind: s.kind, subject_id: s.id, code_hash: secretHash(normalRecovery(c)), created_at: now })))
      .execute();
  }

  /** New recovery codes, replacing the old ones (409 `NO_SECOND_FACTOR` without an active factor). */
  async renewRecoveryCodes(s: Subject): Promise<string[]> {
    if (!(await this.methodOf(s))) throw new Conflict('two-factor login is not switched on', undefined, 'NO_SECOND_FACTOR');
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await this.db.transaction().execute((trx) => this.storeRecoveryCodes(trx, s, codes, this.deps.now()));
    return codes;
  }

  /** Switches the second factor off: factor, recovery codes and remembered devices go. */
  async disable(s: Subject): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const t of ['two_factor', 'recovery_codes', 'trusted_devices'] as const) {
        await trx.deleteFrom(t).where('subject_kind', '=', s.kind).where('subject_id', '=', s.id).execute();
      }
    });
  }

  /**
   * Checks a second factor: a TOTP code of an unused step, the email code of `challenge`, or an
   * unused recovery code (each used up by a success). False when wrong or replayed.
   */
  async verify(s: Subject, input: SecondFactorInput, challenge?: { token_hash: string; email_code_hash: string | null; email_code_expires_at: Date | null }): Promise<boolean> {
    const now = this.deps.now();
    const row = await this.row(s);
    if (!row?.method) return false;
    const recovery = input.recoveryCode ?? (input.code && looksLikeRecovery(input.code) ? input.code : undefined);
    if (recovery) {
      const used = await this.db
        .updateTable('recovery_codes')
        .set({ used_at: now })
        .where('subject_kind', '=', s.kind)
        .where('subject_id', '=', s.id)
        .where('code_hash', '=', secretHash(normalRecovery(recovery)))
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return used.numUpdatedRows > 0n;
    }
    const code = (input.code ?? '').replace(/\s+/g, '');
    if (!code) return false;
    if (row.method === 'totp') {
      const step = checkTotp(row.totp_secret!, code, now);
      if (step === null) return false;
      // Accept each step once: a code seen before (here or by a parallel request) is a replay.
      const claimed = await this.db
        .updateTable('two_factor')
        .set({ totp_last_step: step })
        .where('subject_kind', '=', s.kind)
        .where('subject_id', '=', s.id)
        .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
        .executeTakeFirst();
      return claimed.numUpdatedRows > 0n;
    }
    if (!challenge?.email_code_hash || !challenge.email_code_expires_at || challenge.email_code_expires_at <= now) return false;
    if (secretHash(code) !== challenge.email_code_hash) return false;
    const claimed = await this.db
      .updateTable('login_challenges')
      .set({ email_code_hash: null })
      .where('token_hash', '=', challenge.token_hash)
      .where('email_code_hash', '=', challenge.email_code_hash)
      .executeTakeFirst();
    return claimed.numUpdatedRows > 0n;
  }

  /** Opens a login challenge (and mails a code when the user's method is email); returns its token. */
  async openChallenge(s: Subject, throttleKey: string, setup: boolean): Promise<{ token: string; expiresAt: Date; method: SecondFactorMethod | null }> {
    const now = this.deps.now();
    const token = newSecret(32);
    const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_MS);
    await this.db.deleteFrom('login_challenges').where('expires_at', '<=', now).execute();
    await this.db
      .insertInto('login_challenges')
      .values({ token_hash: secretHash(token), subject_kind: s.kind, subject_id: s.id, throttle_key: throttleKey, setup, created_at: now, expires_at: expiresAt })
      .execute();
    const method = setup ? null : await this.methodOf(s);
    if (method === 'email') await this.sendChallengeCode(token);
    return { token, expiresAt, method };
  }

  /** The live challenge behind `token`, or undefined. */
  async challenge(token: string) {
    const row = await this.db.selectFrom('login_challenges').selectAll().where('token_hash', '=', secretHash(token)).executeTakeFirst();
    return row && row.expires_at > this.deps.now() ? row : undefined;
  }

  async closeChallenge(tokenHash: string): Promise<void> {
    await this.db.deleteFrom('login_challenges').where('token_hash', '=', tokenHash).execute();
  }

  /** Mails a (new) code for the challenge; the previous one stops working. */
  async sendChallengeCode(token: string): Promise<string> {
    const ch = await this.challenge(token);
    if (!ch) throw new BadRequest('this login has expired; enter your password again', '/challenge', undefined, 'INVALID_CHALLENGE');
    const code = newEmailCode();
    const now = this.deps.now();
    const sentTo = await this.mailCode({ kind: ch.subject_kind, id: ch.subject_id }, code, 'to log in');
    await this.db
      .updateTable('login_challenges')
      .set({ email_code_hash: secretHash(code), email_code_expires_at: new Date(now.getTime() + EMAIL_CODE_TTL_MS) })
      .where('token_hash', '=', ch.token_hash)
      .execute();
    return sentTo;
  }

  /** Remembers this browser for the policy's days; returns the cookie value (stored only as hash). */
  async trustDevice(s: Subject, days: number, userAgent: string): Promise<{ token: string; expiresAt: Date }> {
    const now = this.deps.now();
    const token = newSecret(32);
    const expiresAt = new Date(now.getTime() + days * 24 * 60 * MINUTE);
    await this.db
      .insertInto('trusted_devices')
      .values({ subject_kind: s.kind, subject_id: s.id, token_hash: secretHash(token), created_at: now, expires_at: expiresAt, user_agent: userAgent.slice(0, 500) })
      .execute();
    return { token, expiresAt };
  }

  /** Whether `token` remembers this user's browser and has not expired or been revoked. */
  async isTrusted(s: Subject, token: string | undefined, policy: TwoFactorPolicy): Promise<boolean> {
    if (!token || policy.trustedDeviceDays <= 0) return false;
    const row = await this.db
      .selectFrom('trusted_devices')
      .select('expires_at')
      .where('token_hash', '=', secretHash(token))
      .where('subject_kind', '=', s.kind)
      .where('subject_id', '=', s.id)
      .executeTakeFirst();
    return !!row && row.expires_at > this.deps.now();
  }

  /** Forgets every remembered browser of the user; returns how many. */
  async revokeTrustedDevices(s: Subject): Promise<number> {
    const res = await this.db.deleteFrom('trusted_devices').where('subject_kind', '=', s.kind).where('subject_id', '=', s.id).executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
