/**
 * The one `DB` interface that types every Kysely query. It mirrors what the migrations in
 * `migrations/` create; when a migration changes a table, this file changes with it.
 */
import type { OutboundTables } from './tables-outbound';
import type { IncidentTables } from './tables-incidents';
import type { StatsTables } from './tables-stats';
import type { AgentUiTables } from './tables-agent-ui';
import type { UserTaskTables } from './tables-user-tasks';
import type { PortalTables } from './tables-portal';
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** A timestamptz column: read as Date, written as Date or ISO string, defaulted by the database. */
type CreatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type Permission = 'ro' | 'move_into' | 'create' | 'note' | 'owner' | 'priority' | 'rw';

export interface AgentsTable {
  id: Generated<number>;
  login: string;
  first_name: string;
  last_name: string;
  email: string;
  password_hash: string;
  valid: Generated<boolean>;
  created_at: CreatedAt;
  changed_at: CreatedAt;
}

export interface CustomerCompaniesTable {
  customer_id: string;
  name: string;
  street: Generated<string>;
  zip: Generated<string>;
  city: Generated<string>;
  country: Generated<string>;
  url: Generated<string>;
  comment: Generated<string>;
  valid: Generated<boolean>;
  created_at: CreatedAt;
  changed_at: CreatedAt;
}

export interface CustomerUsersTable {
  id: Generated<number>;
  login: string;
  first_name: string;
  last_name: string;
  email: string;
  phone: Generated<string>;
  customer_id: string;
  password_hash: string | null;
  valid: Generated<boolean>;
  login_forbidden: Generated<boolean>;
  /** May see the tickets of their whole company, not only their own. */
  can_see_company_tickets: Generated<boolean>;
  created_at: CreatedAt;
  changed_at: CreatedAt;
}

export interface GroupsTable {
  id: Generated<number>;
  name: string;
  comment: Generated<string>;
  valid: Generated<boolean>;
  created_at: CreatedAt;
}

export interface RolesTable {
  id: Generated<number>;
  name: string;
  comment: Generated<string>;
  valid: Generated<boolean>;
  created_at: CreatedAt;
}

/** A permission an agent holds on a group directly. */
export interface AgentGroupsTable {
  agent_id: number;
  group_id: number;
  permission: Permission;
}

/** A permission a role holds on a group. */
export interface RoleGroupsTable {
  role_id: number;
  group_id: number;
  permission: Permission;
}

export interface AgentRolesTable {
  agent_id: number;
  role_id: number;
}

export interface QueuesTable {
  id: Generated<number>;
  /** Full name; sub-queues use `::` (`Sales::Europe`). */
  name: string;
  group_id: number;
  comment: Generated<string>;
  /** A customer's reply to a closed ticket: reopens it (`possible`) or is refused (`reject`). */
  follow_up: Generated<'possible' | 'reject'>;
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

export interface SessionsTable {
  /** sha256 of the cookie value; the value itself is never stored. */
  id_hash: string;
  subject_kind: 'agent' | 'customer';
  subject_id: number;
  csrf_token: string;
  created_at: CreatedAt;
  last_seen_at: CreatedAt;
  expires_at: Timestamp;
  user_agent: Generated<string>;
  remote_addr: Generated<string>;
}

export interface ApiTokensTable {
  id: Generated<number>;
  agent_id: number;
  name: string;
  /** sha256 of the token; the token is shown once at creation and never stored. */
  token_hash: string;
  /** First characters of the token, so a person can tell tokens apart in a list. */
  prefix: string;
  created_at: CreatedAt;
  last_used_at: NullableTimestamp;
  expires_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

/** Failed logins per login name (known or not), for throttling and lock-out. */
export interface LoginThrottleTable {
  key: string;
  failures: number;
  last_failure_at: Timestamp;
  locked_until: NullableTimestamp;
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

/** Per-day counter behind date-based ticket numbers; `day` is `YYYYMMDD`. */
export interface TicketCountersTable {
  day: string;
  counter: number;
}

export interface TicketsTable {
  id: Generated<number>;
  /** The ticket number, e.g. `2026112110000016`. */
  tn: string;
  title: string;
  queue_id: number;
  state_id: number;
  priority_id: number;
  type_id: number;
  service_id: number | null;
  sla_id: number | null;
  locked: Generated<boolean>;
  owner_id: number | null;
  responsible_id: number | null;
  /** Customer company id (`customer_companies.customer_id`), not enforced: OTOBO allows free ids. */
  customer_id: string | null;
  customer_user_id: number | null;
  pending_until: NullableTimestamp;
  archived: Generated<boolean>;
  merged_into_id: number | null;
  created_at: CreatedAt;
  created_by_agent_id: number | null;
  created_by_customer_user_id: number | null;
  changed_at: CreatedAt;
}

export type ArticleChannel = 'email' | 'phone' | 'note' | 'portal' | 'chat' | 'internal';
export type SenderType = 'agent' | 'customer' | 'system';
export type Direction = 'incoming' | 'outgoing' | 'internal';

export interface ArticlesTable {
  id: Generated<number>;
  ticket_id: number;
  channel: ArticleChannel;
  sender_type: SenderType;
  direction: Direction;
  visible_for_customer: Generated<boolean>;
  from_addr: Generated<string>;
  to_addr: Generated<string>;
  cc_addr: Generated<string>;
  subject: Generated<string>;
  /** Plain-text body (for HTML articles: the text rendering, used by search and text clients). */
  body_text: Generated<string>;
  /** Sanitised HTML body, when the article has one. */
  body_html: string | null;
  important: Generated<boolean>;
  /** numeric: arrives as a string from the driver. */
  time_units: ColumnType<string, number | string | undefined, number | string>;
  /** Set when a merge moved the article here from another ticket. */
  original_ticket_id: number | null;
  created_at: CreatedAt;
  created_by_agent_id: number | null;
  created_by_customer_user_id: number | null;
}

export interface AttachmentsTable {
  id: Generated<number>;
  article_id: number;
  /** 1-based position within the article (`/articles/{id}/attachments/{n}`). */
  position: number;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  content: Uint8Array;
  inline: Generated<boolean>;
  content_id: string | null;
  created_at: CreatedAt;
}

/** An article an agent has seen (read/unread per agent). */
export interface ArticleFlagsTable {
  article_id: number;
  agent_id: number;
  seen_at: CreatedAt;
}

export interface TicketWatchersTable {
  ticket_id: number;
  agent_id: number;
  created_at: CreatedAt;
}

export interface TicketLinksTable {
  id: Generated<number>;
  /** For parent-child: the parent. */
  source_ticket_id: number;
  /** For parent-child: the child. */
  target_ticket_id: number;
  type: 'normal' | 'parent-child';
  created_at: CreatedAt;
  created_by_agent_id: number | null;
}

export interface TicketHistoryTable {
  id: ColumnType<string, never, never>;
  ticket_id: number;
  article_id: number | null;
  /** OTRS history type: NewTicket, StateUpdate, Move, OwnerUpdate, Lock, AddNote, Merged, ... */
  type: string;
  field: string | null;
  old_value: string | null;
  new_value: string | null;
  message: Generated<string>;
  data: ColumnType<unknown, string | null | undefined, string | null>;
  actor_kind: 'agent' | 'customer' | 'system';
  actor_id: number | null;
  created_at: CreatedAt;
}

export type DynamicFieldType = 'text' | 'textarea' | 'dropdown' | 'multiselect' | 'checkbox' | 'date' | 'datetime' | 'integer';

export interface DynamicFieldsTable {
  id: Generated<number>;
  /** Letters and digits only (OTOBO's rule); referenced as `DynamicField_<Name>`. */
  name: string;
  label: string;
  field_type: DynamicFieldType;
  object_type: 'ticket' | 'article';
  /** Type-specific settings: possibleValues, defaultValue, regex, min, max, maxLength ... (jsonb). */
  config: ColumnType<Record<string, unknown>, string | undefined, string>;
  /** Hidden from the UI (the engine keeps its own data in such fields). */
  internal: Generated<boolean>;
  /** Shown in the customer portal (new tickets, a customer's view of a ticket). */
  customer_visible: Generated<boolean>;
  field_order: Generated<number>;
  valid: Generated<boolean>;
  created_at: CreatedAt;
  changed_at: CreatedAt;
}

export interface DynamicFieldValuesTable {
  field_id: number;
  /** Ticket id or article id, by the field's object type. */
  object_id: number;
  value: ColumnType<unknown, string, string>;
  /** Denormalised for indexed search: text/dropdown/multiselect(joined)/date strings. */
  value_text: string | null;
  /** integer and checkbox (0/1) values; numeric arrives as a string. */
  value_num: ColumnType<string | null, number | string | null, number | string | null>;
  value_date: NullableTimestamp;
}

/** One full-text document per ticket: title, article subjects and bodies. */
export interface TicketSearchTable {
  ticket_id: number;
  document: ColumnType<string, unknown, unknown>;
  content: string;
}

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

export interface DB extends OutboundTables, IncidentTables, StatsTables, AgentUiTables, UserTaskTables, PortalTables {
  agents: AgentsTable;
  customer_companies: CustomerCompaniesTable;
  customer_users: CustomerUsersTable;
  groups: GroupsTable;
  roles: RolesTable;
  agent_groups: AgentGroupsTable;
  role_groups: RoleGroupsTable;
  agent_roles: AgentRolesTable;
  queues: QueuesTable;
  state_types: StateTypesTable;
  states: StatesTable;
  priorities: PrioritiesTable;
  ticket_types: TicketTypesTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  login_throttle: LoginThrottleTable;
  services: ServicesTable;
  slas: SlasTable;
  ticket_counters: TicketCountersTable;
  tickets: TicketsTable;
  articles: ArticlesTable;
  attachments: AttachmentsTable;
  article_flags: ArticleFlagsTable;
  ticket_watchers: TicketWatchersTable;
  ticket_links: TicketLinksTable;
  ticket_history: TicketHistoryTable;
  dynamic_fields: DynamicFieldsTable;
  dynamic_field_values: DynamicFieldValuesTable;
  ticket_search: TicketSearchTable;
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

export type Agent = Selectable<AgentsTable>;
export type NewAgent = Insertable<AgentsTable>;
export type AgentUpdate = Updateable<AgentsTable>;
export type CustomerUser = Selectable<CustomerUsersTable>;
export type Session = Selectable<SessionsTable>;
export type ApiToken = Selectable<ApiTokensTable>;
