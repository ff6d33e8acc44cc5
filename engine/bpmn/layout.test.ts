import { describe, expect, it } from 'vitest';
import type { Bounds, Process } from '../model/types';
import { graph } from '../validation/test-support';
import { layoutProcess, placeLabels, route } from './layout';

function overlap(a: Bounds, b: Bounds) {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

describe('generated layout', () => {
  const p = graph(
    ['s:startEvent', 't:userTask', 'b:boundaryTimer@t', 'g:exclusiveGateway', 'x:scriptTask', 'y:serviceTask', 'j:exclusiveGateway', 'e:endEvent', 'late:endEvent'],
    ['s>t', 't>g', 'g>x', 'g>y', 'x>j', 'y>j', 'j>e', 'b>late', 'j>t'],
  );
  const { shapes, edges } = layoutProcess(p);

  it('puts nodes in columns by their longest path from the start, left to right', () => {
    expect(shapes.s!.x).toBeLessThan(shapes.t!.x);
    expect(shapes.t!.x).toBeLessThan(shapes.g!.x);
    expect(shapes.x!.x).toBe(shapes.y!.x);
    expect(shapes.j!.x).toBeGreaterThan(shapes.x!.x);
    expect(shapes.e!.x).toBeGreaterThan(shapes.j!.x);
  });

  it('never overlaps two nodes (boundary events aside)', () => {
    const ids = Object.keys(shapes).filter((id) => id !== 'b');
    for (const a of ids) for (const b of ids) if (a < b) expect(overlap(shapes[a]!, shapes[b]!), `${a}/${b}`).toBe(false);
  });

  it('sits boundary events on the bottom edge of their task', () => {
    expect(shapes.b!.y + shapes.b!.h / 2).toBe(shapes.t!.y + shapes.t!.h);
    expect(shapes.b!.x).toBeGreaterThanOrEqual(shapes.t!.x);
    expect(shapes.b!.x + shapes.b!.w).toBeLessThanOrEqual(shapes.t!.x + shapes.t!.w);
  });

  it('routes every transition with orthogonal segments, back edges below', () => {
    for (const t of p.transitions) {
      const pts = edges[t.id]!;
      expect(pts.length).toBeGreaterThanOrEqual(2);
      for (let i = 1; i < pts.length; i++) expect(pts[i]![0] === pts[i - 1]![0] || pts[i]![1] === pts[i - 1]![1]).toBe(true);
    }
    const back = edges.j_t!;
    expect(Math.max(...back.map((pt) => pt[1]))).toBeGreaterThan(shapes.j!.y + shapes.j!.h);
  });

  it('keeps the given shapes and edges', () => {
    const q: Process = { ...p, diagram: { shapes: { s: { x: 1, y: 2, w: 36, h: 36 } }, edges: { s_t: [[0, 0], [5, 5]] } } };
    const d = layoutProcess(q);
    expect(d.shapes.s).toEqual({ x: 1, y: 2, w: 36, h: 36 });
    expect(d.edges.s_t).toEqual([[0, 0], [5, 5]]);
    expect(Object.keys(d.shapes)).toHaveLength(p.nodes.length);
  });

  it('lays out 10,000 nodes (its time: test/bench/engine-limits.ts)', () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `n${i}`);
    const big = graph(['s:startEvent', ...ids.map((id) => `${id}:userTask`)], ['s>n0', ...ids.slice(1).map((id, i) => `n${i}>${id}`)]);
    expect(Object.keys(layoutProcess(big).shapes)).toHaveLength(10_001);
  });

  it('routes straight when aligned, with one bend pair otherwise', () => {
    expect(route({ x: 0, y: 0, w: 100, h: 80 }, { x: 200, y: 0, w: 100, h: 80 }, false)).toEqual([[100, 40], [200, 40]]);
    expect(route({ x: 0, y: 0, w: 100, h: 80 }, { x: 200, y: 100, w: 100, h: 80 }, false)).toEqual([[100, 40], [150, 40], [150, 140], [200, 140]]);
  });

  it('places labels of events and gateways where they touch nothing', () => {
    const named = { ...p, nodes: p.nodes.map((n) => ({ ...n, name: `Name of ${n.id}` })) } as Process;
    const d = layoutProcess(named);
    const labels = placeLabels(named, d);
    expect(Object.keys(labels).sort()).toEqual(['b', 'e', 'g', 'j', 'late', 's']);
    for (const [id, box] of Object.entries(labels)) {
      for (const [other, shape] of Object.entries(d.shapes)) if (other !== id) expect(overlap(box, shape), `${id} label / ${other}`).toBe(false);
    }
  });

  it('places labels exactly as a scan of every obstacle does, in a large process with long back edges', () => {
    // The reference: every candidate checked against every shape, edge segment and earlier label.
    const reference = (q: Process, d: ReturnType<typeof layoutProcess>) => {
      const obstacles: Bounds[] = [...Object.values(d.shapes)];
      for (const pts of Object.values(d.edges)) {
        for (let i = 1; i < pts.length; i++) {
          const [[x1, y1], [x2, y2]] = [pts[i - 1]!, pts[i]!];
          obstacles.push({ x: Math.min(x1, x2) - 2, y: Math.min(y1, y2) - 2, w: Math.abs(x2 - x1) + 4, h: Math.abs(y2 - y1) + 4 });
        }
      }
      const out: Record<string, Bounds> = {};
      for (const n of q.nodes) {
        const s = d.shapes[n.id]!;
        const w = Math.min(90, Math.max(30, n.name!.length * 6));
        const h = 14 * Math.ceil((n.name!.length * 6) / 90);
        const cx = s.x + s.w / 2;
        const spots: Array<[number, number]> = n.type.endsWith('Gateway')
          ? [[s.x - w - 4, s.y - h + 2], [s.x - w - 4, s.y + s.h - 2], [s.x + s.w + 4, s.y - h + 2], [s.x + s.w + 4, s.y + s.h - 2], [cx - w / 2, s.y - h - 4], [cx - w / 2, s.y + s.h + 4]]
          : [[cx - w / 2, s.y + s.h + 5], [s.x + s.w + 4, s.y + s.h + 2], [s.x - w - 4, s.y + s.h + 2], [cx - w / 2, s.y - h - 5], [s.x + s.w + 5, s.y + s.h / 2 - h / 2]];
        const boxes = spots.map(([x, y]) => ({ x: Math.round(x), y: Math.round(y), w, h }));
        out[n.id] = boxes.find((b) => !obstacles.some((o) => o !== s && overlap(b, o))) ?? boxes[0]!;
        obstacles.push(out[n.id]!);
      }
      return out;
    };
    const ids = Array.from({ length: 600 }, (_, i) => `g${i}`);
    const big = graph(
      ['s:startEvent', ...ids.map((id) => `${id}:exclusiveGateway`), 'e:endEvent'],
      ['s>g0', ...ids.slice(1).map((id, i) => `g${i}>${id}`), 'g599>e', 'g599>g0', 'g300>g5', 'g10>e', 'g20>g400'],
    );
    // Long names so that labels crowd each other and some spots are taken.
    const named = { ...big, nodes: big.nodes.map((n, i) => ({ ...n, name: `Decision ${n.id}`.repeat(1 + (i % 4)) })) } as Process;
    const d = layoutProcess(named);
    const labels = placeLabels(named, d);
    expect(Object.keys(labels)).toHaveLength(named.nodes.length);
    expect(labels).toEqual(reference(named, d));
  });
});
