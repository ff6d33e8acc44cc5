/**
 * The simulator (test mode): runs a process definition against a scenario entirely in memory, by
 * driving the pure `step` function with an in-memory ticket. Nothing is written and nothing is
 * called: dialogs come from the scenario, scripts run through an injected runner (or canned
 * results), service calls and called processes get canned answers (or a called process is simulated
 * in turn), and timers fire on a simulated clock when nothing else can happen. Pure and browser-safe
 * (no Node APIs); deterministic for a given scenario (ids from the state counter, injected clock).
 *
 * This file is the entry: it sets up the first ticket and clock from the scenario and runs a
 * `Simulation` (simulation.ts); the in-memory ticket is ticket.ts, expectation checks expectations.ts.
 */
import { parseDateTime } from '../model/iso8601';
import { scenarioProblems } from '../model/scenario';
import type { Process, Scenario } from '../model/types';
import type { Snapshot } from '../runtime/snapshot';
import { newInputs, Simulation } from './simulation';
import { initialTicket } from './ticket';
import type { SimulateOptions, SimulationProblem, SimulationReport } from './types';

/** Where the simulated clock starts when the scenario does not say (a Monday morning). */
export const DEFAULT_CLOCK_START = '2026-01-05T09:00:00Z';

/**
 * Problems of a scenario against its process that the schema cannot see (see `scenarioProblems`),
 * each with a JSON pointer into the scenario.
 *
 * @example
 * checkScenario(process, { name: 'x', dialogs: [{ node: 'nope' }] });
 * // [{ code: 'UNKNOWN_NODE', path: '/dialogs/0/node', message: '"nope" is not a user task of ...' }]
 */
export function checkScenario(process: Process, scenario: Scenario): SimulationProblem[] {
  return scenarioProblems(process, scenario);
}

/**
 * Simulates `process` against `scenario` in memory and checks the scenario's expectations.
 * Nothing is written or called: scripts run through `options.runScript` (or canned results),
 * services and called processes answer from the scenario.
 *
 * @example
 * const report = await simulate(leaveRequest, {
 *   name: 'approved',
 *   ticket: { dynamicFields: { LeaveStart: '2026-03-02', LeaveEnd: '2026-03-06' } },
 *   scripts: { countDays: { result: { vars: { days: 5 } } } },
 *   dialogs: [{ node: 'approve', fields: { DynamicField_LeaveApproved: 'yes' } }],
 *   expect: { status: 'completed', endNode: 'approved' },
 * });
 * report.passed; // true
 * report.path.find((e) => e.transition === 'toApproved')?.why; // 'DynamicField_LeaveApproved eq "yes"'
 */
export async function simulate(process: Process, scenario: Scenario, options: SimulateOptions = {}): Promise<SimulationReport> {
  const parsed = scenario.clock?.start ? parseDateTime(scenario.clock.start) : undefined;
  const now = parsed?.ok ? parsed.value.epochMs : Date.parse(DEFAULT_CLOCK_START);
  const inputs = newInputs(scenario);
  const snapshot: Snapshot = { ticket: initialTicket(process, scenario.ticket, now) };
  if (scenario.customer) snapshot.customer = scenario.customer;
  if (scenario.owner) snapshot.owner = scenario.owner;
  if (scenario.responsible) snapshot.responsible = scenario.responsible;
  const sim = new Simulation(process, inputs, options, 0, { snapshot, now, vars: { ...(scenario.vars ?? {}) } });
  for (const p of checkScenario(process, scenario)) sim.problem(p);
  if (sim.problems.length) return sim.report();
  return sim.run({ type: 'start', snapshot: sim.snapshot(), vars: { ...(scenario.vars ?? {}) }, by: 'simulator' });
}

/**
 * Runs every saved scenario of a process (`process.tests`), or the one named.
 *
 * @example
 * const reports = await simulateTests(process, { runScript });
 * const failed = reports.filter((r) => !r.passed);
 */
export async function simulateTests(process: Process, options: SimulateOptions = {}, name?: string): Promise<SimulationReport[]> {
  const tests = (process.tests ?? []).filter((t) => name === undefined || t.name === name);
  const out: SimulationReport[] = [];
  for (const t of tests) out.push(await simulate(process, t, options));
  return out;
}
