/**
 * Test scenarios saved with a process (`tests` of process/1): the data a simulation runs on (the
 * ticket, the dialog answers per user task in order, canned service answers, script and child
 * results, a simulated clock) and what it must end with (`expect`). Types and the JSON Schema parts
 * (merged into the process schema by `schema.ts`); the simulator is `engine/simulate/`.
 *
 * @example
 * const scenario: Scenario = {
 *   name: 'approved',
 *   ticket: { title: 'Leave', dynamicFields: { LeaveStart: '2026-03-02', LeaveEnd: '2026-03-06' } },
 *   dialogs: [{ node: 'approve', fields: { DynamicField_LeaveApproved: 'yes' } }],
 *   expect: { status: 'completed', endNode: 'approved', ticket: { State: 'closed successful' } },
 * };
 */
import type { Interface } from './dialog';
import { parseDateTime, parseDuration } from './iso8601';
import { isRecord } from './json';
import type { JsonValue } from './types';

/** The initial ticket, named as templates name it (`{{ticket.queue}}`). */
export interface ScenarioTicket {
  number?: string;
  title?: string;
  queue?: string;
  state?: string;
  stateType?: string;
  priority?: string;
  type?: string;
  service?: string;
  sla?: string;
  owner?: string;
  responsible?: string;
  customerUser?: string;
  customerId?: string;
  lock?: 'lock' | 'unlock';
  pendingTime?: string;
  /** Dynamic field name (without `DynamicField_`) → value. */
  dynamicFields?: Record<string, JsonValue>;
}

/** A person templates may name (`{{customer.email}}`). */
export interface ScenarioPerson {
  login?: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  fullName?: string;
  customerId?: string;
  phone?: string;
}

/** One submission of a user task's dialog; the dialogs of a scenario are used in list order. */
export interface ScenarioDialog {
  /** The user task. */
  node: string;
  /** Field → value, as `POST /tickets/{id}/dialogs/{node}` takes them (`DynamicField_X`, `Queue`, `Article`, ...). */
  fields?: Record<string, JsonValue>;
  /** Who submits (default `simulator`). */
  by?: string;
  /** The interface used (default: the first the dialog is offered in). */
  interface?: Interface;
  /** ISO-8601 duration that passes before the submission (`PT9H`); timers due meanwhile fire first. */
  after?: string;
}

/** A result patch (script, service or child). */
export interface ScenarioPatch {
  vars?: Record<string, JsonValue>;
  dynamicFields?: Record<string, JsonValue>;
}

/**
 * A canned answer of a service operation: a result, or a failure (`code` as the server reports it,
 * e.g. `HTTP_5XX`; from `status` when absent). `after` (ISO-8601 duration) delays the answer on the
 * simulated clock, so boundary timers on the task can fire first.
 */
export type ScenarioServiceAnswer =
  | { result: ScenarioPatch; status?: number; after?: string }
  | { error: { code?: string; message?: string; status?: number }; after?: string };

/** A canned script result instead of running the script. */
export type ScenarioScriptAnswer =
  | { result: ScenarioPatch }
  | { error: { message?: string; code?: string } };

/** A canned end of a called process. */
export interface ScenarioChildAnswer {
  status?: 'completed' | 'cancelled';
  vars?: Record<string, JsonValue>;
}

/** What the simulation must end with; every property given is checked. */
export interface ScenarioExpect {
  status?: 'completed' | 'waiting' | 'running' | 'incident' | 'cancelled';
  /** Node ids that must be entered in this order (other nodes may come between). */
  path?: string[];
  /** Node ids that must never be entered. */
  notPath?: string[];
  /** The end event reached last. */
  endNode?: string;
  /** Final ticket fields: `Queue`, `State`, `DynamicField_X` (OTOBO spelling) or `queue`, `dynamicFields` (template spelling). */
  ticket?: Record<string, JsonValue>;
  /** Final process variables (each one given must be equal). */
  vars?: Record<string, JsonValue>;
  /** An incident that must have happened. */
  incident?: { code?: string; node?: string };
  /** Action types that must apply, in this order (others may come between). */
  actions?: string[];
  /** User tasks (or other nodes) where tokens wait at the end. */
  waitingAt?: string[];
}

export interface Scenario {
  name: string;
  description?: string;
  ticket?: ScenarioTicket;
  customer?: ScenarioPerson;
  owner?: ScenarioPerson;
  responsible?: ScenarioPerson;
  /** Initial process variables. */
  vars?: Record<string, JsonValue>;
  /** The simulated clock: where it starts, and how far it may run forward to fire timers when nothing else can happen. */
  clock?: { start?: string; advance?: string };
  dialogs?: ScenarioDialog[];
  /** `<webservice>/<operation>` → answer, or answers used in order. */
  services?: Record<string, ScenarioServiceAnswer | ScenarioServiceAnswer[]>;
  /** Script task id → canned result(s); script tasks without one run their script. */
  scripts?: Record<string, ScenarioScriptAnswer | ScenarioScriptAnswer[]>;
  /** Call activity id → canned end(s) of the called process; without one the called process is simulated when known. */
  children?: Record<string, ScenarioChildAnswer | ScenarioChildAnswer[]>;
  /** Most engine steps before the simulation stops (default 500). */
  maxSteps?: number;
  expect?: ScenarioExpect;
}

const str = (max: number, description?: string) => ({ type: 'string', maxLength: max, ...(description ? { description } : {}) });
const nodeId = { $ref: '#/$defs/id' };
const data = (description: string) => ({ type: 'object', maxProperties: 500, description });
const patch = {
  type: 'object',
  additionalProperties: false,
  properties: { vars: data('variables to merge'), dynamicFields: data('dynamic field name → value') },
};
const person = {
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(['login', 'email', 'firstName', 'lastName', 'fullName', 'customerId', 'phone'].map((k) => [k, str(500)])),
};
const oneOrMany = (ref: string) => ({ anyOf: [{ $ref: ref }, { type: 'array', maxItems: 1000, items: { $ref: ref } }] });

/** JSON Schema definitions of a scenario (merged into the process schema's `$defs`). */
export const scenarioDefs = {
  scenario: {
    type: 'object',
    description: 'a test scenario: the data a simulation runs on and what it must end with',
    required: ['name'],
    additionalProperties: false,
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 200, description: 'unique among the process\'s tests' },
      description: str(20_000),
      ticket: {
        type: 'object',
        description: 'the initial ticket, named as templates name it (title, queue, dynamicFields, ...)',
        additionalProperties: false,
        properties: {
          ...Object.fromEntries(
            ['number', 'title', 'queue', 'state', 'stateType', 'priority', 'type', 'service', 'sla', 'owner', 'responsible', 'customerUser', 'customerId', 'pendingTime'].map((k) => [k, str(500)]),
          ),
          lock: { enum: ['lock', 'unlock'] },
          dynamicFields: data('dynamic field name (without DynamicField_) → value'),
        },
      },
      customer: person,
      owner: person,
      responsible: person,
      vars: data('initial process variables'),
      clock: {
        type: 'object',
        additionalProperties: false,
        properties: {
          start: { type: 'string', minLength: 1, maxLength: 64, description: 'ISO-8601 date-time where the simulated clock starts' },
          advance: { type: 'string', minLength: 1, maxLength: 64, description: 'ISO-8601 duration: how far the clock may run forward to fire timers when nothing else can happen' },
        },
      },
      dialogs: {
        type: 'array',
        maxItems: 1000,
        description: 'dialog submissions, used in this order, each when its user task is open',
        items: {
          type: 'object',
          required: ['node'],
          additionalProperties: false,
          properties: {
            node: nodeId,
            fields: data('field → value, as the dialog endpoint takes them (DynamicField_X, Queue, Article, ...)'),
            by: str(200, 'who submits (default "simulator")'),
            interface: { enum: ['agent', 'customer'] },
            after: { type: 'string', minLength: 1, maxLength: 64, description: 'ISO-8601 duration that passes before the submission' },
          },
        },
      },
      services: {
        type: 'object',
        description: '"<webservice>/<operation>" → a canned answer, or answers used in order',
        maxProperties: 200,
        propertyNames: { pattern: '^[^/]+/[^/]+$', description: 'a "<webservice>/<operation>" name' },
        additionalProperties: oneOrMany('#/$defs/scenarioServiceAnswer'),
      },
      scripts: {
        type: 'object',
        description: 'script task id → canned result(s) instead of running the script',
        maxProperties: 200,
        additionalProperties: oneOrMany('#/$defs/scenarioScriptAnswer'),
      },
      children: {
        type: 'object',
        description: 'call activity id → canned end(s) of the called process',
        maxProperties: 200,
        additionalProperties: oneOrMany('#/$defs/scenarioChildAnswer'),
      },
      maxSteps: { type: 'integer', minimum: 1, maximum: 100_000, description: 'most engine steps before the simulation stops (default 500)' },
      expect: {
        type: 'object',
        description: 'what the simulation must end with; every property given is checked',
        additionalProperties: false,
        properties: {
          status: { enum: ['completed', 'waiting', 'running', 'incident', 'cancelled'] },
          path: { type: 'array', maxItems: 1000, items: nodeId, description: 'node ids entered in this order (others may come between)' },
          notPath: { type: 'array', maxItems: 1000, items: nodeId, description: 'node ids never entered' },
          endNode: nodeId,
          ticket: data('final ticket fields: Queue, State, DynamicField_X (or queue, dynamicFields)'),
          vars: data('final process variables'),
          incident: {
            type: 'object',
            additionalProperties: false,
            properties: { code: str(200), node: nodeId },
          },
          actions: { type: 'array', maxItems: 1000, items: str(100), description: 'action types that apply, in this order' },
          waitingAt: { type: 'array', maxItems: 1000, items: nodeId, description: 'nodes where tokens wait at the end' },
        },
      },
    },
  },
  scenarioServiceAnswer: {
    type: 'object',
    description: 'needs either {result} or {error}',
    oneOf: [
      { required: ['result'], additionalProperties: false, properties: { result: patch, status: { type: 'integer', minimum: 100, maximum: 599 }, after: { type: 'string', minLength: 1, maxLength: 64, description: 'ISO-8601 duration the answer takes on the simulated clock' } } },
      {
        required: ['error'],
        additionalProperties: false,
        properties: {
          after: { type: 'string', minLength: 1, maxLength: 64, description: 'ISO-8601 duration the answer takes on the simulated clock' },
          error: {
            type: 'object',
            additionalProperties: false,
            properties: { code: str(200), message: str(2000), status: { type: 'integer', minimum: 100, maximum: 599 } },
          },
        },
      },
    ],
  },
  scenarioScriptAnswer: {
    type: 'object',
    description: 'needs either {result} or {error}',
    oneOf: [
      { required: ['result'], additionalProperties: false, properties: { result: patch } },
      {
        required: ['error'],
        additionalProperties: false,
        properties: { error: { type: 'object', additionalProperties: false, properties: { message: str(2000), code: str(200) } } },
      },
    ],
  },
  scenarioChildAnswer: {
    type: 'object',
    additionalProperties: false,
    properties: { status: { enum: ['completed', 'cancelled'] }, vars: data('the called process\'s final variables') },
  },
};

/** A problem of a scenario against its process, with a JSON pointer into the scenario. */
export interface ScenarioProblem {
  code: string;
  path: string;
  message: string;
}

/**
 * What the schema cannot see in a scenario: dialogs, scripts and children naming nodes the process
 * lacks (or of another type; nodes of called processes are allowed when the process has call
 * activities), and dates or durations that do not parse. Tolerates malformed input (checks what it can).
 *
 * @example
 * scenarioProblems(process, { name: 'x', dialogs: [{ node: 'nope' }] });
 * // [{ code: 'UNKNOWN_NODE', path: '/dialogs/0/node', message: '"nope" is not a user task of process "p".' }]
 */
export function scenarioProblems(process: { key?: unknown; nodes?: unknown }, scenario: unknown): ScenarioProblem[] {
  const out: ScenarioProblem[] = [];
  if (!isRecord(scenario)) return out;
  const nodes = new Map<string, string>();
  for (const n of Array.isArray(process.nodes) ? process.nodes : []) if (isRecord(n) && typeof n.id === 'string' && !nodes.has(n.id)) nodes.set(n.id, String(n.type));
  const calls = [...nodes.values()].includes('callActivity');
  const key = String(process.key);
  const check = (id: string, type: string, words: string, path: string) => {
    const t = nodes.get(id);
    if (t ? t !== type : !calls) out.push({ code: 'UNKNOWN_NODE', path, message: `"${id}" is not ${words} of process "${key}".` });
  };
  const duration = (text: unknown, path: string) => {
    if (typeof text !== 'string') return;
    const r = parseDuration(text);
    if (!r.ok) out.push({ code: 'BAD_DURATION', path, message: r.error });
  };
  (Array.isArray(scenario.dialogs) ? scenario.dialogs : []).forEach((d, i) => {
    if (!isRecord(d)) return;
    if (typeof d.node === 'string') check(d.node, 'userTask', 'a user task', `/dialogs/${i}/node`);
    duration(d.after, `/dialogs/${i}/after`);
  });
  const esc = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
  if (isRecord(scenario.scripts)) for (const id of Object.keys(scenario.scripts)) check(id, 'scriptTask', 'a script task', `/scripts/${esc(id)}`);
  if (isRecord(scenario.children)) for (const id of Object.keys(scenario.children)) check(id, 'callActivity', 'a call activity', `/children/${esc(id)}`);
  if (isRecord(scenario.services)) {
    for (const [name, answers] of Object.entries(scenario.services)) {
      (Array.isArray(answers) ? answers : [answers]).forEach((a, i) => {
        if (isRecord(a)) duration(a.after, `/services/${esc(name)}${Array.isArray(answers) ? `/${i}` : ''}/after`);
      });
    }
  }
  const clock = isRecord(scenario.clock) ? scenario.clock : {};
  if (typeof clock.start === 'string') {
    const r = parseDateTime(clock.start);
    if (!r.ok) out.push({ code: 'BAD_DATE', path: '/clock/start', message: r.error });
  }
  duration(clock.advance, '/clock/advance');
  return out;
}
