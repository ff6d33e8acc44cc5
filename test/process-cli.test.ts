/**
 * `npx helpdesk process ...` as an integrator runs it against a data folder: exit codes 0 / 1 / 2,
 * problems one per line with their path, import with --create-missing and --deploy, export, list.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../server/config';
import { SPAWN_BUDGET_MS, spawnTestTimeout } from './support/spawn';

const BIN = path.join(PROJECT_ROOT, 'bin/helpdesk.mjs');

function helpdesk(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, encoding: 'utf8', timeout: SPAWN_BUDGET_MS });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('helpdesk process CLI', { timeout: spawnTestTimeout(6) }, () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-cli-'));
  const env = { DATA_DIR: dataDir, ADMIN_PASSWORD: 'cli-admin-pw', DATABASE_URL: '' };
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('validates the shipped examples (exit 0) and reports an invalid file one problem per line (exit 1)', () => {
    const ok = helpdesk(['process', 'validate', path.join(PROJECT_ROOT, 'examples/leave-request.bpmn')], env);
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toContain('valid: leave-request (bpmn)');

    const bad = path.join(dataDir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ format: 'process/1', key: 'bad', name: 'Bad', start: { interfaces: ['agent'] }, nodes: [{ id: 's', type: 'startEvent' }], transitions: [{ id: 't', from: 's', to: 'nowhere' }] }));
    const res = helpdesk(['process', 'validate', bad], env);
    expect(res.code).toBe(1);
    const lines = res.out.trim().split('\n');
    expect(lines.at(-1)).toBe('invalid: bad (json)');
    expect(lines.some((l) => /^error \w+ \/transitions\/0\/to /.test(l))).toBe(true);
  });

  it('exits 2 on usage errors', () => {
    expect(helpdesk(['process', 'frobnicate'], env).code).toBe(2);
    expect(helpdesk(['process', 'validate'], env).code).toBe(2);
    expect(helpdesk(['process', 'export', 'x', '--format', 'pdf'], env).code).toBe(2);
    expect(helpdesk(['nonsense'], env).code).toBe(2);
  });

  it('refuses an import with missing references (exit 1), imports with --create-missing --deploy, lists and exports it', () => {
    const file = path.join(PROJECT_ROOT, 'examples/customer-onboarding.bpmn');
    const refused = helpdesk(['process', 'import', file], env);
    expect(refused.code).toBe(1);
    expect(refused.err + refused.out).toMatch(/MISSING_REFERENCE/);

    const ok = helpdesk(['process', 'import', file, '--create-missing', '--deploy'], env);
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toContain('imported customer-onboarding, deployed as version 1');

    const list = helpdesk(['process', 'list'], env);
    expect(list.out).toMatch(/^customer-onboarding\t1\tactive/m);

    const outFile = path.join(dataDir, 'export.json');
    const exp = helpdesk(['process', 'export', 'customer-onboarding', '--output', outFile], env);
    expect(exp.code, exp.err).toBe(0);
    const exported = JSON.parse(fs.readFileSync(outFile, 'utf8'));
    expect(exported).toMatchObject({ key: 'customer-onboarding', version: 1, state: 'active' });
    const shipped = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'processes/customer-onboarding.json'), 'utf8'));
    expect(exported.nodes).toEqual(shipped.nodes);
    expect(exported.transitions).toEqual(shipped.transitions);
  });
});
