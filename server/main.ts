/**
 * Starts the server: opens and migrates the database, makes sure the admin exists, serves the app,
 * and shuts down gracefully on SIGTERM/SIGINT (stop accepting, drain requests, close the database,
 * release the data-folder lock).
 */
import { serve, type ServerType } from '@hono/node-server';
import type { Logger } from 'pino';
import { createApp, hasStaticBuild } from './app';
import { closeRenderPool } from './articles/render';
import { adminNotice, setUpAdmin } from './auth/admin';
import { writeLocalToken } from './auth/local-token';
import { loadConfig, type Config } from './config';
import { migrateToLatest, openDatabase, type Database, type QueryEvent } from './db/index';
import { DataFolderLocked } from './db/lock';
import { createLogger } from './log';
import { closeEngine, engineFor } from './engine/engine';
import { startWorker } from './engine/worker';
import { loadInboundConfig } from './mail/inbound/config';
import { closeParsePool } from './mail/inbound/parse-pool';
import { startMailListener } from './mail/inbound/smtp-listener';
import { installShippedProcesses } from './processes/shipped';
import { createServices } from './services';

export interface RunningServer {
  url: string;
  port: number;
  database: Database;
  close(): Promise<void>;
}

/** Opens the database the configuration names and brings it to the latest migration. */
export async function openAndMigrate(config: Config, log: Logger): Promise<Database> {
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize, notice: (m) => log.warn(m),
    // LOG_LEVEL=debug: every SQL statement with its time (job claims, locks, searches ...).
    ...(log.isLevelEnabled('debug') ? { onQuery: (e: QueryEvent) => log.debug({ sql: e.sql, ms: e.ms, ...(e.error ? { err: e.error } : {}) }, 'sql') } : {}),
  });
  try {
    const res = await migrateToLatest(database.db);
    for (const r of res.results ?? []) log.info({ migration: r.migrationName }, 'migrated');
  } catch (e) {
    await database.close();
    throw e;
  }
  return database;
}

export async function startServer(config: Config, log: Logger = createLogger(config.logLevel)): Promise<RunningServer> {
  const database = await openAndMigrate(config, log);
  const services = createServices(database, config, log);
  const admin = await setUpAdmin(database.db, config.adminPassword, log);
  await installShippedProcesses(services, log);

  // Process roles (scale-out on one PostgreSQL): `web` answers HTTP and runs no jobs, `worker` runs
  // jobs and answers no HTTP; `all` (the default) does both.
  const web = config.role !== 'worker';
  const app = createApp(services);
  const server: ServerType | undefined = web
    ? await new Promise((resolve) => {
        const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
      })
    : undefined;
  const address = server?.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = web ? `http://${displayHost(config.host)}:${port}` : '';

  // On an embedded data folder the CLI cannot open the database while this server runs: the lock
  // says where the server answers and a 0600 file beside it holds this start's token for the CLI.
  const local = database.lock && web ? writeLocalToken(config.dataDir) : undefined;
  if (local) {
    services.auth.acceptLocalToken(local.token);
    database.lock!.update({ url: `http://${connectHost(config.host)}:${port}` });
  }

  // The job worker (script tasks): WORKER_CONCURRENCY jobs at once; WORKER_CONCURRENCY=0 runs none here.
  const worker = process.env.WORKER_CONCURRENCY === '0' || config.role === 'web' ? undefined : startWorker(services);
  // Warm the engine now rather than on the first step and the first script: the expression
  // evaluator loads, and the script workers start and load QuickJS (jobs wait for them meanwhile).
  const engine = engineFor(services);
  engine.ready().catch((err: unknown) => log.error({ err }, 'the expression evaluator failed to load'));
  if (worker) void engine.pool().ready();

  // Inbound mail over SMTP (MAIL_LISTEN=host:port; off by default).
  const inbound = loadInboundConfig();
  const mailListener = inbound.listen && web ? await startMailListener(services, inbound) : undefined;

  const purge = setInterval(() => {
    services.auth.purgeExpiredSessions().catch((err) => log.warn({ err }, 'session purge failed'));
  }, 10 * 60_000);
  purge.unref();

  log.info({ url, role: config.role, database: database.kind, location: database.location }, 'helpdesk started');
  if (web && !hasStaticBuild(config.staticDir)) log.warn({ dir: config.staticDir }, 'no web interface build found; run npm run build');
  // Printed on the console, not into the JSON log stream's fields (a generated password only once).
  const notice = adminNotice(admin);
  if (!web) process.stdout.write(`\n  Helpdesk worker is running (jobs only, no HTTP; database: ${database.kind})\n${notice.map((l) => l + '\n').join('')}\n`);
  else process.stdout.write(`\n  Helpdesk is running at ${url}${config.role === 'web' ? ' (web only: no jobs run here)' : ''}${admin.generatedPassword ? '' : ` (database: ${database.kind})`}\n${notice.map((l) => l + '\n').join('')}\n`);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      clearInterval(purge);
      if (server) {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          // Idle keep-alive connections would hold close() open.
          (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
        });
      }
      await mailListener?.close();
      await worker?.stop();
      await closeEngine(services);
      await closeParsePool();
      await closeRenderPool();
      local?.remove();
      await database.close();
      log.info('helpdesk stopped');
    })());
  return { url, port, database, close };
}

/** The host of the address the server is bound to, as a browser reaches it: all interfaces → `localhost`. */
export function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/** The host a local client reaches the server at: all interfaces → the loopback address. */
function connectHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/** Runs the server as the main program, exiting clearly when the data folder is taken. */
export async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  let running: RunningServer;
  try {
    running = await startServer(config, log);
  } catch (e) {
    if (e instanceof DataFolderLocked) {
      process.stderr.write(`\n  Cannot start: ${e.message}\n\n`);
      process.exit(3);
    }
    throw e;
  }
  let signals = 0;
  const stop = (signal: string) => {
    if (++signals > 1) process.exit(1);
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown took longer than 10 s; exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    running.close().then(
      () => process.exit(0),
      (err) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main();
}
