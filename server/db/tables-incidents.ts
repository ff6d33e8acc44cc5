/** Kysely types of the tables for incidents, child instances, timers (migration 0011); `DB` in schema.ts extends this. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface IncidentTables {}
