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

  it('sorts the keys of user maps and test data, so a store that reorders keys gives back the same text (issue 19, item 6)', () => {
    const p = canonicalProcess({ ...kitchenSink, nodes: [{ id: 's', type: 'scriptTask', script: { ref: 'x' }, params: { zeta: 1, alpha: { b: 1, a: 2 } } }] } as Process);
    expect(Object.keys((p.nodes[0] as { params: object }).params)).toEqual(['alpha', 'zeta']);
    expect(JSON.stringify((p.nodes[0] as { params: object }).params)).toBe('{"alpha":{"a":2,"b":1},"zeta":1}');
    // PostgreSQL's jsonb hands keys back shortest first: the canonical text does not change.
    const jsonbOrder = (v: unknown): unknown => Array.isArray(v) ? v.map(jsonbOrder)
      : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort((a, b) => a.length - b.length || (a < b ? -1 : 1)).map((k) => [k, jsonbOrder((v as Record<string, unknown>)[k])])) : v;
    const withTests = { ...kitchenSink, tests: [{ name: 't', ticket: { Title: 'x', DynamicField_LongName: 'y', Queue: 'q' }, expect: { endNode: 'e', ticket: { State: 's', Queue: 'q' } } }] } as unknown as Process;
    expect(stringifyProcess(jsonbOrder(withTests) as Process)).toBe(stringifyProcess(withTests));
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
