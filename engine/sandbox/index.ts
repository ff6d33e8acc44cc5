/**
 * The script sandbox (NODE ONLY: worker threads; the designer must not import this folder except
 * `contract.ts`). QuickJS per run with a deadline, a memory limit and a 64 KiB stack, inside a pool
 * of recyclable worker threads; an in-thread evaluator for condition expressions; a latency bench.
 *
 * @example
 * import { createScriptPool } from './engine/sandbox/index';
 * const pool = createScriptPool({ size: 2 });
 * const result = await pool.run({ source, input: { ticket, params, vars }, now: clock() });
 */
export * from './contract';
export { createScriptPool, type PoolOptions, type PoolStats, type ScriptPool } from './pool';
export { loadSandbox, isModule, type Sandbox, type SandboxOptions } from './quickjs';
export { createExpressionEvaluator, type ExpressionEvaluatorOptions } from './expressions';
export { measureScriptLatency, type LatencyOptions, type ScriptLatency } from './bench';
