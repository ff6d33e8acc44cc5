/**
 * Configuration read once from the environment. Everything the server needs to know about its
 * surroundings lives here, so the rest of the code takes a `Config` value instead of reading
 * `process.env` (tests build their own).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isLanguage, LANGUAGES, type Language } from './i18n/languages';
import { loadMailOutConfig, type MailOutConfig } from './mail/config';

/** The project root (where package.json is). */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** What a process does: everything (`all`), HTTP only without jobs (`web`), jobs only without HTTP (`worker`). */
export type ProcessRole = 'all' | 'web' | 'worker';
export const PROCESS_ROLES: readonly ProcessRole[] = ['all', 'web', 'worker'];

export interface Config {
  /** `HELPDESK_ROLE` or `serve --role`: all (default), web or worker. */
  role: ProcessRole;
  /** HTTP port (`PORT`, default 8080). */
  port: number;
  /** Interface to bind (`HOST`, default all interfaces). */
  host: string;
  /** `DATABASE_URL`; when absent the embedded PGlite in `dataDir` is used. */
  databaseUrl: string | undefined;
  /** Connections in the PostgreSQL pool (`DATABASE_POOL_SIZE`, default 20). */
  databasePoolSize: number;
  /** Folder for the embedded database and its lock file (`DATA_DIR`, default `data/` in the project root). */
  dataDir: string;
  /** Password for the `admin` agent created on first start (`ADMIN_PASSWORD`); generated when absent. */
  adminPassword: string | undefined;
  /** Largest accepted request body in bytes (`MAX_BODY_BYTES`, default 10 MiB). */
  maxBodyBytes: number;
  /** Largest article body in bytes (`MAX_ARTICLE_BYTES`, default 2 MiB); larger: 413 `ARTICLE_TOO_LARGE`. */
  maxArticleBytes: number;
  /** Session lifetime without activity, in minutes (`SESSION_IDLE_MINUTES`, default 8 h). */
  sessionIdleMinutes: number;
  /** Absolute session lifetime, in hours (`SESSION_MAX_HOURS`, default 7 days). */
  sessionMaxHours: number;
  /** Failed logins in a row before the login is locked (`LOGIN_MAX_FAILURES`, default 5). */
  loginMaxFailures: number;
  /** How long a locked login stays locked, in minutes (`LOGIN_LOCK_MINUTES`, default 15). */
  loginLockMinutes: number;
  /** Mark cookies `Secure` always (`COOKIE_SECURE=1`); without it they are `Secure` whenever the request came over HTTPS. */
  cookieSecure: boolean;
  /** Behind a reverse proxy (`TRUST_PROXY=1`): its `X-Forwarded-Proto: https` counts as HTTPS. Off by default: anyone can send that header. */
  trustProxy: boolean;
  /** Folder of the designer's static build. */
  staticDir: string;
  /** pino level (`LOG_LEVEL`, default info). */
  logLevel: string;
  /** Check every API answer against its declared schema (`VALIDATE_RESPONSES=1`; tests always do). */
  validateResponses: boolean;
  /** System id between date and counter in ticket numbers (`TICKET_NUMBER_PREFIX`, default `10`). */
  ticketNumberPrefix: string;
  /** `NODE_ENV=development`: password-reset links are written to the log (there is no mail yet). */
  development: boolean;
  /** Portal self-registrations per client address within `loginLockMinutes` (`REGISTRATIONS_PER_ADDRESS`, 0: no limit). */
  registrationsPerAddress: number;
  /** Public chats a client address may start within 10 minutes (`CHAT_STARTS_PER_ADDRESS`, 0: no limit). */
  chatStartsPerAddress: number;
  /** Chat messages one sender may write in one chat within 10 seconds (`CHAT_MESSAGES_PER_10S`). */
  chatMessagesPer10s: number;
  /** Language when neither a user's choice nor the browser's names one we speak (`DEFAULT_LANGUAGE`, default `en`). */
  defaultLanguage: Language;
  /** How long a statistic's preview may run, in ms (`STATS_PREVIEW_TIMEOUT_MS`, default 10 s); longer: 400 `STAT_TIMEOUT`. */
  statsPreviewTimeoutMs: number;
  /** Outgoing mail: `SMTP_URL`, `MAIL_FROM`, `MAIL_OUTBOX`, `TICKET_HOOK`, ... (mail/config.ts). */
  mailOut: MailOutConfig;
}

/** `env[name]` as a non-negative integer, `fallback` when unset; throws a sentence naming the variable. */
export function envInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

function loadDefaultLanguage(env: NodeJS.ProcessEnv): Language {
  const raw = env.DEFAULT_LANGUAGE?.trim().toLowerCase();
  if (!raw) return 'en';
  if (!isLanguage(raw)) throw new Error(`DEFAULT_LANGUAGE must be one of ${LANGUAGES.join(', ')}, got "${env.DEFAULT_LANGUAGE}"`);
  return raw;
}

/** Reads the configuration from an environment (default: `process.env`). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, root = process.cwd()): Config {
  // An explicit DATA_DIR is taken as given (relative to the current folder, as any path argument);
  // the default is the project's own data/ folder, wherever the command runs.
  const dataDir = env.DATA_DIR ? path.resolve(root, env.DATA_DIR) : path.join(PROJECT_ROOT, 'data');
  const role = (env.HELPDESK_ROLE || 'all') as ProcessRole;
  if (!PROCESS_ROLES.includes(role)) throw new Error(`HELPDESK_ROLE must be one of ${PROCESS_ROLES.join(', ')}, got "${env.HELPDESK_ROLE}"`);
  return {
    role,
    port: envInteger(env, 'PORT', 8080),
    host: env.HOST || '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    databasePoolSize: envInteger(env, 'DATABASE_POOL_SIZE', 20),
    dataDir,
    adminPassword: env.ADMIN_PASSWORD || undefined,
    maxBodyBytes: envInteger(env, 'MAX_BODY_BYTES', 10 * 1024 * 1024),
    maxArticleBytes: envInteger(env, 'MAX_ARTICLE_BYTES', 2 * 1024 * 1024),
    sessionIdleMinutes: envInteger(env, 'SESSION_IDLE_MINUTES', 8 * 60),
    sessionMaxHours: envInteger(env, 'SESSION_MAX_HOURS', 7 * 24),
    loginMaxFailures: envInteger(env, 'LOGIN_MAX_FAILURES', 5),
    loginLockMinutes: envInteger(env, 'LOGIN_LOCK_MINUTES', 15),
    cookieSecure: env.COOKIE_SECURE === '1' || env.COOKIE_SECURE === 'true',
    trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true',
    staticDir: env.STATIC_DIR ? path.resolve(root, env.STATIC_DIR) : path.join(PROJECT_ROOT, 'designer/build'),
    logLevel: env.LOG_LEVEL || 'info',
    validateResponses: env.VALIDATE_RESPONSES === '1' || env.VALIDATE_RESPONSES === 'true',
    ticketNumberPrefix: env.TICKET_NUMBER_PREFIX || '10',
    development: env.NODE_ENV === 'development',
    registrationsPerAddress: envInteger(env, 'REGISTRATIONS_PER_ADDRESS', 20),
    chatStartsPerAddress: envInteger(env, 'CHAT_STARTS_PER_ADDRESS', 5),
    chatMessagesPer10s: envInteger(env, 'CHAT_MESSAGES_PER_10S', 20),
    defaultLanguage: loadDefaultLanguage(env),
    statsPreviewTimeoutMs: envInteger(env, 'STATS_PREVIEW_TIMEOUT_MS', 10_000) || 10_000,
    mailOut: loadMailOutConfig(env, dataDir),
  };
}
