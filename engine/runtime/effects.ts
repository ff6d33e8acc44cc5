/**
 * The effects a step asks the server to carry out, as one discriminated union. The server persists
 * them with the new state in one transaction: `applyActions` runs inside that transaction (a failing
 * action rolls the step back and becomes an incident via `raiseIncident`); `runScript` becomes a job;
 * `openUserTask` / `closeUserTask` maintain the open dialogs; `incident` / `incidentResolved` the
 * incident list; `complete` closes the instance; `callService` becomes a service job,
 * `scheduleTimer` / `cancelTimer` timer jobs, `startChild` / `cancelChild` child instances.
 */
import type { Action, Assign, Dialog, Interface, JsonValue, ScriptSource } from '../model/types';

/** Run a script in the sandbox, then send `scriptFinished` or `scriptFailed` with `token` and `run`. */
export interface RunScriptEffect {
  type: 'runScript';
  token: string;
  nodeId: string;
  /** Run id (`r<n>`): echo it in the finished/failed event; also a natural idempotency key. */
  run: string;
  script: ScriptSource;
  /** The node's params with templates resolved (a lone `{{...}}` keeps its type). */
  params: Record<string, JsonValue>;
  vars: Record<string, JsonValue>;
  timeoutMs?: number;
}

/** A user task opened: offer `dialog` to the interfaces listed, assigned per `assign`. */
export interface OpenUserTaskEffect {
  type: 'openUserTask';
  token: string;
  nodeId: string;
  name?: string;
  dialog: Dialog;
  alternativeDialogs?: Dialog[];
  /** Who may answer: the union of the dialogs' interfaces; the server refuses the others. */
  interfaces: Interface[];
  /** With templates resolved against the ticket. */
  assign?: Assign;
}

/** Why a user task closed: its dialog was submitted, a ticket change (or a retry) met a transition, an interrupting timer fired, or an admin cancelled or skipped it. */
export type CloseReason = 'submitted' | 'ticketChanged' | 'retried' | 'cancelled' | 'skipped' | 'timer';

export interface CloseUserTaskEffect {
  type: 'closeUserTask';
  token: string;
  nodeId: string;
  reason: CloseReason;
  by?: string;
}

/** Run these ticket actions, in order, in the step's transaction (templates already resolved). */
export interface ApplyActionsEffect {
  type: 'applyActions';
  token: string;
  /** The node left (transition actions) or the script / service task (its result's dynamic fields). */
  nodeId: string;
  /** The transition whose actions these are; absent for a script's result patch. */
  transition?: string;
  source: 'transition' | 'script' | 'service';
  actions: Action[];
}

export interface CompleteEffect {
  type: 'complete';
  /** The end event reached last. */
  nodeId: string;
}

export interface IncidentEffect {
  type: 'incident';
  token: string;
  nodeId: string;
  code: string;
  message: string;
  details?: JsonValue;
}

export interface IncidentResolvedEffect {
  type: 'incidentResolved';
  token: string;
  nodeId: string;
  code: string;
  /** retry, skip, cancel, or the event that made a condition hold (dialogSubmitted, ticketChanged). */
  how: string;
}

/**
 * Call a web service operation (service task), then send `serviceFinished` / `serviceFailed` with
 * `token` and `run`. Retries (with backoff) are the server's: `retries` after the first attempt,
 * all with the same idempotency key.
 */
export interface CallServiceEffect {
  type: 'callService';
  token: string;
  nodeId: string;
  /** Run id (`r<n>`), echoed in the result event. */
  run: string;
  /** Outbound service name. */
  webservice: string;
  operation: string;
  /** The node's params with templates resolved; the operation's templates see them as `params`. */
  params: Record<string, JsonValue>;
  /** Process variables at the call (operation templates see them as `vars`). */
  vars: Record<string, JsonValue>;
  timeoutMs?: number;
  retries?: number;
  /** Stable across retries of the same step: `<token>:<run>`; the server prefixes its instance id. */
  idempotencyKey: string;
}

/**
 * A timer to fire at `dueAt` (send `timerFired` with `key`). A cycle schedules the same key again
 * after each firing (with the next `dueAt`), so the server must key its job by key AND due time; a
 * `cancelTimer` with the key cancels whatever is pending under it.
 */
export interface ScheduleTimerEffect {
  type: 'scheduleTimer';
  /** `<token>:<timer node>`, unique while the token lives. */
  key: string;
  token: string;
  /** The timer node (boundary or intermediate). */
  nodeId: string;
  /** The task the boundary timer watches. */
  attachedTo?: string;
  dueAt: number;
  /** The ISO-8601 text as written (`PT8H`, `R3/PT1H`, a date). */
  spec: string;
}

export interface CancelTimerEffect {
  type: 'cancelTimer';
  key: string;
}

/** Start a called process (call activity); when it ends, send `childCompleted` with `token` and `run`. */
export interface StartChildEffect {
  type: 'startChild';
  token: string;
  nodeId: string;
  run: string;
  process: string;
  version: 'latest' | number;
  binding: 'same-ticket' | 'child-ticket';
  /** The child's initial variables (the call activity's `inputs`, resolved here). */
  vars: Record<string, JsonValue>;
}

/** Cancel a called process that is still running (its call activity was left: a timer, a skip, a cancel). */
export interface CancelChildEffect {
  type: 'cancelChild';
  token: string;
  nodeId: string;
  run: string;
}

export type Effect =
  | RunScriptEffect | OpenUserTaskEffect | CloseUserTaskEffect | ApplyActionsEffect | CompleteEffect
  | IncidentEffect | IncidentResolvedEffect | CallServiceEffect | ScheduleTimerEffect | CancelTimerEffect | StartChildEffect | CancelChildEffect;

export type EffectType = Effect['type'];
