import { describe, expect, it } from 'vitest';
import { graph, runRule } from '../test-support';
import { gatewayDefault } from './gateway-default';

function withDefault(def: string, conditionOnDefault = false) {
  const doc = graph(['s:startEvent', 'g:exclusiveGateway', 'a:endEvent', 'b:endEvent'], ['s>g', 'g>a', 'g>b']);
  (doc.nodes[1] as { default?: string }).default = def;
  doc.transitions[1]!.condition = { all: [{ field: 'Title', op: 'notEmpty' }] };
  if (conditionOnDefault) doc.transitions[2]!.condition = { expression: 'true' };
  return doc;
}

describe('rule: exclusive gateway default', () => {
  it('accepts an unconditioned outgoing default', () => {
    expect(runRule(gatewayDefault, withDefault('g_b'))).toEqual([]);
  });

  it('reports a default that does not leave the gateway', () => {
    expect(runRule(gatewayDefault, withDefault('s_g'))).toMatchObject([{ code: 'DEFAULT_NOT_OUTGOING', path: '/nodes/1/default', nodeId: 'g' }]);
    expect(runRule(gatewayDefault, withDefault('nothing'))).toMatchObject([{ code: 'DEFAULT_NOT_OUTGOING' }]);
  });

  it('reports a condition on the default at the condition', () => {
    expect(runRule(gatewayDefault, withDefault('g_b', true))).toMatchObject([
      { code: 'DEFAULT_HAS_CONDITION', path: '/transitions/2/condition', nodeId: 'g', transitionId: 'g_b' },
    ]);
  });
});
