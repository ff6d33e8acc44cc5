import { describe, expect, it } from 'vitest';
import { convertCondition } from './conditions';

describe('OTOBO conditions', () => {
  it('map ConditionLinking and group types one to one (and/or/xor → all/any/one)', () => {
    const { condition, warnings } = convertCondition({
      Condition: {
        2: { Type: 'xor', Fields: { Title: { Type: 'String', Match: 'Hi' }, Priority: { Type: 'String', Match: 1 } } },
        1: { Type: 'and', Fields: { Queue: { Type: 'Regexp', Match: '.+' }, CustomerUserID: { Type: 'String', Match: 'jdoe' } } },
      },
      ConditionLinking: 'or',
    });
    expect(condition).toEqual({
      any: [
        { all: [{ field: 'Queue', op: 'regex', value: '.+' }, { field: 'CustomerUser', op: 'eq', value: 'jdoe' }] },
        { one: [{ field: 'Title', op: 'eq', value: 'Hi' }, { field: 'Priority', op: 'eq', value: '1' }] },
      ],
    });
    expect(warnings).toEqual([]);
  });

  it('keep a Module check as an unsupported condition, with the original configuration', () => {
    const config = { Condition: { 1: { Type: 'and', Fields: { Queue: { Type: 'Module', Match: 'Kernel::System::ProcessManagement::TransitionValidation::ValidateDemo' } } } }, ConditionLinking: 'and' };
    expect(convertCondition(config).condition).toEqual({
      unsupported: { source: 'otobo', module: 'Kernel::System::ProcessManagement::TransitionValidation::ValidateDemo', reason: expect.stringMatching(/runs the OTOBO module/), original: config },
    });
  });

  it('keep checks on database ids and unknown check types as unsupported', () => {
    expect(convertCondition({ Condition: { 1: { Type: 'and', Fields: { QueueID: { Type: 'String', Match: '14' } } } } }).condition).toMatchObject({ unsupported: { reason: expect.stringMatching(/QueueID 14, a database id/) } });
    expect(convertCondition({ Condition: { 1: { Type: 'and', Fields: { Queue: { Type: 'Hash', Match: {} } } } } }).condition).toMatchObject({ unsupported: { reason: expect.stringMatching(/check type "Hash"/) } });
  });

  it('compare PriorityID and friends by the name OTOBO ships with that id (issue 19, item 10)', () => {
    const r = convertCondition({ Condition: { 1: { Type: 'and', Fields: { PriorityID: { Type: 'String', Match: '3' } } } } }, 'Transition "Urgent?"');
    expect(r.condition).toEqual({ all: [{ all: [{ field: 'Priority', op: 'eq', value: '3 normal' }] }] });
    expect(r.warnings).toEqual(['Transition "Urgent?" tests PriorityID 3; it now tests Priority "3 normal", the entry OTOBO ships with that id.']);
  });

  it('treat a bare value as a String match', () => {
    expect(convertCondition({ Condition: { 1: { Type: 'and', Fields: { Queue: 'Raw' } } } }).condition).toEqual({ all: [{ all: [{ field: 'Queue', op: 'eq', value: 'Raw' }] }] });
  });

  it('warn when there is no condition (the transition is always taken) and drop empty groups', () => {
    expect(convertCondition({}, 'Transition "T1"')).toEqual({ warnings: ['Transition "T1" has no condition, so it is always taken.'] });
    const r = convertCondition({ Condition: { 1: { Type: 'and', Fields: {} }, 2: { Type: 'or', Fields: { Title: { Type: 'String', Match: 'x' } } } } }, 'Transition "T2"');
    expect(r.condition).toEqual({ all: [{ any: [{ field: 'Title', op: 'eq', value: 'x' }] }] });
    expect(r.warnings).toEqual(['A condition group of Transition "T2" has no fields and was dropped.']);
  });
});
