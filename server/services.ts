/**
 * The services of one running server, built once from a database and a configuration and handed to
 * routes through the request context (no module-level singletons).
 */
import type { Logger } from 'pino';
import { AuthService, type Clock } from './auth/service';
import type { Config } from './config';
import type { Database } from './db/index';

export interface Services {
  database: Database;
  config: Config;
  log: Logger;
  now: Clock;
  auth: AuthService;
}

export function createServices(database: Database, config: Config, log: Logger, now: Clock = () => new Date()): Services {
  return {
    database,
    config,
    log,
    now,
    auth: new AuthService({ db: database.db, config, now }),
  };
}
