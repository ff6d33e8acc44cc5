/**
 * Kysely types of the ticket catalogue: queues, state types and states, priorities, ticket types,
 * services and SLAs. `DB` in schema.ts extends `CatalogueTables`.
 */
import type { Generated } from 'kysely';
import type { CreatedAt } from './columns';

export interface QueuesTable {
  id: Generated<number>;
  /** Full name; sub-queues use `::` (`Sales::Europe`). */
  name: string;
  group_id: number;
  comment: Generated<string>;
  /** A customer's reply to a closed ticket: reopens it (`possible`), is refused (`reject`) or opens a new ticket (`new_ticket`, mail only). */
  follow_up: Generated<'possible' | 'reject' | 'new_ticket'>;
  /** Minutes after which a locked ticket nobody changed is unlocked (null: never; migration 0024). */
  unlock_timeout: Generated<number | null>;
  valid: Generated<boolean>;
  created_at: CreatedAt;
}

export interface StateTypesTable {
  id: Generated<number>;
  name: string;
}

export interface StatesTable {
  id: Generated<number>;
  name: string;
  type_id: number;
  comment: Generated<string>;
  valid: Generated<boolean>;
}

export interface PrioritiesTable {
  id: Generated<number>;
  name: string;
  valid: Generated<boolean>;
}

export interface TicketTypesTable {
  id: Generated<number>;
  name: string;
  valid: Generated<boolean>;
}

export interface ServicesTable {
  id: Generated<number>;
  /** Full name; sub-services use `::`. */
  name: string;
  comment: Generated<string>;
  valid: Generated<boolean>;
  created_at: CreatedAt;
}

export interface SlasTable {
  id: Generated<number>;
  name: string;
  first_response_minutes: number | null;
  update_minutes: number | null;
  solution_minutes: number | null;
  comment: Generated<string>;
  valid: Generated<boolean>;
  created_at: CreatedAt;
}

export interface CatalogueTables {
  queues: QueuesTable;
  state_types: StateTypesTable;
  states: StatesTable;
  priorities: PrioritiesTable;
  ticket_types: TicketTypesTable;
  services: ServicesTable;
  slas: SlasTable;
}
