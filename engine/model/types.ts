/**
 * The process format `process/1` as TypeScript types. They mirror the JSON Schema built in
 * `schema.ts` (written out as `processes/schema/process-1.schema.json`); `types.test.ts` checks
 * representative fixtures against both.
 *
 * Semantics in brief: a token starts at the one `startEvent`; transitions out of a node are tried in
 * `order` (then array order); out of a task or an exclusive gateway the first whose condition holds is
 * taken (a gateway falls back to its `default`); a parallel gateway forks to all outgoing transitions
 * and joins all incoming ones. Boundary events hang on a task (`attachedTo`) and start their own path.
 */
import type { Action } from './actions';
import type { Condition } from './conditions';
import type { Assign, Dialog, I18n, Interface } from './dialog';
import type { Scenario } from './scenario';

export type { Action, ActionType } from './actions';
export type { Comparison, ComparisonGroup, Condition, ConditionOp, ExpressionCondition, StructuredCondition, UnsupportedCondition } from './conditions';
export type { Assign, Dialog, DialogField, Display, FieldRule, FieldRuleEffect, I18n, Interface } from './dialog';
export type { Scenario, ScenarioChildAnswer, ScenarioDialog, ScenarioExpect, ScenarioPatch, ScenarioPerson, ScenarioScriptAnswer, ScenarioServiceAnswer, ScenarioTicket } from './scenario';

/** The format tag; an importer refuses other majors. */
export const PROCESS_FORMAT = 'process/1';

export type ProcessState = 'active' | 'inactive' | 'fadeaway';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface Process {
  format: typeof PROCESS_FORMAT;
  /** Stable identity across versions: lower-case letters, digits and dashes (`leave-request`). */
  key: string;
  name: string;
  /** Notes for admins and agents; never shown in the customer portal. */
  description?: string;
  /** What customers read about the process in the portal (instead of `description`). */
  customerDescription?: string;
  /** Translations of `name`, `description` and `customerDescription` (`{ "de": { "name": "Urlaubsantrag" } }`). */
  i18n?: I18n;
  /** Assigned on deploy (1, 2, 3, ...); versions are immutable. */
  version?: number;
  /** active; inactive (cannot start); fadeaway (no new tickets, running ones finish). */
  state?: ProcessState;
  start: StartConfig;
  nodes: ProcessNode[];
  transitions: Transition[];
  /** Test scenarios run by the simulator (`POST …/simulate`, `helpdesk process test`). */
  tests?: Scenario[];
  diagram?: Diagram;
}

/** Who may start the process, and the form that opens the process ticket. */
export interface StartConfig {
  interfaces: Interface[];
  dialog?: Dialog;
}

interface NodeBase {
  /** Unique across nodes and transitions; a letter or `_`, then letters, digits, `_`, `-`, `.`. */
  id: string;
  name?: string;
  description?: string;
  /** Translations of `name` and `description`. */
  i18n?: I18n;
  /**
   * Whether the step is listed to the customer in the portal. Default: named user tasks, events,
   * timers and call activities are; script and service tasks, gateways and boundary events are not
   * (see `shownToCustomer`).
   */
  showToCustomer?: boolean;
}

/** Node types that are automatic steps: not shown to the customer unless marked. */
export const AUTOMATIC_NODE_TYPES: ReadonlySet<string> = new Set(['scriptTask', 'serviceTask', 'exclusiveGateway', 'parallelGateway', 'boundaryTimer', 'boundaryError']);

/**
 * Whether a step is listed to the customer: its `showToCustomer`, else yes except for automatic steps.
 *
 * @example
 * shownToCustomer({ id: 'check', type: 'scriptTask' }); // false
 */
export function shownToCustomer(node: Pick<NodeBase, 'showToCustomer'> & { type: string }): boolean {
  return node.showToCustomer ?? !AUTOMATIC_NODE_TYPES.has(node.type);
}

export interface StartEvent extends NodeBase { type: 'startEvent' }
export interface EndEvent extends NodeBase { type: 'endEvent' }

export interface UserTask extends NodeBase {
  type: 'userTask';
  /** The form the assignee fills in; submitting it completes the task. */
  dialog: Dialog;
  /** Further forms the assignee may use instead (OTOBO activities with several dialogs). */
  alternativeDialogs?: Dialog[];
  assign?: Assign;
}

/** A stored script by name (and version; latest when absent), or inline source. */
export type ScriptSource = { ref: string; version?: number } | { source: string };

export interface ScriptTask extends NodeBase {
  type: 'scriptTask';
  script: ScriptSource;
  /** Inputs of the script; text values may be templates. */
  params?: Record<string, JsonValue>;
  timeoutMs?: number;
}

/** Maps a failure of a service call to an error code that boundary error events catch. */
export interface ErrorMapping {
  /** An HTTP status or class (`404`, `5XX`), or `timeout`, `network`, `invalidResponse`. */
  when: string;
  code: string;
}

export interface ServiceTask extends NodeBase {
  type: 'serviceTask';
  service: { webservice: string; operation: string };
  params?: Record<string, JsonValue>;
  timeoutMs?: number;
  /** Retries after the first attempt, with backoff. */
  retries?: number;
  errorMapping?: ErrorMapping[];
}

export interface ExclusiveGateway extends NodeBase {
  type: 'exclusiveGateway';
  /** Id of the outgoing transition taken when no condition holds. */
  default?: string;
}

export interface ParallelGateway extends NodeBase { type: 'parallelGateway' }

/** Exactly one of the three, as ISO-8601 text. */
export interface TimerFields {
  /** Wait this long, e.g. `PT8H`. */
  duration?: string;
  /** Fire at this instant, e.g. `2025-03-01T09:00:00Z`. */
  date?: string;
  /** Fire repeatedly, e.g. `R3/PT1H` or `R/P1D`. */
  cycle?: string;
  /**
   * Count the `duration` in this business calendar's working time (by name, e.g. `"Support hours"`),
   * so `PT8H` means eight working hours. Only with `duration`, without years or months.
   */
  calendar?: string;
}

export interface IntermediateTimer extends NodeBase, TimerFields { type: 'intermediateTimer' }

export interface BoundaryTimer extends NodeBase, TimerFields {
  type: 'boundaryTimer';
  /** The user task, service task or call activity it watches. */
  attachedTo: string;
  /** true (default): the task is cancelled when the timer fires; false: the task goes on as well. */
  interrupting?: boolean;
}

export interface BoundaryError extends NodeBase {
  type: 'boundaryError';
  /** The script or service task whose errors it catches. */
  attachedTo: string;
  /** The error code caught (e.g. `HTTP_5XX`); every error when absent. */
  errorCode?: string;
}

export interface CallActivity extends NodeBase {
  type: 'callActivity';
  /** Key of the called process. */
  process: string;
  version: 'latest' | number;
  /** same-ticket: the sub-process runs on this ticket; child-ticket: on a new child ticket. */
  binding: 'same-ticket' | 'child-ticket';
  /** Variable of the called process → template evaluated here. */
  inputs?: Record<string, string>;
  /** Variable here → template evaluated in the called process when it ends. */
  outputs?: Record<string, string>;
}

export type ProcessNode =
  | StartEvent | EndEvent | UserTask | ScriptTask | ServiceTask | ExclusiveGateway | ParallelGateway
  | IntermediateTimer | BoundaryTimer | BoundaryError | CallActivity;

export type NodeType = ProcessNode['type'];

export const NODE_TYPES: readonly NodeType[] = [
  'startEvent', 'endEvent', 'userTask', 'scriptTask', 'serviceTask', 'exclusiveGateway', 'parallelGateway',
  'intermediateTimer', 'boundaryTimer', 'boundaryError', 'callActivity',
];

export interface Transition {
  id: string;
  from: string;
  to: string;
  name?: string;
  /** Evaluation order among the transitions leaving the same node (lower first). */
  order?: number;
  condition?: Condition;
  /** Run in order when the transition is taken. */
  actions?: Action[];
}

export interface Bounds { x: number; y: number; w: number; h: number }
export type Point = [number, number];

/** Layout of the canvas: node id → bounds, transition id → waypoints. */
export interface Diagram {
  shapes: Record<string, Bounds>;
  edges: Record<string, Point[]>;
  /** Where the names of flows, events and gateways are drawn, by element id (placed automatically where absent). */
  labels?: Record<string, Bounds>;
}
