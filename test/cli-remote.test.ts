/**
 * The CLI through a server's REST API (issue 26 item 2). With `--url` and `HELPDESK_TOKEN`, on
 * PGlite and on PostgreSQL: the process commands, seed, migrate, mail read and admin
 * reset-password print what they print on the database directly, and never touch the local data
 * folder; the token's agent's permissions apply; a wrong or missing token and an unreachable server
 * exit 4 with the message the README shows (mail read: 75). And on a data folder: a server killed
 * without stopping leaves a stale lock, and the CLI opens the folder itself instead of calling a
 * dead server.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../server/config';
import { databaseKinds } from './support/db';
import { createAgent } from './support/fixtures';
import { fixture } from './support/mail';
import { ADMIN_PASSWORD, Client, startTestServer, type TestServer } from './support/server';
import { freePort, runCommand, SPAWN_BUDGET_MS, spawnTestTimeout } from './support/spawn';

const BIN = path.join(PROJECT_ROOT, 'bin/helpdesk.mjs');
const README = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-cli-remote-'));
fs.symlinkSync(path.join(PROJECT_ROOT, 'examples'), path.join(work, 'examples'));
const killed: ReturnType<typeof spawn>[] = [];
afterAll(() => {
  for (const c of killed) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  fs.rmSync(work, { recursive: true, force: true });
});

/** A data folder the commands must not open (it must still not exist afterwards). */
const untouched = path.join(work, 'never-opened');

function cli(args: string[], env: Record<string, string | undefined>, input?: Buffer) {
  const e: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', DATABASE_URL: '', DATA_DIR: untouched, ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete e[k];
  return runCommand(process.execPath, [BIN, ...args], { cwd: work, env: e, input });
}

async function tokenOf(url: string, login: string, password: string): Promise<string> {
  const client = new Client(url);
  await client.login(login, password);
  const res = await client.post('/api/v1/auth/tokens', { name: 'cli' });
  expect(res.status).toBe(201);
  return res.body.token as string;
}

describe.each(databaseKinds)('the CLI with --url on %s', (kind) => {
  let server: TestServer;
  let adminToken: string;
  let agentToken: string;
  beforeAll(async () => {
    server = await startTestServer(kind);
    adminToken = await tokenOf(server.url, 'admin', ADMIN_PASSWORD);
    await createAgent(server.database.db, 'reader', 'reader-password-1', { groups: { users: ['rw'] } });
    agentToken = await tokenOf(server.url, 'reader', 'reader-password-1');
  });
  afterAll(() => server?.close());

  /** What import and validate say of the example's first activity (issue 19: conversions are reported per element). */
  const STARTS_AT_ONCE = 'warning CHANGED Activity-eq000000000000000000000000000001 Activity: as in OTOBO, its transitions are checked right after the start dialog (gateway "AfterStartDialog"); the ticket waits in "Request equipment" only when none holds\n';
  const admin = (args: string[], env: Record<string, string | undefined> = {}, input?: Buffer) => cli(['--url', server.url, ...args], { HELPDESK_TOKEN: adminToken, ...env }, input);

  it('runs the database commands through the server, printing what they print directly', { timeout: spawnTestTimeout(9) }, async () => {
    const imported = await admin(['process', 'import', 'examples/otobo-equipment-request.yml', '--create-missing', '--deploy']);
    expect(imported.code, imported.err).toBe(0);
    expect(imported.err.split('\n')[0]).toBe(`using the server at ${server.url}`);
    expect(imported.out).toBe(STARTS_AT_ONCE + 'created dynamicField "Equipment"\ncreated dynamicField "EquipmentApproved"\ncreated queue "Purchasing"\nimported equipment-request, deployed as version 1\n');

    const list = await admin(['process', 'list']);
    expect(list.out).toBe('equipment-request\t1\tactive\t\tEquipment request\n');
    const validate = await admin(['process', 'validate', 'examples/otobo-equipment-request.yml', '--references']);
    expect([validate.code, validate.out]).toEqual([0, `${STARTS_AT_ONCE}valid: equipment-request (otobo)\n`]);
    const exported = await admin(['process', 'export', 'equipment-request', '--version', '1']);
    expect(JSON.parse(exported.out)).toMatchObject({ format: 'process/1', key: 'equipment-request' });
    // A refusal comes back as the same CODE: message and exit code as from the database.
    const refused = await admin(['process', 'deploy', 'no-such-process']);
    expect([refused.code, refused.err.trim().split('\n').at(-1)]).toEqual([1, 'NOT_FOUND: process "no-such-process" not found']);

    const migrate = await admin(['migrate']);
    expect(migrate.out).toMatch(new RegExp(`^${kind}: \\d+ migrations applied, at \\d{4}-[\\w-]+\\n$`));
    const seed = await admin(['seed', '--tickets', '3']);
    expect(seed.code, seed.err).toBe(0);
    expect(seed.out).toMatch(/\nseeded 3 tickets and \d+ articles in [\d.]+ s\n$/);
    const mail = await admin(['mail', 'read'], {}, fixture('new-ticket.eml'));
    expect([mail.code, mail.out]).toEqual([0, expect.stringMatching(/^new-ticket \d{16}\n$/)]);
    const titles = (await server.database.db.selectFrom('tickets').select('title').execute()).map((t) => t.title);
    expect(titles).toHaveLength(4);
    expect(titles).toContain('Drucker kaputt – bitte helfen');

    const reset = await admin(['admin', 'reset-password'], { ADMIN_PASSWORD: 'set-over-the-api' });
    expect(reset.out).toBe('the agent "admin" now has the password from ADMIN_PASSWORD\n(its sessions were ended and a login lock lifted)\n');
    await new Client(server.url).login('admin', 'set-over-the-api');
    const generated = await admin(['admin', 'reset-password'], { ADMIN_PASSWORD: undefined });
    const password = /^new password of the agent "admin": (\S+)$/m.exec(generated.out)![1]!;
    await new Client(server.url).login('admin', password);

    expect(fs.existsSync(untouched)).toBe(false);
  });

  it("applies the token's agent's permissions", { timeout: spawnTestTimeout(4) }, async () => {
    const agent = (args: string[], input?: Buffer) => cli(['--url', server.url, ...args], { HELPDESK_TOKEN: agentToken }, input);
    const list = await agent(['process', 'list']);
    expect(list.code, list.err).toBe(0);
    const refusal = /e\.g\.\n`(ADMIN_REQUIRED: [^`]+)`/.exec(README)![1]!;
    for (const args of [['process', 'import', 'examples/leave-request.bpmn'], ['seed', '--tickets', '1'], ['admin', 'reset-password']]) {
      const r = await agent(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.err.split('\n')).toContain(refusal);
    }
    const mail = await agent(['mail', 'read'], fixture('new-ticket.eml'));
    expect(mail.code).toBe(75);
    expect(mail.err).toMatch(/^mail read: the mail could not be stored \(.*\); try again later$/m);
  });

  it('exits 4 with a wrong or missing token and an unreachable server (mail read: 75)', { timeout: spawnTestTimeout(5) }, async () => {
    const wrong = await cli(['--url', server.url, 'process', 'list'], { HELPDESK_TOKEN: 'hd_not-a-token' });
    expect(wrong.code).toBe(4);
    const shown = /```\n(Cannot continue: the server at https:\/\/helpdesk\.example\.com refused the token[^\n]*)\n```/.exec(README)![1]!;
    expect(wrong.err.trim()).toBe(shown.replace('https://helpdesk.example.com', server.url));
    expect(wrong.out).toBe('');

    const missing = await cli(['process', 'list', '--url', server.url], { HELPDESK_TOKEN: undefined });
    expect(missing.code).toBe(4);
    expect(missing.err).toContain(`--url ${server.url} needs an API token in HELPDESK_TOKEN`);

    const nobody = `http://127.0.0.1:${await freePort()}`;
    const unreachable = await cli([`--url=${nobody}`, 'migrate'], { HELPDESK_TOKEN: adminToken });
    expect(unreachable.code).toBe(4);
    expect(unreachable.err).toContain(`Cannot continue: the server at ${nobody} cannot be reached`);
    const mail = await cli(['--url', nobody, 'mail', 'read'], { HELPDESK_TOKEN: adminToken }, fixture('new-ticket.eml'));
    expect(mail.code).toBe(75);
    expect(mail.err).toContain(`mail read: the server at ${nobody} cannot be reached`);

    const usage = await cli(['process', 'list', '--url'], { HELPDESK_TOKEN: adminToken });
    expect(usage.code).toBe(2);
    expect(fs.existsSync(untouched)).toBe(false);
  });
});

describe('a data folder whose server was killed', () => {
  it('sends the CLI to the folder, not to the dead server', { timeout: spawnTestTimeout(4) }, async () => {
    const dataDir = path.join(work, 'data');
    const port = await freePort();
    const env = { ...process.env, LOG_LEVEL: 'warn', DATABASE_URL: '', DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', ADMIN_PASSWORD: 'killed-admin-pw' };
    const server = spawn(process.execPath, [BIN, 'serve'], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
    killed.push(server);
    let out = '';
    server.stdout!.on('data', (d) => (out += d));
    server.stderr!.on('data', (d) => (out += d));
    const until = Date.now() + SPAWN_BUDGET_MS;
    while (!out.includes('Helpdesk is running at')) {
      if (server.exitCode !== null || Date.now() > until) throw new Error(`the server did not start: ${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const beside = await cli(['process', 'list'], { DATA_DIR: dataDir });
    expect(beside.code, beside.err).toBe(0);
    expect(beside.err).toContain(`using the server at http://127.0.0.1:${port} (process ${server.pid}, data folder ${dataDir})`);

    const gone = new Promise((r) => server.on('exit', r));
    server.kill('SIGKILL');
    await gone;
    // The lock and the token file stay behind, naming a process that no longer exists.
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'helpdesk.lock'), 'utf8'))).toMatchObject({ pid: server.pid, url: `http://127.0.0.1:${port}` });
    expect(fs.existsSync(path.join(dataDir, 'helpdesk.token'))).toBe(true);

    const direct = await cli(['process', 'list'], { DATA_DIR: dataDir });
    expect(direct.code, direct.err).toBe(0);
    expect(direct.err).toContain(`using the data folder ${dataDir}`);
    expect(direct.err).not.toContain('using the server');
    expect(direct.out).toBe(beside.out);
    // It took the stale lock over and released it.
    expect(fs.existsSync(path.join(dataDir, 'helpdesk.lock'))).toBe(false);
  });
});
