import { describe, expect, it } from 'vitest';
import { fixture, Instance, ticket } from './support';

function routed(urgency: string | undefined, queue = 'Support::L1') {
  const i = new Instance(fixture('exclusive-default'));
  i.start(ticket({ queue }, urgency === undefined ? {} : { Urgency: urgency }));
  return i;
}

describe('scenario: exclusive choice on a dynamic field with a default', () => {
  it('takes the first transition in order whose condition holds', () => {
    const i = routed('critical');
    expect(i.where()).toEqual(['escalate/dialog']);
    expect(i.last.log.find((e) => e.tr === 'toEscalate')?.why).toBe('DynamicField_Urgency eq "critical"');
  });

  it('evaluates nested groups: high urgency escalates only in a Support queue', () => {
    expect(routed('high', 'Support::L2').where()).toEqual(['escalate/dialog']);
    expect(routed('high', 'Sales').where()).toEqual(['normal/dialog']);
  });

  it('respects the declared order over document order (toEscalate has order 1, toQuick order 2)', () => {
    const i = routed('low');
    expect(i.where()).toEqual(['quick/dialog']);
    expect(i.last.log.find((e) => e.tr === 'toQuick')?.why).toBe('DynamicField_Urgency in ["low","trivial"]');
  });

  it('falls back to the default when no condition holds, also when the field is empty', () => {
    for (const u of ['medium', undefined]) {
      const i = routed(u);
      expect(i.where()).toEqual(['normal/dialog']);
      expect(i.last.log.find((e) => e.tr === 'toNormal')?.why).toBe('default (no condition held)');
    }
  });
});
