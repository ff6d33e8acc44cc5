import { describe, expect, it } from 'vitest';
import { graph, runRule } from '../test-support';
import { transitionOrder } from './transition-order';

describe('rule: transition order is unambiguous', () => {
  it('warns when two transitions out of one node share an order', () => {
    const doc = graph(['s:startEvent', 't:userTask', 'a:endEvent', 'b:endEvent'], ['s>t', 't>a', 't>b']);
    doc.transitions[1]!.order = 1;
    doc.transitions[2]!.order = 2;
    expect(runRule(transitionOrder, doc)).toEqual([]);
    doc.transitions[2]!.order = 1;
    expect(runRule(transitionOrder, doc)).toMatchObject([{ code: 'ORDER_DUPLICATE', severity: 'warning', path: '/transitions/2/order' }]);
  });
});
