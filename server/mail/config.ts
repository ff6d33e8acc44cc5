/**
 * Outgoing mail settings, read once from the environment into `Config.mailOut`:
 *
 * - `SMTP_URL` (`smtp://user:pass@host:587`, `smtps://user:pass@host:465`): send over SMTP
 *   (STARTTLS when the server offers it). Unset: mail is written as `.eml` files into the outbox.
 * - `MAIL_FROM`: the system address, the default From (default `helpdesk@localhost`).
 * - `MAIL_OUTBOX`: the outbox folder (default `DATA_DIR/outbox`).
 * - `TICKET_HOOK` (default `Ticket#`) and `TICKET_HOOK_DIVIDER` (default empty): the subject tag
 *   `[Ticket#2026120610000015]` that lets replies find their ticket.
 * - `MAIL_RETRY_BASE_MS` (default 5000): the first retry wait after a temporary failure (doubling, at most 1 h).
 * - `PUBLIC_URL`: the address customers reach the portal at, for links in mails (password reset).
 */
import path from 'node:path';

export interface MailOutConfig {
  smtpUrl: string | undefined;
  from: string;
  outboxDir: string;
  ticketHook: string;
  ticketHookDivider: string;
  retryBaseMs: number;
  publicUrl: string | undefined;
}

export function loadMailOutConfig(env: NodeJS.ProcessEnv, dataDir: string): MailOutConfig {
  const retry = Number(env.MAIL_RETRY_BASE_MS);
  return {
    smtpUrl: env.SMTP_URL || undefined,
    from: env.MAIL_FROM || 'helpdesk@localhost',
    outboxDir: env.MAIL_OUTBOX ? path.resolve(env.MAIL_OUTBOX) : path.join(dataDir, 'outbox'),
    ticketHook: env.TICKET_HOOK ?? 'Ticket#',
    ticketHookDivider: env.TICKET_HOOK_DIVIDER ?? '',
    retryBaseMs: env.MAIL_RETRY_BASE_MS && Number.isFinite(retry) && retry >= 0 ? retry : 5000,
    publicUrl: env.PUBLIC_URL ? env.PUBLIC_URL.replace(/\/+$/, '') : undefined,
  };
}
