/** Kysely types of the portal's tables (migration 0016); `DB` in schema.ts extends this. */
import type { ColumnType } from 'kysely';
import type { CreatedAt, Timestamp } from './columns';

/** A named group of settings as one JSON value (`portal`). */
export interface SettingsTable {
  key: string;
  value: ColumnType<unknown, string, string>;
  changed_at: CreatedAt;
  changed_by: number | null;
}

/** A one-time password-reset token, kept as its SHA-256 only. */
export interface PasswordResetsTable {
  token_hash: string;
  subject_kind: 'agent' | 'customer';
  subject_id: number;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface PortalTables {
  settings: SettingsTable;
  password_resets: PasswordResetsTable;
}
