/**
 * `helpdesk process validate|import|export|deploy|list|diff|test`. Exit codes: 0 ok, 1 invalid or
 * refused, 2 usage. Problems are printed one per line with their JSON path. The same printing
 * whether the answers come from the database or from a running server (`cli-backend.ts`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { diffProcesses, importProcess, isDeployable, type Problem, type Process } from '../../engine/index';
import { DomainError } from '../errors';
import type { ProcessBackend } from './cli-backend';
import { describeMissing, type ReferenceReport } from './references';
import { processFilesOf } from './files';
import type { ImportResult } from './service';
import { PROCESS_USAGE } from './usage';

class UsageError extends Error {}

const out = (line: string) => process.stdout.write(line + '\n');
const err = (line: string) => process.stderr.write(line + '\n');

function printProblems(problems: Problem[]) {
  for (const p of problems) out(`${p.severity} ${p.code} ${p.path || '/'} ${p.message}`);
}

function printReferences(refs: ReferenceReport) {
  for (const m of refs.missing) out(`error MISSING_REFERENCE ${m.paths[0] ?? '/'} ${describeMissing(m)}`);
  for (const u of refs.unchecked) out(`note UNCHECKED_REFERENCE ${u.paths[0] ?? '/'} ${u.kind} "${u.name}" is not checked by this version`);
}

/** Under the file's line: each process of a file of several, in import order, with its outcome and notes. */
function printProcesses(r: ImportResult, dryRun: boolean, indent: string) {
  const parts = r.processes ?? [];
  if (parts.length < 2) return false;
  for (const p of parts) {
    out(`${indent}process ${p.key}: ${outcomeLine(p, dryRun)}`);
    for (const e of p.problems.filter((x) => x.severity === 'error')) out(`${indent}    error ${e.code} ${e.path || '/'} ${e.message}`);
    for (const m of p.references.missing) out(`${indent}    error MISSING_REFERENCE ${m.paths[0] ?? '/'} ${describeMissing(m)}`);
    for (const c of p.created) out(`${indent}    created ${c.kind} "${c.name}"`);
    printConversion(p, `${indent}    `);
  }
  return true;
}

/** Conversion notes of an imported file, one per line: elements that changed behaviour or were not converted, and file notes. */
function printConversion(r: { changed: ElementNote[]; unsupported: ElementNote[]; warnings: string[] }, indent = '') {
  for (const c of r.changed) out(`${indent}warning CHANGED ${c.id} ${c.type}: ${c.reason}`);
  for (const u of r.unsupported) out(`${indent}warning UNSUPPORTED ${u.id} ${u.type}: ${u.reason}`);
  for (const w of r.warnings) out(`${indent}warning ${w}`);
}

type ElementNote = { id: string; type: string; reason: string };

/** One line saying what an import does (or would do) with a file; a file of several processes says it for all of them. */
function outcomeLine(r: Omit<ImportResult, 'processes'> & { processes?: ImportResult['processes'] }, dryRun: boolean): string {
  const n = r.processes?.length ?? 1;
  if (n > 1 && (r.outcome === 'create' || r.outcome === 'new-version')) return dryRun ? `will import ${n} processes, called ones first` : `imported ${n} processes`;
  if (n > 1 && r.outcome === 'key-conflict' && r.processes!.some((p) => p.outcome === 'key-conflict')) {
    const taken = r.processes!.filter((p) => p.outcome === 'key-conflict').map((p) => `"${p.key}"`);
    return `key conflict: ${taken.length} of its ${n} processes have a key that is taken (${taken.join(', ')}) (--new-version, or --key ${r.suggestedKey ?? '<key>'} to import under free keys)`;
  }
  const name = `${r.key} ("${r.name}")`;
  switch (r.outcome) {
    case 'create':
      return dryRun ? `will create ${name}` : `imported ${r.key}${r.version ? `, deployed as version ${r.version}` : ' as a draft'}`;
    case 'new-version': {
      const next = (r.existing?.latestVersion ?? 0) + 1;
      return dryRun
        ? `new version of ${name}: ${r.existing?.latestVersion ? `version ${next} after version ${r.existing.latestVersion}` : 'replaces its draft'}`
        : `imported ${r.key} as a new version${r.version ? `, deployed as version ${r.version}` : ' (its draft)'}`;
    }
    case 'key-conflict':
      return `key conflict: ${r.reasons.at(-1) ?? ''} (--new-version, or --key ${r.suggestedKey ?? '<key>'})`;
    default:
      return `refused: ${r.reasons.join('; ')}`;
  }
}

function readFile(file: string | undefined): Buffer {
  if (!file) throw new UsageError('a file is required');
  if (!fs.existsSync(file)) throw new UsageError(`no such file: ${file}`);
  return fs.readFileSync(file);
}

function version(v: string | undefined, name: string): number | 'latest' | 'draft' {
  if (v === undefined || v === 'latest') return 'latest';
  if (v === 'draft') return 'draft';
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a version number, "latest" or "draft"`);
  return n;
}

async function run(cmd: string | undefined, args: string[], backend: () => Promise<ProcessBackend>): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      references: { type: 'boolean' },
      'create-missing': { type: 'boolean' },
      deploy: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      'new-version': { type: 'boolean' },
      key: { type: 'string' },
      format: { type: 'string' },
      version: { type: 'string' },
      output: { type: 'string', short: 'o' },
      scenario: { type: 'string' },
    },
  });
  switch (cmd) {
    case 'validate': {
      const imported = await importProcess(readFile(positionals[0]));
      let ok = true;
      // A file of several processes: each under its key, called ones first.
      for (const other of imported.others ?? []) {
        out(`process ${other.process.key ?? '?'}:`);
        printProblems(other.problems);
        printConversion(other);
        ok &&= isDeployable(other.problems);
      }
      if (imported.others?.length) out(`process ${imported.process.key ?? '?'}:`);
      printProblems(imported.problems);
      ok &&= isDeployable(imported.problems);
      printConversion(imported);
      if (values.references) {
        const report = await (await backend()).validate(imported.process);
        printReferences(report.references);
        ok &&= report.references.missing.length === 0;
      }
      out(`${ok ? 'valid' : 'invalid'}: ${imported.process.key ?? '?'} (${imported.format})`);
      return ok ? 0 : 1;
    }
    case 'import':
      return importCommand(positionals[0], values, backend);
    case 'export': {
      const key = positionals[0];
      if (!key) throw new UsageError('a process key is required');
      const format = (values.format ?? 'json') as 'json' | 'bpmn';
      if (format !== 'json' && format !== 'bpmn') throw new UsageError('--format must be json or bpmn');
      const text = await (await backend()).export(key, version(values.version, '--version'), format);
      if (values.output) fs.writeFileSync(values.output, text);
      else process.stdout.write(text.endsWith('\n') ? text : text + '\n');
      return 0;
    }
    case 'deploy': {
      const key = positionals[0];
      if (!key) throw new UsageError('a process key is required');
      const r = await (await backend()).deploy(key, { createMissing: values['create-missing'] });
      for (const c of r.created) out(`created ${c.kind} "${c.name}"`);
      out(`deployed ${r.key} as version ${r.version}`);
      return 0;
    }
    case 'list': {
      const rows = await (await backend()).list();
      for (const r of rows) out(`${r.key}\t${r.latestVersion ?? '-'}\t${r.state ?? 'draft'}\t${r.draftChanged ? 'draft changed' : ''}\t${r.name}`);
      return 0;
    }
    case 'diff': {
      const [a, b, c] = positionals;
      let diff;
      if (a && b && !c && fs.existsSync(a) && fs.existsSync(b)) {
        diff = diffProcesses((await importProcess(readFile(a))).process as Process, (await importProcess(readFile(b))).process as Process);
      } else if (a && b && c) {
        const from = version(b, 'from');
        const to = version(c, 'to');
        if (from === 'latest' || to === 'latest') throw new UsageError('give version numbers or "draft"');
        diff = await (await backend()).diff(a, from, to);
      } else throw new UsageError('diff takes two files, or a key and two versions');
      out(JSON.stringify(diff, null, 2));
      return diff.identical ? 0 : 1;
    }
    case 'test':
      // loaded on demand: the simulator and the sandbox are not needed by the other commands
      return (await import('./test-cli')).processTest(positionals, values.scenario, out, err);
    default:
      throw new UsageError(cmd ? `unknown process command "${cmd}"` : 'a process command is required');
  }
}

/**
 * `process import <file|folder>`: one file prints its problems, references and conversion notes and
 * then what happened; a folder prints, per file, `<file>: will create … | new version of … | key
 * conflict … | refused: …` with the notes indented under it. Exit 1 when a file is refused or in
 * conflict.
 */
async function importCommand(
  target: string | undefined,
  values: { 'create-missing'?: boolean; deploy?: boolean; 'dry-run'?: boolean; 'new-version'?: boolean; key?: string },
  backend: () => Promise<ProcessBackend>,
): Promise<number> {
  if (!target) throw new UsageError('a file or folder is required');
  if (!fs.existsSync(target)) throw new UsageError(`no such file or folder: ${target}`);
  if (values['new-version'] && values.key) throw new UsageError('give --new-version or --key, not both');
  const dryRun = values['dry-run'] ?? false;
  const opts = {
    createMissing: values['create-missing'], deploy: values.deploy, dryRun,
    onConflict: values['new-version'] ? ('new-version' as const) : values.key ? ('new-key' as const) : undefined, key: values.key,
  };
  const folder = fs.statSync(target).isDirectory();
  if (!folder) {
    const bytes = readFile(target);
    const r = await (await backend()).import(bytes, opts);
    if (!printProcesses(r, dryRun, '')) {
      printProblems(r.problems);
      printReferences(r.references);
      printConversion(r);
      for (const c of r.created) out(`created ${c.kind} "${c.name}"`);
    }
    out(dryRun ? `dry run: ${outcomeLine(r, true)}; nothing was stored` : outcomeLine(r, false));
    return r.outcome === 'refused' || r.outcome === 'key-conflict' ? 1 : 0;
  }
  if (values.key) throw new UsageError('--key names one process; import a single file with it');
  const files = processFilesOf(target);
  // One opened database for the whole folder.
  const bad = await (await backend()).session(async (svc) => {
    let refused = 0;
    const taken = new Map<string, string>();
    for (const file of files) {
      let r: ImportResult;
      try {
        r = await svc.import(fs.readFileSync(file), { ...opts, dryRun: true });
        // Two files of the folder with one key: the second would meet the first.
        const keys = (r.processes?.length ? r.processes : [r]).map((p) => p.key);
        const clash = keys.find((k) => taken.has(k));
        if (clash && r.outcome === 'create' && !values['new-version']) {
          r = { ...r, outcome: 'key-conflict', reasons: [`${path.basename(taken.get(clash)!)} in this folder has the key "${clash}" too`] };
        }
        if (!dryRun && (r.outcome === 'create' || r.outcome === 'new-version')) r = await svc.import(fs.readFileSync(file), opts);
      } catch (e) {
        refused++;
        const code = (e as { code?: string }).code ?? 'UNREADABLE';
        out(`${file}: refused: ${code} ${(e as Error).message}`);
        continue;
      }
      for (const p of r.processes?.length ? r.processes : [r]) if (p.key && !taken.has(p.key)) taken.set(p.key, file);
      if (r.outcome === 'refused' || r.outcome === 'key-conflict') refused++;
      out(`${file}: ${outcomeLine(r, dryRun)}`);
      if (printProcesses(r, dryRun, '    ')) continue;
      const errors = r.problems.filter((p) => p.severity === 'error');
      for (const p of errors) out(`    error ${p.code} ${p.path || '/'} ${p.message}`);
      printConversion(r, '    ');
    }
    return refused;
  });
  out(`${files.length - bad} of ${files.length} file${files.length === 1 ? '' : 's'} ${dryRun ? 'can be imported' : 'imported'}${dryRun ? ' (dry run: nothing was stored)' : ''}`);
  return bad ? 1 : 0;
}

/**
 * Runs `helpdesk process <argv>`; `backend` opens the database or reaches the running server, and
 * is only called by the commands that need one.
 */
export async function processCli(argv: string[], backend: () => Promise<ProcessBackend>): Promise<number> {
  const [cmd, ...args] = argv;
  try {
    return await run(cmd, args, backend);
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      err(`${(e as Error).message}\n\n${PROCESS_USAGE}`);
      return 2;
    }
    if (e instanceof DomainError) {
      err(`${e.code}: ${e.message}`);
      const details = e.details as { problems?: Problem[]; missing?: unknown[] } | undefined;
      if (details?.problems) printProblems(details.problems);
      if (details?.missing) printReferences(details as ReferenceReport);
      return 1;
    }
    if ((e as { type?: string }).type === 'ProcessFormatError') {
      err(`${(e as { code: string }).code}: ${(e as Error).message}`);
      return 1;
    }
    throw e;
  }
}
