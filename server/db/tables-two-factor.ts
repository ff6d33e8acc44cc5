/** Kysely types of the two-factor login tables (migration 0031); `DB` in schema.ts extends this. */
import type { Generated } from 'kysely';
import type { NullableTimestamp, Timestamp } from './columns';

export type SecondFactorMethod = 'totp' | 'email';
type SubjectKind = 'agent' | 'customer';

/** A user's second factor, and a setup in progress (`pending_*`). */
export interface TwoFactorTable {
  subject_kind: SubjectKind;
  subject_id: number;
  method: SecondFactorMethod | null;
  totp_secret: string | null;
  /** The last TOTP time step accepted: a code of this step or an earlier one is a replay. */
  totp_last_step: number | null;
  enabled_at: NullableTimestamp;
  pending_method: SecondFactorMethod | null;
  pending_secret: string | null;
  pending_code_hash: string | null;
  pending_expires_at: NullableTimestamp;
}

export interface RecoveryCodesTable {
  id: Generated<number>;
  subject_kind: SubjectKind;
  subject_id: number;
  code_hash: string;
  created_at: Timestamp;
  used_at: NullableTimestamp;
}

export interface TrustedDevicesTable {
  id: Generated<number>;
  subject_kind: SubjectKind;
  subject_id: number;
  token_hash: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  user_agent: Generated<string>;
}

/** Between a right password and the second factor (or the forced setup of one). */
export interface LoginChallengesTable {
  token_hash: string;
  subject_kind: SubjectKind;
  subject_id: number;
  throttle_key: string;
  setup: Generated<boolean>;
  email_code_hash: string | null;
  email_code_expires_at: NullableTimestamp;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface TwoFactorTables {
  two_factor: TwoFactorTable;
  recovery_codes: RecoveryCodesTable;
  trusted_devices: TrustedDevicesTable;
  login_challenges: LoginChallengesTable;
}
