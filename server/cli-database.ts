/**
 * How a CLI command opens the database: one line on standard error names the data folder or the
 * PostgreSQL database it uses (standard output stays the command's own), then the database is
 * migrated and, unless told otherwise, the admin is set up exactly as `npm start` does it, its
 * notice (a generated password, an ignored ADMIN_PASSWORD) printed on standard error.
 */
import type { Config } from './config';
import type { Database } from './db/index';

/** The line a CLI command prints about the database it uses. */
export function databaseLine(config: Config): string {
  return config.databaseUrl ? `using the PostgreSQL database ${redactUrl(config.databaseUrl)}` : `using the data folder ${config.dataDir}`;
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'from DATABASE_URL';
  }
}

export async function openForCli(config: Config, opts: { admin?: boolean } = {}): Promise<Database> {
  process.stderr.write(databaseLine(config) + '\n');
  const [{ createLogger }, { openAndMigrate }, { setUpAdmin, adminNotice }] = await Promise.all([import('./log'), import('./main'), import('./auth/admin')]);
  const database = await openAndMigrate(config, createLogger('warn', 2));
  if (opts.admin !== false) {
    try {
      const notice = adminNotice(await setUpAdmin(database.db, config.adminPassword));
      if (notice.length) process.stderr.write(`\n${notice.join('\n')}\n\n`);
    } catch (e) {
      await database.close();
      throw e;
    }
  }
  return database;
}
