/**
 * Kysely types of inbound mail (migration 0023): raw sources of received articles, system
 * addresses, mail accounts and what was fetched from them, postmaster filters, auto responses,
 * problem mails and the log of received mails. `DB` in schema.ts extends `MailInboundTables`.
 */
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, NullableTimestamp } from './columns';

export interface ArticleSourcesTable {
  article_id: number;
  raw: Uint8Array;
}

export interface SystemAddressesTable {
  id: Generated<number>;
  /** Lower case. */
  address: string;
  display_name: Generated<string>;
  queue_id: number;
  valid: Generated<boolean>;
  created_at: CreatedAt;
}

export interface MailAccountsTable {
  id: Generated<number>;
  name: string;
  protocol: 'imap' | 'pop3';
  host: string;
  port: number;
  tls: 'none' | 'starttls' | 'tls';
  login: string;
  /** Encrypted (outbound/secrets.ts), never returned. */
  secret: string | null;
  folder: Generated<string>;
  /** Keep the messages on the server (IMAP: mark read; POP3: remember the UIDL) instead of deleting them. */
  keep: Generated<boolean>;
  /** Fixed queue; null: dispatch by recipient address. */
  queue_id: number | null;
  interval_seconds: Generated<number>;
  allow_list: ColumnType<string[], string | undefined, string>;
  valid: Generated<boolean>;
  last_fetch_at: NullableTimestamp;
  last_error: string | null;
  created_at: CreatedAt;
}

export interface MailFetchedTable {
  account_id: number;
  uid: string;
  fetched_at: CreatedAt;
}

export interface PostmasterFiltersTable {
  id: Generated<number>;
  name: string;
  matches: ColumnType<unknown, string, string>;
  actions: ColumnType<unknown, string, string>;
  stop: Generated<boolean>;
  valid: Generated<boolean>;
  created_at: CreatedAt;
}

export interface AutoResponsesTable {
  id: Generated<number>;
  queue_id: number;
  kind: 'new' | 'follow_up' | 'reject';
  subject: string;
  body: string;
  valid: Generated<boolean>;
}

export interface ProblemMailsTable {
  id: Generated<number>;
  /** `smtp`, `pipe`, `account:<name>`, `reprocess`. */
  source: string;
  code: string;
  reason: string;
  raw: Uint8Array;
  size: number;
  from_addr: Generated<string>;
  subject: Generated<string>;
  message_id: string | null;
  /** The queue the source dispatched to, if fixed (reprocessing uses it). */
  queue_id: number | null;
  status: Generated<'new' | 'reprocessed'>;
  ticket_id: number | null;
  received_at: CreatedAt;
  reprocessed_at: NullableTimestamp;
}

export interface MailReceivedTable {
  id: ColumnType<string, never, never>;
  from_addr: string;
  message_id: string | null;
  source: string;
  /** `new-ticket`, `follow-up`, `rejected`, `ignored`, `sender-limit`. */
  outcome: string;
  ticket_id: number | null;
  article_id: number | null;
  received_at: CreatedAt;
}

export interface MailInboundTables {
  article_sources: ArticleSourcesTable;
  system_addresses: SystemAddressesTable;
  mail_accounts: MailAccountsTable;
  mail_fetched: MailFetchedTable;
  postmaster_filters: PostmasterFiltersTable;
  auto_responses: AutoResponsesTable;
  problem_mails: ProblemMailsTable;
  mail_received: MailReceivedTable;
}
