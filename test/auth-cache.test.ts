/**
 * The in-memory caches behind token authentication and permission checks (`server/db/table-changes.ts`)
 * never outlive a change: a revoked token, an agent set invalid or a permission taken away stop
 * working at once in the process that made the change, and — through LISTEN on PostgreSQL — in
 * another server process on the same database, also when the change comes from outside the app
 * (plain SQL, as psql would send it).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Access } from '../server/access/access';
import { AuthService, ensureAdmin } from '../server/auth/service';
import { openDatabase, type Database } from '../server/db/index';
import { createTestDatabase, databaseKinds, TEST_DATABASE_URL, type TestDatabase } from './support/db';

const config = { sessionIdleMinutes: 60, sessionMaxHours: 12, loginMaxFailures: 5, loginLockMinutes: 15 };
const auth = (d: Database) => new AuthService({ db: d.db, config, now: () => new Date() });

/** Polls `check` until it holds (a change announced by NOTIFY reaches the other process soon, not at once). */
async function eventually(check: () => Promise<boolean>, what: string) {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`never: ${what}`);
}

describe.each(databaseKinds)('auth caches (%s)', (kind) => {
  let d: TestDatabase;
  beforeAll(async () => {
    d = await createTestDatabase(kind);
    await ensureAdmin(d.db, 'cache-admin-pw');
  });
  afterAll(() => d.close());

  it('serves a token from memory but refuses it at once when it is revoked, also by plain SQL', async () => {
    const a = auth(d);
    const admin = (await a.agent(1))!;
    const t1 = await a.createToken(admin.id, 'one', null);
    expect((await a.resolveToken(t1.token))?.login).toBe('admin');
    expect((await a.resolveToken(t1.token))?.login).toBe('admin'); // a second time: from memory once listening
    await a.revokeToken(admin.id, t1.id);
    expect(await a.resolveToken(t1.token)).toBeUndefined();

    const t2 = await a.createToken(admin.id, 'two', null);
    expect(await a.resolveToken(t2.token)).toBeDefined();
    await sql`update api_tokens set revoked_at = now() where id = ${t2.id}`.execute(d.db);
    await eventually(async () => (await a.resolveToken(t2.token)) === undefined, 'the token revoked by SQL is refused');
  });

  it('takes administrator rights away as soon as the group membership goes', async () => {
    const admin = (await auth(d).agent(1))!;
    const access = () => new Access(d.db, { kind: 'agent', id: admin.id, login: 'admin', via: 'token' });
    expect(await access().isAdmin()).toBe(true);
    expect(await access().isAdmin()).toBe(true);
    const adminGroup = await d.db.selectFrom('groups').select('id').where('name', '=', 'admin').executeTakeFirstOrThrow();
    await d.db.updateTable('agent_groups').set({ permission: 'ro' }).where('agent_id', '=', admin.id).where('group_id', '=', adminGroup.id).execute();
    expect(await access().isAdmin()).toBe(false);
    await sql`update agent_groups set permission = 'rw' where agent_id = ${admin.id} and group_id = ${adminGroup.id}`.execute(d.db);
    await eventually(() => access().isAdmin(), 'rw by SQL makes the agent admin again');
  });
});

describe.skipIf(!TEST_DATABASE_URL)('auth caches across server processes (postgres)', () => {
  let d: TestDatabase;
  let other: Database;
  beforeAll(async () => {
    d = await createTestDatabase('postgres');
    await ensureAdmin(d.db, 'cache-admin-pw');
    other = await openDatabase({ url: TEST_DATABASE_URL, schema: d.schema, poolSize: 2 });
  });
  afterAll(async () => {
    await other?.close();
    await d?.close();
  });

  it('a token revoked and an agent set invalid through one process stop working in the other', async () => {
    const here = auth(d);
    const there = auth(other);
    const admin = (await here.agent(1))!;
    const t = await here.createToken(admin.id, 'shared', null);
    await eventually(async () => (await there.resolveToken(t.token)) !== undefined && other.changes.live(), 'the other process listens');
    expect(await there.resolveToken(t.token)).toBeDefined(); // now from its memory
    await here.revokeToken(admin.id, t.id);
    await eventually(async () => (await there.resolveToken(t.token)) === undefined, 'the revoked token is refused by the other process');

    const t2 = await here.createToken(admin.id, 'second', null);
    expect(await there.resolveToken(t2.token)).toBeDefined();
    await d.db.updateTable('agents').set({ valid: false }).where('id', '=', admin.id).execute();
    await eventually(async () => (await there.resolveToken(t2.token)) === undefined, 'the invalid agent is refused by the other process');
    await d.db.updateTable('agents').set({ valid: true }).where('id', '=', admin.id).execute();
  });
});
