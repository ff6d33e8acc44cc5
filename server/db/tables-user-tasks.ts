/** Kysely types of the open user tasks (migration 0015); `DB` in schema.ts extends this. */
import type { Timestamp } from './columns';

/** One token waiting at a user task, with the assignment the engine resolved when it opened. */
export interface ProcessUserTasksTable {
  instance_id: number;
  token: string;
  node: string;
  ticket_id: number;
  name: string | null;
  /** `agent`, `customer`: who may answer the dialog. */
  interfaces: string[];
  /** An agent login. */
  assign_agent: string | null;
  /** A role name. */
  assign_role: string | null;
  /** A queue's full name (`Sales::Europe`). */
  assign_queue: string | null;
  opened_at: Timestamp;
}

export interface UserTaskTables {
  process_user_tasks: ProcessUserTasksTable;
}
