/**
 * The events a process instance reacts to, as one discriminated union. Issue 6 handles start,
 * dialogSubmitted, scriptFinished, scriptFailed, ticketChanged, cancel, retry and skip; the service,
 * timer and child-process events are typed already and refused as `NOT_SUPPORTED_YET` until their
 * node types run.
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

/** Issue 7: a service call finished. */
export interface ServiceFinishedEvent {
  type: 'serviceFinished';
  tokenId: string;
  nodeId?: string;
  result: ResultPatch;
  snapshot: Snapshot;
}

/** Issue 7: a service call failed after its retries. */
export interface ServiceFailedEvent {
  type: 'serviceFailed';
  tokenId: string;
  nodeId?: string;
  errorCode: string;
  message: string;
  snapshot: Snapshot;
}

/** Issue 7: a timer fell due. */
export interface TimerFiredEvent {
  type: 'timerFired';
  /** The key of the `scheduleTimer` effect. */
  timer: string;
  snapshot: Snapshot;
}

/** Issue 7: a called process ended. */
export interface ChildCompletedEvent {
  type: 'childCompleted';
  tokenId: string;
  vars?: Record<string, JsonValue>;
  snapshot: Snapshot;
}

export type InstanceEvent =
  | StartInstanceEvent | DialogSubmittedEvent | ScriptFinishedEvent | ScriptFailedEvent | TicketChangedEvent | CancelEvent
  | RetryEvent | SkipEvent | ServiceFinishedEvent | ServiceFailedEvent | TimerFiredEvent | ChildCompletedEvent;

export type InstanceEventType = InstanceEvent['type'];
