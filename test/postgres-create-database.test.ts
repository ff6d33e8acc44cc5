/**
 * A DATABASE_URL naming a database that does not exist yet: the server creates it when its role may
 * (and says so), else it answers with the exact `createdb` command. Against the local PostgreSQL
 * server of TEST_DATABASE_URL, with a new database name (dropped afterwards); skipped without it.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../server/db/index';
import { TEST_DATABASE_URL } from './support/db';

const urlFor = (db: string, user?: string) => {
  const u = new URL(TEST_DATABASE_URL!);
  u.pathname = `/${db}`;
  if (user) {
    u.username = user;
    u.password = '';
  }
  return u.toString();
};

async function admin(sqlText: string) {
  const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await c.connect();
  try {
    return await c.query(sqlText);
  } finally {
    await c.end();
  }
}

describe.skipIf(!TEST_DATABASE_URL)('a missing PostgreSQL database', () => {
  const name = `hd_new_${randomBytes(4).toString('hex')}`;
  const role = `hd_nocreate_${randomBytes(4).toString('hex')}`;
  afterAll(async () => {
    await admin(`drop database if exists ${name}`);
    await admin(`drop database if exists ${name}_x`);
    await admin(`drop role if exists ${role}`);
  });

  it('is created when the role may, and the creation is told', async () => {
    const notices: string[] = [];
    const database = await openDatabase({ url: urlFor(name), notice: (m) => notices.push(m) });
    try {
      expect(notices).toEqual([expect.stringContaining(`created the PostgreSQL database "${name}" (it did not exist)`)]);
      expect((await admin(`select 1 from pg_database where datname = '${name}'`)).rowCount).toBe(1);
    } finally {
      await database.close();
    }
    // Opened again: nothing to create, nothing told.
    const again: string[] = [];
    await (await openDatabase({ url: urlFor(name), notice: (m) => again.push(m) })).close();
    expect(again).toEqual([]);
  });

  it('answers with the createdb command when the role may not create databases', async () => {
    await admin(`create role ${role} login nocreatedb`);
    const host = new URL(TEST_DATABASE_URL!).hostname;
    const port = new URL(TEST_DATABASE_URL!).port || '5432';
    await expect(openDatabase({ url: urlFor(`${name}_x`, role) })).rejects.toThrow(
      `the PostgreSQL database "${name}_x" does not exist at ${urlFor(`${name}_x`, role)}, and it could not be created (the role "${role}" may not create databases). Create it with:\n  createdb -h ${host} -p ${port} -U ${role} ${name}_x`,
    );
    expect((await admin(`select 1 from pg_database where datname = '${name}_x'`)).rowCount).toBe(0);
  });
});
