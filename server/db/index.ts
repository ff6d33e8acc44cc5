/**
 * Opens the database the configuration asks for: PostgreSQL through a `pg` Pool when a URL is
 * given, otherwise the embedded PGlite in the data folder (under an exclusive folder lock).
 * Both speak the same PostgreSQL SQL, so every query and migration runs on either.
 */
import path from 'node:path';
import { Kysely, Migrator, PostgresDialect, sql, type LogEvent, type MigrationResultSet } from 'kysely';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { lockDataFolder, type FolderLock } from './lock';
import { migrations } from './migrations/index';
import { TABLE_CHANNEL, TableChanges, type ChangeFeed } from './table-changes';
import type { DB } from './schema';

export type DatabaseKind = 'pglite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  kind: DatabaseKind;
  /** Where it lives, for logs: the data folder or the URL without its password. */
  location: string;
  /** The data-folder lock of an embedded database in a folder (absent for PostgreSQL and in memory). */
  lock?: FolderLock;
  /** The in-memory caches of rarely-changing rows and what invalidates them (`table-changes.ts`). */
  changes: TableChanges;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** `postgres://...`; when absent, PGlite is used. */
  url?: string | undefined;
  /** Data folder for PGlite; `undefined` means in memory (tests). */
  dataDir?: string | undefined;
  /** PostgreSQL schema to use (tests run each suite in its own). */
  schema?: string | undefined;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
  /** Told what opening did beyond connecting (a database it created). */
  notice?: (message: string) => void;
  /** Told of every query with its duration (`LOG_LEVEL=debug`), and of every failed one. */
  onQuery?: (event: QueryEvent) => void;
}

export interface QueryEvent {
  sql: string;
  ms: number;
  error?: unknown;
}

/** Kysely's `log` option feeding `onQuery`. */
function queryLog(onQuery: OpenOptions['onQuery']) {
  if (!onQuery) return {};
  return {
    log: (e: LogEvent) => onQuery({ sql: e.query.sql, ms: Math.round(e.queryDurationMillis * 10) / 10, ...(e.level === 'error' ? { error: e.error } : {}) }),
  };
}

// int8 (count(*), sums) arrives as a string by default; our counts fit in a JS number.
pg.types.setTypeParser(20, (v) => Number(v));

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres';
  }
}

/**
 * Creates the database `url` names, connected to the server's `postgres` database with the same
 * role. When the role may not, the error gives the exact `createdb` command to run.
 */
async function createMissingDatabase(url: string, notice?: (message: string) => void): Promise<void> {
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.replace(/^\//, ''));
  const user = decodeURIComponent(u.username) || process.env.PGUSER || process.env.USER || 'postgres';
  const maintenance = new URL(url);
  maintenance.pathname = name === 'postgres' ? '/template1' : '/postgres';
  const client = new pg.Client({ connectionString: maintenance.toString() });
  const quote = (v: string) => (/^[\w.-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`);
  const command = `createdb -h ${quote(u.hostname || 'localhost')} -p ${u.port || '5432'} -U ${quote(user)} ${quote(name)}`;
  try {
    await client.connect();
    await client.query(`create database "${name.replace(/"/g, '""')}"`);
  } catch (e) {
    const err = e as Error & { code?: string };
    if (err.code === '42P04') return; // created by another process at the same moment
    const why = err.code === '42501' ? `the role "${user}" may not create databases` : err.message;
    throw new Error(`the PostgreSQL database "${name}" does not exist at ${redact(url)}, and it could not be created (${why}). Create it with:\n  ${command}`);
  } finally {
    await client.end().catch(() => undefined);
  }
  notice?.(`created the PostgreSQL database "${name}" (it did not exist) at ${redact(url)}`);
}

/** Table changes on PostgreSQL: one LISTEN connection of its own, opened on first use. */
function postgresFeed(url: string, schema: string | undefined): ChangeFeed {
  let client: pg.Client | undefined;
  return {
    async listen(onPayload, onLost) {
      const c = new pg.Client({ connectionString: url, ...(schema ? { options: `-c search_path=${schema},public` } : {}) });
      client = c;
      let lost = false;
      const lose = () => {
        if (lost) return;
        lost = true;
        if (client === c) client = undefined;
        onLost();
        void c.end().catch(() => undefined);
      };
      c.on('error', lose);
      c.on('end', lose);
      c.on('notification', (n) => n.payload && onPayload(n.payload));
      try {
        await c.connect();
        await c.query(`LISTEN ${TABLE_CHANNEL}`);
        const { rows } = await c.query<{ s: string }>('select current_schema() as s');
        return rows[0]!.s;
      } catch (e) {
        c.removeAllListeners('end');
        await c.end().catch(() => undefined);
        throw e;
      }
    },
    async close() {
      const c = client;
      client = undefined;
      if (c) {
        c.removeAllListeners('end');
        c.removeAllListeners('error');
        c.on('error', () => undefined);
        await c.end().catch(() => undefined);
      }
    },
  };
}

/** Table changes on PGlite: its own LISTEN (one process, delivered as the statement commits). */
function pgliteFeed(pglite: PGlite): ChangeFeed {
  let unlisten: (() => Promise<void>) | undefined;
  return {
    async listen(onPayload) {
      unlisten = await pglite.listen(TABLE_CHANNEL, onPayload);
      const { rows } = await pglite.query<{ s: string }>('select current_schema() as s');
      return rows[0]!.s;
    },
    async close() {
      if (unlisten && !pglite.closed) await unlisten().catch(() => undefined);
      unlisten = undefined;
    },
  };
}

/** Opens (but does not migrate) a database. */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.url) {
    const pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.poolSize ?? 10,
      ...(opts.schema ? { options: `-c search_path=${opts.schema},public` } : {}),
    });
    // Fail fast with a clear message when the server is unreachable; create a missing database.
    const connect = () => pool.connect().then((c) => c.release());
    await connect().catch(async (e: Error & { code?: string }) => {
      if (e.code === '3D000') {
        await createMissingDatabase(opts.url!, opts.notice).catch(async (err: unknown) => {
          await pool.end();
          throw err;
        });
        return connect();
      }
      await pool.end();
      throw new Error(`cannot connect to PostgreSQL at ${redact(opts.url!)}: ${e.message}`);
    });
    const changes = new TableChanges(postgresFeed(opts.url, opts.schema));
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), ...queryLog(opts.onQuery), plugins: [changes.plugin] });
    // Kysely ends the pool only when it used it; a database opened and closed unused ends it here.
    const close = async () => {
      await changes.close();
      await db.destroy();
      if (!pool.ended) await pool.end();
    };
    return { db, kind: 'postgres', location: redact(opts.url), changes, close };
  }

  let lock: FolderLock | undefined;
  let pglite: PGlite;
  if (opts.dataDir) {
    lock = lockDataFolder(opts.dataDir);
    try {
      pglite = await PGlite.create(path.join(opts.dataDir, 'pglite'), { extensions: { pg_trgm } });
    } catch (e) {
      lock.release();
      throw e;
    }
  } else {
    pglite = await PGlite.create({ extensions: { pg_trgm } });
  }
  const changes = new TableChanges(pgliteFeed(pglite));
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite), ...queryLog(opts.onQuery), plugins: [changes.plugin] });
  return {
    db,
    kind: 'pglite',
    location: opts.dataDir ?? 'memory',
    ...(lock ? { lock } : {}),
    changes,
    close: async () => {
      await changes.close();
      await db.destroy();
      lock?.release();
    },
  };
}

/**
 * The migrator, keeping its bookkeeping tables in the connection's current schema. (Without the
 * schema, Kysely finds a `kysely_migration` table in *any* schema and skips creating its own — wrong
 * when several schemas share a database, as parallel test runs do.)
 */
async function migrator(db: Kysely<DB>): Promise<Migrator> {
  const { rows } = await sql<{ s: string }>`select current_schema() as s`.execute(db);
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableSchema: rows[0]?.s ?? 'public',
    // Features are built on parallel branches, each with its own numbered migration: a database
    // that already ran a later number still gets an earlier one that arrives afterwards (each
    // migration stands on its own).
    allowUnorderedMigrations: true,
  });
}

/** Runs every pending migration; throws with the failing migration's name on error. */
export async function migrateToLatest(db: Kysely<DB>): Promise<MigrationResultSet> {
  const result = await (await migrator(db)).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const err = result.error instanceof Error ? result.error : new Error(String(result.error));
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${err.message}`, { cause: err });
  }
  return result;
}

/** The migrations applied so far and the latest one the code knows. */
export async function migrationLevel(db: Kysely<DB>): Promise<{ applied: number; current: string | null; latest: string }> {
  const list = await (await migrator(db)).getMigrations();
  const applied = list.filter((m) => m.executedAt !== undefined);
  const names = Object.keys(migrations);
  return {
    applied: applied.length,
    current: applied.at(-1)?.name ?? null,
    latest: names[names.length - 1]!,
  };
}
