/**
 * Test mode: simulate a process against a scenario entirely in memory (pure, browser-safe). The
 * server's `POST /api/v1/processes/{key}/simulate` and `helpdesk process test` inject the script
 * sandbox and the expression evaluator; the designer calls the API.
 *
 * @example
 * import { simulate } from './engine/simulate/index';
 * const report = await simulate(process, process.tests![0]!, { runScript });
 * if (!report.passed) console.log(report.expectations.filter((e) => !e.ok));
 */
export { checkScenario, simulate, simulateTests, stateTypeOf, DEFAULT_CLOCK_START, DEFAULT_MAX_STEPS, DEFAULT_MAX_TIMERS } from './simulate';
export { describeFailure, validateScenario } from './check';
export type * from './types';
