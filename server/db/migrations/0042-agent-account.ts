/**
 * The agent's account (issue 24): `agents.password_change_required`, set when an administrator
 * gives an agent a password that the agent must replace at the next login (the first-login
 * screen); cleared when the agent changes it. Time zone and out-of-office period are preferences
 * (`agent_preferences` keys `timeZone`, `outOfOffice`).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('agents').addColumn('password_change_required', 'boolean', (c) => c.notNull().defaultTo(false)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('agents').dropColumn('password_change_required').execute();
}
