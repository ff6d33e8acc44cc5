/**
 * The compiled server (`npm run build:server`): the bundle, built into a private folder beside
 * dist/ (so the real dist/ and other tests are untouched), runs the CLI without tsx and serves;
 * a script runs in a sandbox worker thread started from the bundle's own worker boot file (the part
 * a bundler most easily gets wrong).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../server/config';
import { freePort, SPAWN_BUDGET_MS, spawnTestTimeout } from './support/spawn';

// @ts-expect-error plain JavaScript module without types
const { buildServer } = (await import('../bin/server-build.mjs')) as { buildServer(outDir: string): Promise<void> };

const outDir = path.join(PROJECT_ROOT, `dist-test-${process.pid}`);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-build-'));
// A launcher file, not `node -e`: worker threads inherit the parent's exec arguments, eval code included.
const launcher = path.join(outDir, 'launch.mjs');
const cliFrom = (args: string[]) => [launcher, ...args];
const env = { ...process.env, LOG_LEVEL: 'warn', DATABASE_URL: '', DATA_DIR: dataDir, ADMIN_PASSWORD: 'bundle-admin-pw1' };

describe('compiled server', { timeout: spawnTestTimeout(3) }, () => {
  const children: ReturnType<typeof spawn>[] = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    fs.rmSync(outDir, { recursive: true, force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs the CLI and the server from the bundle, scripts in worker threads booted from it', async () => {
    await buildServer(outDir);
    fs.writeFileSync(launcher, "const { run } = await import('./cli.mjs');\nprocess.exitCode = await run(process.argv.slice(2));\n");
    for (const f of fs.readdirSync(outDir).filter((n) => n.endsWith('.mjs'))) expect(fs.readFileSync(path.join(outDir, f), 'utf8'), f).not.toMatch(/from ["']tsx/);

    const help = spawnSync(process.execPath, cliFrom(['help']), { cwd: PROJECT_ROOT, env, encoding: 'utf8', timeout: SPAWN_BUDGET_MS });
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toContain('Usage: helpdesk [--url <address>] <command>');

    const port = await freePort();
    let out = '';
    const server = spawn(process.execPath, cliFrom(['serve']), { cwd: PROJECT_ROOT, env: { ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(server);
    server.stdout!.on('data', (d) => (out += d));
    server.stderr!.on('data', (d) => (out += d));
    const base = `http://127.0.0.1:${port}/api/v1`;
    const until = Date.now() + SPAWN_BUDGET_MS;
    for (;;) {
      if (server.exitCode !== null) throw new Error(`the bundled server exited: ${out}`);
      if (Date.now() > until) throw new Error(`the bundled server did not answer: ${out}`);
      if (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const login = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'admin', password: 'bundle-admin-pw1' }) });
    expect(login.status).toBe(200);
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const run = await fetch(`${base}/scripts/count-leave-days/run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({ params: { start: '2026-12-07', end: '2026-12-13' } }),
    });
    expect(run.status).toBe(200);
    expect(await run.json()).toMatchObject({ ok: true, vars: { days: 5 }, dynamicFields: { LeaveDays: '5' } });
    server.kill('SIGTERM');
    expect(await new Promise((r) => server.on('exit', r))).toBe(0);
  });
});
