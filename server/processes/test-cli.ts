/**
 * `helpdesk process test <file|dir> [--scenario name]`: runs the saved scenarios (`tests`) of
 * process files (JSON, BPMN or OTOBO YAML) in the simulator, without a database. Library scripts
 * (`{ref}`) are read from `scripts/<ref>.js` beside the file, then from the shipped
 * `processes/scripts/`; called processes from the other files given (by key). Prints one line per
 * scenario (`✓ key: name` or `✗ key: name — reason`) and the failed expectations under it.
 * A file that cannot be read or is invalid is reported (on standard error, with its problems) and
 * skipped; the other files still run. Exit codes: 0 every scenario passed, 1 a scenario failed,
 * 2 unreadable or invalid input (also when the other files passed).
 */
import fs from 'node:fs';
import path from 'node:path';
import { importProcess, isDeployable, type Process } from '../../engine/index';
import { describeFailure, simulate, validateScenario, type SimulateOptions } from '../../engine/simulate/index';
import { ScriptMissing } from '../scripts/resolve';
import { processFilesOf } from './files';
import { SHIPPED_DIR } from './shipped';
import { expressionBudget, expressionEvaluator, scriptRunner, simulationSandbox } from './simulate';

/**
 * Runs the command; returns the exit code.
 *
 * @example
 * const code = await processTest(['processes/'], undefined, (l) => console.log(l), (l) => console.error(l));
 */
export async function processTest(targets: string[], scenarioName: string | undefined, out: (line: string) => void, err: (line: string) => void): Promise<number> {
  if (!targets.length) {
    err('a process file or folder is required');
    return 2;
  }
  const loaded: Array<{ file: string; process: Process }> = [];
  const skipped = new Set<string>();
  for (const target of targets) {
    if (!fs.existsSync(target)) {
      err(`no such file or folder: ${target}`);
      return 2;
    }
    for (const file of processFilesOf(target)) {
      try {
        const r = await importProcess(fs.readFileSync(file));
        const errors = r.problems.filter((p) => p.severity === 'error');
        if (!isDeployable(r.problems)) {
          skipped.add(file);
          for (const p of errors) err(`${file}: ${p.code} ${p.path || '/'} ${p.message}`);
          continue;
        }
        (r.process.tests ?? []).forEach((t, i) => {
          for (const p of validateScenario(t)) {
            skipped.add(file);
            err(`${file}: ${p.code} /tests/${i}${p.path ?? ''} ${p.message}`);
          }
        });
        if (!skipped.has(file)) loaded.push({ file, process: r.process });
      } catch (e) {
        skipped.add(file);
        err(`${file}: ${(e as { code?: string }).code ?? 'UNREADABLE'} ${(e as Error).message}`);
      }
    }
  }

  const sandbox = await simulationSandbox();
  const byKey = new Map(loaded.map((l) => [l.process.key, l.process]));
  let failed = 0;
  let ran = 0;
  for (const { file, process } of loaded) {
    const dirs = [path.join(path.dirname(file), 'scripts'), path.join(SHIPPED_DIR, 'scripts')];
    const options: SimulateOptions = {
      runScript: scriptRunner(
        async (script) => {
          if ('source' in script) return { source: script.source, filename: 'inline.js' };
          for (const dir of dirs) {
            const f = path.join(dir, `${script.ref}.js`);
            if (/^[\w.-]+$/.test(script.ref) && fs.existsSync(f)) return { source: fs.readFileSync(f, 'utf8'), filename: `${script.ref}.js` };
          }
          throw new ScriptMissing(`the script "${script.ref}" is not in ${dirs.join(' or ')}`);
        },
        (req) => sandbox.run(req),
      ),
      evaluateExpression: expressionEvaluator(sandbox),
      expressionBudget: expressionBudget(),
      resolveProcess: (key) => byKey.get(key),
    };
    const tests = (process.tests ?? []).filter((t) => scenarioName === undefined || t.name === scenarioName);
    if (!tests.length && scenarioName === undefined) out(`- ${process.key}: no saved tests (${file})`);
    for (const t of tests) {
      const report = await simulate(process, t, options);
      ran++;
      const reasons = describeFailure(report);
      if (report.passed) out(`✓ ${process.key}: ${t.name}`);
      else {
        failed++;
        out(`✗ ${process.key}: ${t.name} — ${reasons[0] ?? 'failed'}`);
        for (const r of reasons.slice(1)) out(`    ${r}`);
      }
    }
  }
  if (scenarioName !== undefined && ran === 0) {
    err(`no saved test is named "${scenarioName}"`);
    return 2;
  }
  out(`${ran - failed} of ${ran} scenario${ran === 1 ? '' : 's'} passed`);
  if (skipped.size) {
    err(`${skipped.size} file${skipped.size === 1 ? ' was' : 's were'} not run because ${skipped.size === 1 ? 'it is' : 'they are'} unreadable or invalid: ${[...skipped].join(', ')}`);
    return 2;
  }
  return failed ? 1 : 0;
}
