/**
 * Process timers in business time and SLA escalation values in conditions: a timer with a
 * `calendar` counts its duration in that calendar's working hours (across a weekend and a holiday),
 * an unknown calendar is an incident, the format check names the path of a bad calendar timer, and
 * a gateway can route on `ticket.escalation.*`.
 */
import { describe, expect, it } from 'vitest';
import type { BusinessCalendar } from '../model/business-time';
import type { Process, ProcessNode, Transition } from '../model/types';
import { fromBpmn } from '../bpmn/from-bpmn';
import { toBpmn } from '../bpmn/to-bpmn';
import { collectReferences } from '../validation/references';
import { validateProcess } from '../validation/index';
import { evaluateCondition, initialState, step, type EscalationSnapshot, type InstanceEvent, type Snapshot, type StepContext } from './index';

const nineToFive = [{ from: '09:00', to: '17:00' }];
const SUPPORT: BusinessCalendar = {
  timeZone: 'Europe/Berlin',
  week: { 1: nineToFive, 2: nineToFive, 3: nineToFive, 4: nineToFive, 5: nineToFive },
  holidays: [{ date: '12-25', recurring: true }],
};
const calendars = { 'Support hours': SUPPORT };
const snap: Snapshot = { ticket: { title: 'T', queue: 'Raw', dynamicFields: {} } };

function proc(nodes: ProcessNode[], transitions: Array<Omit<Transition, 'id'>>): Process {
  return {
    format: 'process/1', key: 'p', name: 'P', start: { interfaces: ['agent'] },
    nodes: [{ id: 'start', type: 'startEvent' }, { id: 'end', type: 'endEvent' }, ...nodes],
    transitions: transitions.map((t, i) => ({ id: `t${i}`, ...t })),
  };
}

const waitFor = (timer: Partial<ProcessNode>) =>
  proc([{ id: 'wait', type: 'intermediateTimer', duration: 'PT8H', calendar: 'Support hours', ...timer } as ProcessNode], [{ from: 'start', to: 'wait' }, { from: 'wait', to: 'end' }]);

function startAt(p: Process, iso: string, ctx: Partial<StepContext> = { calendars }) {
  return step(p, initialState(), { type: 'start', snapshot: snap } as InstanceEvent, { clock: () => Date.parse(iso), ...ctx });
}

const dueOf = (r: ReturnType<typeof startAt>) => new Date((r.effects.find((e) => e.type === 'scheduleTimer') as { dueAt: number }).dueAt).toISOString();

describe('timers in business time', () => {
  it('counts eight working hours over the weekend: Friday 15:00 Berlin → Monday 15:00', () => {
    // 2026-03-06 is a Friday; 14:00 UTC is 15:00 in Berlin (winter time).
    expect(dueOf(startAt(waitFor({}), '2026-03-06T14:00:00Z'))).toBe('2026-03-09T14:00:00.000Z');
  });

  it('skips a holiday and starts counting at the next working minute outside working hours', () => {
    // Wednesday 2025-12-24, 20:00 Berlin: Thursday is Christmas Day, so Friday 09:00 + 2 h = 11:00 Berlin.
    expect(dueOf(startAt(waitFor({ duration: 'PT2H' }), '2025-12-24T19:00:00Z'))).toBe('2025-12-26T10:00:00.000Z');
  });

  it('counts the same duration on the wall clock without a calendar', () => {
    const r = startAt(waitFor({ calendar: undefined }), '2026-03-06T14:00:00Z');
    expect(dueOf(r)).toBe('2026-03-06T22:00:00.000Z');
  });

  it('raises an incident naming the calendar when the step does not know it', () => {
    const r = startAt(waitFor({ calendar: 'Night shift' }), '2026-03-06T14:00:00Z');
    expect(r.effects.some((e) => e.type === 'scheduleTimer')).toBe(false);
    expect(r.state.tokens.map((t) => [t.nodeId, t.status, t.incident?.code, t.incident?.message])).toEqual([['wait', 'incident', 'TIMER_INVALID', expect.stringContaining('no business calendar "Night shift"')]]);
  });

  it('names the path of a calendar timer the format does not allow, and keeps the calendar through BPMN', async () => {
    const problems = (p: Process) => validateProcess(p).filter((x) => x.code === 'TIMER_INVALID').map((x) => [x.path, x.message]);
    expect(problems(waitFor({}))).toEqual([]);
    expect(problems(waitFor({ duration: undefined, cycle: 'R3/PT1H' }))).toEqual([['/nodes/2/calendar', expect.stringMatching(/counts a "duration" in working time; it does not go with "date" or "cycle"/)]]);
    expect(problems(waitFor({ duration: 'P1M' }))).toEqual([['/nodes/2/duration', expect.stringMatching(/cannot have years or months/)]]);
    expect(problems(waitFor({ calendar: ' ' }))).toEqual([['/nodes/2/calendar', expect.stringMatching(/name of a business calendar/)]]);
    expect((await fromBpmn(await toBpmn(waitFor({})))).process.nodes.find((n) => n.id === 'wait')).toMatchObject({ duration: 'PT8H', calendar: 'Support hours' });
    expect(collectReferences(waitFor({}))).toEqual([expect.objectContaining({ kind: 'calendar', name: 'Support hours', paths: ['/nodes/2/calendar'] })]);
  });
});

describe('ticket.escalation.* in conditions', () => {
  const escalation: EscalationSnapshot = {
    sla: 'Gold', escalationAt: '2026-03-06T15:00:00.000Z', escalated: false, minutesLeft: 45,
    firstResponseDue: '2026-03-06T15:00:00.000Z', firstResponseEscalated: false, updateDue: null, updateEscalated: false, solutionDue: '2026-03-09T12:00:00.000Z', solutionEscalated: false,
  };
  const urgent = proc(
    [{ id: 'gw', type: 'exclusiveGateway' }, { id: 'hurry', type: 'userTask', dialog: { interfaces: ['agent'], fields: [] } }],
    [
      { from: 'start', to: 'gw' },
      { from: 'gw', to: 'hurry', condition: { any: [{ field: 'ticket.escalation.escalated', op: 'eq', value: true }, { field: 'ticket.escalation.minutesLeft', op: 'lt', value: 60 }] } },
      { from: 'gw', to: 'end' },
    ],
  );
  const run = (e: EscalationSnapshot | null) => step(urgent, initialState(), { type: 'start', snapshot: { ticket: { ...snap.ticket, escalation: e } } } as InstanceEvent, { clock: () => 0 });

  it('routes on the time left to the earliest deadline', () => {
    expect(run(escalation).state.tokens.map((t) => t.nodeId)).toEqual(['hurry']);
    expect(run({ ...escalation, minutesLeft: 600 }).state.status).toBe('completed');
    // Without an SLA the values are empty: the comparison does not hold.
    expect(run(null).state.status).toBe('completed');
  });

  it('compares deadlines as dates and reports unknown escalation values with the known ones', () => {
    const input = { snapshot: { ticket: { escalation } }, vars: {} };
    expect(evaluateCondition({ all: [{ field: 'ticket.escalation.solutionDue', op: 'gt', value: '2026-03-08T00:00:00Z' }] }, input)).toMatchObject({ ok: true, holds: true });
    expect(evaluateCondition({ all: [{ field: 'ticket.escalation.sla', op: 'eq', value: 'Gold' }] }, input)).toMatchObject({ ok: true, holds: true });
    expect(evaluateCondition({ all: [{ field: 'ticket.escalation.late', op: 'eq', value: true }] }, input)).toMatchObject({ ok: false, code: 'UNKNOWN_FIELD', message: expect.stringContaining('ticket.escalation.minutesLeft') });
    const bad = proc([], [{ from: 'start', to: 'end', condition: { all: [{ field: 'ticket.escalation.late', op: 'eq', value: true }] } }]);
    expect(validateProcess(bad).filter((p) => p.code === 'UNKNOWN_FIELD').map((p) => p.path)).toEqual(['/transitions/0/condition/all/0/field']);
    expect(validateProcess(urgent).filter((p) => p.code === 'UNKNOWN_FIELD')).toEqual([]);
  });
});
