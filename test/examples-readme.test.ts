/**
 * examples/README.md shows what the CLI prints: its `console` block is run command by command on a
 * fresh data folder (in a temporary working folder that has the repository's examples/ and
 * processes/), and each command's standard output must be the lines shown under it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../server/config';
import { SPAWN_BUDGET_MS, spawnTestTimeout } from './support/spawn';

const BIN = path.join(PROJECT_ROOT, 'bin/helpdesk.mjs');

/** The commands of the first ```console block and the lines shown under each. */
function transcript(markdown: string): Array<{ command: string; output: string[] }> {
  const block = /```console\n([\s\S]*?)```/.exec(markdown);
  if (!block) throw new Error('no console block');
  const steps: Array<{ command: string; output: string[] }> = [];
  for (const line of block[1]!.split('\n').filter((l) => l !== '')) {
    if (line.startsWith('$ ')) steps.push({ command: line.slice(2), output: [] });
    else steps.at(-1)!.output.push(line);
  }
  return steps;
}

/** Columns may be tabs in the output and spaces in the README. */
const norm = (line: string) => line.trim().replace(/\s+/g, ' ');

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-examples-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('examples/README.md', () => {
  const steps = transcript(fs.readFileSync(path.join(PROJECT_ROOT, 'examples/README.md'), 'utf8'));

  it('prints what it shows, command by command', { timeout: spawnTestTimeout(steps.length) }, () => {
    for (const d of ['examples', 'processes']) fs.symlinkSync(path.join(PROJECT_ROOT, d), path.join(work, d));
    const env = { ...process.env, LOG_LEVEL: 'warn', DATABASE_URL: '', DATA_DIR: path.join(work, 'data'), ADMIN_PASSWORD: 'examples-admin-pw' };
    expect(steps.length).toBeGreaterThan(5);
    for (const { command, output } of steps) {
      expect(command.startsWith('npx helpdesk ')).toBe(true);
      const r = spawnSync(process.execPath, [BIN, ...command.slice('npx helpdesk '.length).split(' ')], { cwd: work, env, encoding: 'utf8', timeout: SPAWN_BUDGET_MS });
      const printed = r.stdout.split('\n').filter((l) => l !== '').map(norm);
      expect(printed, `${command}\n${r.stderr}`).toEqual(output.map(norm));
      expect(r.status, `${command}\n${r.stderr}`).toBe(output.some((l) => l.startsWith('error ')) ? 1 : 0);
    }
    expect(fs.readFileSync(path.join(work, 'equipment-request.bpmn'), 'utf8')).toContain('hd:key="equipment-request"');
  });
});
