/** Kysely types of the tables for the agent interface (migration 0013); `DB` in schema.ts extends this. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AgentUiTables {}
