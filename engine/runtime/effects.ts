/**
 * The effects a step asks the server to carry out, as one discriminated union. The server persists
 * them with the new state in one transaction: `applyActions` runs inside that transaction (a failing
 * action rolls the step back and becomes an incident via `raiseIncident`); `runScript` becomes a job;
 * `openUserTask` / `closeUserTask` maintain the open dialogs; `incident` / `incidentResolved` the
 * incident list; `complete` closes the instance. `callService`, `startChild` and `scheduleTimer` /
 * `cancelTimer` belong to issue 7 (boundary timers are scheduled already, see `nodes/user-task.ts`).
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

/** Why a user task closed: its dialog was submitted, a ticket change (or a retry) met a transition, or an admin cancelled or skipped it. */
export type CloseReason = 'submitted' | 'ticketChanged' | 'retried' | 'cancelled' | 'skipped';

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
  /** The node left (transition actions) or the script task (a script's dynamic fields). */
  nodeId: string;
  /** The transition whose actions these are; absent for a script's result patch. */
  transition?: string;
  source: 'transition' | 'script';
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

/** Issue 7: call a web service operation, then send `serviceFinished` / `serviceFailed`. */
export interface CallServiceEffect {
  type: 'callService';
  token: string;
  nodeId: string;
  webservice: string;
  operation: string;
  params: Record<string, JsonValue>;
  timeoutMs?: number;
  retries?: number;
  /** Stable across retries of the same step. */
  idempotencyKey: string;
}

/** A timer to fire at `dueAt` (send `timerFired` with `key`). */
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

/** Issue 7: start a called process. */
export interface StartChildEffect {
  type: 'startChild';
  token: string;
  nodeId: string;
  process: string;
  version: 'latest' | number;
  binding: 'same-ticket' | 'child-ticket';
  vars: Record<string, JsonValue>;
}

export type Effect =
  | RunScriptEffect | OpenUserTaskEffect | CloseUserTaskEffect | ApplyActionsEffect | CompleteEffect
  | IncidentEffect | IncidentResolvedEffect | CallServiceEffect | ScheduleTimerEffect | CancelTimerEffect | StartChildEffect;

export type EffectType = Effect['type'];
