/**
 * Customer accounts from the portal: self-registration and forgotten passwords (the latter for
 * agents too, with links to `/login/reset` instead of `/portal/reset`). Neither tells
 * whether an address is known: both answer the same text either way and do the same hashing work,
 * and what differs goes by mail (queued in the same transaction): a confirmation to a new
 * customer user, a note to the owner of an address that was registered already, the reset link
 * (with `NODE_ENV=development` the link is also written to the log). At most `RESET_MAX_LINKS` links go out per address within `LOGIN_LOCK_MINUTES`; further
 * requests get the same answer and make no link (no mail flood, no token spraying). A
 * self-registered customer user logs in with their email address and belongs to a company
 * of their own (customer id = the address, as OTOBO does) until an admin moves them.
 *
 * @example
 * await registerCustomer(services, { email: 'ann@example.com', firstName: 'Ann', lastName: 'Lee', password: 'a long one 1' });
 * await requestPasswordReset(services, 'ann@example.com');
 * await confirmPasswordReset(services, token, 'another long 2');
 */
import { authRepo } from '../auth/repo';
import { dummyPasswordHash, hashPassword, newSecret, secretHash } from '../auth/secrets';
import { BadRequest, Forbidden, TooManyRequests } from '../errors';
import type { Services } from '../services';
import { queueMail } from '../mail/queue';
import { checkPassword } from './password-policy';
import { readPortalSettings } from './settings';

export interface Registration {
  email: string;
  firstName: string;
  lastName: string;
  password: string;
}

export const REGISTERED_MESSAGE = 'Thank you. If this address was not registered yet, your account is ready: log in with your email address and the password you chose.';
export const RESET_MESSAGE = 'If an account with this address exists, a link to set a new password is on its way. It is valid for one hour.';

/** How long a reset link works. */
export const RESET_TTL_MS = 60 * 60 * 1000;

/** Reset links per address before requests are ignored for `loginLockMinutes`. */
export const RESET_MAX_LINKS = 3;

/** Where customers reach the portal, for links in mails: `PUBLIC_URL`, else this server on localhost. */
const portalUrl = (services: Services) => services.config.mailOut.publicUrl ?? `http://localhost:${services.config.port}`;

const normalEmail = (email: string) => email.trim().toLowerCase();

const isUniqueViolation = (e: unknown) => typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505';

/** The lock time of the throttles here, and the start of the window in which attempts add up. */
function throttleTimes(services: Services, now: Date): { lockUntil: Date; windowStart: Date } {
  const ms = services.config.loginLockMinutes * 60_000;
  return { lockUntil: new Date(now.getTime() + ms), windowStart: new Date(now.getTime() - ms) };
}

/**
 * Registers a customer user (403 `REGISTRATION_DISABLED` when the admin switched it off; 429
 * `TOO_MANY_REGISTRATIONS` after `registrationsPerAddress` from one client address within
 * `loginLockMinutes`, so a script cannot fill the customer table).
 */
export async function registerCustomer(services: Services, r: Registration, meta: { remoteAddr?: string } = {}): Promise<{ message: string }> {
  const db = services.database.db;
  if (!(await readPortalSettings(db)).registrationEnabled) {
    throw new Forbidden('self-registration is switched off; ask the service desk for an account', 'REGISTRATION_DISABLED');
  }
  const max = services.config.registrationsPerAddress;
  if (max > 0) {
    const now = services.now();
    const key = `register:${meta.remoteAddr ?? ''}`;
    const throttle = await authRepo.throttle(db, key);
    if (throttle?.locked_until && throttle.locked_until > now) {
      const seconds = Math.max(1, Math.ceil((throttle.locked_until.getTime() - now.getTime()) / 1000));
      throw new TooManyRequests('too many registrations from this address; try again later', seconds, 'TOO_MANY_REGISTRATIONS');
    }
    const { lockUntil, windowStart } = throttleTimes(services, now);
    await authRepo.recordFailure(db, key, now, max, lockUntil, windowStart);
  }
  checkPassword(r.password, '/password');
  const firstName = r.firstName.trim();
  const lastName = r.lastName.trim();
  if (!firstName) throw new BadRequest('the first name is empty', '/firstName', undefined, 'VALIDATION_FAILED');
  if (!lastName) throw new BadRequest('the last name is empty', '/lastName', undefined, 'VALIDATION_FAILED');
  const email = normalEmail(r.email);
  const hash = await hashPassword(r.password);
  const now = services.now();
  try {
    await db.transaction().execute(async (trx) => {
      const taken = await trx.selectFrom('customer_users').select('id').where((eb) => eb(eb.fn('lower', ['login']), '=', email)).executeTakeFirst();
      if (taken) {
        services.log.info({ customerUserId: taken.id }, 'portal registration for an address that has an account; nothing changed');
        await queueMail(trx, {
          purpose: 'registration',
          to: [email],
          subject: 'Your account at the service desk',
          text: `Hello,\n\nsomeone tried to register a new account with this address at ${portalUrl(services)}/portal. You already have an account: log in with this address, or use "Forgot password" to set a new password.\n\nIf this was not you, you can ignore this mail.\n`,
          auto: true,
        }, { now });
        return;
      }
      await trx
        .insertInto('customer_companies')
        .values({ customer_id: email, name: `${firstName} ${lastName}`, comment: 'registered in the portal', created_at: now, changed_at: now })
        .onConflict((oc) => oc.column('customer_id').doNothing())
        .execute();
      const user = await trx
        .insertInto('customer_users')
        .values({ login: email, email, first_name: firstName, last_name: lastName, customer_id: email, password_hash: hash, can_see_company_tickets: false, created_at: now, changed_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      services.log.info({ customerUserId: user.id }, 'customer user registered in the portal');
      await queueMail(trx, {
        purpose: 'registration',
        to: [email],
        subject: 'Your account at the service desk is ready',
        text: `Hello ${firstName} ${lastName},\n\nyour account is ready. Log in at ${portalUrl(services)}/portal with this address and the password you chose.\n`,
        auto: true,
      }, { now });
    });
  } catch (e) {
    // The same address registered at the same instant: the other registration won; answer alike.
    if (!isUniqueViolation(e)) throw e;
  }
  return { message: REGISTERED_MESSAGE };
}

/** Creates a one-time reset link for a known, valid customer user (or agent); answers the same for any address. */
export async function requestPasswordReset(services: Services, emailInput: string, kind: 'customer' | 'agent' = 'customer'): Promise<{ message: string }> {
  const db = services.database.db;
  const email = normalEmail(emailInput);
  const now = services.now();
  // Counted for every address, known or not, so the answer and its timing say nothing.
  const key = kind === 'customer' ? `reset:${email}` : `reset-agent:${email}`;
  const throttle = await authRepo.throttle(db, key);
  if (throttle?.locked_until && throttle.locked_until > now) {
    services.log.info({ until: throttle.locked_until }, 'password reset requests for one address over the limit; no link made');
    return { message: RESET_MESSAGE };
  }
  const { lockUntil, windowStart } = throttleTimes(services, now);
  await authRepo.recordFailure(db, key, now, RESET_MAX_LINKS, lockUntil, windowStart);
  const user = kind === 'customer'
    ? await db
        .selectFrom('customer_users')
        .select(['id', 'login', 'email', 'first_name', 'last_name'])
        .where((eb) => eb.or([eb(eb.fn('lower', ['login']), '=', email), eb(eb.fn('lower', ['email']), '=', email)]))
        .where('valid', '=', true)
        .where('login_forbidden', '=', false)
        .orderBy('id')
        .executeTakeFirst()
    : await db
        .selectFrom('agents')
        .select(['id', 'login', 'email', 'first_name', 'last_name'])
        .where((eb) => eb.or([eb(eb.fn('lower', ['login']), '=', email), eb(eb.fn('lower', ['email']), '=', email)]))
        .where('valid', '=', true)
        .orderBy('id')
        .executeTakeFirst();
  if (!user) {
    await dummyPasswordHash(); // about the same time as the known-address path
    return { message: RESET_MESSAGE };
  }
  const token = newSecret(32);
  await db.transaction().execute(async (trx) => {
    // One link at a time: a new request retires the older ones.
    await trx.deleteFrom('password_resets').where('subject_kind', '=', kind).where('subject_id', '=', user.id).execute();
    await trx.deleteFrom('password_resets').where('expires_at', '<', now).execute();
    await trx
      .insertInto('password_resets')
      .values({ token_hash: secretHash(token), subject_kind: kind, subject_id: user.id, created_at: now, expires_at: new Date(now.getTime() + RESET_TTL_MS), used_at: null })
      .execute();
    const link = `${portalUrl(services)}${kind === 'customer' ? '/portal/reset' : '/login/reset'}?token=${token}`;
    await queueMail(trx, {
      purpose: 'password-reset',
      to: [user.email || user.login],
      subject: 'Set a new password',
      text: `Hello ${user.first_name} ${user.last_name},\n\nto set a new password for the service desk, open this link within one hour:\n\n${link}\n\nIf you did not ask for it, ignore this mail; your password stays as it is.\n`,
      auto: true,
    }, { now });
  });
  if (services.config.development) {
    services.log.warn({ kind, id: user.id, resetPath: `${kind === 'customer' ? '/portal/reset' : '/login/reset'}?token=${token}` }, 'password reset link (NODE_ENV=development only; it is mailed too)');
  } else {
    services.log.info({ kind, id: user.id }, 'password reset requested; the link is mailed');
  }
  return { message: RESET_MESSAGE };
}

/** Sets a new password with a reset token (400 `INVALID_TOKEN` when unknown, used or expired); ends the user's sessions. */
export async function confirmPasswordReset(services: Services, token: string, password: string, kind: 'customer' | 'agent' = 'customer'): Promise<void> {
  const db = services.database.db;
  const now = services.now();
  const invalid = () => new BadRequest('this link is not valid (any more); ask for a new one', '/token', undefined, 'INVALID_TOKEN');
  const row = await db.selectFrom('password_resets').selectAll().where('token_hash', '=', secretHash(token)).executeTakeFirst();
  if (!row || row.subject_kind !== kind || row.used_at !== null || row.expires_at.getTime() <= now.getTime()) throw invalid();
  checkPassword(password, '/password');
  const hash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    const claimed = await trx
      .updateTable('password_resets')
      .set({ used_at: now })
      .where('token_hash', '=', row.token_hash)
      .where('used_at', 'is', null)
      .returning('subject_id')
      .executeTakeFirst();
    if (!claimed) throw invalid(); // used at the same instant by another request
    await trx.updateTable(row.subject_kind === 'agent' ? 'agents' : 'customer_users').set({ password_hash: hash, changed_at: now }).where('id', '=', row.subject_id).execute();
    await trx.deleteFrom('sessions').where('subject_kind', '=', row.subject_kind).where('subject_id', '=', row.subject_id).execute();
  });
  services.log.info({ kind: row.subject_kind, id: row.subject_id }, 'password reset with a link');
}
