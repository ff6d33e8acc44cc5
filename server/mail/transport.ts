/**
 * Where a composed mail goes: over SMTP (nodemailer, one pooled transport per `SMTP_URL`; STARTTLS
 * whenever the server offers it, `smtps://` for TLS from the start) or, without `SMTP_URL`, into
 * the outbox folder as `<time>-<message id>.eml` (written to a temporary name and renamed, so a
 * reader never sees half a file; a second write of the same mail replaces the first).
 *
 * A failure is a `MailSendFailed`: `permanent` for a 5xx answer (the server refused the mail for
 * good), temporary for a 4xx answer, a connection error or a timeout (tried again later).
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type { MailOutConfig } from './config';
import type { ComposedMail } from './compose';

export class MailSendFailed extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly answer: string,
  ) {
    super(message);
  }
}

export interface Delivered {
  transport: 'smtp' | 'outbox';
  /** The server's answer (`250 2.0.0 Ok: queued as …`) or the file written. */
  answer: string;
  file?: string;
}

const transports = new Map<string, Transporter>();

/** The SMTP options of an `SMTP_URL` (`smtp://user:pass@host:587`, `smtps://…:465`, `?tls.rejectUnauthorized=false`). */
export function smtpOptions(url: string) {
  const u = new URL(url);
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') throw new Error(`SMTP_URL must start with smtp:// or smtps://, got "${u.protocol}"`);
  const secure = u.protocol === 'smtps:';
  const insecure = u.searchParams.get('tls.rejectUnauthorized') === 'false';
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    ...(u.username ? { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } } : {}),
    ...(insecure ? { tls: { rejectUnauthorized: false } } : {}),
    pool: true,
    maxConnections: 5,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  };
}

function transportFor(url: string): Transporter {
  let t = transports.get(url);
  if (!t) {
    t = nodemailer.createTransport(smtpOptions(url));
    transports.set(url, t);
  }
  return t;
}

/** Closes the pooled SMTP connections (server shutdown, tests). */
export function closeMailTransports(): void {
  for (const t of transports.values()) t.close();
  transports.clear();
}

const fileName = (messageId: string, date: Date) => `${date.toISOString().replace(/[:.]/g, '-')}-${messageId.replace(/[<>]/g, '').replace(/[^A-Za-z0-9._@-]/g, '_')}.eml`;

/**
 * Sends `mail` by the configured route.
 *
 * @example
 * const r = await deliver(config.mailOut, composed, payload.messageId, job.created_at);
 * // { transport: 'outbox', answer: 'written to data/outbox/2026-…eml', file: '2026-…eml' }
 */
export async function deliver(config: MailOutConfig, mail: ComposedMail, messageId: string, date: Date): Promise<Delivered> {
  if (!config.smtpUrl) {
    const file = fileName(messageId, date);
    await mkdir(config.outboxDir, { recursive: true });
    const full = path.join(config.outboxDir, file);
    await writeFile(`${full}.tmp`, mail.raw);
    await rename(`${full}.tmp`, full);
    return { transport: 'outbox', answer: `written to ${full}`, file };
  }
  try {
    const info = (await transportFor(config.smtpUrl).sendMail({ envelope: mail.envelope, raw: mail.raw })) as { response?: string; rejected?: unknown[] };
    const rejected = (info.rejected ?? []).map(String);
    if (rejected.length) return { transport: 'smtp', answer: `${info.response ?? ''} (refused recipients: ${rejected.join(', ')})` };
    return { transport: 'smtp', answer: info.response ?? 'accepted' };
  } catch (e) {
    const err = e as { responseCode?: number; response?: string; code?: string; message?: string };
    const answer = err.response ?? `${err.code ?? 'ERROR'}: ${err.message ?? String(e)}`;
    const permanent = typeof err.responseCode === 'number' && err.responseCode >= 500 && err.responseCode < 600;
    throw new MailSendFailed(answer, permanent, answer);
  }
}
