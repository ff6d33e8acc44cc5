/**
 * The working context of one step: a private copy of the state, the working ticket snapshot, the
 * effects and log collected so far, and the clock reading of the step. Helpers here are the only
 * writers of tokens, ids, path entries and incidents, so every change is logged the same way.
 */
import type { BusinessCalendar } from '../model/business-time';
import type { JsonValue, Process } from '../model/types';
import type { ExpressionEvaluator } from './conditions';
import { runnable, type RunnableProcess } from './definition';
import type { Effect } from './effects';
import { copySnapshot, type Snapshot } from './snapshot';
import type { Incident, InstanceState, PathEntry, Token } from './state';

/** What the caller injects: the clock, and the evaluator of expression conditions. */
export interface StepContext {
  /** Milliseconds since the epoch; read once per step, so every entry of a step has the same time. */
  clock: () => number;
  /** Evaluates `{expression}` conditions (the server backs it with the sandbox); without it they are incidents. */
  evaluateExpression?: ExpressionEvaluator;
  /** Path entries kept in the state (default 40); the step's `log` always has all of them. */
  pathLimit?: number;
  /** Nodes entered in one step before the chain is stopped with a `LOOP_LIMIT` incident (default 1000). */
  maxChain?: number;
  /** Times one token may enter the same node in one step before a `LOOP_LIMIT` incident (default 20). */
  maxVisits?: number;
  /**
   * One deadline for all expression conditions a step evaluates: `ms` from the first, read on
   * `now` (the caller's wall clock, e.g. `performance.now`). Each evaluation gets the time left;
   * once it is used up, further expressions of the step fail (a `CONDITION_ERROR` incident).
   */
  expressionBudget?: { ms: number; now: () => number };
  /**
   * Business calendars by name, for timers that count working time (`"calendar": "Support hours"`);
   * a timer naming one that is not here is a `TIMER_INVALID` incident.
   */
  calendars?: Readonly<Record<string, BusinessCalendar>>;
}

export interface StepResult {
  state: InstanceState;
  /** What the server must do, in order. */
  effects: Effect[];
  /** Everything that happened in this step, for the ticket history and the instance log. */
  log: PathEntry[];
}

export interface Run {
  def: RunnableProcess;
  state: InstanceState;
  snapshot: Snapshot;
  now: number;
  ctx: StepContext;
  effects: Effect[];
  log: PathEntry[];
  /** Tokens to move on, in order. */
  agenda: Token[];
  entered: number;
  /** Entries per token and node in this step (`k1 a` → 3), for the loop limit. */
  visits: Map<string, number>;
  /** The step's expression evaluator, under the step's budget when there is one. */
  evaluate?: ExpressionEvaluator;
}

export const DEFAULT_PATH_LIMIT = 40;
export const DEFAULT_MAX_CHAIN = 1000;
export const DEFAULT_MAX_VISITS = 20;

/**
 * Starts a step on a private copy of `state` (the caller's value is never changed).
 *
 * @example
 * const run = openRun(process, state, snapshot, { clock: () => 0 });
 */
export function openRun(process: Process, state: InstanceState, snapshot: Snapshot | undefined, ctx: StepContext): Run {
  return {
    def: runnable(process),
    state: structuredClone(state),
    snapshot: copySnapshot(snapshot ?? { ticket: {} }),
    now: ctx.clock(),
    ctx,
    effects: [],
    log: [],
    agenda: [],
    entered: 0,
    visits: new Map(),
    ...(ctx.evaluateExpression ? { evaluate: budgeted(ctx.evaluateExpression, ctx.expressionBudget) } : {}),
  };
}

/**
 * The evaluator of one step: every call gets the time left of one deadline set at the first call;
 * past it, a call throws without evaluating.
 *
 * @example
 * const evaluate = budgeted(evaluateExpression, { ms: 500, now: () => performance.now() });
 */
export function budgeted(evaluate: ExpressionEvaluator, budget: StepContext['expressionBudget']): ExpressionEvaluator {
  if (!budget) return evaluate;
  let deadline: number | undefined;
  return (expression, scope) => {
    const now = budget.now();
    deadline ??= now + budget.ms;
    const left = deadline - now;
    const spent = () => new Error(`the expression conditions of this step took more than ${budget.ms} ms together`);
    if (left <= 0) throw spent();
    try {
      return evaluate(expression, scope, { timeoutMs: left });
    } catch (e) {
      throw budget.now() >= deadline ? spent() : e;
    }
  };
}

/**
 * The next id with a prefix, from the state's counter: `k3` (token), `r4` (script run).
 *
 * @example
 * nextId(run, 'k'); // 'k1'
 */
export function nextId(run: Run, prefix: string): string {
  run.state.seq += 1;
  return `${prefix}${run.state.seq}`;
}

/**
 * Appends a path entry (timestamped with the step's clock reading) to the state's path and the log.
 *
 * @example
 * record(run, { ev: 'submit', node: 'approve', tok: 'k1', by: 'alice' });
 */
export function record(run: Run, entry: Omit<PathEntry, 'at'>): void {
  const e = { at: run.now, ...entry } as PathEntry;
  if (e.why && e.why.length > 200) e.why = `${e.why.slice(0, 197)}...`;
  run.state.path.push(e);
  run.log.push(e);
}

/**
 * Adds an effect for the server, in order.
 *
 * @example
 * emit(run, { type: 'complete', nodeId: 'end' });
 */
export function emit(run: Run, effect: Effect): void {
  run.effects.push(effect);
}

/**
 * A new active token at a node (not yet entered; `enqueue` it).
 *
 * @example
 * const token = newToken(run, 'start');
 */
export function newToken(run: Run, nodeId: string, via?: string): Token {
  const token: Token = { id: nextId(run, 'k'), nodeId, status: 'active', since: run.now };
  if (via) token.via = via;
  run.state.tokens.push(token);
  return token;
}

/**
 * Removes a token from the instance (it ended or merged into another).
 *
 * @example
 * removeToken(run, token);
 */
export function removeToken(run: Run, token: Token): void {
  run.state.tokens = run.state.tokens.filter((t) => t !== token);
}

/**
 * Stops a token with an incident: recorded in the state, the path and the effects. A waiting token
 * keeps what it waits for (a user task's dialog stays open).
 *
 * @example
 * raise(run, token, 'NO_TRANSITION', 'No transition out of "approve" holds.', 'leave');
 */
export function raise(run: Run, token: Token, code: string, message: string, phase: Incident['phase'], details?: JsonValue): void {
  const incident: Incident = { code, message, at: run.now, phase };
  if (details !== undefined) incident.details = details;
  token.status = 'incident';
  token.incident = incident;
  record(run, { ev: 'incident', node: token.nodeId, tok: token.id, code, why: message });
  emit(run, { type: 'incident', token: token.id, nodeId: token.nodeId, code, message, ...(details !== undefined ? { details } : {}) });
}

/**
 * Clears a token's incident (if any), noting how, with an `incidentResolved` effect.
 *
 * @example
 * resolveIncident(run, token, 'retry', 'admin');
 */
export function resolveIncident(run: Run, token: Token, how: string, by?: string): void {
  if (!token.incident) return;
  const { code } = token.incident;
  delete token.incident;
  if (token.status === 'incident') token.status = token.wait ? 'waiting' : 'active';
  record(run, { ev: 'resolved', node: token.nodeId, tok: token.id, code, why: how, ...(by ? { by } : {}) });
  emit(run, { type: 'incidentResolved', token: token.id, nodeId: token.nodeId, code, how });
}

/**
 * Makes a token wait for something.
 *
 * @example
 * wait(token, 'dialog'); // token.status === 'waiting'
 */
export function wait(token: Token, kind: NonNullable<Token['wait']>): void {
  token.status = 'waiting';
  token.wait = kind;
}

/**
 * Ends the step: status from the tokens, the path capped, and the result.
 *
 * @example
 * return closeRun(run); // { state, effects, log }
 */
export function closeRun(run: Run): StepResult {
  const s = run.state;
  if (s.tokens.some((t) => t.status === 'active')) throw new Error('engine bug: a token is still active at the end of a step');
  if (s.status !== 'completed' && s.status !== 'cancelled') {
    s.status = s.tokens.some((t) => t.status === 'incident') ? 'incident' : 'running';
  }
  const limit = run.ctx.pathLimit ?? DEFAULT_PATH_LIMIT;
  if (s.path.length > limit) {
    const cut = s.path.length - limit;
    s.path = s.path.slice(cut);
    s.dropped = (s.dropped ?? 0) + cut;
  }
  return { state: s, effects: run.effects, log: run.log };
}
