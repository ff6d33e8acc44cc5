import { describe, expect, it } from 'vitest';
import { graph, runRule } from '../test-support';
import { boundary } from './boundary';

const run = (host: string, kind: string) =>
  runRule(boundary, graph(['s:startEvent', `t:${host}`, `b:${kind}@t`, 'e:endEvent'], ['s>t', 't>e', 'b>e'])).map((p) => p.code);

describe('rule: boundary events attach to a task that allows them', () => {
  it.each([
    ['userTask', 'boundaryTimer'], ['serviceTask', 'boundaryTimer'], ['callActivity', 'boundaryTimer'],
    ['scriptTask', 'boundaryError'], ['serviceTask', 'boundaryError'],
  ])('%s may carry a %s', (host, kind) => expect(run(host, kind)).toEqual([]));

  it.each([
    ['userTask', 'boundaryError'], ['scriptTask', 'boundaryTimer'], ['exclusiveGateway', 'boundaryTimer'], ['endEvent', 'boundaryError'],
  ])('%s may not carry a %s', (host, kind) => expect(run(host, kind)).toEqual(['BOUNDARY_TARGET_KIND']));

  it('reports a boundary attached to nothing', () => {
    const p = runRule(boundary, graph(['s:startEvent', 'b:boundaryTimer@ghost', 'e:endEvent'], ['s>e', 'b>e']));
    expect(p).toMatchObject([{ code: 'BOUNDARY_TARGET_MISSING', path: '/nodes/1/attachedTo', nodeId: 'b' }]);
  });
});
