/**
 * The processes shipped in `processes/` and their BPMN twins in `examples/`: valid, laid out
 * cleanly, stable through every round trip, and the committed derived files up to date
 * (regenerate them with `npx tsx processes/build.ts`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fromBpmn } from './bpmn/from-bpmn';
import { toBpmn } from './bpmn/to-bpmn';
import { stringifyProcess } from './model/canonical';
import { processSchema } from './model/schema';
import type { Bounds, Point, Process } from './model/types';
import { exportProcess, importProcess } from './process-io';
import { collectReferences, validateProcess } from './validation/index';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const files = readdirSync(join(root, 'processes')).filter((f) => f.endsWith('.json')).sort();
const read = (file: string) => readFileSync(join(root, file), 'utf8');

type Segment = [Point, Point];
function segments(points: Point[]): Segment[] {
  return points.slice(1).map((p, i) => [points[i]!, p]);
}
function inside(p: Point, b: Bounds) {
  return p[0] >= b.x && p[0] <= b.x + b.w && p[1] >= b.y && p[1] <= b.y + b.h;
}
/** Two axis-parallel segments share a point that is not an end of both. */
function touch([a, b]: Segment, [c, d]: Segment): Point | undefined {
  const xs = (s: Point, t: Point) => [Math.min(s[0], t[0]), Math.max(s[0], t[0])];
  const ys = (s: Point, t: Point) => [Math.min(s[1], t[1]), Math.max(s[1], t[1])];
  const [x1, x2] = xs(a, b), [y1, y2] = ys(a, b), [x3, x4] = xs(c, d), [y3, y4] = ys(c, d);
  const x = Math.max(x1!, x3!), y = Math.max(y1!, y3!);
  if (x > Math.min(x2!, x4!) || y > Math.min(y2!, y4!)) return undefined;
  return [x, y];
}

describe.each(files)('shipped process %s', (file) => {
  const text = read(`processes/${file}`);
  const process = JSON.parse(text) as Process;

  it('is valid, without warnings, and named after its file', () => {
    expect(validateProcess(process)).toEqual([]);
    expect(`${process.key}.json`).toBe(file);
  });

  it('refers to dynamic fields, queues and scripts or web services by name', () => {
    const kinds = new Set(collectReferences(process).map((r) => r.kind));
    expect(kinds).toContain('dynamicField');
    expect(kinds).toContain('queue');
    expect(kinds.has('script') || kinds.has('webservice')).toBe(true);
  });

  it('has a tidy left-to-right diagram: every element placed, no shapes or edges overlapping', () => {
    const { shapes, edges } = process.diagram!;
    expect(Object.keys(shapes).sort()).toEqual(process.nodes.map((n) => n.id).sort());
    expect(Object.keys(edges).sort()).toEqual(process.transitions.map((t) => t.id).sort());
    const hosts = new Map(process.nodes.flatMap((n) => ('attachedTo' in n ? [[n.id, n.attachedTo] as const] : [])));
    const ids = Object.keys(shapes);
    for (const a of ids) {
      for (const b of ids) {
        if (a >= b || hosts.get(a) === b || hosts.get(b) === a) continue;
        const [p, q] = [shapes[a]!, shapes[b]!];
        expect(p.x < q.x + q.w && q.x < p.x + p.w && p.y < q.y + q.h && q.y < p.y + p.h, `${a} overlaps ${b}`).toBe(false);
      }
    }
    for (const t of process.transitions) {
      const pts = edges[t.id]!;
      expect(inside(pts[0]!, shapes[t.from]!), `${t.id} starts at ${t.from}`).toBe(true);
      expect(inside(pts[pts.length - 1]!, shapes[t.to]!), `${t.id} ends at ${t.to}`).toBe(true);
      for (const [s, e] of segments(pts)) expect(s[0] === e[0] || s[1] === e[1], `${t.id} is orthogonal`).toBe(true);
    }
    const all = process.transitions.map((t) => ({ t, segs: segments(edges[t.id]!) }));
    for (const a of all) {
      for (const b of all) {
        if (a.t.id >= b.t.id) continue;
        for (const sa of a.segs) {
          for (const sb of b.segs) {
            const p = touch(sa, sb);
            const atSharedNode = p && [a.t.from, a.t.to].some((n) => [b.t.from, b.t.to].includes(n) && inside(p, shapes[n]!));
            expect(!p || atSharedNode, `${a.t.id} crosses ${b.t.id} at ${JSON.stringify(p)}`).toBe(true);
          }
        }
      }
    }
  });

  it('is in canonical form, and export → import → export gives the same bytes', async () => {
    expect(stringifyProcess(process)).toBe(text);
    const again = await importProcess(await exportProcess(process, 'json'));
    expect(await exportProcess(again.process, 'json')).toBe(text);
  });

  it('survives JSON → BPMN → JSON unchanged', async () => {
    const back = await fromBpmn(await toBpmn(process));
    expect(back.warnings).toEqual([]);
    expect(back.unsupported).toEqual([]);
    expect(back.process).toEqual(process);
    expect(stringifyProcess(back.process)).toBe(text);
  });

  it('has an up-to-date BPMN twin in examples/', async () => {
    expect(read(`examples/${file.replace(/\.json$/, '.bpmn')}`)).toBe(await toBpmn(process));
  });
});

describe('processes/schema/process-1.schema.json', () => {
  it('is the schema the engine builds', () => {
    expect(JSON.parse(read('processes/schema/process-1.schema.json'))).toEqual(processSchema);
  });
});
