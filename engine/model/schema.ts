/**
 * The JSON Schema (draft 2020-12) of `process/1`, assembled from the parts that sit beside their
 * types (conditions, dialogs, actions). `processSchema` is the complete schema, written out as
 * `processes/schema/process-1.schema.json` for other tools; the validator compiles
 * `buildProcessSchema({ strictActions: false })` and checks each action against its own schema, so an
 * action's problems are reported once, with the action's own wording.
 */
import { ACTION_TYPES, ACTIONS } from './actions';
import { conditionDefs } from './conditions';
import { dialogDefs, i18nSchema } from './dialog';
import { scenarioDefs } from './scenario';

export const SCHEMA_ID = 'https://helpdesk.invalid/schemas/process-1.json';

/** Pattern of node and transition ids (valid XML ids, so BPMN export keeps them). */
export const ID_PATTERN = '^[A-Za-z_][A-Za-z0-9_.-]*$';
/** Pattern of process keys. */
export const KEY_PATTERN = '^[a-z0-9]+(?:-[a-z0-9]+)*$';
/**
 * The most nodes and transitions a process may have. Far above any drawn process (OTOBO's largest
 * have a few hundred activities); it bounds what one export, layout or validation costs the
 * server's event loop (a BPMN export of 1,000 nodes: a few hundred milliseconds).
 * Split larger flows into call activities.
 */
export const MAX_PROCESS_NODES = 1000;
export const MAX_PROCESS_TRANSITIONS = 2000;

const id = {
  type: 'string',
  minLength: 1,
  maxLength: 128,
  pattern: ID_PATTERN,
  description: 'an id: a letter or "_", then letters, digits, "_", "-" or "."',
};
const key = {
  type: 'string',
  minLength: 1,
  maxLength: 64,
  pattern: KEY_PATTERN,
  description: 'a key: lower-case letters and digits, words joined by "-"',
};
const name = { type: 'string', minLength: 1, maxLength: 500 };
const text = (max: number) => ({ type: 'string', maxLength: max });
const params = { type: 'object', maxProperties: 200 };
const timer = {
  duration: { type: 'string', minLength: 1, maxLength: 64 },
  date: { type: 'string', minLength: 1, maxLength: 64 },
  cycle: { type: 'string', minLength: 1, maxLength: 160 },
  calendar: { type: 'string', minLength: 1, maxLength: 200, description: 'business calendar (by name) whose working time the duration counts in' },
};
const oneTimer = {
  oneOf: [{ required: ['duration'] }, { required: ['date'] }, { required: ['cycle'] }],
  description: 'needs exactly one of duration, date, cycle',
};

function node(type: string, properties: Record<string, unknown>, required: string[] = [], extra: Record<string, unknown> = {}) {
  return {
    type: 'object',
    required: ['id', 'type', ...required],
    additionalProperties: false,
    properties: {
      id: { $ref: '#/$defs/id' }, type: { const: type }, name: text(500), description: text(20_000), i18n: i18nSchema({ name: 500, description: 20_000 }),
      showToCustomer: { type: 'boolean', description: 'whether the step is listed in the customer portal (default: yes for named user tasks, events and call activities; no for automatic steps)' },
      ...properties,
    },
    ...extra,
  };
}

const nodeDefs = {
  startEvent: node('startEvent', {}),
  endEvent: node('endEvent', {}),
  userTask: node(
    'userTask',
    {
      dialog: { $ref: '#/$defs/dialog' },
      alternativeDialogs: { type: 'array', maxItems: 50, items: { $ref: '#/$defs/dialog' } },
      assign: { $ref: '#/$defs/assign' },
    },
    ['dialog'],
  ),
  scriptTask: node(
    'scriptTask',
    {
      script: {
        type: 'object',
        description: 'needs either {ref, version?} or {source}',
        oneOf: [
          {
            required: ['ref'],
            additionalProperties: false,
            properties: { ref: name, version: { type: 'integer', minimum: 1 } },
          },
          { required: ['source'], additionalProperties: false, properties: { source: { type: 'string', minLength: 1, maxLength: 200_000 } } },
        ],
      },
      params,
      timeoutMs: { type: 'integer', minimum: 1, maximum: 3_600_000 },
    },
    ['script'],
  ),
  serviceTask: node(
    'serviceTask',
    {
      service: {
        type: 'object',
        required: ['webservice', 'operation'],
        additionalProperties: false,
        properties: { webservice: name, operation: name },
      },
      params,
      timeoutMs: { type: 'integer', minimum: 1, maximum: 3_600_000 },
      retries: { type: 'integer', minimum: 0, maximum: 100 },
      errorMapping: {
        type: 'array',
        maxItems: 100,
        items: {
          type: 'object',
          required: ['when', 'code'],
          additionalProperties: false,
          properties: {
            when: {
              type: 'string',
              pattern: '^([1-5][0-9X]{2}|timeout|network|invalidResponse)$',
              description: 'an HTTP status or class (404, 5XX), timeout, network or invalidResponse',
            },
            code: { type: 'string', minLength: 1, maxLength: 200 },
          },
        },
      },
    },
    ['service'],
  ),
  exclusiveGateway: node('exclusiveGateway', { default: { $ref: '#/$defs/id' } }),
  parallelGateway: node('parallelGateway', {}),
  intermediateTimer: node('intermediateTimer', timer, [], oneTimer),
  boundaryTimer: node('boundaryTimer', { ...timer, attachedTo: { $ref: '#/$defs/id' }, interrupting: { type: 'boolean' } }, ['attachedTo'], oneTimer),
  boundaryError: node('boundaryError', { attachedTo: { $ref: '#/$defs/id' }, errorCode: { type: 'string', minLength: 1, maxLength: 200 } }, ['attachedTo']),
  callActivity: node(
    'callActivity',
    {
      process: { $ref: '#/$defs/key' },
      version: { anyOf: [{ const: 'latest' }, { type: 'integer', minimum: 1 }], description: 'must be "latest" or a version number' },
      binding: { enum: ['same-ticket', 'child-ticket'] },
      inputs: { type: 'object', maxProperties: 200, additionalProperties: { type: 'string' } },
      outputs: { type: 'object', maxProperties: 200, additionalProperties: { type: 'string' } },
    },
    ['process', 'version', 'binding'],
  ),
};

export interface SchemaOptions {
  /** true: actions are checked against their own schemas inside this schema (for other tools). */
  strictActions: boolean;
}

/**
 * Builds the process schema.
 *
 * @example
 * const ajv = new Ajv2020({ discriminator: true });
 * const validate = ajv.compile(buildProcessSchema({ strictActions: true }));
 */
export function buildProcessSchema(options: SchemaOptions): Record<string, unknown> {
  const actionDefs = Object.fromEntries(ACTION_TYPES.map((t) => [`action.${t}`, ACTIONS[t].schema]));
  const action = options.strictActions
    ? {
        type: 'object',
        required: ['type'],
        discriminator: { propertyName: 'type' },
        oneOf: ACTION_TYPES.map((t) => ({ $ref: `#/$defs/action.${t}` })),
      }
    : { type: 'object', required: ['type'], properties: { type: { enum: ACTION_TYPES } } };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: SCHEMA_ID,
    title: 'Helpdesk process (process/1)',
    description: 'A process definition: nodes, transitions with conditions and actions, and the diagram layout.',
    type: 'object',
    required: ['format', 'key', 'name', 'start', 'nodes', 'transitions'],
    additionalProperties: false,
    properties: {
      format: { const: 'process/1' },
      key: { $ref: '#/$defs/key' },
      name,
      description: text(20_000),
      customerDescription: { ...text(20_000), description: 'what customers read about the process in the portal (the description is for admins and agents)' },
      i18n: i18nSchema({ name: 500, description: 20_000, customerDescription: 20_000 }),
      version: { type: 'integer', minimum: 1 },
      state: { enum: ['active', 'inactive', 'fadeaway'] },
      start: {
        type: 'object',
        required: ['interfaces'],
        additionalProperties: false,
        properties: { interfaces: { $ref: '#/$defs/interfaces' }, dialog: { $ref: '#/$defs/dialog' } },
      },
      nodes: { type: 'array', maxItems: MAX_PROCESS_NODES, items: { $ref: '#/$defs/node' } },
      transitions: { type: 'array', maxItems: MAX_PROCESS_TRANSITIONS, items: { $ref: '#/$defs/transition' } },
      tests: { type: 'array', maxItems: 1000, items: { $ref: '#/$defs/scenario' }, description: 'test scenarios the simulator runs' },
      diagram: { $ref: '#/$defs/diagram' },
    },
    $defs: {
      id,
      key,
      node: {
        type: 'object',
        required: ['type'],
        discriminator: { propertyName: 'type' },
        oneOf: Object.keys(nodeDefs).map((t) => ({ $ref: `#/$defs/node.${t}` })),
      },
      ...Object.fromEntries(Object.entries(nodeDefs).map(([t, s]) => [`node.${t}`, s])),
      transition: {
        type: 'object',
        required: ['id', 'from', 'to'],
        additionalProperties: false,
        properties: {
          id: { $ref: '#/$defs/id' },
          from: { $ref: '#/$defs/id' },
          to: { $ref: '#/$defs/id' },
          name: text(500),
          order: { type: 'integer', minimum: 0 },
          condition: { $ref: '#/$defs/condition' },
          actions: { type: 'array', maxItems: 100, items: { $ref: '#/$defs/action' } },
        },
      },
      ...conditionDefs,
      ...dialogDefs,
      ...scenarioDefs,
      action,
      ...(options.strictActions ? actionDefs : {}),
      diagram: {
        type: 'object',
        required: ['shapes', 'edges'],
        additionalProperties: false,
        properties: {
          shapes: {
            type: 'object',
            additionalProperties: {
              type: 'object',
              required: ['x', 'y', 'w', 'h'],
              additionalProperties: false,
              properties: { x: { type: 'number' }, y: { type: 'number' }, w: { type: 'number', minimum: 0 }, h: { type: 'number', minimum: 0 } },
            },
          },
          edges: {
            type: 'object',
            additionalProperties: {
              type: 'array',
              minItems: 2,
              maxItems: 1000,
              items: { type: 'array', minItems: 2, maxItems: 2, items: { type: 'number' } },
            },
          },
          labels: {
            type: 'object',
            additionalProperties: {
              type: 'object',
              required: ['x', 'y', 'w', 'h'],
              additionalProperties: false,
              properties: { x: { type: 'number' }, y: { type: 'number' }, w: { type: 'number', minimum: 0 }, h: { type: 'number', minimum: 0 } },
            },
          },
        },
      },
    },
  };
}

/** The complete schema, as written to `processes/schema/process-1.schema.json`. */
export const processSchema = buildProcessSchema({ strictActions: true });
