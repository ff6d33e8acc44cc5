/**
 * The process engine of one server (one per `Services`, created on first use): the step runner with
 * its step context (the server clock, the sandboxed expression evaluator under a per-step budget), and the script pool,
 * started lazily on the first script a job runs. `closeEngine` stops the pool on shutdown.
 */
import type { ExpressionEvaluator, StepContext } from '../../engine/runtime/index';
import { createExpressionEvaluator, createScriptPool, type ScriptPool } from '../../engine/sandbox/index';
import type { Services } from '../services';
import { cancelRollup } from './effects/stats';
import { StepRunner } from './runner';

export interface Engine {
  runner: StepRunner;
  /** Loads the expression evaluator (once); call before stepping. */
  ready(): Promise<void>;
  /** The script pool (started on first use). */
  pool(): ScriptPool;
  close(): Promise<void>;
}

const engines = new WeakMap<Services, Engine>();

/** Worker threads of the script pool (`SCRIPT_POOL_SIZE`, default 2). */
function poolSize(): number {
  const n = Number(process.env.SCRIPT_POOL_SIZE);
  return Number.isInteger(n) && n > 0 ? n : 2;
}

/**
 * The time all expression conditions of one step may take together (`EXPRESSION_TIMEOUT_MS`, default
 * 500 ms): a step whose expressions use it up stops with an incident instead of holding the server.
 */
function expressionBudget(): number {
  const n = Number(process.env.EXPRESSION_TIMEOUT_MS);
  return Number.isInteger(n) && n > 0 ? n : 500;
}

/**
 * The engine of `services`.
 *
 * @example
 * const engine = engineFor(services); await engine.ready();
 * await engine.runner.applyEvent({ ticketId: 42 }, { type: 'ticketChanged' }, { by, actor: 'alice' });
 */
export function engineFor(services: Services): Engine {
  const existing = engines.get(services);
  if (existing) return existing;
  const clock = () => services.now().getTime();
  let evaluator: ExpressionEvaluator | undefined;
  let loading: Promise<void> | undefined;
  let pool: ScriptPool | undefined;
  const budget = expressionBudget();
  const context = (): StepContext => ({
    clock,
    ...(evaluator ? { evaluateExpression: evaluator, expressionBudget: { ms: budget, now: () => performance.now() } } : {}),
  });
  const engine: Engine = {
    runner: new StepRunner(services, context),
    ready: () =>
      (loading ??= createExpressionEvaluator({ clock, timeoutMs: budget }).then((e) => {
        evaluator = e;
      })),
    pool: () => (pool ??= createScriptPool({ size: poolSize() })),
    close: async () => {
      engines.delete(services);
      await pool?.close();
    },
  };
  engines.set(services, engine);
  return engine;
}

/** Stops the engine of `services` (its script workers, a scheduled statistics roll-up), if it was started. */
export async function closeEngine(services: Services): Promise<void> {
  cancelRollup(services);
  await engines.get(services)?.close();
}
