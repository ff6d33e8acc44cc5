import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromBpmn } from '../bpmn/from-bpmn';
import { toBpmn } from '../bpmn/to-bpmn';
import { canonicalProcess, stringifyProcess } from '../model/canonical';
import type { Process, ProcessNode, Scenario, Transition } from '../model/types';
import { loadSandbox, type Sandbox } from '../sandbox/quickjs';
import { validateProcess } from '../validation/index';
import { checkScenario, describeFailure, simulate, validateScenario, type SimulateOptions } from './index';

const shipped = (name: string) => JSON.parse(readFileSync(new URL(`../../processes/${name}.json`, import.meta.url), 'utf8')) as Process;
const scriptFile = (ref: string) => readFileSync(new URL(`../../processes/scripts/${ref}.js`, import.meta.url), 'utf8');

let sandbox: Sandbox;
let options: SimulateOptions;
beforeAll(async () => {
  sandbox = await loadSandbox({ wasmMaxBytes: 64 * 1024 * 1024 });
  options = {
    runScript: async (e, snapshot, now) =>
      sandbox.run({ source: 'ref' in e.script ? scriptFile(e.script.ref) : e.script.source, input: { ticket: snapshot.ticket as never, params: e.params, vars: e.vars }, now }),
    evaluateExpression: (expression, scope, now) => sandbox.evaluate(expression, { ticket: scope.ticket as never, vars: scope.vars }, { now, timeoutMs: 500 }),
  };
});

function proc(nodes: ProcessNode[], transitions: Array<Omit<Transition, 'id'> & { id?: string }>, extra: Partial<Process> = {}): Process {
  return {
    format: 'process/1', key: 'p', name: 'P', start: { interfaces: ['agent'] }, nodes,
    transitions: transitions.map((t, i) => ({ id: t.id ?? `t${i}`, ...t })),
    ...extra,
  };
}
const dialog = (fields: Array<{ field: string; display: 'shown' | 'mandatory' | 'hidden'; default?: string }> = []) => ({ interfaces: ['agent' as const], fields });

describe('simulate', () => {
  it('runs a shipped process with its real script: the path says why each transition was taken, the actions and final ticket are reported', async () => {
    const process = shipped('leave-request');
    const scenario = process.tests!.find((t) => t.name === 'approved')!;
    const r = await simulate(process, scenario, options);
    expect(r.passed).toBe(true);
    expect(r.status).toBe('completed');
    expect(r.path.find((e) => e.event === 'leave' && e.transition === 'toApproved')).toMatchObject({ node: 'decided', nodeName: 'Approved?', why: 'DynamicField_LeaveApproved eq "yes"' });
    expect(r.path.find((e) => e.event === 'submit')).toMatchObject({ node: 'approve', by: 'manager' });
    expect(r.actions.map((a) => [a.node, a.transition ?? a.source, a.actions.map((x) => x.type)])).toEqual([
      ['countDays', 'script', ['DynamicFieldSet']],
      ['decided', 'toApproved', ['TicketStateSet', 'SendEmail']],
    ]);
    // templates resolved against the in-memory ticket and the scenario's customer
    expect(r.actions[1]!.actions[1]).toMatchObject({ to: 'robin@example.com', subject: 'Your leave from 2026-03-02 is approved' });
    expect(r.ticket).toMatchObject({ title: 'Leave request', state: 'closed successful', stateType: 'closed', dynamicFields: { LeaveDays: '5', LeaveApproved: 'yes' } });
    expect(r.calls).toEqual([expect.objectContaining({ node: 'countDays', kind: 'script', target: 'count-leave-days', outcome: 'result', canned: false })]);
    expect(r.articles).toEqual([{ node: 'approve', body: 'Enjoy!' }]);
    // deterministic: the same scenario gives the same report
    expect(await simulate(process, scenario, options)).toEqual(r);
  });

  it('passes every saved scenario of every shipped process', async () => {
    for (const name of ['leave-request', 'it-incident', 'customer-onboarding']) {
      const process = shipped(name);
      expect(process.tests?.length).toBeGreaterThan(0);
      for (const t of process.tests!) {
        const r = await simulate(process, t, options);
        expect({ name: `${name}: ${t.name}`, failures: describeFailure(r) }).toEqual({ name: `${name}: ${t.name}`, failures: [] });
      }
    }
  });

  it('fires timers on the simulated clock when nothing else can happen, within clock.advance', async () => {
    const p = proc(
      [{ id: 's', type: 'startEvent' }, { id: 'wait', type: 'intermediateTimer', duration: 'PT2H' }, { id: 'e', type: 'endEvent' }],
      [{ from: 's', to: 'wait' }, { from: 'wait', to: 'e' }],
    );
    const done = await simulate(p, { name: 't', clock: { start: '2026-04-01T08:00:00Z' } });
    expect(done).toMatchObject({ status: 'completed', clock: { start: '2026-04-01T08:00:00.000Z', end: '2026-04-01T10:00:00.000Z' }, timers: [] });
    const early = await simulate(p, { name: 't', clock: { start: '2026-04-01T08:00:00Z', advance: 'PT1H' }, expect: { status: 'waiting', waitingAt: ['wait'] } });
    expect(early).toMatchObject({ status: 'waiting', passed: true, timers: [{ node: 'wait', dueAt: '2026-04-01T10:00:00.000Z' }] });
  });

  it('an interrupting boundary timer takes an unanswered task away; a dialog given `after` the due time comes too late', async () => {
    const p = proc(
      [
        { id: 's', type: 'startEvent' }, { id: 'task', type: 'userTask', dialog: dialog() },
        { id: 'late', type: 'boundaryTimer', attachedTo: 'task', duration: 'PT1H' }, { id: 'done', type: 'endEvent' }, { id: 'escalated', type: 'endEvent' },
      ],
      [{ from: 's', to: 'task' }, { from: 'task', to: 'done' }, { from: 'late', to: 'escalated', actions: [{ type: 'TicketPrioritySet', priority: '5 very high' }] }],
    );
    const onTime = await simulate(p, { name: 'a', dialogs: [{ node: 'task', after: 'PT30M' }] });
    expect(onTime).toMatchObject({ status: 'completed', ticket: { priority: '3 normal' } });
    expect(onTime.path.filter((e) => e.event === 'end').map((e) => e.node)).toEqual(['done']);
    const late = await simulate(p, { name: 'b', dialogs: [{ node: 'task', after: 'PT2H' }], expect: { endNode: 'escalated', ticket: { Priority: '5 very high' } } });
    expect(late).toMatchObject({ status: 'completed', passed: true, clock: { end: '2026-01-05T10:00:00.000Z' } });
  });

  it('answers service calls from the scenario: a canned error is caught by the boundary error event; a missing answer is a problem', async () => {
    const process = shipped('it-incident');
    const base = process.tests!.find((t) => t.name === 'major incident while monitoring is down')!;
    const r = await simulate(process, base, options);
    expect(r.passed).toBe(true);
    expect(r.calls.find((c) => c.kind === 'service')).toMatchObject({ node: 'checkMonitoring', target: 'monitoring/getHostStatus', params: { host: 'core-sw1' }, outcome: 'error', canned: true });
    expect(r.path.map((e) => e.node)).toContain('monitoringDown');
    const none = await simulate(process, { ...base, services: {}, expect: undefined }, options);
    expect(none).toMatchObject({ status: 'waiting', passed: false, waitingAt: [{ node: 'checkMonitoring', wait: 'service' }] });
    expect(none.problems).toEqual([expect.objectContaining({ code: 'NO_CANNED_RESPONSE', node: 'checkMonitoring', path: '/services/monitoring~1getHostStatus' })]);
  });

  it('delays a service answer by `after`, so a boundary timer on the task can fire first', async () => {
    const p = proc(
      [
        { id: 's', type: 'startEvent' }, { id: 'call', type: 'serviceTask', service: { webservice: 'erp', operation: 'book' } },
        { id: 'slow', type: 'boundaryTimer', attachedTo: 'call', duration: 'PT1M' }, { id: 'ok', type: 'endEvent' }, { id: 'timedOut', type: 'endEvent' },
      ],
      [{ from: 's', to: 'call' }, { from: 'call', to: 'ok' }, { from: 'slow', to: 'timedOut' }],
    );
    const answer = (after: string): Scenario => ({ name: after, services: { 'erp/book': { result: { vars: { booked: true } }, after } } });
    expect(await simulate(p, answer('PT10S'))).toMatchObject({ status: 'completed', vars: { booked: true }, clock: { end: '2026-01-05T09:00:10.000Z' } });
    const late = await simulate(p, { ...answer('PT5M'), expect: { endNode: 'timedOut', notPath: ['ok'] } });
    expect(late).toMatchObject({ status: 'completed', passed: true, vars: {} });
  });

  it('reports an incident and stops that token', async () => {
    const p = proc(
      [{ id: 's', type: 'startEvent' }, { id: 'calc', type: 'scriptTask', script: { source: 'export default () => { throw new Error("boom"); }' } }, { id: 'e', type: 'endEvent' }],
      [{ from: 's', to: 'calc' }, { from: 'calc', to: 'e' }],
    );
    const r = await simulate(p, { name: 'x', expect: { status: 'incident', incident: { code: 'SCRIPT_ERROR', node: 'calc' }, notPath: ['e'] } }, options);
    expect(r).toMatchObject({ status: 'incident', passed: true });
    expect(r.incidents).toEqual([expect.objectContaining({ node: 'calc', code: 'SCRIPT_ERROR', message: expect.stringContaining('boom'), resolved: false })]);
  });

  it('uses canned script results and evaluates expression conditions on the simulated clock', async () => {
    const p = proc(
      [{ id: 's', type: 'startEvent' }, { id: 'calc', type: 'scriptTask', script: { ref: 'not-in-any-library' } }, { id: 'gw', type: 'exclusiveGateway', default: 'small' }, { id: 'big', type: 'endEvent' }, { id: 'low', type: 'endEvent' }],
      [
        { from: 's', to: 'calc' }, { from: 'calc', to: 'gw' },
        { id: 'large', from: 'gw', to: 'big', condition: { expression: 'vars.total > 100 && new Date().getUTCFullYear() === 2030' } },
        { id: 'small', from: 'gw', to: 'low' },
      ],
    );
    const r = await simulate(p, { name: 'x', clock: { start: '2030-06-01T00:00:00Z' }, scripts: { calc: { result: { vars: { total: 150 } } } }, expect: { endNode: 'big', vars: { total: 150 } } }, options);
    expect(r.passed).toBe(true);
    expect(r.calls[0]).toMatchObject({ kind: 'script', canned: true });
  });

  it('simulates called processes: a canned child result, or the called definition itself', async () => {
    const child = proc(
      [{ id: 'cs', type: 'startEvent' }, { id: 'ask', type: 'userTask', dialog: dialog([{ field: 'DynamicField_Answer', display: 'mandatory' }]) }, { id: 'ce', type: 'endEvent' }],
      [{ from: 'cs', to: 'ask' }, { from: 'ask', to: 'ce', actions: [{ type: 'TicketQueueSet', queue: 'Answered' }] }],
      { key: 'child' },
    );
    const parent = proc(
      [{ id: 's', type: 'startEvent' }, { id: 'call', type: 'callActivity', process: 'child', version: 'latest', binding: 'same-ticket', inputs: { n: '{{vars.n}}' }, outputs: { result: '{{vars.n}}' } }, { id: 'e', type: 'endEvent' }],
      [{ from: 's', to: 'call' }, { from: 'call', to: 'e' }],
    );
    const canned = await simulate(parent, { name: 'c', vars: { n: 2 }, children: { call: { vars: { n: 7 } } }, expect: { status: 'completed', vars: { result: 7 } } });
    expect(canned.passed).toBe(true);
    const nested = await simulate(parent, { name: 'r', vars: { n: 3 }, dialogs: [{ node: 'ask', fields: { DynamicField_Answer: '42' } }], expect: { status: 'completed', vars: { result: 3 }, ticket: { Queue: 'Answered', DynamicField_Answer: '42' } } }, { resolveProcess: (key) => (key === 'child' ? child : undefined) });
    expect(describeFailure(nested)).toEqual([]);
    expect(nested.children?.[0]).toMatchObject({ node: 'call', report: { status: 'completed', process: { key: 'child' } } });
    expect(nested.path.find((e) => e.node === 'ask' && e.event === 'submit')).toMatchObject({ process: 'child' });
    const unknown = await simulate(parent, { name: 'u' });
    expect(unknown.problems).toEqual([expect.objectContaining({ code: 'NO_CHILD_RESULT', node: 'call' })]);
  });

  it('refuses dialog submissions the server would refuse, naming the scenario path', async () => {
    const p = proc(
      [{ id: 's', type: 'startEvent' }, { id: 'u', type: 'userTask', dialog: dialog([{ field: 'DynamicField_A', display: 'mandatory' }, { field: 'Title', display: 'hidden', default: 'Fixed' }]) }, { id: 'e', type: 'endEvent' }],
      [{ from: 's', to: 'u' }, { from: 'u', to: 'e' }],
    );
    const missing = await simulate(p, { name: 'm', dialogs: [{ node: 'u', fields: {} }] });
    expect(missing).toMatchObject({ status: 'waiting', passed: false, problems: [{ code: 'FIELD_REQUIRED', path: '/dialogs/0/fields/DynamicField_A' }] });
    const hidden = await simulate(p, { name: 'h', dialogs: [{ node: 'u', fields: { DynamicField_A: 'x', Title: 'mine' } }] });
    expect(hidden.problems).toEqual([expect.objectContaining({ code: 'UNKNOWN_FIELD', path: '/dialogs/0/fields/Title' })]);
    const ok = await simulate(p, { name: 'o', dialogs: [{ node: 'u', fields: { DynamicField_A: 'x' } }] });
    expect(ok).toMatchObject({ status: 'completed', ticket: { title: 'Fixed', dynamicFields: { A: 'x' } } });
  });

  it('stops two gateways looping on expression conditions after a few rounds, with a LOOP_LIMIT incident', async () => {
    const p = proc(
      [{ id: 'start', type: 'startEvent' }, { id: 'a', type: 'exclusiveGateway' }, { id: 'b', type: 'exclusiveGateway' }, { id: 'end', type: 'endEvent' }],
      [
        { from: 'start', to: 'a' },
        { id: 'ab', from: 'a', to: 'b', condition: { expression: 'vars.go !== false' } },
        { id: 'bEnd', from: 'b', to: 'end', condition: { expression: 'vars.done === true' } },
        { id: 'ba', from: 'b', to: 'a', condition: { expression: 'vars.go !== false' } },
      ],
    );
    let calls = 0;
    const counted: SimulateOptions = {
      ...options,
      evaluateExpression: (expression, scope, now, limits) => {
        calls += 1;
        return options.evaluateExpression!(expression, scope, now, limits);
      },
    };
    const r = await simulate(p, { name: 'loop' }, counted);
    expect(r.status).toBe('incident');
    expect(r.incidents).toEqual([expect.objectContaining({ node: 'a', code: 'LOOP_LIMIT' })]);
    expect(calls).toBeLessThan(100);
  });

  it('fails on an unmet expectation, saying what was expected and what happened', async () => {
    const process = shipped('leave-request');
    const scenario: Scenario = { ...process.tests![0]!, expect: { endNode: 'rejected', ticket: { State: 'closed unsuccessful' } } };
    const r = await simulate(process, scenario, options);
    expect(r.passed).toBe(false);
    expect(describeFailure(r)).toEqual(['expected endNode "rejected", got "approved"', 'expected ticket.State "closed unsuccessful", got "closed successful"']);
  });

  it('checks scenarios: schema problems and nodes the process lacks, with JSON pointers', () => {
    expect(validateScenario({ name: 'x', dialogs: [{ fields: {} }], services: { nope: { result: {} } } }).map((p) => p.path)).toEqual(
      expect.arrayContaining(['/dialogs/0/node', '/services/nope']),
    );
    expect(validateScenario({ name: 'x', services: { 'a/b': { error: { status: 503 } } } })).toEqual([]);
    const process = shipped('leave-request');
    expect(checkScenario(process, { name: 'x', dialogs: [{ node: 'countDays' }], clock: { start: 'tomorrow' } }).map((p) => [p.code, p.path])).toEqual([
      ['UNKNOWN_NODE', '/dialogs/0/node'],
      ['BAD_DATE', '/clock/start'],
    ]);
  });
});

describe('tests in the process format', () => {
  it('are valid process/1, kept by canonical JSON and by a BPMN round trip', async () => {
    const process = shipped('it-incident');
    expect(validateProcess(process).filter((p) => p.severity === 'error')).toEqual([]);
    expect(stringifyProcess(JSON.parse(stringifyProcess(process)) as Process)).toBe(stringifyProcess(process));
    const back = await fromBpmn(await toBpmn(process));
    expect(back.process.tests).toEqual(canonicalProcess(process).tests);
    const bad = { ...process, tests: [{ name: 'x', dialogs: [{ fields: {} }] }] } as unknown as Process;
    expect(validateProcess(bad).map((p) => p.path)).toContain('/tests/0/dialogs/0/node');
  });
});
