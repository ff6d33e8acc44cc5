/**
 * Two-factor login (issue 24): `two_factor` holds each user's second factor (a TOTP secret or
 * email codes, the last TOTP step used so a code cannot be replayed, and a setup in progress);
 * `recovery_codes` the hashed one-time recovery codes; `trusted_devices` the hashed tokens of
 * browsers remembered for a number of days; `login_challenges` the short-lived step between a
 * right password and the second factor (with the hashed email code, when one was sent).
 */
import { sql, type CreateTableBuilder, type Kysely } from 'kysely';

const subject = (t: CreateTableBuilder<any, any>): CreateTableBuilder<any, any> =>
  t
    .addColumn('subject_kind', 'text', (c) => c.notNull().check(sql`subject_kind in ('agent', 'customer')`))
    .addColumn('subject_id', 'integer', (c) => c.notNull());

export async function up(db: Kysely<any>): Promise<void> {
  await subject(db.schema.createTable('two_factor'))
    .addColumn('method', 'text', (c) => c.check(sql`method in ('totp', 'email')`))
    .addColumn('totp_secret', 'text')
    .addColumn('totp_last_step', 'integer')
    .addColumn('enabled_at', 'timestamptz')
    .addColumn('pending_method', 'text', (c) => c.check(sql`pending_method in ('totp', 'email')`))
    .addColumn('pending_secret', 'text')
    .addColumn('pending_code_hash', 'text')
    .addColumn('pending_expires_at', 'timestamptz')
    .addPrimaryKeyConstraint('two_factor_pk', ['subject_kind', 'subject_id'])
    .execute();

  await subject(db.schema.createTable('recovery_codes').addColumn('id', 'serial', (c) => c.primaryKey()))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('recovery_codes_subject').on('recovery_codes').columns(['subject_kind', 'subject_id']).execute();

  await subject(db.schema.createTable('trusted_devices').addColumn('id', 'serial', (c) => c.primaryKey()))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('user_agent', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('trusted_devices_subject').on('trusted_devices').columns(['subject_kind', 'subject_id']).execute();

  await subject(db.schema.createTable('login_challenges').addColumn('token_hash', 'text', (c) => c.primaryKey()))
    .addColumn('throttle_key', 'text', (c) => c.notNull())
    .addColumn('setup', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('email_code_hash', 'text')
    .addColumn('email_code_expires_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_challenges_expires').on('login_challenges').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['login_challenges', 'trusted_devices', 'recovery_codes', 'two_factor']) await db.schema.dropTable(t).execute();
}
