import { describe, expect, it } from 'vitest';
import type { Condition } from '../model/types';
import { dateEpoch, evaluateCondition, type ConditionInput } from './conditions';

const input = (ticket: Record<string, unknown> = {}, dynamicFields: Record<string, unknown> = {}, vars: Record<string, unknown> = {}): ConditionInput =>
  ({ snapshot: { ticket: { ...ticket, dynamicFields } }, vars }) as ConditionInput;

const holds = (c: Condition, i: ConditionInput) => {
  const r = evaluateCondition(c, i);
  if (!r.ok) throw new Error(r.message);
  return r.holds;
};

describe('evaluateCondition', () => {
  it('maps OTOBO ticket field names, dynamic fields and variables onto the snapshot', () => {
    const i = input({ queue: 'HR', customerId: 'ACME', number: '123', lock: 'lock' }, { Approved: 'yes' }, { days: 3 });
    expect(holds({ all: [{ field: 'Queue', op: 'eq', value: 'HR' }] }, i)).toBe(true);
    expect(holds({ all: [{ field: 'CustomerID', op: 'eq', value: 'ACME' }] }, i)).toBe(true);
    expect(holds({ all: [{ field: 'TicketNumber', op: 'eq', value: 123 }] }, i)).toBe(true);
    expect(holds({ all: [{ field: 'Lock', op: 'ne', value: 'unlock' }] }, i)).toBe(true);
    expect(holds({ all: [{ field: 'DynamicField_Approved', op: 'eq', value: 'yes' }] }, i)).toBe(true);
    expect(holds({ all: [{ field: 'vars.days', op: 'eq', value: '3' }] }, i)).toBe(true);
  });

  it('implements every operator, with list values (multiselect) matching by any item', () => {
    const i = input({ title: 'Re: printer' }, { Tags: ['a', 'b'], Empty: '', Num: '12.5' });
    const cases: Array<[Condition, boolean]> = [
      [{ all: [{ field: 'DynamicField_Tags', op: 'eq', value: 'b' }] }, true],
      [{ all: [{ field: 'DynamicField_Tags', op: 'ne', value: 'b' }] }, false],
      [{ all: [{ field: 'DynamicField_Tags', op: 'in', value: ['x', 'a'] }] }, true],
      [{ all: [{ field: 'DynamicField_Tags', op: 'contains', value: 'a' }] }, true],
      [{ all: [{ field: 'Title', op: 'contains', value: 'print' }] }, true],
      [{ all: [{ field: 'Title', op: 'regex', value: '^Re:' }] }, true],
      [{ all: [{ field: 'DynamicField_Num', op: 'gt', value: 12 }] }, true],
      [{ all: [{ field: 'DynamicField_Num', op: 'lte', value: 12 }] }, false],
      [{ all: [{ field: 'DynamicField_Empty', op: 'empty' }] }, true],
      [{ all: [{ field: 'DynamicField_Missing', op: 'empty' }] }, true],
      [{ all: [{ field: 'DynamicField_Tags', op: 'notEmpty' }] }, true],
      [{ all: [{ field: 'DynamicField_Missing', op: 'gt', value: 1 }] }, false],
      [{ all: [{ field: 'DynamicField_Missing', op: 'eq', value: '' }] }, false],
      [{ all: [{ field: 'DynamicField_Missing', op: 'ne', value: 'x' }] }, true],
    ];
    for (const [c, expected] of cases) expect([c, holds(c, i)]).toEqual([c, expected]);
  });

  it('compares ISO dates and OTOBO date fields as instants, independent of the machine time zone', () => {
    const i = input({ pendingTime: '2025-03-01T10:00:00+01:00' }, { Due: '2025-03-02 08:00:00' });
    expect(holds({ all: [{ field: 'PendingTime', op: 'lt', value: '2025-03-01T09:30:00Z' }] }, i)).toBe(true);
    expect(holds({ all: [{ field: 'DynamicField_Due', op: 'gte', value: '2025-03-02' }] }, i)).toBe(true);
    expect(dateEpoch('2025-03-01')).toBe(Date.UTC(2025, 2, 1));
    expect(dateEpoch('2025-02-30')).toBeUndefined();
  });

  it('combines with all / any / one at two levels and says which comparison matched', () => {
    const i = input({ queue: 'Misc' }, { A: 'yes' }, { total: 20 });
    const c: Condition = {
      all: [
        { field: 'DynamicField_A', op: 'eq', value: 'yes' },
        { any: [{ field: 'Queue', op: 'in', value: ['Raw', 'Misc'] }, { field: 'Title', op: 'regex', value: '^Re:' }] },
        { one: [{ field: 'vars.total', op: 'gt', value: 10 }, { field: 'Owner', op: 'notEmpty' }] },
      ],
    };
    expect(evaluateCondition(c, i)).toEqual({
      ok: true,
      holds: true,
      why: 'DynamicField_A eq "yes" and Queue in ["Raw","Misc"] and only vars.total gt 10 (was 20)',
    });
    expect(evaluateCondition({ any: [{ field: 'Queue', op: 'eq', value: 'X' }] }, i)).toMatchObject({ holds: false, why: 'Queue eq "X" does not hold (was "Misc")' });
    expect(evaluateCondition(undefined, i)).toEqual({ ok: true, holds: true, why: 'no condition' });
  });

  it('says in plain words which comparison failed, without stacking "not:" (issue 19, item 7)', () => {
    const i = input({}, { Choice: 'no' });
    const nested = evaluateCondition({ all: [{ all: [{ field: 'DynamicField_Choice', op: 'eq', value: 'yes' }] }] }, i);
    expect(nested).toEqual({ ok: true, holds: false, why: 'DynamicField_Choice eq "yes" does not hold (was "no")' });
    const any = evaluateCondition({ any: [{ field: 'DynamicField_Choice', op: 'eq', value: 'a' }, { field: 'DynamicField_Choice', op: 'eq', value: 'b' }] }, i);
    expect(any.ok && any.why).toBe('none of 2 held: DynamicField_Choice eq "a" does not hold (was "no"); DynamicField_Choice eq "b" does not hold (was "no")');
  });

  it('reports what cannot be evaluated instead of guessing', () => {
    const i = input({}, { Amount: 'lots' });
    const err = (c: Condition) => evaluateCondition(c, i);
    expect(err({ all: [{ field: 'Colour', op: 'eq', value: 'red' }] })).toMatchObject({ ok: false, code: 'UNKNOWN_FIELD' });
    expect(err({ all: [{ field: 'Title', op: 'regex', value: '(' }] })).toMatchObject({ ok: false, code: 'REGEX_INVALID' });
    expect(err({ all: [{ field: 'DynamicField_Amount', op: 'gt', value: 5 }] })).toMatchObject({ ok: false, code: 'TYPE_MISMATCH' });
    expect(err({ all: [{ field: 'DynamicField_Amount', op: 'gt', value: 'soon' }] })).toMatchObject({ ok: false, code: 'TYPE_MISMATCH' });
    expect(err({ unsupported: { source: 'otobo', reason: 'a Module check' } })).toMatchObject({ ok: false, code: 'UNSUPPORTED_CONDITION' });
    // every comparison is evaluated: an unknown field is reported even when an earlier one is false
    expect(err({ all: [{ field: 'Queue', op: 'eq', value: 'X' }, { field: 'Colour', op: 'eq', value: 'red' }] })).toMatchObject({ ok: false, code: 'UNKNOWN_FIELD' });
  });

  it('evaluates expressions through the injected evaluator, which must give a boolean', () => {
    const i = input({ queue: 'HR' }, {}, { n: 2 });
    const evaluateExpression = (expr: string, scope: { vars: Record<string, unknown> }) => {
      if (expr === 'boom') throw new Error('ReferenceError: boom is not defined');
      return expr === 'n' ? scope.vars.n : scope.vars.n === 2;
    };
    expect(evaluateCondition({ expression: 'vars.n === 2' }, { ...i, evaluateExpression })).toEqual({ ok: true, holds: true, why: 'expression "vars.n === 2" is true' });
    expect(evaluateCondition({ expression: 'n' }, { ...i, evaluateExpression })).toMatchObject({ ok: false, code: 'EXPRESSION_ERROR', message: expect.stringContaining('gave 2, not true or false') });
    expect(evaluateCondition({ expression: 'boom' }, { ...i, evaluateExpression })).toMatchObject({ ok: false, code: 'EXPRESSION_ERROR', message: expect.stringContaining('boom is not defined') });
    expect(evaluateCondition({ expression: 'x' }, i)).toMatchObject({ ok: false, code: 'NO_EVALUATOR' });
  });
});
