/** Kysely types of the notification tables (migration 0024); `DB` in schema.ts extends this. */
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, NullableTimestamp, Timestamp } from './columns';

/** One web notification of one agent or customer user. */
export interface NotificationsTable {
  id: Generated<number>;
  recipient_kind: 'agent' | 'customer';
  recipient_id: number;
  event: string;
  ticket_id: number | null;
  article_id: number | null;
  title: string;
  body: Generated<string>;
  created_at: Timestamp;
  read_at: NullableTimestamp;
}

/** An administrator's version of a notification template (an event without a row uses the default). */
export interface NotificationTemplatesTable {
  event: string;
  enabled: Generated<boolean>;
  /** Recipient groups, a JSON array of strings (`owner`, `watchers`, …). */
  recipients: ColumnType<unknown, string, string>;
  subject: string;
  body: string;
  changed_at: CreatedAt;
  changed_by: number | null;
}

export interface NotificationTables {
  notifications: NotificationsTable;
  notification_templates: NotificationTemplatesTable;
}
