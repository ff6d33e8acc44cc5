import { describe, expect, it } from 'vitest';
import { graph, runRule } from '../test-support';
import { diagram } from './diagram';

describe('rule: the diagram lays out existing elements', () => {
  it('warns about shapes and edges of unknown ids', () => {
    const doc = graph(['s:startEvent', 'e:endEvent'], ['s>e']);
    doc.diagram = { shapes: { s: { x: 0, y: 0, w: 36, h: 36 }, 'gone/old': { x: 0, y: 0, w: 1, h: 1 } }, edges: { s_e: [[0, 0], [1, 1]], ghost: [[0, 0], [1, 1]] } };
    expect(runRule(diagram, doc)).toMatchObject([
      { code: 'DIAGRAM_UNKNOWN_NODE', path: '/diagram/shapes/gone~1old', severity: 'warning' },
      { code: 'DIAGRAM_UNKNOWN_TRANSITION', path: '/diagram/edges/ghost' },
    ]);
  });
});
