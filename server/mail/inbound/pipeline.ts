/**
 * The inbound pipeline: one mail in, one outcome out. The order of the steps is this list (Zammad's
 * channel filters, Znuny's PostMaster modules); each step is one file in steps/ and testable alone.
 *
 *   parse → match sender → loop check → postmaster filters → follow-up check → follow-up option
 *   → sender check → store → auto response → (after commit) notifications
 *
 * Parsing runs in a worker thread before the transaction; the other steps run in one transaction,
 * so a mail becomes a ticket (with its auto response job) completely or not at all. A mail that
 * cannot be parsed or processed is kept raw as a problem mail with the reason (problems.ts) — never
 * lost, and never in the way of the next mail.
 */
import type { Services } from '../../services';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { dayOf, formatTicketNumber, nextTicketNumber } from '../../tickets/number';
import { loadInboundConfig, type InboundConfig } from './config';
import { keepProblem } from './problems';
import { autoResponse } from './steps/auto-response';
import { postmasterFilters } from './steps/filters';
import { followUpCheck } from './steps/follow-up/index';
import { followUpOption } from './steps/follow-up-option';
import { loopCheck } from './steps/loop-check';
import { matchSender } from './steps/match-sender';
import { parseMail } from './steps/parse';
import { senderCheck } from './steps/sender-check';
import { storeMail } from './steps/store';
import { MailProblem, type Decision, type IncomingMail, type MailContext, type MailStep, type ParsedMail } from './types';

/** The steps after parsing, in order. */
export const STEPS: MailStep[] = [matchSender, loopCheck, postmasterFilters, followUpCheck, followUpOption, senderCheck, storeMail, autoResponse];

export interface MailOutcome {
  outcome: Decision | 'problem';
  ticketId?: number;
  tn?: string;
  articleId?: number;
  problemId?: number;
  code?: string;
  reason?: string;
  autoResponses?: string[];
}

const OUTCOME: Record<Decision, string> = { 'new-ticket': 'new-ticket', 'follow-up': 'follow-up', reject: 'rejected', ignore: 'ignored', 'sender-limit': 'sender-limit' };

/**
 * The next ticket number in its own one-statement transaction (PostgreSQL), taken before the mail's
 * transaction opens (never while holding a pooled connection, so a full pool cannot deadlock), so
 * the day's counter row is not locked until the mail commits: concurrent mails would queue behind
 * it. It commits without waiting for its WAL flush: the mail's own (synchronous) commit comes later
 * and flushes the WAL up to and including it, so a stored ticket's number is always durable; a
 * crash in between loses at most an unused number.
 */
async function ticketNumberOutside(db: Kysely<DB>, at: Date, prefix: string): Promise<string> {
  const day = dayOf(at);
  const { rows } = await sql<{ counter: number }>`
    insert into ticket_counters (day, counter)
    select ${day}, 1 from (select set_config('synchronous_commit', 'off', true)) as async_commit
    on conflict (day) do update set counter = ticket_counters.counter + 1
    returning counter`.execute(db);
  return formatTicketNumber(day, prefix, rows[0]!.counter);
}

/** Runs the steps after parsing for `parsed` in one transaction; resolves to the filled context. */
export async function runSteps(services: Services, mail: IncomingMail, parsed: ParsedMail, inbound: InboundConfig, steps: MailStep[] = STEPS): Promise<MailContext> {
  const now = services.now();
  const prefix = services.config.ticketNumberPrefix;
  // A mail with no thread hint (no References, no In-Reply-To, no ticket hook) almost always opens a
  // ticket: take its number up front. Should it not (a filter ignores it, a number in the body),
  // that number stays unused: a gap, never a duplicate.
  const likelyNew = services.database.kind === 'postgres' && !parsed.inReplyTo.length && !parsed.references.length && !parsed.subject.includes(inbound.ticketHook);
  let early = likelyNew ? await ticketNumberOutside(services.database.db, now, prefix) : undefined;
  return services.database.db.transaction().execute(async (db) => {
    const ctx: MailContext = {
      mail,
      parsed: { ...parsed, warnings: [...parsed.warnings] },
      sender: { address: '', name: '', customerUserId: null, customerId: null, agentId: null },
      suppress: [],
      overSenderLimit: false,
      filter: { matched: [] },
      decision: 'new-ticket',
      unexpectedSender: false,
      autoResponses: [],
    };
    const ticketNumber = async () => {
      const tn = early;
      early = undefined;
      return tn ?? nextTicketNumber(db, now, prefix);
    };
    const env = { db, config: services.config, inbound, now, ticketNumber };
    for (const step of steps) if ((await step.run(ctx, env)) === 'stop') break;
    await db
      .insertInto('mail_received')
      .values({ from_addr: ctx.sender.address, message_id: parsed.messageId, source: mail.source, outcome: OUTCOME[ctx.decision], ticket_id: ctx.result?.ticketId ?? null, article_id: ctx.result?.articleId ?? null, received_at: now })
      .execute();
    return ctx;
  });
}

/** What trying one mail gave: its outcome, or the problem that stopped it (not yet kept). */
export type Attempt = { ok: true; outcome: MailOutcome } | { ok: false; problem: MailProblem; parsed: ParsedMail | undefined };

/**
 * Runs the whole pipeline for one mail without keeping a failure: the caller decides what becomes
 * of a problem (a new problem mail, or the problem mail being reprocessed updated in place).
 */
export async function attemptMail(services: Services, mail: IncomingMail, inbound: InboundConfig = loadInboundConfig()): Promise<Attempt> {
  let parsed: ParsedMail | undefined;
  try {
    parsed = await parseMail(mail, inbound);
    const ctx = await runSteps(services, mail, parsed, inbound);
    return { ok: true, outcome: { outcome: ctx.decision, ...(ctx.result ?? {}), autoResponses: ctx.autoResponses } };
  } catch (e) {
    const problem = e instanceof MailProblem ? e : new MailProblem('PROCESSING_FAILED', `processing failed: ${e instanceof Error ? e.message : String(e)}`);
    if (!(e instanceof MailProblem)) services.log.warn({ err: e, source: mail.source }, 'an inbound mail could not be processed; kept as a problem mail');
    return { ok: false, problem, parsed };
  }
}

/**
 * Processes one mail from any source. Resolves to its outcome; rejects only when even keeping the
 * mail as a problem failed (the database is down), so the source must keep the mail and try again.
 *
 * @example
 * const r = await processMail(services, { raw, source: 'pipe' });
 * // { outcome: 'new-ticket', ticketId: 12, tn: '2026120610000015', articleId: 31 }
 */
export async function processMail(services: Services, mail: IncomingMail, inbound: InboundConfig = loadInboundConfig()): Promise<MailOutcome> {
  const r = await attemptMail(services, mail, inbound);
  if (r.ok) return r.outcome;
  const problemId = await keepProblem(services.database.db, mail, r.problem, r.parsed, services.now());
  return { outcome: 'problem', problemId, code: r.problem.code, reason: r.problem.message };
}
