/**
 * Where a CLI command does its work. On PostgreSQL, or when no server holds the embedded data
 * folder, it opens the database itself (`cli-database.ts`). When a server holds the folder (its
 * lock names a live process and the address it answers at, and `/healthz` answers there), or with
 * `--url` for a server elsewhere, the command goes through that server's REST API: locally with the
 * server's own token from `DATA_DIR/helpdesk.token`, remotely with the API token in `HELPDESK_TOKEN`.
 * A lock whose process is dead is stale: the command opens the folder (and takes the lock over).
 */
import os from 'node:os';
import { readLocalToken } from './auth/local-token';
import type { Config } from './config';
import { readLiveLock } from './db/lock';
import { DomainError } from './errors';

/** The server cannot be reached, or refused the credential: exit code 4. */
export class ServerRefused extends Error {
  override name = 'ServerRefused';
}

/** A running helpdesk reached over its REST API. */
export class HelpdeskClient {
  constructor(
    /** The server's address without a trailing slash: `http://127.0.0.1:8080`. */
    readonly url: string,
    private readonly token: string,
    /** Where the token comes from, for messages ("HELPDESK_TOKEN", "the server's token file …"). */
    readonly tokenSource: string,
  ) {}

  /** Sends a request under `/api/v1`; answers the response, or throws the server's error as a `DomainError`. */
  async request(method: string, path: string, opts: { query?: Record<string, string | number | boolean | undefined>; json?: unknown; body?: Uint8Array; contentType?: string } = {}): Promise<Response> {
    const u = new URL(`${this.url}/api/v1${path}`);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}` };
    let body: string | Uint8Array | undefined;
    if (opts.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.json);
    } else if (opts.body) {
      if (opts.contentType) headers['content-type'] = opts.contentType;
      body = opts.body;
    }
    let res: Response;
    try {
      res = await fetch(u, { method, headers, body: body as never });
    } catch (e) {
      throw new ServerRefused(`the server at ${this.url} cannot be reached (${causeOf(e)})`);
    }
    if (res.ok) return res;
    const problem = (await res.json().catch(() => undefined)) as { error?: { code: string; message: string; path?: string; details?: unknown } } | undefined;
    const err = problem?.error ?? { code: `HTTP_${res.status}`, message: `${method} ${u.pathname} answered ${res.status} ${res.statusText}` };
    if (res.status === 401) throw new ServerRefused(`the server at ${this.url} refused the token (${this.tokenSource}): ${err.code}: ${err.message}`);
    throw new DomainError(res.status, err.code, err.message, err.path, err.details);
  }

  async json<T>(method: string, path: string, opts?: Parameters<HelpdeskClient['request']>[2]): Promise<T> {
    return (await (await this.request(method, path, opts)).json()) as T;
  }

  /** `GET /healthz` (no credential): the database kind and migration level, or undefined when it does not answer. */
  async health(): Promise<{ database: string; migrations: { applied: number; current: string | null } } | undefined> {
    try {
      const res = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(10_000) });
      return res.ok ? ((await res.json()) as Awaited<ReturnType<HelpdeskClient['health']>>) : undefined;
    } catch {
      return undefined;
    }
  }
}

function causeOf(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (e as Error).message;
}

/**
 * The server a CLI command should use, with the line it prints on standard error; undefined when
 * it opens the database itself.
 *
 * @example
 * const server = await findServer(loadConfig(), undefined); // a local server, or undefined
 */
export async function findServer(config: Config, urlOption: string | undefined): Promise<{ client: HelpdeskClient; line: string } | undefined> {
  const envToken = process.env.HELPDESK_TOKEN?.trim() || undefined;
  if (urlOption !== undefined) {
    if (!envToken) throw new ServerRefused(`--url ${urlOption} needs an API token in HELPDESK_TOKEN (create one with POST /api/v1/auth/tokens)`);
    let url: URL;
    try {
      url = new URL(urlOption);
    } catch {
      throw new ServerRefused(`--url ${urlOption} is not a URL (e.g. https://helpdesk.example.com)`);
    }
    // A path is kept (a server behind a proxy at https://example.com/helpdesk), a trailing slash dropped.
    const client = new HelpdeskClient(url.toString().replace(/\/+$/, ''), envToken, 'HELPDESK_TOKEN');
    await client.request('GET', '/auth/me');
    return { client, line: `using the server at ${client.url}` };
  }
  if (config.databaseUrl) return undefined;
  const holder = readLiveLock(config.dataDir);
  if (!holder?.url) return undefined;
  const fileToken = readLocalToken(config.dataDir);
  const token = fileToken ?? envToken;
  if (!token) {
    throw new ServerRefused(
      `the server (process ${holder.pid}, ${holder.url}) holds the data folder ${config.dataDir}, and its token file ` +
        `${config.dataDir}/helpdesk.token cannot be read by ${os.userInfo().username}: run the command as the server's user, or set HELPDESK_TOKEN`,
    );
  }
  const client = new HelpdeskClient(holder.url, token, fileToken ? `the server's token file in ${config.dataDir}` : 'HELPDESK_TOKEN');
  // A server still starting (or stopping) does not answer: then the folder lock speaks (exit 3).
  if (!(await client.health())) return undefined;
  await client.request('GET', '/auth/me');
  return { client, line: `using the server at ${holder.url} (process ${holder.pid}, data folder ${config.dataDir})` };
}
