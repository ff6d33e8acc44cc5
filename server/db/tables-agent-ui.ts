/** Kysely types of the tables for the agent interface (migration 0013); `DB` in schema.ts extends this. */
import type { ColumnType } from 'kysely';

/** One preference of one agent (`dateFormat`, `myQueues`, `dashboard`, `columns`, `notifications` …). */
export interface AgentPreferencesTable {
  agent_id: number;
  key: string;
  /** JSON value; jsonb arrives parsed, is written as a JSON string. */
  value: ColumnType<unknown, string, string>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface AgentUiTables {
  agent_preferences: AgentPreferencesTable;
}
