import { describe, expect, it } from 'vitest';
import { graph, runRule } from '../test-support';
import { reachability } from './reachability';

const codes = (nodes: string[], transitions: string[]) => runRule(reachability, graph(nodes, transitions)).map((p) => `${p.nodeId ?? ''}:${p.code}`);

describe('rule: reachable from the start, able to reach an end', () => {
  it('accepts a connected flow, boundary paths included', () => {
    expect(codes(['s:startEvent', 't:userTask', 'b:boundaryTimer@t', 'e:endEvent', 'late:endEvent'], ['s>t', 't>e', 'b>late'])).toEqual([]);
  });

  it('reports an island that is never reached', () => {
    expect(codes(['s:startEvent', 'e:endEvent', 'a:userTask', 'b:userTask'], ['s>e', 'a>b', 'b>a', 'b>e'])).toEqual(['a:UNREACHABLE', 'b:UNREACHABLE']);
  });

  it('reports a loop with no way out', () => {
    expect(codes(['s:startEvent', 'a:userTask', 'b:userTask', 'e:endEvent', 'x:userTask'], ['s>a', 'a>b', 'b>a', 's>x', 'x>e'])).toEqual([
      'a:NO_PATH_TO_END', 'b:NO_PATH_TO_END',
    ]);
  });

  it('reports a process without an end event once', () => {
    expect(codes(['s:startEvent', 'a:userTask'], ['s>a'])).toEqual([':END_MISSING']);
  });

  it('handles 10,000 nodes in a chain (its time: test/bench/engine-limits.ts)', () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `n${i}`);
    const doc = graph(['s:startEvent', ...ids.map((id) => `${id}:userTask`), 'e:endEvent'], ['s>n0', ...ids.slice(1).map((id, i) => `n${i}>${id}`), 'n9999>e']);
    expect(runRule(reachability, doc)).toEqual([]);
  });
});
