/**
 * The types every inbound step shares: the mail as it arrives (`IncomingMail`), what parsing makes
 * of it (`ParsedMail`), and the context the steps fill in one after another (`MailContext`).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Config } from '../../config';
import type { InboundConfig } from './config';

export interface IncomingMail {
  raw: Buffer;
  /** `smtp`, `pipe`, `account:<name>`, `reprocess`. */
  source: string;
  /** Envelope recipients (SMTP `RCPT TO`), lower case. */
  recipients?: string[];
  /** Dispatch every mail of this source to this queue (a mail account's fixed queue). */
  queueId?: number | null;
}

export interface Address {
  address: string;
  name: string;
}

export interface ParsedAttachment {
  filename: string;
  contentType: string;
  contentId: string | null;
  inline: boolean;
  content: Uint8Array;
}

export interface ParsedMail {
  messageId: string | null;
  inReplyTo: string[];
  references: string[];
  from: Address | null;
  replyTo: Address | null;
  to: Address[];
  cc: Address[];
  subject: string;
  date: string | null;
  /** Decoded header values by lower-case name, in order. */
  headers: Record<string, string[]>;
  text: string;
  /** Sanitised HTML (server/articles/sanitize.ts) with `cid:` images pointing at `mail-cid/<id>` until stored. */
  html: string | null;
  attachments: ParsedAttachment[];
  /** Things the reader should know (an unknown charset, say); written into the history. */
  warnings: string[];
}

/** What postmaster filters decided (names, as an admin wrote them). */
export interface FilterResult {
  matched: string[];
  queue?: string;
  priority?: string;
  state?: string;
  owner?: string;
  dynamicFields?: Record<string, unknown>;
  internal?: boolean;
  ignore?: boolean;
}

export type Decision = 'new-ticket' | 'follow-up' | 'reject' | 'ignore' | 'sender-limit';

export interface MailContext {
  mail: IncomingMail;
  parsed: ParsedMail;
  sender: { address: string; name: string; customerUserId: number | null; customerId: string | null; agentId: number | null };
  /** Why no auto response may be sent (empty: one may). */
  suppress: string[];
  /** The sender has had `maxPerSender` new tickets in the window already. */
  overSenderLimit: boolean;
  filter: FilterResult;
  followUp?: { ticketId: number; tn: string; by: 'subject' | 'references' | 'body' };
  decision: Decision;
  unexpectedSender: boolean;
  queueId?: number;
  result?: { ticketId: number; tn: string; articleId: number };
  /** Auto responses queued: their Message-IDs. */
  autoResponses: string[];
}

export interface StepEnv {
  /** The transaction of this mail. */
  db: Kysely<DB>;
  config: Config;
  inbound: InboundConfig;
  now: Date;
  /**
   * Takes the next ticket number: on PostgreSQL, for a mail without thread hints, the one taken
   * before the transaction opened (pipeline.ts); else the next one of the day's counter.
   */
  ticketNumber(): Promise<string>;
}

/** One step of the pipeline: reads and fills the context; `'stop'` ends the pipeline (the mail is done). */
export interface MailStep {
  name: string;
  run(ctx: MailContext, env: StepEnv): Promise<void | 'stop'> | void | 'stop';
}

/** A mail that cannot be processed: it becomes a problem mail with this code and reason. */
export class MailProblem extends Error {
  constructor(
    readonly code: 'MALFORMED' | 'PARSE_FAILED' | 'PARSE_TIMEOUT' | 'TOO_LARGE' | 'TOO_MANY_ATTACHMENTS' | 'NO_QUEUE' | 'SENDER_LIMIT' | 'PROCESSING_FAILED',
    message: string,
  ) {
    super(message);
  }
}
