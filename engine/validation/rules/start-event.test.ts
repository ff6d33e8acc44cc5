import { describe, expect, it } from 'vitest';
import { graph, runRule } from '../test-support';
import { startEvent } from './start-event';

describe('rule: exactly one start event', () => {
  it('accepts one', () => {
    expect(runRule(startEvent, graph(['s:startEvent', 'e:endEvent'], ['s>e']))).toEqual([]);
  });

  it('reports a missing start event', () => {
    expect(runRule(startEvent, graph(['e:endEvent'], []))).toMatchObject([{ code: 'START_MISSING', path: '/nodes', severity: 'error' }]);
  });

  it('reports each extra start event at its node', () => {
    const problems = runRule(startEvent, graph(['s:startEvent', 's2:startEvent', 'e:endEvent'], []));
    expect(problems).toMatchObject([{ code: 'START_MULTIPLE', path: '/nodes/1', nodeId: 's2' }]);
    expect(problems[0]!.message).toMatch(/second start event \(the first is "s"\)/);
  });
});
