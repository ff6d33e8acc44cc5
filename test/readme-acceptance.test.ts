/**
 * The README as a newcomer follows it, in its order, on a fresh data folder in a temporary
 * directory: start the server (the first-start lines it shows, the address bound), log in and write
 * over the API as its curl lines do (with the X-CSRF-Token); with the server still running, the CLI
 * commands it lists (seed, validate, import the shipped OTOBO example, export, list) go through the
 * server (the `using the server at …` line the README shows); stop (lock and token file gone); the
 * same list opened directly prints the same; an ADMIN_PASSWORD set too late (said so), and
 * `admin reset-password` beside the running server. Each command is taken from the README text, so
 * the README cannot drift from what the commands print; the exit codes it lists are the help's.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../server/config';
import { freePort, runCommand, SPAWN_BUDGET_MS, spawnTestTimeout } from './support/spawn';

const BIN = path.join(PROJECT_ROOT, 'bin/helpdesk.mjs');
const README = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-readme-'));
const children: ReturnType<typeof spawn>[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  fs.rmSync(work, { recursive: true, force: true });
});

function env(extra: Record<string, string> = {}): Record<string, string> {
  const e: Record<string, string> = { ...(process.env as Record<string, string>), LOG_LEVEL: 'warn', DATABASE_URL: '', DATA_DIR: path.join(work, 'data'), ...extra };
  if (!('ADMIN_PASSWORD' in extra)) delete e.ADMIN_PASSWORD;
  return e;
}

/** Runs a command the README shows (`npx helpdesk …`), checking first that the README shows it. */
async function readmeCommand(line: string, extra?: Record<string, string>, smaller?: (args: string[]) => string[]) {
  expect(README, `README shows "${line}"`).toContain(line);
  const shown = line.replace(/^npx helpdesk /, '').split(' ');
  const args = smaller ? smaller(shown) : shown;
  return runCommand(process.execPath, [BIN, ...args], { cwd: work, env: env(extra) });
}

async function serve(port: number, extra: Record<string, string> = {}) {
  let out = '';
  const child = spawn(process.execPath, [BIN, 'serve'], { cwd: work, env: env({ PORT: String(port), HOST: '127.0.0.1', ...extra }), stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise((r) => child.on('exit', r));
  const until = Date.now() + SPAWN_BUDGET_MS;
  while (!/Helpdesk is running at [^\n]*\n(?: {2}[^\n]*\n)*\n/.test(out)) {
    if (child.exitCode !== null || Date.now() > until) throw new Error(`the server (${JSON.stringify(extra)}) did not start (exit ${child.exitCode}, signal ${child.signalCode}): ${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    pid: child.pid!,
    url: `http://127.0.0.1:${port}`,
    output: () => out,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

describe('the README, followed in order', () => {
  it('lists the exit codes the CLI help lists', () => {
    const help = spawnSync(process.execPath, [BIN, 'help'], { cwd: work, env: env(), encoding: 'utf8', timeout: SPAWN_BUDGET_MS });
    const codes = (text: string) => [...new Set([...text.matchAll(/\b(\d{1,2})\b(?= [a-z(])/g)].map((m) => Number(m[1])))].sort((a, b) => a - b);
    const inHelp = /Exit codes: ([\s\S]*?)\n\n/.exec(help.stdout)![1]!;
    const inReadme = /Exit codes of every command: ([\s\S]*?)\n\n/.exec(README)![1]! + /`mail read` exits 75 instead of 1, 3 or 4/.exec(README)![0];
    expect(codes(inHelp)).toEqual([0, 1, 2, 3, 4, 75]);
    expect(codes(inReadme)).toEqual([0, 1, 2, 3, 4, 75]);
    expect(inHelp).toContain('mail read: 75 instead of 1, 3 and 4');
    expect(help.stdout).toContain('--url <address>   use the server at that address, with the API token in HELPDESK_TOKEN');
    expect(README).toContain('npx helpdesk --url https://helpdesk.example.com process list');
  });

  it('starts, logs in, writes, stops, and runs the CLI commands it shows', { timeout: spawnTestTimeout(10) }, async () => {
    for (const d of ['examples', 'processes']) fs.symlinkSync(path.join(PROJECT_ROOT, d), path.join(work, d));

    // "The two commands": the first start prints the lines the README shows (the password differs).
    const shown = /The first start prints:\n\n```\n([\s\S]*?)```/.exec(README)![1]!.split('\n').filter(Boolean);
    const port = await freePort();
    const server = await serve(port);
    const printed = server.output().split('\n').filter((l) => l.startsWith('  '));
    expect(printed).toHaveLength(shown.length);
    expect(printed[0]).toBe(shown[0]!.replace('http://localhost:8080', `http://127.0.0.1:${port}`));
    const password = /with the password (\S+)$/.exec(printed[1]!)![1]!;
    expect(printed[1]).toBe(shown[1]!.replace('7mQ...', password));
    expect(printed[2]).toBe(shown[2]);

    // The curl lines: log in (cookie + csrfToken), read with the cookie, write with the token too.
    const base = `http://127.0.0.1:${port}`;
    expect(README).toContain("-H 'X-CSRF-Token: <csrfToken>'");
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'admin', password }) });
    expect(login.status).toBe(200);
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    expect((await fetch(`${base}/api/v1/auth/me`, { headers: { cookie } })).status).toBe(200);
    const ticket = { title: 'Printer', queue: 'Raw', article: { body: 'It jams.' } };
    expect(README).toContain(JSON.stringify(ticket));
    const noToken = await fetch(`${base}/api/v1/tickets`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(ticket) });
    expect(noToken.status).toBe(403);
    const created = await fetch(`${base}/api/v1/tickets`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': csrfToken }, body: JSON.stringify(ticket) });
    expect(created.status).toBe(201);
    expect(await (await fetch(`${base}/healthz`)).json()).toMatchObject({ status: 'ok', database: 'pglite' });

    // The CLI beside the running server: the lock says where it answers, the commands use its API.
    const lock = JSON.parse(fs.readFileSync(path.join(work, 'data/helpdesk.lock'), 'utf8'));
    expect(lock).toMatchObject({ pid: server.pid, url: base });
    expect(fs.statSync(path.join(work, 'data/helpdesk.token')).mode & 0o777).toBe(0o600);
    const shownBeside = /`(using the server at http:\/\/127\.0\.0\.1:8080 \(process 4711, data folder \/…\/data\))`/.exec(README)![1]!;
    const besideLine = shownBeside.replace('http://127.0.0.1:8080', base).replace('4711', String(server.pid)).replace('/…/data', path.join(work, 'data'));
    const lines = (text: string) => text.split('\n');
    const seed = await readmeCommand('npx helpdesk seed --tickets 100000', {}, (a) => a.map((x) => (x === '100000' ? '5' : x)));
    expect(seed.code, seed.err).toBe(0);
    expect(lines(seed.err)).toContain(besideLine);
    expect(seed.err).not.toContain('First start');
    expect(seed.out).toMatch(/^seeded 5 tickets and \d+ articles in [\d.]+ s$/m);

    const validate = await readmeCommand('npx helpdesk process validate examples/leave-request.bpmn');
    expect(validate.out).toBe('valid: leave-request (bpmn)\n');

    const imported = await readmeCommand('npx helpdesk process import examples/otobo-equipment-request.yml --create-missing --deploy');
    expect(imported.code, imported.err).toBe(0);
    expect(lines(imported.err)).toContain(besideLine);
    expect(imported.out.trim().split('\n').at(-1)).toBe('imported equipment-request, deployed as version 1');

    const exported = await readmeCommand('npx helpdesk process export leave-request --format bpmn --output leave-request.bpmn');
    expect(exported.code, exported.err).toBe(0);
    expect(lines(exported.err)).toContain(besideLine);
    expect(fs.readFileSync(path.join(work, 'leave-request.bpmn'), 'utf8')).toContain('hd:key="leave-request"');

    const list = await readmeCommand('npx helpdesk process list');
    expect(lines(list.err)).toContain(besideLine);
    expect(list.out).toMatch(/^equipment-request\t1\tactive\t/m);
    expect(list.out).toMatch(/^leave-request\t1\tactive\t/m);
    // The server sees what the CLI did: the seeded tickets are there.
    const tickets = await fetch(`${base}/api/v1/tickets?perPage=1`, { headers: { cookie } });
    expect(((await tickets.json()) as { total: number }).total).toBeGreaterThanOrEqual(6);

    await server.stop();
    expect(fs.existsSync(path.join(work, 'data/helpdesk.lock'))).toBe(false);
    expect(fs.existsSync(path.join(work, 'data/helpdesk.token'))).toBe(false);
    // With the server stopped the same command opens the folder itself and prints the same.
    const direct = await readmeCommand('npx helpdesk process list');
    expect(direct.err).toContain(`using the data folder ${path.join(work, 'data')}`);
    expect(direct.out).toBe(list.out);
    expect(direct.code).toBe(list.code);

    // ADMIN_PASSWORD set on a later start is said to be ignored; admin reset-password applies it.
    const again = await serve(await freePort(), { ADMIN_PASSWORD: 'too-late-password' });
    expect(again.output()).toContain('ADMIN_PASSWORD is set but ignored');
    // "Lost it? Run npx helpdesk admin reset-password, with the server running or not".
    expect(README).toContain('npx helpdesk admin reset-password');
    const reset = await readmeCommand('npx helpdesk admin reset-password', { ADMIN_PASSWORD: 'too-late-password' });
    expect(reset.code, reset.err).toBe(0);
    expect(reset.err).toMatch(/^using the server at http:\/\/127\.0\.0\.1:\d+ \(process \d+, data folder /m);
    expect(reset.out).toContain('the agent "admin" now has the password from ADMIN_PASSWORD');
    const relogin = await fetch(`${again.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'admin', password: 'too-late-password' }) });
    expect(relogin.status).toBe(200);
    await again.stop();
  });
});
