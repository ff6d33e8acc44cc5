/** Kysely types of the tables for incidents and timers (migration 0011); `DB` in schema.ts extends this. */
import type { ColumnType, Generated } from 'kysely';
import type { NullableTimestamp, Timestamp } from './columns';

/** One incident of one token: open while `resolved_at` is null. */
export interface ProcessIncidentsTable {
  /** bigint: arrives as a string from the driver. */
  id: ColumnType<string, never, never>;
  instance_id: number;
  /** The top-most ancestor instance (the instance itself for a root instance). */
  root_instance_id: number;
  ticket_id: number;
  process_key: string;
  process_version: number;
  token: string;
  node: string;
  /** `SCRIPT_ERROR`, `ACTION_FAILED`, `CONDITION_ERROR`, `SERVICE_ERROR`, ... */
  code: string;
  message: string;
  details: ColumnType<unknown, string | null | undefined, string | null>;
  raised_at: Timestamp;
  resolved_at: NullableTimestamp;
  /** retry, skip, cancel, caught, superseded, or the event that made a condition hold. */
  resolved_how: Generated<string | null>;
  /** The login (or `system`) that resolved it. */
  resolved_by: Generated<string | null>;
}

export interface IncidentTables {
  process_incidents: ProcessIncidentsTable;
}
