/**
 * The one `DB` interface that types every Kysely query. It mirrors what the migrations in
 * `migrations/` create; the table types live in tables-*.ts by subject, and when a migration changes
 * a table, its tables-*.ts file changes with it. Every table type stays importable from here.
 */
import type { IdentityTables } from './tables-identity';
import type { CatalogueTables } from './tables-catalogue';
import type { TicketTables } from './tables-tickets';
import type { ProcessTables } from './tables-processes';
import type { OutboundTables } from './tables-outbound';
import type { IncidentTables } from './tables-incidents';
import type { StatsTables } from './tables-stats';
import type { AgentUiTables } from './tables-agent-ui';
import type { UserTaskTables } from './tables-user-tasks';
import type { PortalTables } from './tables-portal';
import type { MailInboundTables } from './tables-mail-inbound';
import type { MailTables } from './tables-mail';
import type { NotificationTables } from './tables-notifications';
import type { TwoFactorTables } from './tables-two-factor';
import type { LanguageTables } from './tables-i18n';
import type { KbTables } from './tables-kb';
import type { StatisticsTables } from './tables-statistics';
import type { SlaTables } from './tables-sla';
import type { CalendarTables } from './tables-calendars';
import type { ChatTables } from './tables-chat';

export type { Permission, AgentsTable, CustomerCompaniesTable, CustomerUsersTable, GroupsTable, RolesTable, AgentGroupsTable, RoleGroupsTable, AgentRolesTable, SessionsTable, ApiTokensTable, LoginThrottleTable, Agent, NewAgent, AgentUpdate, CustomerUser, Session, ApiToken } from './tables-identity';
export type { QueuesTable, StateTypesTable, StatesTable, PrioritiesTable, TicketTypesTable, ServicesTable, SlasTable } from './tables-catalogue';
export type { TicketCountersTable, TicketsTable, ArticleChannel, SenderType, Direction, ArticlesTable, AttachmentsTable, ArticleFlagsTable, TicketWatchersTable, TicketLinksTable, TicketHistoryTable, DynamicFieldType, DynamicFieldsTable, DynamicFieldValuesTable, TicketSearchTable } from './tables-tickets';
export type { ProcessState, ProcessesTable, ProcessVersionsTable, WebserviceEnvelope, DebugLevel, WebservicesTable, WebserviceDebugLogTable, ScriptsTable, ScriptVersionsTable, InstanceStatusColumn, ProcessInstancesTable, ProcessInstanceLogTable, JobStatus, JobsTable } from './tables-processes';

export interface DB
  extends IdentityTables, CatalogueTables, TicketTables, ProcessTables,
    OutboundTables, IncidentTables, StatsTables, AgentUiTables, UserTaskTables, PortalTables,
    MailInboundTables, MailTables, NotificationTables, LanguageTables, TwoFactorTables, KbTables, StatisticsTables, SlaTables, CalendarTables, ChatTables {}
export type { KbState } from './tables-kb';
export type { BusinessCalendarsTable, SlaConditions, EscalationKind, TicketEscalationNoticesTable } from './tables-sla';
export type { MailStatus, MailTextKind, MailLogTable, MailTextsTable, QueueMailSettingsTable } from './tables-mail';
