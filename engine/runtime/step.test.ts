import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EventRefused } from '../errors';
import type { Process, ProcessNode, Transition } from '../model/types';
import { initialState, raiseIncident, step, type InstanceEvent, type InstanceState, type Snapshot, type StepResult } from './index';

const ctx = { clock: () => Date.UTC(2025, 0, 6, 8) };
const snap: Snapshot = { ticket: { title: 'T', queue: 'Raw', dynamicFields: {} } };
const dialog = { interfaces: ['agent' as const], fields: [] };

function proc(nodes: ProcessNode[], transitions: Array<Omit<Transition, 'id'> & { id?: string }>): Process {
  return {
    format: 'process/1', key: 'p', name: 'P', start: { interfaces: ['agent'] }, nodes,
    transitions: transitions.map((t, i) => ({ id: t.id ?? `t${i}`, ...t })),
  };
}

const taskFlow = (task: ProcessNode, out: Array<Omit<Transition, 'id' | 'from'>> = [{ to: 'end' }]) =>
  proc([{ id: 'start', type: 'startEvent' }, task, { id: 'end', type: 'endEvent' }], [{ from: 'start', to: task.id }, ...out.map((t) => ({ from: task.id, ...t }))]);

function run(p: Process, events: InstanceEvent[], options = ctx): StepResult {
  let state: InstanceState = initialState();
  let r!: StepResult;
  for (const e of events) {
    r = step(p, state, e, options);
    state = r.state;
  }
  return r;
}

const start: InstanceEvent = { type: 'start', snapshot: snap };
const refused = (code: string) => expect.objectContaining({ type: 'EventRefused', code });

describe('step', () => {
  it('never changes the state it is given', () => {
    const p = taskFlow({ id: 'u', type: 'userTask', dialog });
    const s = step(p, null, start, ctx).state;
    const frozen = structuredClone(s);
    const deepFreeze = (o: unknown): void => { if (o && typeof o === 'object') { Object.freeze(o); Object.values(o).forEach(deepFreeze); } };
    deepFreeze(s);
    const r = step(p, s, { type: 'dialogSubmitted', nodeId: 'u', by: 'a', snapshot: snap }, ctx);
    expect(s).toEqual(frozen);
    expect(r.state.status).toBe('completed');
  });

  it('refuses events the instance cannot take, with typed errors that survive JSON', () => {
    const p = taskFlow({ id: 'u', type: 'userTask', dialog });
    const waiting = step(p, null, start, ctx).state;
    const done = step(p, waiting, { type: 'dialogSubmitted', nodeId: 'u', by: 'a', snapshot: snap }, ctx).state;
    expect(() => step(p, waiting, start, ctx)).toThrow(refused('ALREADY_STARTED'));
    expect(() => step(p, done, { type: 'ticketChanged', snapshot: snap }, ctx)).toThrow(refused('NOT_RUNNING'));
    expect(() => step(p, waiting, { type: 'dialogSubmitted', nodeId: 'end', by: 'a', snapshot: snap }, ctx)).toThrow(refused('UNKNOWN_NODE'));
    expect(() => step(p, waiting, { type: 'timerFired', timer: 'k1:x', snapshot: snap }, ctx)).toThrow(refused('STALE_EVENT'));
    expect(() => step(p, waiting, { type: 'retry', tokenId: 'k1', snapshot: snap }, ctx)).toThrow(refused('NOT_IN_INCIDENT'));
    expect(() => step(p, { ...waiting, v: 2 as 1 }, { type: 'cancel' }, ctx)).toThrow(refused('STATE_VERSION'));
    try {
      step(p, done, { type: 'cancel' }, ctx);
    } catch (e) {
      expect(e).toBeInstanceOf(EventRefused);
      expect(JSON.parse(JSON.stringify(e))).toEqual({ type: 'EventRefused', code: 'NOT_RUNNING', message: 'The instance is completed; it takes no more events.', details: { status: 'completed' } });
    }
  });

  it('derives every id from the counter in the state', () => {
    const p = taskFlow({ id: 's', type: 'scriptTask', script: { ref: 'x' } });
    const r = step(p, null, start, ctx);
    expect(r.state.tokens.map((t) => [t.id, t.run])).toEqual([['k1', 'r2']]);
    expect(r.state.seq).toBe(2);
  });

  it('caps the path kept in the state while the log of the step has everything', () => {
    const p = taskFlow({ id: 'u', type: 'userTask', dialog });
    const r = step(p, null, start, { ...ctx, pathLimit: 2 });
    expect(r.log).toHaveLength(4);
    expect(r.state.path).toEqual(r.log.slice(2));
    expect(r.state.dropped).toBe(2);
  });

  it('stops an automatic loop with a LOOP_LIMIT incident', () => {
    const p = proc(
      [{ id: 'start', type: 'startEvent' }, { id: 'a', type: 'exclusiveGateway', default: 'ab' }, { id: 'b', type: 'exclusiveGateway', default: 'ba' }, { id: 'end', type: 'endEvent' }],
      [{ from: 'start', to: 'a' }, { id: 'ab', from: 'a', to: 'b' }, { id: 'ba', from: 'b', to: 'a' }, { from: 'b', to: 'end', condition: { all: [{ field: 'Queue', op: 'eq', value: 'never' }] } }],
    );
    const r = step(p, null, start, { ...ctx, maxChain: 50 });
    expect(r.state.status).toBe('incident');
    expect(r.state.tokens[0]!.incident?.code).toBe('LOOP_LIMIT');
  });

  // Two gateways looping into each other on expression conditions (a designer's slip).
  const expressionLoop = proc(
    [{ id: 'start', type: 'startEvent' }, { id: 'a', type: 'exclusiveGateway' }, { id: 'b', type: 'exclusiveGateway' }, { id: 'end', type: 'endEvent' }],
    [
      { from: 'start', to: 'a' },
      { id: 'ab', from: 'a', to: 'b', condition: { expression: 'vars.go !== false' } },
      { id: 'bEnd', from: 'b', to: 'end', condition: { expression: 'vars.done === true' } },
      { id: 'ba', from: 'b', to: 'a', condition: { expression: 'vars.go !== false' } },
    ],
  );

  it('stops two gateways looping on expression conditions after a few rounds, not a thousand nodes', () => {
    let calls = 0;
    const evaluateExpression = (expression: string) => {
      calls += 1;
      return expression !== 'vars.done === true';
    };
    const r = step(expressionLoop, null, start, { ...ctx, evaluateExpression });
    expect(r.state.status).toBe('incident');
    expect(r.state.tokens[0]!.incident).toMatchObject({ code: 'LOOP_LIMIT', message: expect.stringContaining('loops without waiting') });
    expect(calls).toBeLessThan(100);
  });

  it('gives all the expression conditions of one step one deadline together; the next step has its own', () => {
    let wall = 0;
    const given: number[] = [];
    const evaluateExpression = (expression: string, _scope: unknown, limits?: { timeoutMs: number }) => {
      given.push(limits!.timeoutMs);
      wall += 40; // each evaluation takes 40 ms of real time
      return expression !== 'vars.done === true';
    };
    const budget = { expressionBudget: { ms: 100, now: () => wall } };
    const r = step(expressionLoop, null, start, { ...ctx, evaluateExpression, ...budget });
    expect(given).toEqual([100, 60, 20]);
    expect(r.state.tokens[0]!.incident).toMatchObject({
      code: 'CONDITION_ERROR',
      message: expect.stringContaining('the expression conditions of this step took more than 100 ms together'),
    });
    given.length = 0;
    step(expressionLoop, r.state, { type: 'retry', tokenId: r.state.tokens[0]!.id, by: 'admin', snapshot: snap }, { ...ctx, evaluateExpression, ...budget });
    expect(given.slice(0, 3)).toEqual([100, 60, 20]);
  });

  it('turns a failed script into an incident with the script message and line; a retry runs it again', () => {
    const p = taskFlow({ id: 's', type: 'scriptTask', script: { ref: 'x' } });
    const r = run(p, [start, { type: 'scriptFailed', tokenId: 'k1', run: 'r2', kind: 'script', message: 'TypeError: x is undefined', line: 7, snapshot: snap }]);
    expect(r.state.status).toBe('incident');
    expect(r.effects).toEqual([{ type: 'incident', token: 'k1', nodeId: 's', code: 'SCRIPT_ERROR', message: 'Script task "s" failed: TypeError: x is undefined (line 7).', details: { kind: 'script', line: 7 } }]);
    const again = step(p, r.state, { type: 'retry', tokenId: 'k1', by: 'admin', snapshot: snap }, ctx);
    expect(again.effects.map((e) => e.type)).toEqual(['incidentResolved', 'runScript']);
    expect(again.state.tokens[0]).toMatchObject({ status: 'waiting', run: 'r3' });
  });

  it('lets a boundary error event catch a business error code from a script', () => {
    const p = proc(
      [
        { id: 'start', type: 'startEvent' }, { id: 's', type: 'scriptTask', script: { ref: 'x' } },
        { id: 'noBudget', type: 'boundaryError', attachedTo: 's', errorCode: 'NO_BUDGET' }, { id: 'end', type: 'endEvent' }, { id: 'refused', type: 'endEvent' },
      ],
      [{ from: 'start', to: 's' }, { from: 's', to: 'end' }, { id: 'toRefused', from: 'noBudget', to: 'refused' }],
    );
    const r = run(p, [start, { type: 'scriptFailed', tokenId: 'k1', kind: 'business', errorCode: 'NO_BUDGET', message: 'used up', snapshot: snap }]);
    expect(r.state.status).toBe('completed');
    expect(r.log.map((e) => `${e.ev}:${e.node}`)).toEqual(['script:s', 'leave:s', 'enter:noBudget', 'leave:noBudget', 'enter:refused', 'end:refused', 'complete:refused']);
    const other = run(p, [start, { type: 'scriptFailed', tokenId: 'k1', kind: 'business', errorCode: 'OTHER', message: 'm', snapshot: snap }]);
    expect(other.state.tokens[0]!.incident).toMatchObject({ code: 'SCRIPT_ERROR', details: { kind: 'business', errorCode: 'OTHER' } });
  });

  it('refuses an invalid script result as an incident, not a crash', () => {
    const p = taskFlow({ id: 's', type: 'scriptTask', script: { ref: 'x' } });
    const r = run(p, [start, { type: 'scriptFinished', tokenId: 'k1', result: { vars: { 'bad name': 1 } } as never, snapshot: snap }]);
    expect(r.state.tokens[0]!.incident).toMatchObject({ code: 'INVALID_RESULT', phase: 'enter' });
  });

  it('refuses to run an action imported as unsupported', () => {
    const p = taskFlow({ id: 'u', type: 'userTask', dialog }, [{ to: 'end', actions: [{ type: 'Unsupported', module: 'X', reason: 'r' }] }]);
    const r = run(p, [start, { type: 'dialogSubmitted', nodeId: 'u', by: 'a', snapshot: snap }]);
    expect(r.state.tokens[0]).toMatchObject({ nodeId: 'u', wait: 'dialog', incident: { code: 'ACTION_UNSUPPORTED' } });
  });

  it('leaves a task with an unconditional way out only by its dialog, not by a ticket change', () => {
    const p = taskFlow({ id: 'u', type: 'userTask', dialog });
    const r = run(p, [start, { type: 'ticketChanged', snapshot: { ticket: { queue: 'Other' } } }]);
    expect(r.state.tokens[0]).toMatchObject({ nodeId: 'u', wait: 'dialog' });
    expect(r.effects).toEqual([]);
  });

  it('cancels: closes open tasks, cancels their timers, resolves incidents, ends every token', () => {
    const p = JSON.parse(readFileSync(new URL('../../processes/leave-request.json', import.meta.url), 'utf8')) as Process;
    const started = step(p, null, { type: 'start', snapshot: snap }, ctx);
    const waiting = step(p, started.state, { type: 'scriptFinished', tokenId: 'k1', run: 'r2', result: { vars: { days: 2 } }, snapshot: snap }, ctx);
    expect(waiting.effects.map((e) => e.type)).toEqual(['openUserTask', 'scheduleTimer']);
    expect(waiting.effects[1]).toEqual({ type: 'scheduleTimer', key: 'k1:approvalLate', token: 'k1', nodeId: 'approvalLate', attachedTo: 'approve', dueAt: ctx.clock() + 8 * 3600_000, spec: 'PT8H' });
    expect(JSON.stringify(waiting.state).length).toBeLessThan(1200);

    const cancelled = step(p, waiting.state, { type: 'cancel', by: 'admin', reason: 'duplicate' }, ctx);
    expect(cancelled.state).toMatchObject({ status: 'cancelled', tokens: [] });
    expect(cancelled.effects).toEqual([
      { type: 'closeUserTask', token: 'k1', nodeId: 'approve', reason: 'cancelled', by: 'admin' },
      { type: 'cancelTimer', key: 'k1:approvalLate' },
    ]);
  });

  it('skips a token to another node on an admin request', () => {
    const p = proc(
      [{ id: 'start', type: 'startEvent' }, { id: 'u', type: 'userTask', dialog }, { id: 'v', type: 'userTask', dialog }, { id: 'end', type: 'endEvent' }],
      [{ from: 'start', to: 'u' }, { from: 'u', to: 'v' }, { from: 'v', to: 'end' }],
    );
    const r = run(p, [start, { type: 'skip', tokenId: 'k1', toNodeId: 'v', by: 'admin', snapshot: snap }]);
    expect(r.effects.map((e) => e.type)).toEqual(['closeUserTask', 'openUserTask']);
    expect(r.state.tokens[0]).toMatchObject({ nodeId: 'v', wait: 'dialog' });
    expect(() => step(p, r.state, { type: 'skip', tokenId: 'k1', toNodeId: 'nowhere', snapshot: snap }, ctx)).toThrow(refused('UNKNOWN_NODE'));
  });

  it('records an incident after the server rolled a step back (a failing action); the dialog stays open', () => {
    const p = taskFlow({ id: 'u', type: 'userTask', dialog });
    const waiting = step(p, null, start, ctx).state;
    const r = raiseIncident(p, waiting, { tokenId: 'k1', code: 'ACTION_FAILED', message: 'Queue "Nope" does not exist.' }, ctx);
    expect(r.state.status).toBe('incident');
    expect(r.state.tokens[0]).toMatchObject({ wait: 'dialog', status: 'incident', incident: { code: 'ACTION_FAILED', phase: 'enter' } });
    const resubmitted = step(p, r.state, { type: 'dialogSubmitted', nodeId: 'u', by: 'a', snapshot: snap }, ctx);
    expect(resubmitted.state.status).toBe('completed');
  });
});
