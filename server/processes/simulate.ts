/**
 * Test mode on the server: simulates a draft or a version of a process against a scenario (inline,
 * one saved with the process, or all of them) with the engine's script pool and an in-thread
 * QuickJS evaluator for expression conditions on the simulated clock. It only READS (the
 * definition, the script library, called processes): no ticket, mail, job or outbound call.
 * Also the Node-side helpers the CLI's `process test` shares (sandbox, expression evaluator).
 */
import {
  checkScenario, simulate, validateScenario, type ScriptRunner, type SimulatedExpressionEvaluator, type SimulateOptions, type SimulationReport,
} from '../../engine/simulate/index';
import { isDeployable, validateProcess, type JsonValue, type Process, type Scenario } from '../../engine/index';
import type { Sandbox } from '../../engine/sandbox/index';
import type { Access } from '../access/access';
import { engineFor } from '../engine/engine';
import { BadRequest, NotFound } from '../errors';
import { scriptSource, ScriptMissing } from '../scripts/resolve';
import type { Services } from '../services';
import { ProcessInvalid } from './errors';
import { processRepo } from './repo';
import { simulationSandbox } from './sandbox';
import { ProcessService } from './service';

/**
 * The time all expression conditions of one simulated step may take together, on the wall clock
 * (`EXPRESSION_TIMEOUT_MS`, default 500 ms, as for the engine).
 *
 * @example
 * simulate(process, scenario, { evaluateExpression, expressionBudget: expressionBudget() });
 */
export function expressionBudget(): { ms: number; now: () => number } {
  const n = Number(process.env.EXPRESSION_TIMEOUT_MS);
  return { ms: Number.isInteger(n) && n > 0 ? n : 500, now: () => performance.now() };
}

export { simulationSandbox };

/**
 * An expression evaluator on the simulated clock (`Date.now()` inside is the simulation's time).
 *
 * @example
 * simulate(process, scenario, { evaluateExpression: expressionEvaluator(await simulationSandbox()), expressionBudget: expressionBudget() });
 */
export function expressionEvaluator(sb: Sandbox): SimulatedExpressionEvaluator {
  return (expression, scope, now, limits) =>
    sb.evaluate(expression, { ticket: scope.ticket as unknown as JsonValue, vars: scope.vars, customer: (scope.customer ?? null) as unknown as JsonValue }, { now, timeoutMs: limits?.timeoutMs ?? expressionBudget().ms });
}

/**
 * A script runner for a source lookup (library, files): scripts run in `run` (the pool or an
 * in-thread sandbox); a missing script is a script failure, as in the engine's script job.
 *
 * @example
 * const runScript = scriptRunner((s) => lookup(s), (req) => pool.run(req));
 */
export function scriptRunner(
  source: (script: Parameters<ScriptRunner>[0]['script']) => Promise<{ source: string; filename: string }>,
  run: (request: Parameters<Sandbox['run']>[0]) => ReturnType<Sandbox['run']> | Promise<ReturnType<Sandbox['run']>>,
): ScriptRunner {
  return async (effect, snapshot, now) => {
    let s: { source: string; filename: string };
    try {
      s = await source(effect.script);
    } catch (e) {
      if (e instanceof ScriptMissing) return { ok: false, error: { kind: 'script', message: e.message }, durationMs: 0 };
      throw e;
    }
    return run({
      source: s.source,
      filename: s.filename,
      input: { ticket: snapshot.ticket as unknown as JsonValue, params: effect.params, vars: effect.vars },
      now,
      ...(effect.timeoutMs ? { timeoutMs: effect.timeoutMs } : {}),
    });
  };
}

export interface SimulateRequest {
  /** A version number, `draft` or `latest`; default: the draft when there is one, else the latest version. */
  version?: number | 'draft' | 'latest';
  scenario?: unknown;
  scenarioName?: string;
  all?: boolean;
}

export interface SimulateResponse {
  key: string;
  version: number | 'draft';
  passed: boolean;
  reports: SimulationReport[];
}

/** The definition to simulate and which one it is (the draft falls back to the latest version when there is none). */
async function definition(services: Services, access: Access, key: string, which: SimulateRequest['version']): Promise<{ def: Process; version: number | 'draft' }> {
  const row = await processRepo.get(services.database.db, key);
  if (!row) throw new NotFound(`process "${key}"`, '/key');
  if ((which === undefined || which === 'draft') && row.draft) return { def: row.draft as Process, version: 'draft' };
  const v = await new ProcessService(services).version(access, key, typeof which === 'number' ? which : 'latest');
  return { def: v.definition, version: v.version };
}

/** The scenarios to run: the inline one (checked, 400 naming `/scenario/...`), the one named, or every saved test. */
function scenarios(def: Process, body: SimulateRequest): Scenario[] {
  const given = [body.scenario !== undefined, body.scenarioName !== undefined, body.all === true].filter(Boolean).length;
  if (given > 1) throw new BadRequest('give one of scenario, scenarioName or all', body.scenario !== undefined ? '/scenario' : '/scenarioName');
  if (body.scenario !== undefined) {
    const problems = validateScenario(body.scenario);
    const semantic = problems.length ? [] : checkScenario(def, body.scenario as Scenario);
    const first = problems[0] ?? semantic[0];
    if (first) {
      const path = `/scenario${first.path ?? ''}`;
      throw new BadRequest(`scenario${first.path ?? ''}: ${first.message}`, path, { problems: [...problems, ...semantic].map((p) => ({ ...p, path: `/scenario${p.path ?? ''}` })) }, problems.length ? 'VALIDATION_FAILED' : 'SCENARIO_INVALID');
    }
    return [body.scenario as Scenario];
  }
  const tests = def.tests ?? [];
  if (body.scenarioName !== undefined) {
    const t = tests.find((x) => x.name === body.scenarioName);
    if (!t) throw new BadRequest(`process "${def.key}" has no saved test "${body.scenarioName}"${tests.length ? ` (it has: ${tests.map((x) => x.name).join(', ')})` : ''}`, '/scenarioName', undefined, 'UNKNOWN_SCENARIO');
    return [t];
  }
  if (!tests.length) throw new BadRequest(`process "${def.key}" has no saved tests; send a scenario`, '/scenario', undefined, 'NO_TESTS');
  return tests;
}

/**
 * Simulates a process of this installation (`POST /api/v1/processes/{key}/simulate`). Reads only.
 *
 * @example
 * const r = await simulateProcess(services, access, 'leave-request', { scenarioName: 'approved' });
 * r.reports[0].passed; // true
 */
export async function simulateProcess(services: Services, access: Access, key: string, body: SimulateRequest): Promise<SimulateResponse> {
  await access.assertAdmin();
  const { def, version } = await definition(services, access, key, body.version);
  const problems = validateProcess(def);
  if (!isDeployable(problems)) throw new ProcessInvalid(problems);
  const list = scenarios(def, body);
  const db = services.database.db;
  const engine = engineFor(services);
  const options: SimulateOptions = {
    runScript: scriptRunner((s) => scriptSource(db, s), (req) => engine.pool().run(req)),
    evaluateExpression: expressionEvaluator(await simulationSandbox()),
    expressionBudget: expressionBudget(),
    resolveProcess: async (k, v) => (await processRepo.version(db, k, v))?.definition as Process | undefined,
  };
  const reports: SimulationReport[] = [];
  for (const s of list) reports.push(await simulate(def, s, options));
  return { key, version, passed: reports.every((r) => r.passed), reports };
}
