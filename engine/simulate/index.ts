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
export { checkScenario, simulate, simulateTests, DEFAULT_CLOCK_START } from './simulate';
export { DEFAULT_MAX_STEPS, DEFAULT_MAX_TIMERS } from './simulation';
export { stateTypeOf } from './ticket';
export { describeFailure, validateScenario } from './check';
export type * from './types';
