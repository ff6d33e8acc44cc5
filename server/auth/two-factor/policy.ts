/**
 * The administrator's two-factor policy, kept as one JSON row (`settings.key = 'twoFactor'`):
 * whether a second factor is required for agents, for administrators, for customer users, and for
 * how many days a browser may be remembered ("trust this device"; 0 switches it off). Missing keys
 * fall back to the defaults (everything optional, no remembered devices).
 *
 * @example
 * await writeTwoFactorPolicy(db, { requireAgents: true, trustedDeviceDays: 30 }, adminId, now);
 * const p = await readTwoFactorPolicy(db); // { requireAgents: true, requireAdmins: false, ... }
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';

export interface TwoFactorPolicy {
  requireAgents: boolean;
  requireAdmins: boolean;
  requireCustomers: boolean;
  /** Days a browser is remembered after a login with a second factor; 0: never. */
  trustedDeviceDays: number;
}

export const POLICY_DEFAULTS: TwoFactorPolicy = { requireAgents: false, requireAdmins: false, requireCustomers: false, trustedDeviceDays: 0 };

const KEY = 'twoFactor';

const flag = { type: 'boolean' } as const;
const days = { type: 'integer', minimum: 0, maximum: 365, description: 'days a browser is remembered after a login with a second factor; 0: never' } as const;

export const policyBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: { requireAgents: flag, requireAdmins: flag, requireCustomers: flag, trustedDeviceDays: days },
} as const;

export const policyView = {
  type: 'object',
  additionalProperties: false,
  required: ['requireAgents', 'requireAdmins', 'requireCustomers', 'trustedDeviceDays'],
  properties: policyBody.properties,
} as const;

export async function readTwoFactorPolicy(db: Kysely<DB>): Promise<TwoFactorPolicy> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
  const stored = (typeof row?.value === 'string' ? JSON.parse(row.value) : (row?.value ?? {})) as Partial<TwoFactorPolicy>;
  return { ...POLICY_DEFAULTS, ...stored };
}

export async function writeTwoFactorPolicy(db: Kysely<DB>, patch: Partial<TwoFactorPolicy>, by: number, now: Date): Promise<TwoFactorPolicy> {
  return db.transaction().execute(async (trx) => {
    await trx.insertInto('settings').values({ key: KEY, value: '{}', changed_at: now, changed_by: by }).onConflict((oc) => oc.column('key').doNothing()).execute();
    const row = await trx.selectFrom('settings').select('value').where('key', '=', KEY).forUpdate().executeTakeFirstOrThrow();
    const stored = (typeof row.value === 'string' ? JSON.parse(row.value) : (row.value ?? {})) as Partial<TwoFactorPolicy>;
    const next = { ...stored, ...patch };
    await trx.updateTable('settings').set({ value: JSON.stringify(next), changed_at: now, changed_by: by }).where('key', '=', KEY).execute();
    return { ...POLICY_DEFAULTS, ...next };
  });
}
