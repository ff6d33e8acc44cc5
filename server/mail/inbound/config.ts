/**
 * Settings of inbound mail, read from the environment (see README, "Mail in"):
 * `MAIL_LISTEN` (host:port of the SMTP listener; off when unset), `MAIL_ADDRESSES` (the system
 * addresses, `support@example.com, sales@example.com=Sales`: an address with `=Queue` dispatches
 * there), `MAIL_DEFAULT_QUEUE` (`Raw`), `MAIL_MAX_BYTES` (30 MB), `MAIL_MAX_ATTACHMENTS` (1000),
 * `TICKET_HOOK` (`Ticket#`), `MAIL_FOLLOW_UP_BODY` (look for the ticket number in the body too),
 * `MAIL_MAX_PER_SENDER` (40) new tickets per sender within `MAIL_SENDER_WINDOW_HOURS` (24),
 * `MAIL_PARSE_TIMEOUT_MS` (30000), `MAIL_FILTER_TIMEOUT_MS` (100, per filter regex).
 */
import { envInteger } from '../../config';
import { loadMailOutConfig } from '../config';

export interface InboundConfig {
  listen: { host: string; port: number } | undefined;
  /** lower-cased address → queue name (undefined: the default queue). */
  addresses: Map<string, string | undefined>;
  defaultQueue: string;
  maxBytes: number;
  maxAttachments: number;
  ticketHook: string;
  followUpInBody: boolean;
  maxPerSender: number;
  senderWindowHours: number;
  parseTimeoutMs: number;
  filterTimeoutMs: number;
}

/** `host:port` (`[::1]:25` for IPv6); throws a sentence naming the variable. */
export function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new Error(`MAIL_LISTEN must be host:port (e.g. 127.0.0.1:2525), got "${text}"`);
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}

/**
 * @example
 * parseAddresses('support@example.com, sales@example.com=Sales')
 * // Map { 'support@example.com' => undefined, 'sales@example.com' => 'Sales' }
 */
export function parseAddresses(text: string | undefined): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const part of (text ?? '').split(/[,;\n]/)) {
    const t = part.trim();
    if (!t) continue;
    const eq = t.indexOf('=');
    const address = (eq < 0 ? t : t.slice(0, eq)).trim().toLowerCase();
    if (!/^[^@\s]+@[^@\s]+$/.test(address)) throw new Error(`MAIL_ADDRESSES: "${address}" is not an email address`);
    out.set(address, eq < 0 ? undefined : t.slice(eq + 1).trim() || undefined);
  }
  return out;
}

export function loadInboundConfig(env: NodeJS.ProcessEnv = process.env): InboundConfig {
  return {
    listen: env.MAIL_LISTEN ? parseListen(env.MAIL_LISTEN) : undefined,
    addresses: parseAddresses(env.MAIL_ADDRESSES),
    defaultQueue: env.MAIL_DEFAULT_QUEUE || 'Raw',
    maxBytes: envInteger(env, 'MAIL_MAX_BYTES', 30 * 1024 * 1024),
    maxAttachments: envInteger(env, 'MAIL_MAX_ATTACHMENTS', 1000),
    ticketHook: loadMailOutConfig(env, '').ticketHook,
    followUpInBody: env.MAIL_FOLLOW_UP_BODY === '1' || env.MAIL_FOLLOW_UP_BODY === 'true',
    maxPerSender: envInteger(env, 'MAIL_MAX_PER_SENDER', 40),
    senderWindowHours: envInteger(env, 'MAIL_SENDER_WINDOW_HOURS', 24),
    parseTimeoutMs: envInteger(env, 'MAIL_PARSE_TIMEOUT_MS', 30_000),
    filterTimeoutMs: envInteger(env, 'MAIL_FILTER_TIMEOUT_MS', 100),
  };
}
