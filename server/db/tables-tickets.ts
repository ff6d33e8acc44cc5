/**
 * Kysely types of the helpdesk core: tickets and their numbering, articles and attachments, read
 * flags, watchers, links, history, dynamic fields and their values, and the full-text search
 * document. `DB` in schema.ts extends `TicketTables`.
 */
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, NullableTimestamp } from './columns';

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
  /** The mail's Message-ID with angle brackets (received mails, and mails sent for the article). */
  message_id: string | null;
  /** `unexpected-sender`: a mail follow-up from someone outside the thread (shown, not silently merged). */
  flag: string | null;
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

export interface TicketTables {
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
}
