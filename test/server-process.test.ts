/**
 * The server as a newcomer starts it: a real process on a data folder. It reports its database,
 * refuses a second process on the same folder (naming the folder and the holder) while the first
 * keeps serving, and on SIGTERM drains, closes and releases the folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../server/config';
import { migrations } from '../server/db/migrations/index';
import { createSchema, dropSchema, TEST_DATABASE_URL, urlWithSchema } from './support/db';
import { freePort, SPAWN_BUDGET_MS, spawnTestTimeout } from './support/spawn';

const MIGRATIONS = Object.keys(migrations).length;
const BIN = path.join(PROJECT_ROOT, 'bin/helpdesk.mjs');

interface Proc {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(env: Record<string, string>): Proc {
  let out = '';
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, output: () => out, exited };
}

/** Polls /healthz until it answers, the process exits, or the cold-start budget is spent. */
async function waitHealthy(port: number, proc: Proc): Promise<any> {
  const until = Date.now() + SPAWN_BUDGET_MS;
  while (Date.now() < until) {
    if (proc.child.exitCode !== null) throw new Error(`server exited: ${proc.output()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.ok) return res.json();
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not become healthy: ${proc.output()}`);
}

const procs: Proc[] = [];
const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-data-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('server process on PGlite', { timeout: spawnTestTimeout(3) }, () => {
  it('serves, refuses a second process on its data folder, and shuts down cleanly on SIGTERM', async () => {
    const dataDir = tempDir();
    const port = await freePort();
    const first = start({ DATA_DIR: dataDir, PORT: String(port), ADMIN_PASSWORD: 'first-admin-pw' });
    procs.push(first);
    const health = await waitHealthy(port, first);
    expect(health).toMatchObject({ status: 'ok', database: 'pglite', migrations: { applied: MIGRATIONS } });
    expect(first.output()).toContain(`Helpdesk is running at http://localhost:${port}`);
    expect(fs.existsSync(path.join(dataDir, 'helpdesk.lock'))).toBe(true);

    const second = start({ DATA_DIR: dataDir, PORT: String(await freePort()) });
    procs.push(second);
    expect(await second.exited).toBe(3);
    expect(second.output()).toContain(`The data folder ${dataDir} is in use by process ${first.child.pid}`);

    // The first keeps working, including logins that write.
    const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'admin', password: 'first-admin-pw' }),
    });
    expect(login.status).toBe(200);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'helpdesk.lock'))).toBe(false);

    // The data survives a restart, and the admin is not created again.
    const again = start({ DATA_DIR: dataDir, PORT: String(port) });
    procs.push(again);
    await waitHealthy(port, again);
    expect(again.output()).not.toContain('created the agent');
    const relogin = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'admin', password: 'first-admin-pw' }),
    });
    expect(relogin.status).toBe(200);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });

  it('prints a generated admin password once when none is configured', async () => {
    const dataDir = tempDir();
    const port = await freePort();
    const env = { ...process.env };
    delete env.ADMIN_PASSWORD;
    const p = start({ ...(env as Record<string, string>), DATA_DIR: dataDir, PORT: String(port) });
    procs.push(p);
    await waitHealthy(port, p);
    const m = /created the agent "admin" with the password (\S+)/.exec(p.output());
    expect(m).not.toBeNull();
    const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'admin', password: m![1] }),
    });
    expect(login.status).toBe(200);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
  });
});

describe.skipIf(!TEST_DATABASE_URL)('server process on PostgreSQL', { timeout: spawnTestTimeout(2) }, () => {
  it('reports "postgres" and lets two processes share one database', async () => {
    const schema = await createSchema();
    try {
      const url = urlWithSchema(schema);
      const [p1, p2] = [await freePort(), await freePort()];
      const a = start({ DATABASE_URL: url, PORT: String(p1), ADMIN_PASSWORD: 'pg-admin-pw' });
      procs.push(a);
      expect(await waitHealthy(p1, a)).toMatchObject({ database: 'postgres', migrations: { applied: MIGRATIONS } });
      const b = start({ DATABASE_URL: url, PORT: String(p2) });
      procs.push(b);
      expect(await waitHealthy(p2, b)).toMatchObject({ database: 'postgres' });
      a.child.kill('SIGTERM');
      b.child.kill('SIGTERM');
      expect(await a.exited).toBe(0);
      expect(await b.exited).toBe(0);
    } finally {
      await dropSchema(schema);
    }
  });
});
