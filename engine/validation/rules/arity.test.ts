import { describe, expect, it } from 'vitest';
import { graph, runRule } from '../test-support';
import { arity } from './arity';

const codes = (nodes: string[], transitions: string[]) => runRule(arity, graph(nodes, transitions)).map((p) => `${p.nodeId}:${p.code}`);

describe('rule: arity per node type', () => {
  it('accepts a well-formed flow', () => {
    expect(codes(['s:startEvent', 't:userTask', 'e:endEvent'], ['s>t', 't>e'])).toEqual([]);
  });

  it('start: nothing in, something out', () => {
    expect(codes(['s:startEvent', 't:userTask', 'e:endEvent'], ['t>s', 't>e'])).toEqual(['s:ARITY_START_INCOMING', 's:ARITY_NO_OUTGOING', 't:ARITY_NO_INCOMING']);
  });

  it('end: something in, nothing out', () => {
    expect(codes(['s:startEvent', 'e:endEvent', 'e2:endEvent'], ['s>e', 'e>e2'])).toEqual(['e:ARITY_END_OUTGOING']);
    expect(codes(['s:startEvent', 'e:endEvent', 'lonely:endEvent'], ['s>e'])).toEqual(['lonely:ARITY_NO_INCOMING']);
  });

  it('tasks: in and out', () => {
    expect(codes(['s:startEvent', 't:scriptTask', 'e:endEvent'], ['s>t'])).toEqual(['t:ARITY_NO_OUTGOING', 'e:ARITY_NO_INCOMING']);
  });

  it('gateways split or join; one in and one out is an error', () => {
    expect(codes(['s:startEvent', 'g:exclusiveGateway', 'e:endEvent'], ['s>g', 'g>e'])).toEqual(['g:ARITY_GATEWAY_PASS_THROUGH']);
    expect(codes(['s:startEvent', 'g:exclusiveGateway', 'a:endEvent', 'b:endEvent'], ['s>g', 'g>a', 'g>b'])).toEqual([]);
    expect(codes(['s:startEvent', 'f:parallelGateway', 'a:userTask', 'b:userTask', 'j:parallelGateway', 'e:endEvent'], ['s>f', 'f>a', 'f>b', 'a>j', 'b>j', 'j>e'])).toEqual([]);
  });

  it('a parallel gateway that joins and forks at once gets a warning', () => {
    const problems = runRule(arity, graph(['a:startEvent', 'b:userTask', 'p:parallelGateway', 'x:endEvent', 'y:endEvent'], ['a>p', 'b>p', 'p>x', 'p>y', 'a>b']));
    expect(problems).toMatchObject([{ code: 'ARITY_GATEWAY_MIXED', severity: 'warning', nodeId: 'p' }]);
  });

  it('boundary events: nothing in, exactly one out', () => {
    expect(codes(['s:startEvent', 't:userTask', 'b:boundaryTimer@t', 'e:endEvent'], ['s>t', 't>e', 'b>e', 'b>t', 's>b'])).toEqual([
      'b:ARITY_BOUNDARY_INCOMING', 'b:ARITY_BOUNDARY_OUTGOING',
    ]);
  });
});
