/**
 * The web service debugger (OTOBO's "Webservice Debugger"): per web service a debug level; every
 * exchange at that level or above is stored with its request (method, route, query, headers, body)
 * and response, secrets masked — passwords, session ids, API keys, tokens, cookies — and long
 * strings (attachments) shortened. The service's retention limit prunes the oldest entries.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { DB, DebugLevel } from '../db/schema';
import { debugLogRepo } from './repo';

const RANK: Record<DebugLevel, number> = { debug: 0, info: 1, notice: 2, error: 3 };

/** Whether an exchange of `level` is kept by a service whose threshold is `threshold`. */
export function kept(level: DebugLevel, threshold: DebugLevel): boolean {
  return RANK[level] >= RANK[threshold];
}

/** Keys whose values are secrets, wherever they appear (body, query, headers, nested). */
const SECRET_KEY = /pass(word)?$|^pw$|session_?id|api[-_]?key|token|secret|authorization|cookie/i;
export const MASK = '***';
/** Longest string kept as it is (longer ones, e.g. base64 attachments, are cut). */
const MAX_STRING = 2000;
const MAX_DEPTH = 20;

/**
 * A copy of `value` with secret-looking keys masked and long strings shortened.
 *
 * @example
 * maskSecrets({ UserLogin: 'agent', Password: 'x', Ticket: { Title: 'Hi' } })
 * // → { UserLogin: 'agent', Password: '***', Ticket: { Title: 'Hi' } }
 */
export function maskSecrets(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}… (${value.length} characters)` : value;
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return '…';
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_KEY.test(k) && v !== '' && v !== null && v !== undefined ? MASK : maskSecrets(v, depth + 1);
  }
  return out;
}

/** Request headers as a plain object, secrets masked. */
export function maskHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((v, k) => {
    out[k] = SECRET_KEY.test(k) ? MASK : v;
  });
  return out;
}

export interface Exchange {
  webservice: { id: number; debugLevel: DebugLevel; debugRetention: number };
  requestId: string;
  remoteAddr: string;
  operation: string | null;
  level: DebugLevel;
  summary: string;
  request: { method: string; route: string; query: Record<string, unknown>; headers: Record<string, string>; body: unknown };
  response: { status: number; body: unknown };
  at: Date;
}

/**
 * Stores the exchange when the service's level asks for it. Never fails the request: a problem is
 * logged and the answer goes out regardless.
 */
export async function recordExchange(db: Kysely<DB>, log: Logger, x: Exchange): Promise<void> {
  if (!kept(x.level, x.webservice.debugLevel)) return;
  try {
    await debugLogRepo.insert(
      db,
      {
        webserviceId: x.webservice.id,
        requestId: x.requestId,
        remoteAddr: x.remoteAddr,
        operation: x.operation,
        level: x.level,
        summary: x.summary,
        status: x.response.status,
        request: { ...x.request, query: maskSecrets(x.request.query), body: maskSecrets(x.request.body) },
        response: { status: x.response.status, body: maskSecrets(x.response.body) },
        at: x.at,
      },
      x.webservice.debugRetention,
    );
  } catch (err) {
    log.error({ err, webserviceId: x.webservice.id }, 'could not write the web service debugger log');
  }
}
