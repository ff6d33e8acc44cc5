/** Kysely types of the tables for outbound web services (migration 0010); `DB` in schema.ts extends this. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface OutboundTables {}
