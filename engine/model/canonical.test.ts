import { describe, expect, it } from 'vitest';
import { canonicalProcess, stringifyProcess } from './canonical';
import { kitchenSink } from './fixtures';
import type { Process } from './types';

function shuffled(value: unknown, keepOrder = false): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffled(v));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  return Object.fromEntries((keepOrder ? entries : entries.reverse()).map(([k, v]) => [k, shuffled(v, ['params', 'fields'].includes(k))]));
}

describe('canonical JSON', () => {
  it('is the same text whatever the key order of the input', () => {
    expect(stringifyProcess(shuffled(kitchenSink) as Process)).toBe(stringifyProcess(kitchenSink));
  });

  it('puts the format first and the diagram last, ids before types', () => {
    const text = stringifyProcess(kitchenSink);
    expect(Object.keys(JSON.parse(text))).toEqual(['format', 'key', 'name', 'description', 'version', 'state', 'start', 'nodes', 'transitions', 'diagram']);
    expect(text).toMatch(/\{\n {6}"id": "start",\n {6}"type": "startEvent"/);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('keeps the order of user maps (params, dynamic field values)', () => {
    const p = canonicalProcess({ ...kitchenSink, nodes: [{ id: 's', type: 'scriptTask', script: { ref: 'x' }, params: { zeta: 1, alpha: 2 } }] } as Process);
    expect(Object.keys((p.nodes[0] as { params: object }).params)).toEqual(['zeta', 'alpha']);
  });

  it('orders diagram entries like the nodes and transitions', () => {
    const p = canonicalProcess({
      ...kitchenSink,
      diagram: { shapes: { review: { x: 1, y: 1, w: 1, h: 1 }, start: { h: 1, w: 1, y: 1, x: 1 } }, edges: {} },
    } as Process);
    expect(Object.keys(p.diagram!.shapes)).toEqual(['start', 'review']);
    expect(Object.keys(p.diagram!.shapes.start!)).toEqual(['x', 'y', 'w', 'h']);
  });
});
