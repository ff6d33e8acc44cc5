/**
 * Diagram layout for processes without one (or with gaps): nodes in columns by their longest path
 * from the start, left to right, boundary events on their task's bottom edge, orthogonal edges.
 * Linear in the size of the process; pure.
 */
import type { Bounds, Diagram, NodeType, Point, Process } from '../model/types';

/** Default shape sizes, as bpmn-js draws them. */
export const SHAPE_SIZE: Readonly<Record<NodeType, { w: number; h: number }>> = {
  startEvent: { w: 36, h: 36 },
  endEvent: { w: 36, h: 36 },
  intermediateTimer: { w: 36, h: 36 },
  boundaryTimer: { w: 36, h: 36 },
  boundaryError: { w: 36, h: 36 },
  exclusiveGateway: { w: 50, h: 50 },
  parallelGateway: { w: 50, h: 50 },
  userTask: { w: 100, h: 80 },
  scriptTask: { w: 100, h: 80 },
  serviceTask: { w: 100, h: 80 },
  callActivity: { w: 100, h: 80 },
};

const LEFT = 100;
const TOP = 80;
const COLUMN = 160;
const ROW = 130;

const isBoundary = (type: string) => type === 'boundaryTimer' || type === 'boundaryError';

/** Columns by longest path from the start events over the graph without its back edges. */
function columns(process: Process): Map<string, number> {
  const nodes = process.nodes.filter((n) => !isBoundary(n.type));
  const hostOf = new Map(process.nodes.filter((n) => isBoundary(n.type)).map((n) => [n.id, (n as { attachedTo: string }).attachedTo]));
  const ids = new Set(nodes.map((n) => n.id));
  const succ = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
  for (const t of process.transitions) {
    const from = hostOf.get(t.from) ?? t.from;
    if (ids.has(from) && ids.has(t.to) && from !== t.to) succ.get(from)!.push(t.to);
  }
  // Depth-first from the starts (then from anything left) to find back edges, iteratively.
  const state = new Map<string, 1 | 2>();
  const forward = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
  const roots = [...nodes.filter((n) => n.type === 'startEvent'), ...nodes].map((n) => n.id);
  for (const root of roots) {
    if (state.has(root)) continue;
    const stack: Array<[string, number]> = [[root, 0]];
    state.set(root, 1);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const next = succ.get(top[0])![top[1]++];
      if (next === undefined) {
        state.set(top[0], 2);
        stack.pop();
      } else if (state.get(next) !== 1) {
        forward.get(top[0])!.push(next);
        if (!state.has(next)) {
          state.set(next, 1);
          stack.push([next, 0]);
        }
      }
    }
  }
  // Longest path over the acyclic forward edges (Kahn's order).
  const indegree = new Map<string, number>(nodes.map((n) => [n.id, 0]));
  for (const list of forward.values()) for (const to of list) indegree.set(to, indegree.get(to)! + 1);
  const column = new Map<string, number>(nodes.map((n) => [n.id, 0]));
  const queue = nodes.filter((n) => indegree.get(n.id) === 0).map((n) => n.id);
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    for (const to of forward.get(id)!) {
      column.set(to, Math.max(column.get(to)!, column.get(id)! + 1));
      indegree.set(to, indegree.get(to)! - 1);
      if (indegree.get(to) === 0) queue.push(to);
    }
  }
  return column;
}

/**
 * Shapes for every node: the diagram's own where present, generated ones elsewhere.
 *
 * @example
 * layoutShapes(process).approve; // { x: 420, y: 100, w: 100, h: 80 }
 */
export function layoutShapes(process: Process): Record<string, Bounds> {
  const given = process.diagram?.shapes ?? {};
  const shapes: Record<string, Bounds> = {};
  const missing = process.nodes.filter((n) => !given[n.id]);
  if (missing.some((n) => !isBoundary(n.type))) {
    const column = columns(process);
    const rows = new Map<number, number>();
    for (const n of process.nodes) {
      if (isBoundary(n.type) || given[n.id]) continue;
      const col = column.get(n.id) ?? 0;
      const row = rows.get(col) ?? 0;
      rows.set(col, row + 1);
      const { w, h } = SHAPE_SIZE[n.type] ?? SHAPE_SIZE.userTask;
      const cx = LEFT + col * COLUMN + 50;
      const cy = TOP + row * ROW + 40;
      shapes[n.id] = { x: cx - w / 2, y: cy - h / 2, w, h };
    }
  }
  for (const n of process.nodes) if (given[n.id]) shapes[n.id] = { ...given[n.id]! };
  const onHost = new Map<string, number>();
  for (const n of process.nodes) {
    if (!isBoundary(n.type) || shapes[n.id]) continue;
    const host = shapes[(n as { attachedTo: string }).attachedTo];
    const k = onHost.get((n as { attachedTo: string }).attachedTo) ?? 0;
    onHost.set((n as { attachedTo: string }).attachedTo, k + 1);
    shapes[n.id] = host
      ? { x: host.x + host.w - 46 - k * 40, y: host.y + host.h - 18, w: 36, h: 36 }
      : { x: LEFT, y: TOP + 4 * ROW + k * 50, w: 36, h: 36 };
  }
  return shapes;
}

const mid = (b: Bounds): Point => [Math.round(b.x + b.w / 2), Math.round(b.y + b.h / 2)];

/**
 * Orthogonal waypoints from one shape to another.
 *
 * @example
 * route({ x: 0, y: 0, w: 100, h: 80 }, { x: 200, y: 0, w: 100, h: 80 }, false); // [[100, 40], [200, 40]]
 */
export function route(from: Bounds, to: Bounds, fromBoundary: boolean): Point[] {
  const [fx, fy] = mid(from);
  const [tx, ty] = mid(to);
  const right = Math.round(from.x + from.w);
  const left = Math.round(to.x);
  if (fromBoundary) {
    const bottom = Math.round(from.y + from.h);
    if (ty > bottom && left > fx) return [[fx, bottom], [fx, ty], [left, ty]];
    if (to.y > bottom) {
      const y = Math.round((bottom + to.y) / 2);
      return [[fx, bottom], [fx, y], [tx, y], [tx, Math.round(to.y)]];
    }
    const y = Math.round(Math.max(bottom, to.y + to.h) + 30);
    return [[fx, bottom], [fx, y], [tx, y], [tx, Math.round(to.y + to.h)]];
  }
  if (left >= right) {
    if (fy === ty) return [[right, fy], [left, ty]];
    const x = Math.round((right + left) / 2);
    return [[right, fy], [x, fy], [x, ty], [left, ty]];
  }
  const below = Math.round(Math.max(from.y + from.h, to.y + to.h) + 30);
  return [[fx, Math.round(from.y + from.h)], [fx, below], [tx, below], [tx, Math.round(to.y + to.h)]];
}

/**
 * The full diagram of a process: given shapes and edges kept, missing ones generated.
 *
 * @example
 * const { shapes, edges } = layoutProcess(processWithoutDiagram);
 */
export function layoutProcess(process: Process): Diagram {
  const shapes = layoutShapes(process);
  const given = process.diagram?.edges ?? {};
  const types = new Map(process.nodes.map((n) => [n.id, n.type]));
  const edges: Record<string, Point[]> = {};
  for (const t of process.transitions) {
    if (given[t.id]) edges[t.id] = given[t.id]!.map((p) => [p[0], p[1]] as Point);
    else if (shapes[t.from] && shapes[t.to]) edges[t.id] = route(shapes[t.from]!, shapes[t.to]!, isBoundary(types.get(t.from) ?? ''));
  }
  const labels = process.diagram?.labels;
  return labels ? { shapes, edges, labels } : { shapes, edges };
}

/** Node types whose name bpmn-js draws beside the shape rather than inside it. */
export const EXTERNAL_LABEL = new Set<NodeType>(['startEvent', 'endEvent', 'intermediateTimer', 'boundaryTimer', 'boundaryError', 'exclusiveGateway', 'parallelGateway']);

function overlaps(a: Bounds, b: Bounds): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

function segmentBox([x1, y1]: Point, [x2, y2]: Point): Bounds {
  return { x: Math.min(x1, x2) - 2, y: Math.min(y1, y2) - 2, w: Math.abs(x2 - x1) + 4, h: Math.abs(y2 - y1) + 4 };
}

/**
 * Boxes indexed by the grid cells they touch, so "does this box touch any obstacle" looks at the
 * few obstacles nearby instead of all of them (placing labels stays linear in the process size).
 * Boxes wider or taller than `MAX_SPAN` cells (long edge segments) are kept in one list checked always.
 */
class ObstacleGrid {
  private static readonly CELL = 256;
  private static readonly MAX_SPAN = 16;
  private readonly cells = new Map<string, Bounds[]>();
  private readonly wide: Bounds[] = [];

  private static range(b: Bounds): [number, number, number, number] {
    const c = ObstacleGrid.CELL;
    return [Math.floor(b.x / c), Math.floor((b.x + b.w) / c), Math.floor(b.y / c), Math.floor((b.y + b.h) / c)];
  }

  add(b: Bounds): void {
    const [x0, x1, y0, y1] = ObstacleGrid.range(b);
    if (x1 - x0 > ObstacleGrid.MAX_SPAN || y1 - y0 > ObstacleGrid.MAX_SPAN) {
      this.wide.push(b);
      return;
    }
    for (let x = x0; x <= x1; x++) {
      for (let y = y0; y <= y1; y++) {
        const key = `${x},${y}`;
        const list = this.cells.get(key);
        if (list) list.push(b);
        else this.cells.set(key, [b]);
      }
    }
  }

  /** True when `b` overlaps an obstacle other than `except`. */
  hits(b: Bounds, except: Bounds): boolean {
    if (this.wide.some((o) => o !== except && overlaps(b, o))) return true;
    const [x0, x1, y0, y1] = ObstacleGrid.range(b);
    for (let x = x0; x <= x1; x++) {
      for (let y = y0; y <= y1; y++) {
        if (this.cells.get(`${x},${y}`)?.some((o) => o !== except && overlaps(b, o))) return true;
      }
    }
    return false;
  }
}

/**
 * Positions for the external labels of events and gateways (as bpmn-js draws them beside the
 * shape): the first of a few candidate spots that touches no shape, edge or other label.
 *
 * @example
 * placeLabels(process, layoutProcess(process)).decided; // { x: 465, y: 159, w: 60, h: 14 }
 */
export function placeLabels(process: Process, diagram: Diagram): Record<string, Bounds> {
  const obstacles = new ObstacleGrid();
  for (const s of Object.values(diagram.shapes)) obstacles.add(s);
  for (const points of Object.values(diagram.edges)) for (let i = 1; i < points.length; i++) obstacles.add(segmentBox(points[i - 1]!, points[i]!));
  const labels: Record<string, Bounds> = {};
  for (const n of process.nodes) {
    const s = diagram.shapes[n.id];
    if (!s || !n.name || !EXTERNAL_LABEL.has(n.type)) continue;
    const w = Math.min(90, Math.max(30, n.name.length * 6));
    const h = 14 * Math.ceil((n.name.length * 6) / 90);
    const cx = s.x + s.w / 2;
    const gateway = n.type.endsWith('Gateway');
    const candidates: Array<[number, number]> = gateway
      ? [[s.x - w - 4, s.y - h + 2], [s.x - w - 4, s.y + s.h - 2], [s.x + s.w + 4, s.y - h + 2], [s.x + s.w + 4, s.y + s.h - 2], [cx - w / 2, s.y - h - 4], [cx - w / 2, s.y + s.h + 4]]
      : [[cx - w / 2, s.y + s.h + 5], [s.x + s.w + 4, s.y + s.h + 2], [s.x - w - 4, s.y + s.h + 2], [cx - w / 2, s.y - h - 5], [s.x + s.w + 5, s.y + s.h / 2 - h / 2]];
    const boxes = candidates.map(([x, y]) => ({ x: Math.round(x), y: Math.round(y), w, h }));
    const free = boxes.find((b) => !obstacles.hits(b, s));
    labels[n.id] = free ?? boxes[0]!;
    obstacles.add(labels[n.id]!);
  }
  return labels;
}
