import { describe, expect, it } from 'vitest';
import { graph, runRule } from '../test-support';
import { gatewayBranches } from './gateway-branches';

const cond = { all: [{ field: 'Title', op: 'notEmpty' as const }] };

describe('rule: branch conditions fit the gateway', () => {
  it('reports conditions after a parallel fork', () => {
    const doc = graph(['s:startEvent', 'p:parallelGateway', 'a:endEvent', 'b:endEvent'], ['s>p', 'p>a', 'p>b']);
    doc.transitions[1]!.condition = cond;
    expect(runRule(gatewayBranches, doc)).toMatchObject([{ code: 'CONDITION_ON_PARALLEL', path: '/transitions/1/condition', severity: 'error' }]);
  });

  it('warns about an unconditioned non-default branch and a missing default', () => {
    const doc = graph(['s:startEvent', 'g:exclusiveGateway', 'a:endEvent', 'b:endEvent'], ['s>g', 'g>a', 'g>b']);
    doc.transitions[1]!.condition = cond;
    expect(runRule(gatewayBranches, doc)).toMatchObject([{ code: 'BRANCH_WITHOUT_CONDITION', transitionId: 'g_b', severity: 'warning' }]);
    doc.transitions[2]!.condition = cond;
    expect(runRule(gatewayBranches, doc)).toMatchObject([{ code: 'GATEWAY_NO_DEFAULT', nodeId: 'g', severity: 'warning' }]);
    (doc.nodes[1] as { default?: string }).default = 'g_b';
    delete doc.transitions[2]!.condition;
    expect(runRule(gatewayBranches, doc)).toEqual([]);
  });
});
