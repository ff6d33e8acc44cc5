import { describe, expect, it } from 'vitest';
import { graph, runRule } from '../test-support';
import { uniqueIds } from './unique-ids';

describe('rule: unique ids', () => {
  it('accepts distinct ids', () => {
    expect(runRule(uniqueIds, graph(['s:startEvent', 'e:endEvent'], ['s>e']))).toEqual([]);
  });

  it('reports a node id used twice', () => {
    expect(runRule(uniqueIds, graph(['s:startEvent', 's:endEvent'], []))).toMatchObject([{ code: 'DUPLICATE_ID', path: '/nodes/1/id' }]);
  });

  it('reports a transition reusing a node id (one namespace, as in BPMN)', () => {
    const doc = graph(['s:startEvent', 'e:endEvent'], ['s>e']);
    doc.transitions[0]!.id = 'e';
    const [p] = runRule(uniqueIds, doc);
    expect(p).toMatchObject({ code: 'DUPLICATE_ID', path: '/transitions/0/id', transitionId: 'e' });
    expect(p!.message).toMatch(/already used by node 2/);
  });
});
