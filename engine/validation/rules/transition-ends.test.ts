import { describe, expect, it } from 'vitest';
import { graph, runRule } from '../test-support';
import { transitionEnds } from './transition-ends';

describe('rule: transitions connect existing nodes', () => {
  it('accepts existing ends', () => {
    expect(runRule(transitionEnds, graph(['s:startEvent', 'e:endEvent'], ['s>e']))).toEqual([]);
  });

  it('reports a missing source and a missing target at their paths', () => {
    const problems = runRule(transitionEnds, graph(['s:startEvent', 'e:endEvent'], ['x>e', 's>y']));
    expect(problems).toMatchObject([
      { code: 'TRANSITION_FROM_MISSING', path: '/transitions/0/from', transitionId: 'x_e' },
      { code: 'TRANSITION_TO_MISSING', path: '/transitions/1/to', transitionId: 's_y' },
    ]);
    expect(problems[1]!.message).toMatch(/leads to "y", but there is no node with that id/);
  });
});
