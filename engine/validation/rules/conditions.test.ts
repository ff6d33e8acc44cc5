import { describe, expect, it } from 'vitest';
import type { Condition } from '../../model/conditions';
import { graph, runRule } from '../test-support';
import { conditions } from './conditions';

function withCondition(condition: Condition) {
  const doc = graph(['s:startEvent', 'e:endEvent'], ['s>e']);
  doc.transitions[0]!.condition = condition;
  return runRule(conditions, doc);
}

describe('rule: conditions', () => {
  it('accept ticket fields, dynamic fields and variables', () => {
    expect(withCondition({ all: [{ field: 'Queue', op: 'eq', value: 'Raw' }, { any: [{ field: 'DynamicField_X', op: 'empty' }, { field: 'vars.n', op: 'gt', value: 2 }] }] })).toEqual([]);
    expect(withCondition({ expression: 'ticket.queue === "Raw"' })).toEqual([]);
  });

  it('report unknown fields at the field, even in a nested group', () => {
    expect(withCondition({ all: [{ any: [{ field: 'Queue', op: 'eq', value: 'x' }, { field: 'Colour', op: 'eq', value: 'red' }] }] })).toMatchObject([
      { code: 'UNKNOWN_FIELD', path: '/transitions/0/condition/all/0/any/1/field', transitionId: 's_e' },
    ]);
  });

  it('report a regular expression that does not compile', () => {
    const [p] = withCondition({ one: [{ field: 'Title', op: 'regex', value: '([a-z' }] });
    expect(p).toMatchObject({ code: 'REGEX_INVALID', path: '/transitions/0/condition/one/0/value' });
  });

  it('report an unsupported OTOBO condition naming the module', () => {
    const [p] = withCondition({ unsupported: { source: 'otobo', module: 'Kernel::System::ProcessManagement::TransitionValidation::ValidateDemo', reason: 'x' } });
    expect(p).toMatchObject({ code: 'UNSUPPORTED_CONDITION', path: '/transitions/0/condition', severity: 'error' });
    expect(p!.message).toMatch(/runs the OTOBO module "Kernel::System::ProcessManagement::TransitionValidation::ValidateDemo"/);
    const [q] = withCondition({ unsupported: { source: 'otobo', reason: 'tests QueueID, a database id' } });
    expect(q!.message).toMatch(/could not be imported \(tests QueueID, a database id\)/);
  });
});
