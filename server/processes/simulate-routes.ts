/**
 * `POST /api/v1/processes/{key}/simulate`: test mode. Runs the draft (or a version) against an
 * inline scenario, a saved one, or every saved test, entirely in memory, and returns the reports:
 * the path with why each transition was taken, the actions that would apply, the final ticket and
 * variables, incidents and the expectations checked. Nothing is written or called.
 */
import { ApiRouter, idSchema } from '../http/api';
import { keySchema } from './schema';
import { simulateProcess, type SimulateRequest } from './simulate';

const str = { type: 'string' } as const;
const obj = { type: 'object' } as const;

const pathEntry = {
  type: 'object',
  additionalProperties: false,
  required: ['at', 'event'],
  properties: { at: str, event: str, node: str, nodeName: str, transition: str, why: str, by: str, code: str, process: str },
} as const;

const problem = { type: 'object', additionalProperties: false, required: ['code', 'message'], properties: { code: str, message: str, node: str, path: str } } as const;

const report: Record<string, unknown> = {
  type: 'object',
  additionalProperties: false,
  required: ['process', 'scenario', 'status', 'path', 'actions', 'calls', 'articles', 'mails', 'ticket', 'vars', 'incidents', 'waitingAt', 'timers', 'steps', 'clock', 'problems', 'expectations', 'passed'],
  properties: {
    process: { type: 'object', additionalProperties: false, required: ['key'], properties: { key: str, version: { type: 'integer' } } },
    scenario: str,
    status: { enum: ['completed', 'waiting', 'running', 'incident', 'cancelled'] },
    path: { type: 'array', items: pathEntry },
    actions: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['at', 'node', 'source', 'actions'],
        properties: { at: str, node: str, transition: str, source: str, process: str, actions: { type: 'array', items: { type: 'object', required: ['type'] } } },
      },
    },
    calls: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['at', 'node', 'kind', 'target', 'outcome', 'canned'],
        properties: { at: str, node: str, kind: { enum: ['script', 'service', 'child'] }, target: str, params: obj, outcome: { enum: ['result', 'error', 'missing'] }, canned: { type: 'boolean' }, message: str },
      },
    },
    articles: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['node', 'body'], properties: { node: str, subject: str, body: str } } },
    mails: {
      type: 'array',
      description: 'mail the SendEmail actions would send; none is sent',
      items: { type: 'object', additionalProperties: false, required: ['at', 'node', 'to'], properties: { at: str, node: str, transition: str, to: str, cc: str, bcc: str, subject: str, body: str, template: str, process: str } },
    },
    ticket: obj,
    vars: obj,
    incidents: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['at', 'node', 'code', 'message', 'resolved'],
        properties: { at: str, node: str, code: str, message: str, resolved: { type: 'boolean' }, process: str },
      },
    },
    waitingAt: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['node', 'wait'], properties: { node: str, wait: str } } },
    timers: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['key', 'node', 'dueAt'], properties: { key: str, node: str, dueAt: str } } },
    steps: { type: 'integer' },
    clock: { type: 'object', additionalProperties: false, required: ['start', 'end'], properties: { start: str, end: str } },
    problems: { type: 'array', items: problem },
    expectations: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, required: ['what', 'ok', 'expected', 'actual'], properties: { what: str, ok: { type: 'boolean' }, expected: {}, actual: {} } },
    },
    passed: { type: 'boolean' },
    children: { type: 'array', items: { type: 'object', required: ['node', 'report'], properties: { node: str, report: obj } } },
  },
};

const body = {
  type: 'object',
  additionalProperties: false,
  properties: {
    version: { anyOf: [idSchema, { enum: ['draft', 'latest'] }], description: 'a version number, "draft" or "latest" (default: the draft when there is one, else the latest version)' },
    scenario: { type: 'object', description: 'an inline scenario (the format of the process\'s `tests` items)' },
    scenarioName: { type: 'string', minLength: 1, maxLength: 200, description: 'the name of one of the process\'s saved tests' },
    all: { type: 'boolean', description: 'run every saved test (the default when no scenario is named)' },
  },
} as const;

const response = {
  type: 'object',
  additionalProperties: false,
  required: ['key', 'version', 'passed', 'reports'],
  properties: {
    key: str,
    version: { anyOf: [{ type: 'integer' }, { const: 'draft' }] },
    passed: { type: 'boolean' },
    reports: { type: 'array', items: report },
  },
} as const;

export function processSimulateRouter(): ApiRouter {
  const api = new ApiRouter('/processes', 'Processes');
  api.post<{ key: string }, unknown, SimulateRequest>(
    '/:key/simulate',
    {
      summary: 'Test mode: simulate the draft or a version against a scenario, in memory',
      description:
        'Runs an inline scenario, a saved test (scenarioName) or every saved test against the draft (default when there is one), the latest or a given version. ' +
        'Scripts run in the sandbox; service calls, called processes and dialogs answer from the scenario; timers fire on a simulated clock. Nothing is written: no ticket, mail, job or outbound call.',
      auth: 'admin',
      params: { key: keySchema },
      body,
      responses: { 200: response },
    },
    async (c, { params, body: b }) => simulateProcess(c.get('services'), c.get('access'), params.key, b ?? {}),
  );
  return api;
}
