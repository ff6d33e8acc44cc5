/**
 * The `admin` agent as every entry point sees it: the server's start and each CLI command that
 * opens the database make sure it exists through `setUpAdmin`, and print what `adminNotice` says,
 * so a generated password is shown by whichever command created the admin, and an `ADMIN_PASSWORD`
 * that no longer applies is never ignored silently. `resetAdminPassword` is
 * `npx helpdesk admin reset-password`.
 */
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { authRepo, type Db } from './repo';
import { generatePassword, hashPassword, verifyPassword } from './secrets';
import { ensureAdmin } from './service';

export interface AdminSetup {
  /** The password generated for a new admin (no `ADMIN_PASSWORD` was set). */
  generatedPassword?: string;
  /** `ADMIN_PASSWORD` is set, the admin existed already and its password is another one. */
  passwordIgnored: boolean;
}

/** Creates the admin when missing; tells whether a set `ADMIN_PASSWORD` was not applied. */
export async function setUpAdmin(db: Db, adminPassword: string | undefined, log?: Logger): Promise<AdminSetup> {
  const created = await ensureAdmin(db, adminPassword, log);
  if (created.created) return { generatedPassword: created.generatedPassword, passwordIgnored: false };
  if (!adminPassword) return { passwordIgnored: false };
  const admin = await authRepo.agentByLogin(db, 'admin');
  const ignored = !!admin && !(await verifyPassword(adminPassword, admin.password_hash));
  if (ignored) log?.warn(IGNORED_LINE);
  return { passwordIgnored: ignored };
}

const IGNORED_LINE =
  'ADMIN_PASSWORD is set but ignored: the agent "admin" already exists with another password ' +
  '(ADMIN_PASSWORD applies only when the admin is created; "npx helpdesk admin reset-password" sets it)';

/** The lines to show a person about the admin (empty when there is nothing to say), indented as the start banner. */
export function adminNotice(setup: AdminSetup): string[] {
  if (setup.generatedPassword) {
    return [
      `  First start: created the agent "admin" with the password ${setup.generatedPassword}`,
      '  (shown only this once; set ADMIN_PASSWORD on first start to choose it)',
    ];
  }
  return setup.passwordIgnored ? [`  ${IGNORED_LINE}`] : [];
}

/**
 * Gives the admin a new password (the one given, else a generated one), creating the admin when
 * missing; ends its sessions and lifts a login lock. Returns the password.
 */
export async function resetAdminPassword(db: Db, password: string | undefined): Promise<{ password: string; generated: boolean }> {
  const pw = password ?? generatePassword();
  await ensureAdmin(db, pw);
  const hash = await hashPassword(pw);
  await db.transaction().execute(async (trx) => {
    const admin = await trx
      .updateTable('agents')
      .set({ password_hash: hash, valid: true, changed_at: new Date() })
      .where(sql`lower(login)`, '=', 'admin')
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.deleteFrom('sessions').where('subject_kind', '=', 'agent').where('subject_id', '=', admin.id).execute();
    await trx.deleteFrom('login_throttle').where('key', '=', 'agent:admin').execute();
  });
  return { password: pw, generated: password === undefined };
}
