/** Kysely types of the tables for process monitoring (migration 0012); `DB` in schema.ts extends this. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface StatsTables {}
