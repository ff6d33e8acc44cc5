/**
 * The evaluator of `{expression}` conditions the step function takes: synchronous, in the calling
 * thread, over one QuickJS module with its own capped WebAssembly memory, a fresh context per
 * evaluation and a short deadline (100 ms by default, or less when the step's budget has less
 * left), so a bad expression costs at most that.
 */
import type { ExpressionEvaluator } from '../runtime/conditions';
import { loadSandbox } from './quickjs';

export interface ExpressionEvaluatorOptions {
  /** Deadline per evaluation (default 100 ms); a step's budget (`limits.timeoutMs`) may shorten it. */
  timeoutMs?: number;
  /** What `Date.now()` gives inside (default: 0; pass the step's clock for date arithmetic). */
  clock?: () => number;
  /** Hard cap of the WebAssembly memory (default 32 MiB). */
  wasmMaxBytes?: number;
}

/**
 * Loads QuickJS once and returns a synchronous evaluator for `StepContext.evaluateExpression`.
 *
 * @example
 * const evaluateExpression = await createExpressionEvaluator({ clock: () => now });
 * step(process, state, event, { clock: () => now, evaluateExpression });
 * evaluateExpression('vars.total > 0 && ticket.queue === "HR"', { ticket: { queue: 'HR' }, vars: { total: 3 } }); // true
 */
export async function createExpressionEvaluator(options: ExpressionEvaluatorOptions = {}): Promise<ExpressionEvaluator> {
  const sandbox = await loadSandbox({ wasmMaxBytes: options.wasmMaxBytes ?? 32 * 1024 * 1024 });
  return (expression, scope, limits) =>
    sandbox.evaluate(expression, { ticket: scope.ticket as never, vars: scope.vars, customer: (scope.customer ?? null) as never }, {
      now: options.clock?.() ?? 0,
      timeoutMs: Math.min(limits?.timeoutMs ?? Number.POSITIVE_INFINITY, options.timeoutMs ?? 100),
    });
}
