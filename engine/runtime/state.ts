/**
 * Instance state: the plain, versioned JSON a process instance is made of between two events
 * (persisted by the server as one `jsonb` value). Tokens mark where the instance is; variables are
 * the process's own data; the path is a short, capped log of what happened (the full history is
 * returned per step as `log`). Ids (`k1`, `k2`, ...) come from the counter `seq`, never from
 * randomness, so a replay gives byte-identical states.
 */
import type { JsonValue } from '../model/types';

/** The state format version; `step` refuses other versions. */
export const STATE_VERSION = 1;

/** running: tokens wait for events; incident: at least one token is stuck; completed / cancelled: done. */
export type InstanceStatus = 'running' | 'completed' | 'cancelled' | 'incident';

/** What a waiting token waits for. */
export type WaitKind = 'dialog' | 'script' | 'join' | 'service' | 'timer' | 'child';

/** A stuck token: what went wrong, and whether a retry re-enters the node or re-tries its way out. */
export interface Incident {
  /** Stable code, e.g. `CONDITION_ERROR`, `NO_TRANSITION`, `SCRIPT_ERROR`, `ACTION_FAILED`. */
  code: string;
  /** A sentence for the admin. */
  message: string;
  /** Clock time (ms since the epoch) when it was raised. */
  at: number;
  /** enter: retrying runs the node again; leave: retrying evaluates its outgoing transitions again. */
  phase: 'enter' | 'leave';
  details?: JsonValue;
}

/** A marker of where one branch of the instance is. */
export interface Token {
  /** `k<n>`, unique within the instance. */
  id: string;
  nodeId: string;
  /** active only inside a step; after a step every token waits or is stuck. */
  status: 'active' | 'waiting' | 'incident';
  wait?: WaitKind;
  /** The transition that brought the token here (joins count arrivals per transition). */
  via?: string;
  /** The script run this token waits for (`r<n>`); a finished event for another run is stale. */
  run?: string;
  /** Clock time when the token reached `nodeId`. */
  since: number;
  incident?: Incident;
}

/** One thing that happened; `ev` says what. Short keys keep waiting instances small. */
export interface PathEntry {
  /** Clock time. */
  at: number;
  ev: 'start' | 'enter' | 'leave' | 'submit' | 'script' | 'service' | 'timer' | 'child' | 'incident' | 'resolved' | 'end' | 'complete' | 'cancel' | 'retry' | 'skip';
  node?: string;
  /** Token id. */
  tok?: string;
  /** Transition taken (with `leave`). */
  tr?: string;
  /** Why the transition was taken: the comparison that matched, `default`, `no condition`, ... */
  why?: string;
  /** Who caused it (dialog submit, cancel, retry). */
  by?: string;
  /** Incident code. */
  code?: string;
}

/** A scheduled timer (intermediate or boundary), by key `<token>:<timer node>`. */
export interface TimerState {
  /** The timer node. */
  node: string;
  token: string;
  /** The task a boundary timer watches. */
  attachedTo?: string;
  dueAt: number;
  /** How often it fired already (cycles). */
  fired: number;
}

export interface InstanceState {
  v: typeof STATE_VERSION;
  status: InstanceStatus;
  /** The id counter: every new token, script run and timer key takes the next number. */
  seq: number;
  tokens: Token[];
  vars: Record<string, JsonValue>;
  /** The latest entries (at most the path limit, 40 by default); older ones are counted in `dropped`. */
  path: PathEntry[];
  /** How many path entries were dropped from the front to keep the state small. */
  dropped?: number;
  /** Pending timers by key; absent when there are none. */
  timers?: Record<string, TimerState>;
}

/**
 * A fresh, not yet started instance state (what `start` expects).
 *
 * @example
 * const { state, effects } = step(process, initialState(), { type: 'start', snapshot }, ctx);
 */
export function initialState(): InstanceState {
  return { v: STATE_VERSION, status: 'running', seq: 0, tokens: [], vars: {}, path: [] };
}

/**
 * The nodes where the instance currently is, with what each token waits for (for views and lists).
 *
 * @example
 * currentNodes(state); // [{ nodeId: 'approve', tokenId: 'k1', status: 'waiting', wait: 'dialog' }]
 */
export function currentNodes(state: InstanceState): Array<{ nodeId: string; tokenId: string; status: Token['status']; wait?: WaitKind }> {
  return state.tokens.map((t) => ({ nodeId: t.nodeId, tokenId: t.id, status: t.status, ...(t.wait ? { wait: t.wait } : {}) }));
}
