/** Kysely types of outgoing mail's tables (migration 0022); `DB` in schema.ts extends this. */
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Timestamp } from './columns';

export type MailStatus = 'queued' | 'retrying' | 'sent' | 'written' | 'failed';

/** One outgoing mail by Message-ID: queued with its job, then sent (SMTP), written (outbox) or failed. */
export interface MailLogTable {
  id: ColumnType<string, never, never>;
  message_id: string;
  job_id: string | null;
  purpose: string;
  ticket_id: number | null;
  article_id: number | null;
  from_addr: Generated<string>;
  to_addr: Generated<string>;
  cc_addr: Generated<string>;
  bcc_addr: Generated<string>;
  subject: Generated<string>;
  status: Generated<MailStatus>;
  /** `smtp` or `outbox`, once tried. */
  transport: string | null;
  /** The SMTP server's answer (or the outbox file written, or why it failed). */
  answer: string | null;
  attempts: Generated<number>;
  /** The outbox file name, for mail written to `DATA_DIR/outbox/`. */
  file: string | null;
  /** The message exactly as sent or written (RFC 5322). */
  raw: Uint8Array | null;
  created_at: Timestamp;
  changed_at: Timestamp;
}

export type MailTextKind = 'template' | 'salutation' | 'signature';

/** Admin-managed mail texts: answer templates (subject + body), salutations and signatures. */
export interface MailTextsTable {
  id: Generated<number>;
  kind: MailTextKind;
  name: string;
  subject: Generated<string>;
  body: string;
  content_type: Generated<'text/plain' | 'text/html'>;
  comment: Generated<string>;
  valid: Generated<boolean>;
  created_at: CreatedAt;
  changed_at: CreatedAt;
}

/** A queue's mail settings: From address, salutation and signature. */
export interface QueueMailSettingsTable {
  queue_id: number;
  system_address: string | null;
  salutation_id: number | null;
  signature_id: number | null;
}

export interface MailTables {
  mail_log: MailLogTable;
  mail_texts: MailTextsTable;
  queue_mail_settings: QueueMailSettingsTable;
}
