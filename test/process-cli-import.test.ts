/**
 * `npx helpdesk process import <folder> --dry-run` as a team moving its processes runs it (issue 19):
 * one line per file — will create, new version of, key conflict, refused — with the reasons and the
 * elements whose behaviour the conversion changes indented under it, the whole folder through one
 * opened database; `validate` prints the same per-element changes. Runs against a fresh data folder (PGlite).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../server/config';
import { SPAWN_BUDGET_MS, spawnTestTimeout } from './support/spawn';

const BIN = path.join(PROJECT_ROOT, 'bin/helpdesk.mjs');
const FIXTURES = path.join(PROJECT_ROOT, 'test/fixtures/interchange');

describe('helpdesk process import <folder>', { timeout: spawnTestTimeout(5) }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-cli-import-'));
  const env = { ...process.env, LOG_LEVEL: 'warn', DATA_DIR: path.join(dir, 'data'), ADMIN_PASSWORD: 'cli-admin-pw', DATABASE_URL: '' };
  const helpdesk = (args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, 'process', ...args], { env, encoding: 'utf8', timeout: SPAWN_BUDGET_MS });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const folder = path.join(dir, 'incoming');
  fs.mkdirSync(folder);
  for (const f of ['bpmnjs-default-a.bpmn', 'bpmnjs-default-b.bpmn', 'behaviour-changes.bpmn', 'broken.json']) fs.copyFileSync(path.join(FIXTURES, f), path.join(folder, f));
  fs.copyFileSync(path.join(PROJECT_ROOT, 'examples/customer-onboarding.bpmn'), path.join(folder, 'customer-onboarding.bpmn'));

  it('reports per file what an import would do, with reasons, storing nothing (items 1, 4 and the acceptance line)', () => {
    const first = helpdesk(['import', path.join(FIXTURES, 'bpmnjs-default-a.bpmn')]);
    expect(first.code, first.out + first.err).toBe(0);
    expect(first.out).toContain('imported process-1 as a draft');

    const dry = helpdesk(['import', folder, '--dry-run']);
    expect(dry.code, dry.err).toBe(1);
    const line = (file: string) => dry.out.split('\n').find((l) => l.startsWith(path.join(folder, file) + ':')) ?? '';
    expect(line('bpmnjs-default-a.bpmn')).toMatch(/: key conflict: a process with the key "process-1" already exists \("Process_1", a draft\).*--key process-1-2/);
    expect(line('bpmnjs-default-b.bpmn')).toMatch(/: key conflict: .*"process-1"/);
    expect(line('behaviour-changes.bpmn')).toContain(': will create change-tour ("Change tour")');
    expect(line('broken.json')).toMatch(/: refused: JSON_MALFORMED/);
    expect(line('customer-onboarding.bpmn')).toMatch(/: refused: it references what does not exist here \(import with create-missing to create it\): /);
    expect(dry.out).toMatch(/^ {4}warning CHANGED Nightly bpmn:StartEvent: it is a timer start event/m);
    expect(dry.out).toMatch(/^ {4}warning CHANGED Review bpmn:UserTask: it repeats as multi-instance/m);
    expect(dry.out.trim().split('\n').at(-1)).toBe('1 of 5 files can be imported (dry run: nothing was stored)');
    // The folder's five files go through one opened database, not one each.
    expect(dry.err.match(/using the data folder/g)).toHaveLength(1);

    // With --new-version, each file of the taken key reads as a new version of it.
    const versions = helpdesk(['import', folder, '--dry-run', '--new-version']);
    const vline = (file: string) => versions.out.split('\n').find((l) => l.startsWith(path.join(folder, file) + ':')) ?? '';
    expect(vline('bpmnjs-default-a.bpmn')).toContain(': new version of process-1 ("Process_1")');
    expect(vline('bpmnjs-default-b.bpmn')).toContain(': new version of process-1');
    expect(versions.err.match(/using the data folder/g)).toHaveLength(1);

    // The choice made explicit: a new version of the existing process.
    const again = helpdesk(['import', path.join(FIXTURES, 'bpmnjs-default-a.bpmn'), '--dry-run', '--new-version']);
    expect(again.code).toBe(0);
    expect(again.out).toContain('dry run: new version of process-1 ("Process_1"): replaces its draft; nothing was stored');
    const list = helpdesk(['list']);
    expect(list.out.trim().split('\n')).toHaveLength(1);
  });

  it('prints per-element changes on validate too (item 4)', () => {
    const r = helpdesk(['validate', path.join(FIXTURES, 'behaviour-changes.bpmn')]);
    expect(r.out).toMatch(/^warning CHANGED toSpecial bpmn:SequenceFlow: its condition is empty/m);
    expect(r.out).toMatch(/^warning CHANGED Check bpmn:UserTask: its default flow "otherwise" is tried last/m);
  });

  it('imports a file of several processes, the called one first, each with its own outcome (item 2)', () => {
    const file = path.join(FIXTURES, 'call-within-file.bpmn');
    const dry = helpdesk(['import', file, '--dry-run']);
    expect(dry.code, dry.out + dry.err).toBe(0);
    const lines = dry.out.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('process '))).toEqual([
      'process credit-check-multi: will create credit-check-multi ("Credit check (multi)")',
      'process order-intake-multi: will create order-intake-multi ("Order intake (multi)")',
    ]);
    expect(lines.at(-1)).toBe('dry run: will import 2 processes, called ones first; nothing was stored');

    const done = helpdesk(['import', file, '--deploy']);
    expect(done.code, done.out + done.err).toBe(0);
    expect(done.out).toContain('process credit-check-multi: imported credit-check-multi, deployed as version 1');
    expect(done.out).toContain('process order-intake-multi: imported order-intake-multi, deployed as version 1');

    // In a folder, the second import meets both keys; each process says so under the file's line.
    fs.copyFileSync(file, path.join(folder, 'zz-call-within-file.bpmn'));
    const withFile = helpdesk(['import', folder, '--dry-run']);
    fs.rmSync(path.join(folder, 'zz-call-within-file.bpmn'));
    expect(withFile.out).toMatch(/zz-call-within-file\.bpmn: key conflict: 2 of its 2 processes have a key that is taken \("credit-check-multi", "order-intake-multi"\)/);
    expect(withFile.out).toMatch(/^ {4}process credit-check-multi: key conflict: a process with the key "credit-check-multi" already exists/m);
    const exported = helpdesk(['export', 'order-intake-multi']);
    expect(JSON.parse(exported.out).nodes.find((n: { id: string }) => n.id === 'CheckCredit').process).toBe('credit-check-multi');
  });
});

