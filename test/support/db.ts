/**
 * Test databases: an in-memory PGlite always, and PostgreSQL too when `TEST_DATABASE_URL` is set.
 * Each PostgreSQL database lives in its own schema (dropped afterwards), so parallel test files and
 * parallel CI runs never see each other's rows.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrateToLatest, openDatabase, type Database, type DatabaseKind } from '../../server/db/index';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;

/** The database kinds this run covers. */
export const databaseKinds: DatabaseKind[] = TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDatabase extends Database {
  /** The PostgreSQL schema in use, for spawning a server process on the same data. */
  schema?: string;
}

/** Creates a fresh, migrated database of the given kind. `close()` also drops it. */
export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const database = await openDatabase({});
    await migrateToLatest(database.db);
    return database;
  }
  if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
  const schema = await createSchema();
  const database = await openDatabase({ url: TEST_DATABASE_URL, schema, poolSize: 5 });
  await migrateToLatest(database.db);
  return {
    ...database,
    schema,
    close: async () => {
      await database.close();
      await dropSchema(schema);
    },
  };
}

/** Creates an empty uniquely named schema in the test PostgreSQL database. */
export async function createSchema(): Promise<string> {
  const schema = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`create schema ${schema}`);
  } finally {
    await client.end();
  }
  return schema;
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
}

/** A connection URL that puts a server process into `schema`. */
export function urlWithSchema(schema: string): string {
  const u = new URL(TEST_DATABASE_URL!);
  u.searchParams.set('options', `-c search_path=${schema},public`);
  return u.toString();
}
