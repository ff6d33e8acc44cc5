import { describe, expect, it } from 'vitest';
import type { Process, ProcessNode, Transition } from '../model/types';
import { initialState, step, type InstanceEvent, type InstanceState, type Snapshot, type StepResult } from './index';

const T0 = Date.UTC(2025, 0, 6, 8);
const HOUR = 3_600_000;
const snap: Snapshot = { ticket: { title: 'T', queue: 'Raw', dynamicFields: {} } };
const dialog = { interfaces: ['agent' as const], fields: [] };
const refused = (code: string) => expect.objectContaining({ type: 'EventRefused', code });

function proc(nodes: ProcessNode[], transitions: Array<Omit<Transition, 'id'> & { id?: string }>): Process {
  return {
    format: 'process/1', key: 'p', name: 'P', start: { interfaces: ['agent'] },
    nodes: [{ id: 'start', type: 'startEvent' }, { id: 'end', type: 'endEvent' }, ...nodes],
    transitions: transitions.map((t, i) => ({ id: t.id ?? `t${i}`, ...t })),
  };
}

/** Drives one instance through events with a clock the test moves. */
class Instance {
  state: InstanceState = initialState();
  now = T0;
  last!: StepResult;
  constructor(readonly p: Process) {}
  send(e: InstanceEvent): StepResult {
    this.last = step(this.p, this.state, e, { clock: () => this.now });
    this.state = this.last.state;
    return this.last;
  }
  effects(type: string) {
    return this.last.effects.filter((e) => e.type === type) as any[];
  }
  at() {
    return this.state.tokens.map((t) => `${t.nodeId}:${t.wait ?? t.status}`).sort();
  }
}

const start: InstanceEvent = { type: 'start', snapshot: snap };

describe('service tasks', () => {
  const svc = (extra: Partial<ProcessNode> = {}) => ({ id: 'call', type: 'serviceTask', service: { webservice: 'crm', operation: 'lookup' }, params: { id: '{{ticket.title}}' }, retries: 2, ...extra }) as ProcessNode;

  it('calls the operation with resolved params and a stable idempotency key, then merges the answer', () => {
    const i = new Instance(proc([svc()], [{ from: 'start', to: 'call' }, { from: 'call', to: 'end' }]));
    i.send(start);
    const [call] = i.effects('callService');
    expect(call).toMatchObject({ token: 'k1', nodeId: 'call', webservice: 'crm', operation: 'lookup', params: { id: 'T' }, retries: 2, idempotencyKey: `k1:${call.run}` });
    expect(i.at()).toEqual(['call:service']);
    i.send({ type: 'serviceFinished', tokenId: 'k1', run: call.run, result: { vars: { tier: 'gold' }, dynamicFields: { Category: 'vip' } }, status: 200, snapshot: snap });
    expect(i.state).toMatchObject({ status: 'completed', vars: { tier: 'gold' } });
    expect(i.effects('applyActions')).toEqual([expect.objectContaining({ source: 'service', actions: [{ type: 'DynamicFieldSet', fields: { Category: 'vip' } }] })]);
    expect(() => i.send({ type: 'serviceFinished', tokenId: 'k1', run: call.run, result: {}, snapshot: snap })).toThrow(refused('NOT_RUNNING'));
  });

  it('refuses the answer to an older call as stale', () => {
    const i = new Instance(proc([svc()], [{ from: 'start', to: 'call' }, { from: 'call', to: 'end' }]));
    i.send(start);
    expect(() => i.send({ type: 'serviceFinished', tokenId: 'k1', run: 'r99', result: {}, snapshot: snap })).toThrow(refused('STALE_EVENT'));
  });

  it('lets a boundary error event catch a failure by its (mapped) code', () => {
    const p = proc(
      [svc({ errorMapping: [{ when: '404', code: 'NO_CUSTOMER' }] } as never), { id: 'missing', type: 'boundaryError', attachedTo: 'call', errorCode: 'NO_CUSTOMER' }, { id: 'ask', type: 'userTask', dialog }],
      [{ from: 'start', to: 'call' }, { from: 'call', to: 'end' }, { from: 'missing', to: 'ask' }, { from: 'ask', to: 'end' }],
    );
    const i = new Instance(p);
    i.send(start);
    const run = i.effects('callService')[0].run;
    i.send({ type: 'serviceFailed', tokenId: 'k1', run, errorCode: 'HTTP_404', status: 404, message: 'Not Found', snapshot: snap });
    expect(i.at()).toEqual(['ask:dialog']);
    expect(i.state.vars.error).toEqual({ code: 'NO_CUSTOMER', cause: 'HTTP_404', message: 'Not Found', node: 'call', status: 404 });
    expect(i.last.log.map((e) => e.why).filter(Boolean)).toContain('error NO_CUSTOMER caught by missing');
  });

  it('takes a conditional transition on vars.error, else raises a SERVICE_ERROR incident that a retry calls again', () => {
    const p = proc([svc(), { id: 'manual', type: 'userTask', dialog }], [
      { from: 'start', to: 'call' },
      { from: 'call', to: 'manual', condition: { all: [{ field: 'vars.error.code', op: 'eq', value: 'TIMEOUT' }] } },
      { from: 'call', to: 'end' },
      { from: 'manual', to: 'end' },
    ]);
    const timeout = new Instance(p);
    timeout.send(start);
    timeout.send({ type: 'serviceFailed', tokenId: 'k1', run: timeout.effects('callService')[0].run, errorCode: 'TIMEOUT', message: 'no answer in 5000 ms', attempts: 3, snapshot: snap });
    expect(timeout.at()).toEqual(['manual:dialog']);

    const broken = new Instance(p);
    broken.send(start);
    broken.send({ type: 'serviceFailed', tokenId: 'k1', run: broken.effects('callService')[0].run, errorCode: 'HTTP_5XX', status: 503, message: 'Service Unavailable', snapshot: snap });
    expect(broken.state.status).toBe('incident');
    expect(broken.state.tokens[0]!.incident).toMatchObject({ code: 'SERVICE_ERROR', phase: 'enter' });
    broken.send({ type: 'retry', tokenId: 'k1', by: 'admin', snapshot: snap });
    const again = broken.effects('callService');
    expect(again).toHaveLength(1);
    broken.send({ type: 'serviceFinished', tokenId: 'k1', run: again[0].run, result: {}, snapshot: snap });
    expect(broken.state.status).toBe('completed');
    expect(broken.state.vars.error).toBeUndefined();
  });
});

describe('timers', () => {
  it('waits at an intermediate timer until it fires', () => {
    const i = new Instance(proc([{ id: 'wait', type: 'intermediateTimer', duration: 'PT2H' }], [{ from: 'start', to: 'wait' }, { from: 'wait', to: 'end' }]));
    i.send(start);
    expect(i.effects('scheduleTimer')).toEqual([expect.objectContaining({ key: 'k1:wait', dueAt: T0 + 2 * HOUR, spec: 'PT2H' })]);
    expect(i.at()).toEqual(['wait:timer']);
    i.now += 2 * HOUR;
    i.send({ type: 'timerFired', timer: 'k1:wait', snapshot: snap });
    expect(i.state.status).toBe('completed');
    expect(i.state.timers).toBeUndefined();
  });

  const escalation = (timer: Partial<ProcessNode>) => proc(
    [{ id: 'approve', type: 'userTask', dialog }, { id: 'late', type: 'boundaryTimer', attachedTo: 'approve', duration: 'PT8H', ...timer } as ProcessNode, { id: 'remind', type: 'userTask', dialog }],
    [{ from: 'start', to: 'approve' }, { from: 'approve', to: 'end' }, { from: 'late', to: 'remind' }, { from: 'remind', to: 'end' }],
  );

  it('an interrupting boundary timer closes the task and takes the escalation path', () => {
    const i = new Instance(escalation({}));
    i.send(start);
    i.now += 8 * HOUR;
    i.send({ type: 'timerFired', timer: 'k1:late', snapshot: snap });
    expect(i.at()).toEqual(['remind:dialog']);
    expect(i.effects('closeUserTask')).toEqual([expect.objectContaining({ nodeId: 'approve', reason: 'timer' })]);
    expect(() => i.send({ type: 'dialogSubmitted', nodeId: 'approve', by: 'a', snapshot: snap })).toThrow(refused('STALE_EVENT'));
  });

  it('a non-interrupting boundary timer also takes the path and the task stays open', () => {
    const i = new Instance(escalation({ interrupting: false }));
    i.send(start);
    i.send({ type: 'timerFired', timer: 'k1:late', snapshot: snap });
    expect(i.at()).toEqual(['approve:dialog', 'remind:dialog']);
    expect(i.effects('closeUserTask')).toEqual([]);
    i.send({ type: 'dialogSubmitted', nodeId: 'approve', by: 'a', snapshot: snap });
    expect(i.at()).toEqual(['remind:dialog']);
  });

  it('a cycle repeats its non-interrupting timer the given number of times', () => {
    const i = new Instance(escalation({ interrupting: false, duration: undefined, cycle: 'R3/PT1H' }));
    i.send(start);
    const dues: number[] = [i.effects('scheduleTimer')[0].dueAt];
    for (let n = 0; n < 3; n++) {
      i.send({ type: 'timerFired', timer: 'k1:late', snapshot: snap });
      dues.push(...i.effects('scheduleTimer').map((e) => e.dueAt));
    }
    expect(dues).toEqual([T0 + HOUR, T0 + 2 * HOUR, T0 + 3 * HOUR]);
    expect(i.state.tokens.filter((t) => t.nodeId === 'remind')).toHaveLength(3);
    expect(() => i.send({ type: 'timerFired', timer: 'k1:late', snapshot: snap })).toThrow(refused('STALE_EVENT'));
  });

  it('completing the task cancels its timer; a late firing is stale', () => {
    const i = new Instance(escalation({}));
    i.send(start);
    i.send({ type: 'dialogSubmitted', nodeId: 'approve', by: 'a', snapshot: snap });
    expect(i.effects('cancelTimer')).toEqual([{ type: 'cancelTimer', key: 'k1:late' }]);
    expect(i.state.status).toBe('completed');
  });
});

describe('call activities', () => {
  const p = proc(
    [{ id: 'sub', type: 'callActivity', process: 'child', version: 'latest', binding: 'child-ticket', inputs: { amount: '{{vars.amount}}' }, outputs: { approved: '{{vars.ok}}' } },
      { id: 'slow', type: 'boundaryTimer', attachedTo: 'sub', duration: 'P1D' }, { id: 'chase', type: 'userTask', dialog }],
    [{ from: 'start', to: 'sub' }, { from: 'sub', to: 'end' }, { from: 'slow', to: 'chase' }, { from: 'chase', to: 'end' }],
  );

  it('starts the child with its inputs and maps the outputs back when it completes', () => {
    const i = new Instance(p);
    i.send({ ...start, vars: { amount: 120 } } as InstanceEvent);
    const [child] = i.effects('startChild');
    expect(child).toMatchObject({ nodeId: 'sub', process: 'child', version: 'latest', binding: 'child-ticket', vars: { amount: 120 } });
    i.send({ type: 'childCompleted', tokenId: 'k1', run: child.run, status: 'completed', vars: { ok: true, internal: 1 }, snapshot: snap });
    expect(i.state).toMatchObject({ status: 'completed', vars: { amount: 120, approved: true } });
    expect(i.state.vars.internal).toBeUndefined();
  });

  it('cancels the child when an interrupting timer takes the token away', () => {
    const i = new Instance(p);
    i.send(start);
    const run = i.effects('startChild')[0].run;
    i.send({ type: 'timerFired', timer: 'k1:slow', snapshot: snap });
    expect(i.effects('cancelChild')).toEqual([{ type: 'cancelChild', token: 'k1', nodeId: 'sub', run }]);
    expect(i.at()).toEqual(['chase:dialog']);
  });

  it('a cancelled child is an incident on the call activity', () => {
    const i = new Instance(p);
    i.send(start);
    i.send({ type: 'childCompleted', tokenId: 'k1', run: i.effects('startChild')[0].run, status: 'cancelled', snapshot: snap });
    expect(i.state.tokens[0]!.incident).toMatchObject({ code: 'CHILD_CANCELLED' });
  });
});
