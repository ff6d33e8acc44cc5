/**
 * Readable layouts: an imported OTOBO export (the fixture here and, when ../shared/corpus is there,
 * every OTOBO process of the corpus) gets ELK's layered layout, in which no two flows share a segment
 * and no label lies on another label or on a shape; a generated 68-node process without a diagram
 * is not drawn as one long strip. Pure: no database.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { elkLayout, importProcess, toBpmn } from '../engine/index';
import type { Bounds, Diagram, Point, Process } from '../engine/model/types';

const corpus = join(__dirname, '../../shared/corpus/otobo-processes');
const files = [
  join(__dirname, 'fixtures/interchange/otobo-change-request.yml'),
  ...(existsSync(corpus) ? readdirSync(corpus).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(corpus, f)) : []),
];

type Segment = [Point, Point];
const segments = (points: Point[]): Segment[] => points.slice(1).map((p, i) => [points[i]!, p]);

/** The length two axis-parallel segments have in common (0 when they only cross or touch). */
function shared([a1, a2]: Segment, [b1, b2]: Segment): number {
  if (a1[0] === a2[0] && b1[0] === b2[0] && a1[0] === b1[0]) {
    return Math.min(Math.max(a1[1], a2[1]), Math.max(b1[1], b2[1])) - Math.max(Math.min(a1[1], a2[1]), Math.min(b1[1], b2[1]));
  }
  if (a1[1] === a2[1] && b1[1] === b2[1] && a1[1] === b1[1]) {
    return Math.min(Math.max(a1[0], a2[0]), Math.max(b1[0], b2[0])) - Math.max(Math.min(a1[0], a2[0]), Math.min(b1[0], b2[0]));
  }
  return 0;
}

const overlap = (a: Bounds, b: Bounds) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** Every pair of flows sharing a segment, and every label on another label or on a shape. */
function faults(process: Process, d: Diagram): string[] {
  const out: string[] = [];
  const edges = Object.entries(d.edges);
  for (let i = 0; i < edges.length; i++) {
    for (let j = i + 1; j < edges.length; j++) {
      const [idA, a] = edges[i]!;
      const [idB, b] = edges[j]!;
      for (const s of segments(a)) for (const t of segments(b)) if (shared(s, t) > 1) out.push(`flows ${idA} and ${idB} share a segment ${JSON.stringify(s)}`);
    }
  }
  const labels = Object.entries(d.labels ?? {});
  for (let i = 0; i < labels.length; i++) {
    const [id, l] = labels[i]!;
    for (let j = i + 1; j < labels.length; j++) if (overlap(l, labels[j]![1])) out.push(`label of ${id} overlaps the label of ${labels[j]![0]}`);
    for (const [sid, s] of Object.entries(d.shapes)) if (sid !== id && overlap(l, s)) out.push(`label of ${id} overlaps shape ${sid}`);
  }
  expect(Object.keys(d.shapes).sort()).toEqual(process.nodes.map((n) => n.id).sort());
  return out;
}

describe('the layered layout of imported and generated processes', () => {
  it.each(files.map((f) => [f.split('/').pop()!, f]))('lays out the OTOBO export %s without shared segments or overlapping labels', async (_name, file) => {
    const imported = await importProcess(readFileSync(file, 'utf8'), { format: 'otobo' });
    for (const p of [imported.process, ...(imported.others ?? []).map((o) => o.process)]) {
      const d = p.diagram!;
      expect(d, 'the import draws a diagram').toBeDefined();
      // Named flows carry their label, placed by the layout
      for (const t of p.transitions.filter((x) => x.name && d.edges[x.id])) expect(d.labels?.[t.id], `label of ${t.id}`).toBeDefined();
      expect(faults(p, d)).toEqual([]);
      // The labels reach the BPMN the designer draws
      const named = p.transitions.find((x) => x.name && d.labels?.[x.id]);
      if (named) expect(await toBpmn(p)).toMatch(new RegExp(`<bpmndi:BPMNEdge id="${named.id}_di"[^]*?<bpmndi:BPMNLabel>`));
    }
  });

  it('draws a generated 68-node process in rows, not one long strip', async () => {
    const nodes: Process['nodes'] = [{ id: 'start', type: 'startEvent', name: 'Start' }];
    const transitions: Process['transitions'] = [];
    for (let i = 1; i <= 66; i++) {
      nodes.push(i % 6 === 0 ? { id: `g${i}`, type: 'exclusiveGateway', name: `Check ${i}` } : { id: `t${i}`, type: 'userTask', name: `Step ${i}`, dialog: { interfaces: ['agent'], fields: [] } });
    }
    nodes.push({ id: 'end', type: 'endEvent', name: 'Done' });
    for (let i = 0; i < nodes.length - 1; i++) transitions.push({ id: `f${i}`, from: nodes[i]!.id, to: nodes[i + 1]!.id, ...(nodes[i]!.type === 'exclusiveGateway' ? { name: 'yes' } : {}) });
    const p = { format: 'process/1', key: 'generated', name: 'Generated', start: { interfaces: ['agent'] }, nodes, transitions } as Process;
    const d = await elkLayout(p);
    const xs = Object.values(d.shapes).map((s) => s.x + s.w);
    const ys = Object.values(d.shapes).map((s) => s.y + s.h);
    const width = Math.max(...xs);
    const height = Math.max(...ys);
    expect(width / height).toBeLessThan(4);
    expect(faults(p, d)).toEqual([]);
  });
});
