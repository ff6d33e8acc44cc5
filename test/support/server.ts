/**
 * A real HTTP server on loopback around the app, on a test database, with a clock the test can move.
 * Tests talk to it with `fetch` exactly as a client would.
 */
import { serve, type ServerType } from '@hono/node-server';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createApp } from '../../server/app';
import { ensureAdmin } from '../../server/auth/service';
import { loadConfig, type Config } from '../../server/config';
import type { DatabaseKind } from '../../server/db/index';
import { createServices, type Services } from '../../server/services';
import { createTestDatabase, type TestDatabase } from './db';

export const ADMIN_PASSWORD = 'admin-test-password';

export interface TestServer {
  url: string;
  database: TestDatabase;
  services: Services;
  /** Moves the server's clock forward. */
  advance(ms: number): void;
  /** Stops the server's clock at `at` (then only `advance` moves it). */
  setClock(at: Date): void;
  close(): Promise<void>;
}

export async function startTestServer(kind: DatabaseKind, overrides: Partial<Config> = {}): Promise<TestServer> {
  const database = await createTestDatabase(kind);
  const base = loadConfig({});
  // Mail goes into a private outbox, never into the repository's data folder.
  const mailOut = { ...base.mailOut, outboxDir: mkdtempSync(path.join(tmpdir(), 'helpdesk-outbox-')) };
  const config: Config = { ...base, port: 0, host: '127.0.0.1', validateResponses: true, mailOut, ...overrides };
  let offset = 0;
  let fixed: number | null = null;
  const services = createServices(database, config, pino({ level: 'silent' }), () => new Date((fixed ?? Date.now()) + offset));
  await ensureAdmin(database.db, ADMIN_PASSWORD);
  const app = createApp(services);
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    database,
    services,
    advance: (ms) => {
      offset += ms;
    },
    setClock: (at) => {
      fixed = at.getTime();
      offset = 0;
    },
    close: async () => {
      await new Promise<void>((r) => server.close(() => r()));
      await database.close();
    },
  };
}

/** A small client that keeps the session cookie and CSRF token like a browser would. */
export class Client {
  cookie: string | undefined;
  csrf: string | undefined;
  bearer: string | undefined;

  constructor(readonly base: string) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
    const h: Record<string, string> = { ...headers };
    if (body !== undefined && typeof body !== 'string') h['content-type'] = 'application/json';
    if (this.cookie) h.cookie = this.cookie;
    if (this.csrf && method !== 'GET' && !('x-csrf-token' in h)) h['x-csrf-token'] = this.csrf;
    if (this.bearer) h.authorization = `Bearer ${this.bearer}`;
    const res = await fetch(this.base + path, {
      method,
      headers: h,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    // Like a browser: every Set-Cookie in order, so a clearing one followed by a new session keeps the new one.
    for (const setCookie of res.headers.getSetCookie()) {
      const m = /^hd_session=([^;]*)/.exec(setCookie);
      if (m) this.cookie = m[1] ? `hd_session=${m[1]}` : undefined;
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  get(path: string, headers?: Record<string, string>) {
    return this.request('GET', path, undefined, headers);
  }
  post(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request('POST', path, body ?? {}, headers);
  }
  put(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request('PUT', path, body ?? {}, headers);
  }
  patch(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request('PATCH', path, body ?? {}, headers);
  }
  delete(path: string, headers?: Record<string, string>) {
    return this.request('DELETE', path, undefined, headers);
  }

  /** Logs in as an agent (or a customer user) and keeps the cookie and CSRF token. */
  async login(login: string, password: string, kind: 'agent' | 'customer' = 'agent') {
    const res = await this.post(kind === 'agent' ? '/api/v1/auth/login' : '/api/v1/auth/customer/login', { login, password });
    if (res.status !== 200) throw new Error(`login ${login} failed: ${res.status} ${JSON.stringify(res.body)}`);
    this.csrf = res.body.csrfToken;
    return res;
  }
}
