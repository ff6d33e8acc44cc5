/**
 * Kysely types of the identity tables: agents, customer companies and users, groups, roles and the
 * permissions between them, sessions, API tokens and the login throttle. `DB` in schema.ts extends
 * `IdentityTables`.
 */
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { CreatedAt, Timestamp, NullableTimestamp } from './columns';

export type Permission = 'ro' | 'move_into' | 'create' | 'note' | 'owner' | 'priority' | 'rw';

export interface AgentsTable {
  id: Generated<number>;
  login: string;
  first_name: string;
  last_name: string;
  email: string;
  password_hash: string;
  valid: Generated<boolean>;
  /** The agent must replace the password an administrator gave at the next login. */
  password_change_required: Generated<boolean>;
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
  /** Chosen interface and mail language (`en`, `de`); null: the browser's (migration 0025). */
  language: Generated<string | null>;
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

export interface IdentityTables {
  agents: AgentsTable;
  customer_companies: CustomerCompaniesTable;
  customer_users: CustomerUsersTable;
  groups: GroupsTable;
  roles: RolesTable;
  agent_groups: AgentGroupsTable;
  role_groups: RoleGroupsTable;
  agent_roles: AgentRolesTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  login_throttle: LoginThrottleTable;
}

/** Row types the identity code passes around. */
export type Agent = Selectable<AgentsTable>;
export type NewAgent = Insertable<AgentsTable>;
export type AgentUpdate = Updateable<AgentsTable>;
export type CustomerUser = Selectable<CustomerUsersTable>;
export type Session = Selectable<SessionsTable>;
export type ApiToken = Selectable<ApiTokensTable>;
