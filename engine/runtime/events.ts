/**
 * The events a process instance reacts to, as one discriminated union: start, dialogSubmitted,
 * script and service results, ticketChanged, timerFired, childCompleted, and the admin's cancel,
 * retry and skip.
 */
import type { Interface, JsonValue } from '../model/types';
import type { Snapshot } from './snapshot';

/** The result patch of a script (or, later, a service call). */
export interface ResultPatch {
  vars?: Record<string, JsonValue>;
  dynamicFields?: Record<string, JsonValue>;
}

/** Starts the instance at its start event. */
export interface StartInstanceEvent {
  type: 'start';
  snapshot: Snapshot;
  /** Initial process variables. */
  vars?: Record<string, JsonValue>;
  /** Who started it (login, or `system`). */
  by?: string;
}

/** A user task's dialog was submitted; the server has written its fields to the ticket already. */
export interface DialogSubmittedEvent {
  type: 'dialogSubmitted';
  nodeId: string;
  /** The waiting token (optional when only one token waits at `nodeId`). */
  tokenId?: string;
  by: string;
  /** The interface the submitter used; refused when the dialog is not offered there. */
  interface?: Interface;
  snapshot: Snapshot;
}

/** A script run finished with a patch. */
export interface ScriptFinishedEvent {
  type: 'scriptFinished';
  tokenId: string;
  nodeId?: string;
  /** The run id of the `runScript` effect; a finished event for an older run is stale. */
  run?: string;
  result: ResultPatch;
  snapshot: Snapshot;
  durationMs?: number;
}

/** A script run failed (a script error, a limit, an invalid result or a business error). */
export interface ScriptFailedEvent {
  type: 'scriptFailed';
  tokenId: string;
  nodeId?: string;
  run?: string;
  /** script, timeout, memory, stack, business, invalid-result (see the sandbox). */
  kind?: string;
  message: string;
  line?: number;
  /** A business error code (`throw new BusinessError('NO_BUDGET', ...)`): boundary error events catch it. */
  errorCode?: string;
  snapshot: Snapshot;
}

/** The ticket changed outside a dialog: waiting OTOBO-style activities re-check their transitions. */
export interface TicketChangedEvent {
  type: 'ticketChanged';
  snapshot: Snapshot;
  by?: string;
}

/** Ends the instance; every open task is closed. */
export interface CancelEvent {
  type: 'cancel';
  by?: string;
  reason?: string;
}

/** An admin retries a stuck token (after fixing data, say). */
export interface RetryEvent {
  type: 'retry';
  tokenId: string;
  by?: string;
  /** Variables to merge in before retrying. */
  vars?: Record<string, JsonValue>;
  snapshot: Snapshot;
}

/** An admin moves a token to another node (skipping the rest of its current node). */
export interface SkipEvent {
  type: 'skip';
  tokenId: string;
  toNodeId: string;
  by?: string;
  snapshot: Snapshot;
}

/** A service call (service task) answered with success; `result` is the operation's response mapping. */
export interface ServiceFinishedEvent {
  type: 'serviceFinished';
  tokenId: string;
  nodeId?: string;
  /** The run id of the `callService` effect; a result for an older call is stale. */
  run?: string;
  result: ResultPatch;
  snapshot: Snapshot;
  /** HTTP status of the answer (for the log). */
  status?: number;
  durationMs?: number;
}

/**
 * A service call failed for good (after its retries): `errorCode` is one of `HTTP_404`, `HTTP_4XX`,
 * `HTTP_5XX`, `TIMEOUT`, `NETWORK`, `MAPPING`, `REFUSED` (allow-list) or `CONFIG` (unknown service or
 * operation). The node's `errorMapping` may turn it into a business code first; a boundary error
 * event or a conditional transition (seeing `vars.error`) catches it; otherwise it is an incident.
 */
export interface ServiceFailedEvent {
  type: 'serviceFailed';
  tokenId: string;
  nodeId?: string;
  run?: string;
  errorCode: string;
  message: string;
  /** HTTP status when there was an answer. */
  status?: number;
  attempts?: number;
  snapshot: Snapshot;
}

/** A timer fell due (the server's timer job). Stale (refused) when the timer was cancelled meanwhile. */
export interface TimerFiredEvent {
  type: 'timerFired';
  /** The key of the `scheduleTimer` effect. */
  timer: string;
  snapshot: Snapshot;
}

/** A called process (call activity) ended: completed (with its final variables) or cancelled. */
export interface ChildCompletedEvent {
  type: 'childCompleted';
  tokenId: string;
  /** The run id of the `startChild` effect. */
  run?: string;
  status?: 'completed' | 'cancelled';
  /** The child's variables at its end; the call activity's `outputs` are evaluated against them. */
  vars?: Record<string, JsonValue>;
  snapshot: Snapshot;
}

export type InstanceEvent =
  | StartInstanceEvent | DialogSubmittedEvent | ScriptFinishedEvent | ScriptFailedEvent | TicketChangedEvent | CancelEvent
  | RetryEvent | SkipEvent | ServiceFinishedEvent | ServiceFailedEvent | TimerFiredEvent | ChildCompletedEvent;

export type InstanceEventType = InstanceEvent['type'];
