/**
 * Types of the simulator (test mode): what the caller injects (script runner, expression evaluator,
 * called processes) and the report a simulation returns.
 */
import type { Action, JsonValue, Process } from '../model/types';
import type { ExpressionLimits, ExpressionScope } from '../runtime/conditions';
import type { RunScriptEffect } from '../runtime/effects';
import type { Snapshot, TicketSnapshot } from '../runtime/snapshot';
import type { ScriptResult } from '../sandbox/contract';

export type { Scenario } from '../model/types';

/** Runs a script task's script (the server passes the QuickJS pool; the CLI its own pool). */
export type ScriptRunner = (effect: RunScriptEffect, snapshot: Snapshot, now: number) => Promise<ScriptResult>;

/** Evaluates an expression condition at the simulated time `now`, within `limits` (the time left of the step's budget) when given. */
export type SimulatedExpressionEvaluator = (expression: string, scope: ExpressionScope, now: number, limits?: ExpressionLimits) => unknown;

/** The definition of a called process (call activities), or undefined when unknown. */
export type ProcessResolver = (key: string, version: 'latest' | number) => Process | undefined | Promise<Process | undefined>;

export interface SimulateOptions {
  /** Runs scripts without a canned result; without it such a script task is a problem `NO_SCRIPT_RUNNER`. */
  runScript?: ScriptRunner;
  /** Evaluates `{expression}` conditions; without it they are `CONDITION_ERROR` incidents, as in the engine. */
  evaluateExpression?: SimulatedExpressionEvaluator;
  /** One deadline for all expression conditions of a step, on the caller's wall clock (as the engine's `StepContext.expressionBudget`). */
  expressionBudget?: { ms: number; now: () => number };
  /** Definitions of called processes (recursive simulation when no canned child result is given). */
  resolveProcess?: ProcessResolver;
  /** Most timer firings (default 100). */
  maxTimers?: number;
  /** Depth of nested call activities simulated (default 5). */
  maxDepth?: number;
}

/** Where a simulation stopped: completed or cancelled (the instance ended), incident (a token is stuck),
 * waiting (tokens wait for input the scenario does not give), running (a step or timer limit stopped it). */
export type SimulationStatus = 'completed' | 'waiting' | 'running' | 'incident' | 'cancelled';

/** One thing that happened, in order. */
export interface SimulationPathEntry {
  /** ISO date-time on the simulated clock. */
  at: string;
  /** start, enter, leave, submit, script, service, timer, child, incident, resolved, end, complete, ... */
  event: string;
  node?: string;
  nodeName?: string;
  transition?: string;
  /** Why a transition was taken (the comparison that matched), a script's duration, an error message ... */
  why?: string;
  by?: string;
  code?: string;
  /** The called process, for entries of a simulated child. */
  process?: string;
}

/** Ticket actions that would apply (nothing is written). */
export interface SimulatedActions {
  at: string;
  node: string;
  transition?: string;
  source: string;
  actions: Action[];
  /** The called process, for a simulated child's actions. */
  process?: string;
}

/** A mail a SendEmail action would send: recipients and texts as resolved; `template` is named, not rendered. */
export interface SimulatedMail {
  at: string;
  node: string;
  transition?: string;
  to: string;
  cc?: string;
  bcc?: string;
  subject?: string;
  body?: string;
  template?: string;
  process?: string;
}

export interface SimulatedIncident {
  at: string;
  node: string;
  code: string;
  message: string;
  /** Whether it was resolved later in the simulation (caught, retried ...). */
  resolved: boolean;
  process?: string;
}

/** Something the simulation could not do because the scenario lacks or misstates data. */
export interface SimulationProblem {
  code: string;
  message: string;
  node?: string;
  /** JSON pointer into the scenario, when it names the cause. */
  path?: string;
}

export interface ExpectationResult {
  /** status, path, endNode, ticket.Queue, vars.days, incident, actions, ... */
  what: string;
  ok: boolean;
  expected: JsonValue;
  actual: JsonValue;
}

/** The outbound calls that would be made, with the canned answer used. */
export interface SimulatedCall {
  at: string;
  node: string;
  /** script: the script reference or `inline`; service: `<webservice>/<operation>`; child: the process key. */
  kind: 'script' | 'service' | 'child';
  target: string;
  params?: Record<string, JsonValue>;
  outcome: 'result' | 'error' | 'missing';
  canned: boolean;
  message?: string;
}

export interface SimulationReport {
  process: { key: string; version?: number };
  scenario: string;
  status: SimulationStatus;
  path: SimulationPathEntry[];
  actions: SimulatedActions[];
  calls: SimulatedCall[];
  /** Articles the dialogs would write. */
  articles: Array<{ node: string; subject?: string; body: string }>;
  /** Mail the SendEmail actions would send (none is sent in test mode). */
  mails: SimulatedMail[];
  ticket: TicketSnapshot;
  vars: Record<string, JsonValue>;
  incidents: SimulatedIncident[];
  /** Where tokens wait at the end, and for what. */
  waitingAt: Array<{ node: string; wait: string }>;
  /** Timers still pending at the end. */
  timers: Array<{ key: string; node: string; dueAt: string }>;
  /** Engine steps taken. */
  steps: number;
  clock: { start: string; end: string };
  problems: SimulationProblem[];
  expectations: ExpectationResult[];
  /** No problem, and every expectation holds. */
  passed: boolean;
  /** Simulated called processes. */
  children?: Array<{ node: string; report: SimulationReport }>;
}
