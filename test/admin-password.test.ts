/**
 * The admin's password is never lost: whichever command creates the admin shows the generated
 * password as `npm start` does; a later ADMIN_PASSWORD that does not apply is said so, not ignored
 * silently; `npx helpdesk admin reset-password` sets a new one. In-process on both databases, then
 * through the real CLI and server on a fresh data folder.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { adminNotice, resetAdminPassword, setUpAdmin } from '../server/auth/admin';
import { verifyPassword } from '../server/auth/secrets';
import { PROJECT_ROOT } from '../server/config';
import { createTestDatabase, databaseKinds } from './support/db';
import { freePort, SPAWN_BUDGET_MS, spawnTestTimeout } from './support/spawn';

describe.each(databaseKinds)('the admin agent (%s)', (kind) => {
  it('shows a generated password once, says when ADMIN_PASSWORD no longer applies, and resets it', async () => {
    const database = await createTestDatabase(kind);
    try {
      const first = await setUpAdmin(database.db, undefined);
      expect(first.generatedPassword).toMatch(/\S{12,}/);
      expect(adminNotice(first)).toEqual([
        `  First start: created the agent "admin" with the password ${first.generatedPassword}`,
        '  (shown only this once; set ADMIN_PASSWORD on first start to choose it)',
      ]);
      expect(adminNotice(await setUpAdmin(database.db, undefined))).toEqual([]);
      expect(adminNotice(await setUpAdmin(database.db, first.generatedPassword))).toEqual([]);
      const later = await setUpAdmin(database.db, 'a-later-password');
      expect(later).toEqual({ passwordIgnored: true });
      expect(adminNotice(later)[0]).toMatch(/ADMIN_PASSWORD is set but ignored: the agent "admin" already exists.*npx helpdesk admin reset-password/);

      const hash = async () => (await database.db.selectFrom('agents').select('password_hash').where('login', '=', 'admin').executeTakeFirstOrThrow()).password_hash;
      await database.db.insertInto('login_throttle').values({ key: 'agent:admin', failures: 5, last_failure_at: new Date(), locked_until: new Date(Date.now() + 3_600_000) }).execute();
      expect(await resetAdminPassword(database.db, 'a-later-password')).toEqual({ password: 'a-later-password', generated: false });
      expect(await verifyPassword('a-later-password', await hash())).toBe(true);
      expect(await database.db.selectFrom('login_throttle').selectAll().execute()).toEqual([]);
      const generated = await resetAdminPassword(database.db, undefined);
      expect(generated.generated).toBe(true);
      expect(await verifyPassword(generated.password, await hash())).toBe(true);
    } finally {
      await database.close();
    }
  });
});

const BIN = path.join(PROJECT_ROOT, 'bin/helpdesk.mjs');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-admin-'));
const children: ReturnType<typeof spawn>[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function cliEnv(extra: Record<string, string> = {}) {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), LOG_LEVEL: 'warn', DATABASE_URL: '', DATA_DIR: dataDir, ...extra };
  if (!('ADMIN_PASSWORD' in extra)) delete env.ADMIN_PASSWORD;
  return env;
}
const helpdesk = (args: string[], extra?: Record<string, string>) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: cliEnv(extra), encoding: 'utf8', timeout: SPAWN_BUDGET_MS });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

async function login(port: number, password: string) {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'admin', password }) });
  return res.status;
}

describe('the admin password through the CLI', { timeout: spawnTestTimeout(5) }, () => {
  it('process list on a fresh folder prints the password (stderr, stdout stays the list); a later start says ADMIN_PASSWORD is ignored; reset-password sets it', async () => {
    const list = helpdesk(['process', 'list']);
    expect(list.code, list.err).toBe(0);
    expect(list.err).toContain(`using the data folder ${dataDir}\n`);
    const m = /^ {2}First start: created the agent "admin" with the password (\S+)\n {2}\(shown only this once; set ADMIN_PASSWORD on first start to choose it\)$/m.exec(list.err);
    expect(m, list.err).not.toBeNull();
    expect(list.out).not.toContain('admin');
    const again = helpdesk(['process', 'list']);
    expect(again.err).not.toContain('First start');

    const port = await freePort();
    let out = '';
    const server = spawn(process.execPath, [BIN, 'serve'], { env: cliEnv({ PORT: String(port), HOST: '127.0.0.1', ADMIN_PASSWORD: 'chosen-too-late' }), stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(server);
    server.stdout!.on('data', (d) => (out += d));
    server.stderr!.on('data', (d) => (out += d));
    const exited = new Promise((r) => server.on('exit', r));
    const until = Date.now() + SPAWN_BUDGET_MS;
    while (!out.includes('Helpdesk is running at')) {
      if (server.exitCode !== null || Date.now() > until) throw new Error(`the server did not start: ${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(out).toContain(`Helpdesk is running at http://127.0.0.1:${port} (database: pglite)`);
    expect(out).toContain('ADMIN_PASSWORD is set but ignored: the agent "admin" already exists with another password');
    expect(await login(port, m![1]!)).toBe(200);
    expect(await login(port, 'chosen-too-late')).toBe(401);
    server.kill('SIGTERM');
    await exited;

    const reset = helpdesk(['admin', 'reset-password']);
    expect(reset.code, reset.err).toBe(0);
    const pw = /^new password of the agent "admin": (\S+)$/m.exec(reset.out);
    expect(pw, reset.out).not.toBeNull();
    const chosen = helpdesk(['admin', 'reset-password'], { ADMIN_PASSWORD: 'chosen-now-1234' });
    expect(chosen.out).toContain('the agent "admin" now has the password from ADMIN_PASSWORD');
    expect(helpdesk(['admin', 'frobnicate']).code).toBe(2);
  });
});
