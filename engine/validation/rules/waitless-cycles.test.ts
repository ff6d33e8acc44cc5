import { describe, expect, it } from 'vitest';
import { codes as documentCodes, graph, runRule } from '../test-support';
import { isDeployable } from '../index';
import { waitlessCycles } from './waitless-cycles';

const problems = (nodes: string[], transitions: string[]) => runRule(waitlessCycles, graph(nodes, transitions));
const codes = (nodes: string[], transitions: string[]) => problems(nodes, transitions).map((p) => `${p.nodeId ?? ''}:${p.code}:${p.severity}`);

describe('rule: a cycle passes a waiting node', () => {
  it('warns about two gateways that lead into each other, once, without blocking deploy', () => {
    const nodes = ['s:startEvent', 'a:exclusiveGateway', 'b:exclusiveGateway', 'e:endEvent'];
    const transitions = ['s>a', 'a>b', 'b>a', 'b>e'];
    expect(codes(nodes, transitions)).toEqual(['a:LOOP_WITHOUT_WAIT:warning']);
    expect(problems(nodes, transitions)[0]!.message).toContain('"a" → "b" → "a"');
    const all = runRule(waitlessCycles, graph(nodes, transitions));
    expect(isDeployable(all)).toBe(true);
    expect(documentCodes(graph(nodes, transitions))).toContain('LOOP_WITHOUT_WAIT');
  });

  it('warns about a gateway that leads back to itself', () => {
    expect(codes(['s:startEvent', 'a:exclusiveGateway', 'e:endEvent'], ['s>a', 'a>a', 'a>e'])).toEqual(['a:LOOP_WITHOUT_WAIT:warning']);
  });

  it('accepts a cycle through a user task, a script or service task, a timer or a call activity', () => {
    for (const waiting of ['userTask', 'scriptTask', 'serviceTask', 'intermediateTimer', 'callActivity']) {
      expect([waiting, codes(['s:startEvent', 'a:exclusiveGateway', `w:${waiting}`, 'b:parallelGateway', 'e:endEvent'], ['s>a', 'a>w', 'w>b', 'b>a', 'a>e'])]).toEqual([waiting, []]);
    }
  });

  it('reports each separate cycle, and none for a flow without cycles', () => {
    expect(codes(
      ['s:startEvent', 'a:exclusiveGateway', 'b:exclusiveGateway', 'u:userTask', 'c:parallelGateway', 'd:exclusiveGateway', 'e:endEvent'],
      ['s>a', 'a>b', 'b>a', 'b>u', 'u>c', 'c>d', 'd>c', 'd>e'],
    )).toEqual(['a:LOOP_WITHOUT_WAIT:warning', 'c:LOOP_WITHOUT_WAIT:warning']);
    expect(codes(['s:startEvent', 'a:exclusiveGateway', 'b:exclusiveGateway', 'e:endEvent'], ['s>a', 'a>b', 'a>e', 'b>e'])).toEqual([]);
  });

  it('handles a cycle of 10,000 gateways (no recursion)', () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `g${i}`);
    const found = codes(['s:startEvent', ...ids.map((id) => `${id}:exclusiveGateway`), 'e:endEvent'], ['s>g0', ...ids.slice(1).map((id, i) => `g${i}>${id}`), 'g9999>g0', 'g9999>e']);
    expect(found).toEqual(['g0:LOOP_WITHOUT_WAIT:warning']);
  });
});
