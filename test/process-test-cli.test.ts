/**
 * `npx helpdesk process test <file|dir>` as a process author runs it: every saved scenario of the
 * shipped processes passes (exit 0) without any database (an unreachable DATABASE_URL and an empty
 * DATA_DIR stay untouched); a failed expectation exits 1 naming it; unreadable input exits 2.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../server/config';
import { SPAWN_BUDGET_MS, spawnTestTimeout } from './support/spawn';

const BIN = path.join(PROJECT_ROOT, 'bin/helpdesk.mjs');

// Each case spawns the CLI (tsx compiles on the fly): seconds each on a busy machine.
describe('helpdesk process test', { timeout: spawnTestTimeout(2) }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-test-cli-'));
  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(dataDir);
  // No database may be opened: the data folder stays empty and the PostgreSQL URL leads nowhere.
  const env = { ...process.env, LOG_LEVEL: 'warn', DATA_DIR: dataDir, DATABASE_URL: 'postgres://nobody@127.0.0.1:9/nothing' };
  const helpdesk = (args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, 'process', 'test', ...args], { cwd: PROJECT_ROOT, env, encoding: 'utf8', timeout: SPAWN_BUDGET_MS });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('passes every saved scenario of the shipped processes, one line each, without a database', () => {
    const r = helpdesk(['processes/']);
    expect(r.code, r.out + r.err).toBe(0);
    const lines = r.out.trim().split('\n');
    const shipped = fs.readdirSync(path.join(PROJECT_ROOT, 'processes')).filter((f) => f.endsWith('.json'));
    const scenarios = shipped.flatMap((f) => (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'processes', f), 'utf8')) as { key: string; tests?: Array<{ name: string }> }).tests?.map((t) => `✓ ${f.replace('.json', '')}: ${t.name}`) ?? []);
    expect(scenarios.length).toBeGreaterThanOrEqual(shipped.length);
    expect(lines.slice(0, -1).sort()).toEqual(scenarios.sort());
    expect(lines.at(-1)).toBe(`${scenarios.length} of ${scenarios.length} scenarios passed`);
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it('runs the tests a BPMN file carries, and one scenario by name', () => {
    const r = helpdesk([path.join(PROJECT_ROOT, 'examples/it-incident.bpmn'), '--scenario', 'major incident while monitoring is down']);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toBe('✓ it-incident: major incident while monitoring is down\n1 of 1 scenario passed\n');
  });

  it('exits 1 on a failed expectation, naming what was expected and what happened', () => {
    const doc = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'processes/leave-request.json'), 'utf8'));
    doc.tests[0].expect = { ...doc.tests[0].expect, endNode: 'rejected', ticket: { State: 'closed unsuccessful' } };
    const file = path.join(dir, 'leave-request.json');
    fs.writeFileSync(file, JSON.stringify(doc));
    const r = helpdesk([file]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('✗ leave-request: approved — expected endNode "rejected", got "approved"');
    expect(r.out).toContain('    expected ticket.State "closed unsuccessful", got "closed successful"');
    expect(r.out).toContain('✓ leave-request: rejected');
    expect(r.out.trim().split('\n').at(-1)).toBe(`${doc.tests.length - 1} of ${doc.tests.length} scenarios passed`);
  });

  it('exits 2 on unreadable or invalid input', () => {
    const broken = path.join(dir, 'broken.json');
    fs.writeFileSync(broken, '{"format": "process/1", ');
    const r = helpdesk([broken]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('JSON_MALFORMED');
    const doc = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'processes/leave-request.json'), 'utf8'));
    doc.tests[0].dialogs[0] = { fields: {} };
    const bad = path.join(dir, 'bad-scenario.json');
    fs.writeFileSync(bad, JSON.stringify(doc));
    const b = helpdesk([bad]);
    expect(b.code).toBe(2);
    expect(b.err).toContain('/tests/0/dialogs/0/node');
    expect(helpdesk([path.join(dir, 'nothing-here.json')]).code).toBe(2);
    expect(helpdesk([]).code).toBe(2);
  });

  it('reports the one invalid file of a folder and still runs the others (issue 19, item 9)', () => {
    const folder = path.join(dir, 'mixed');
    fs.mkdirSync(folder);
    fs.copyFileSync(path.join(PROJECT_ROOT, 'processes/leave-request.json'), path.join(folder, 'leave-request.json'));
    fs.writeFileSync(path.join(folder, 'broken.json'), '{"format": "process/1", ');
    const r = helpdesk([folder]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${path.join(folder, 'broken.json')}: JSON_MALFORMED`);
    expect(r.out).toContain('✓ leave-request: approved');
    expect(r.out).toMatch(/^\d+ of \d+ scenarios passed$/m);
    expect(r.err).toContain(`1 file was not run because it is unreadable or invalid: ${path.join(folder, 'broken.json')}`);
  });
});
