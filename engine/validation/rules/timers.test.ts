import { describe, expect, it } from 'vitest';
import { graph, runRule } from '../test-support';
import { timers } from './timers';

describe('rule: timer expressions parse', () => {
  it('accepts durations, dates and cycles', () => {
    const doc = graph(['s:startEvent', 'w:intermediateTimer', 'e:endEvent'], ['s>w', 'w>e']);
    for (const spec of [{ duration: 'PT8H' }, { date: '2030-01-01T00:00:00Z' }, { cycle: 'R3/PT1H' }]) {
      doc.nodes[1] = { id: 'w', type: 'intermediateTimer', ...spec };
      expect(runRule(timers, doc)).toEqual([]);
    }
  });

  it('reports a bad expression at its property, with the parser explanation', () => {
    const doc = graph(['s:startEvent', 't:userTask', 'b:boundaryTimer@t', 'e:endEvent'], ['s>t', 't>e', 'b>e']);
    doc.nodes[2] = { id: 'b', type: 'boundaryTimer', attachedTo: 't', cycle: 'every hour' };
    const [p] = runRule(timers, doc);
    expect(p).toMatchObject({ code: 'TIMER_INVALID', path: '/nodes/2/cycle', nodeId: 'b' });
    expect(p!.message).toMatch(/not an ISO-8601 repeating interval.*R3\/PT1H/);
  });
});
