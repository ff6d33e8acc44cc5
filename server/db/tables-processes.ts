/**
 * Kysely types of the process tables: process drafts and deployed versions, Generic Interface web
 * services and their debug log, library scripts, process instances and their log, and the job
 * queue. `DB` in schema.ts extends `ProcessTables`.
 */
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, NullableTimestamp } from './columns';

export type ProcessState = 'active' | 'inactive' | 'fadeaway';

/** A process key with its editable draft (may be invalid while work is in progress). */
export interface ProcessesTable {
  key: string;
  name: string;
  draft: ColumnType<unknown, string | null | undefined, string | null>;
  draft_changed_at: NullableTimestamp;
  draft_changed_by: number | null;
  created_at: CreatedAt;
  created_by: number | null;
}

/** An immutable deployed version of a process. */
export interface ProcessVersionsTable {
  key: string;
  version: number;
  name: string;
  definition: ColumnType<unknown, string, never>;
  state: ProcessState;
  /** sha256 of the canonical JSON. */
  checksum: string;
  deployed_at: CreatedAt;
  deployed_by: number | null;
}

export type WebserviceEnvelope = 'otobo' | 'success-data';
export type DebugLevel = 'debug' | 'info' | 'notice' | 'error';

/** A Generic Interface web service: operations mapped to routes (see `generic-interface/`). */
export interface WebservicesTable {
  id: Generated<number>;
  name: string;
  description: Generated<string>;
  valid: Generated<boolean>;
  /** `otobo`: success bodies are the data, errors `{"Error": {...}}`; `success-data`: `{"Success", "ErrorMessage", "Data"}`. */
  envelope: Generated<WebserviceEnvelope>;
  /** Exchanges at this level or above are kept in the debugger log. */
  debug_level: Generated<DebugLevel>;
  /** Most debugger entries kept for this service (oldest pruned). */
  debug_retention: Generated<number>;
  /** Largest request body accepted (OTOBO's transport `MaxLength`); null: the server's limit. */
  max_length: number | null;
  /** `{ operations: {Name: {type, description, includeTicketData}}, routes: [{route, methods, operation}] }` (jsonb). */
  config: ColumnType<unknown, string, string>;
  created_at: CreatedAt;
  changed_at: CreatedAt;
  created_by: number | null;
  changed_by: number | null;
}

/** One request/response exchange of a web service, secrets masked. */
export interface WebserviceDebugLogTable {
  id: ColumnType<string, never, never>;
  webservice_id: number;
  created_at: CreatedAt;
  request_id: string;
  remote_addr: Generated<string>;
  operation: string | null;
  level: DebugLevel;
  summary: string;
  status: number;
  request: ColumnType<unknown, string, never>;
  response: ColumnType<unknown, string, never>;
}

// ---- process engine (0009) ----------------------------------------------------------------

/** A library script: its name and the latest of its immutable versions. */
export interface ScriptsTable {
  name: string;
  description: Generated<string>;
  latest_version: number;
  created_at: CreatedAt;
  created_by: number | null;
  changed_at: CreatedAt;
}

export interface ScriptVersionsTable {
  name: string;
  version: number;
  source: string;
  created_at: CreatedAt;
  created_by: number | null;
}

export type InstanceStatusColumn = 'running' | 'incident' | 'completed' | 'cancelled';

/** A process instance; `state` is the engine's `InstanceState` (jsonb). */
export interface ProcessInstancesTable {
  id: Generated<number>;
  ticket_id: number;
  process_key: string;
  process_version: number;
  parent_instance_id: number | null;
  /** Call activities (0014): the parent's token and run id this child answers. */
  parent_token: Generated<string | null>;
  parent_run: Generated<string | null>;
  status: InstanceStatusColumn;
  state: ColumnType<unknown, string, string>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
  completed_at: Date | null;
}

/** One entry of an instance's own log (every path entry of every step, plus effects). */
export interface ProcessInstanceLogTable {
  id: ColumnType<string, never, never>;
  instance_id: number;
  at: Date;
  kind: string;
  node: string | null;
  transition: string | null;
  message: Generated<string>;
  data: ColumnType<unknown, string | null, never>;
  actor: string | null;
}

export type JobStatus = 'ready' | 'running' | 'done' | 'failed';

/** Work to run outside a request; `key` makes inserting the same work twice a no-op. */
export interface JobsTable {
  id: ColumnType<string, never, never>;
  kind: string;
  instance_id: number | null;
  key: string;
  payload: ColumnType<unknown, string, string>;
  status: Generated<JobStatus>;
  run_at: CreatedAt;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  lease_until: Date | null;
  locked_by: string | null;
  last_error: string | null;
  created_at: CreatedAt;
  finished_at: Date | null;
}

export interface ProcessTables {
  processes: ProcessesTable;
  process_versions: ProcessVersionsTable;
  webservices: WebservicesTable;
  webservice_debug_log: WebserviceDebugLogTable;
  scripts: ScriptsTable;
  script_versions: ScriptVersionsTable;
  process_instances: ProcessInstancesTable;
  process_instance_log: ProcessInstanceLogTable;
  jobs: JobsTable;
}
