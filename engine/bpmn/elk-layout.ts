/**
 * A layered layout of a whole process with ELK (`elkjs`, the Eclipse Layout Kernel's "layered"
 * algorithm): nodes in layers from left to right, edges routed orthogonally around the shapes, and
 * room made for the names of flows and of events and gateways so no label sits on another label or
 * a shape. Used for imported OTOBO processes, BPMN files without a diagram, generated processes and
 * the designer's "Tidy up". Deterministic (ELK's fixed seed); bounded to `MAX_ELK_NODES` nodes —
 * larger processes keep the linear column layout of `layout.ts`.
 */
import ELK from 'elkjs/lib/elk.bundled.js';
import type { Bounds, Diagram, Point, Process } from '../model/types';
import { EXTERNAL_LABEL, route, SHAPE_SIZE } from './layout';

/** Above this many nodes the layered layout is not run (it grows faster than linearly). */
export const MAX_ELK_NODES = 600;

interface ElkLabel {
  id?: string;
  text?: string;
  x?: number;
  y?: number;
  width: number;
  height: number;
}
interface ElkNode {
  id: string;
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  labels?: ElkLabel[];
  children?: ElkNode[];
  edges?: ElkEdge[];
  layoutOptions?: Record<string, string>;
}
interface ElkEdge {
  id: string;
  sources: string[];
  targets: string[];
  labels?: ElkLabel[];
  sections?: Array<{ startPoint: { x: number; y: number }; endPoint: { x: number; y: number }; bendPoints?: Array<{ x: number; y: number }> }>;
}

const isBoundary = (type: string) => type === 'boundaryTimer' || type === 'boundaryError';

/** The box a name takes up, wrapped at `maxWidth` (about 6 px a character, 14 px a line, as bpmn-js draws). */
export function labelSize(text: string, maxWidth = 90): { w: number; h: number } {
  const w = Math.min(maxWidth, Math.max(24, text.length * 6));
  return { w, h: 14 * Math.ceil((text.length * 6) / maxWidth) };
}

const OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.layered.spacing.nodeNodeBetweenLayers': '50',
  'elk.layered.spacing.edgeNodeBetweenLayers': '20',
  'elk.layered.spacing.edgeEdgeBetweenLayers': '14',
  'elk.spacing.nodeNode': '40',
  'elk.spacing.edgeNode': '20',
  'elk.spacing.edgeEdge': '14',
  'elk.spacing.edgeLabel': '4',
  'elk.spacing.labelNode': '6',
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.edgeLabels.placement': 'CENTER',
  'elk.layered.edgeLabels.sideSelection': 'SMART_DOWN',
  'elk.nodeLabels.placement': 'OUTSIDE V_BOTTOM H_CENTER',
  'elk.padding': '[top=40,left=60,bottom=40,right=40]',
};

/** Long processes wrap into rows instead of one long strip. */
const WRAP_AFTER_NODES = 30;

let elk: InstanceType<typeof ELK> | null = null;

/**
 * The layered diagram of `process` (its own diagram is ignored): shapes, orthogonal edges and
 * label boxes for named flows, events and gateways.
 *
 * @example
 * const diagram = await elkLayout(process); // { shapes: { approve: {...} }, edges: {...}, labels: {...} }
 */
export async function elkLayout(process: Process): Promise<Diagram> {
  elk ??= new ELK();
  const host = new Map(process.nodes.filter((n) => isBoundary(n.type)).map((n) => [n.id, (n as { attachedTo: string }).attachedTo]));
  const children: ElkNode[] = process.nodes
    .filter((n) => !isBoundary(n.type))
    .map((n) => {
      const { w, h } = SHAPE_SIZE[n.type] ?? SHAPE_SIZE.userTask;
      const labels = n.name && EXTERNAL_LABEL.has(n.type) ? [{ id: `${n.id}__label`, text: n.name, ...size(labelSize(n.name)) }] : undefined;
      return { id: n.id, width: w, height: h, ...(labels ? { labels } : {}) };
    });
  const ids = new Set(children.map((c) => c.id));
  const edges: ElkEdge[] = [];
  for (const t of process.transitions) {
    const from = host.get(t.from) ?? t.from;
    if (!ids.has(from) || !ids.has(t.to)) continue;
    const labels = t.name ? [{ id: `${t.id}__label`, text: t.name, ...size(labelSize(t.name, 110)) }] : undefined;
    edges.push({ id: t.id, sources: [from], targets: [t.to], ...(labels ? { labels } : {}) });
  }
  const big = children.length > WRAP_AFTER_NODES;
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: big ? { ...OPTIONS, 'elk.layered.wrapping.strategy': 'MULTI_EDGE', 'elk.aspectRatio': '1.8' } : OPTIONS,
    children,
    edges,
  };
  const out = (await elk.layout(graph as never)) as unknown as ElkNode;

  const shapes: Record<string, Bounds> = {};
  const labels: Record<string, Bounds> = {};
  for (const c of out.children ?? []) {
    shapes[c.id] = { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0), w: c.width ?? 0, h: c.height ?? 0 };
    const l = c.labels?.[0];
    if (l) labels[c.id] = { x: Math.round((c.x ?? 0) + (l.x ?? 0)), y: Math.round((c.y ?? 0) + (l.y ?? 0)), w: l.width, h: l.height };
  }
  // Boundary events sit on their task's bottom edge, side by side from the right.
  const onHost = new Map<string, number>();
  for (const [id, task] of host) {
    const t = shapes[task];
    if (!t) continue;
    const k = onHost.get(task) ?? 0;
    onHost.set(task, k + 1);
    shapes[id] = { x: t.x + t.w - 46 - k * 40, y: t.y + t.h - 18, w: 36, h: 36 };
  }
  const routes: Record<string, Point[]> = {};
  const byId = new Map(process.transitions.map((t) => [t.id, t]));
  for (const e of out.edges ?? []) {
    const s = e.sections?.[0];
    const t = byId.get(e.id)!;
    if (host.has(t.from)) {
      // Laid out from the host task; drawn from the boundary event.
      if (shapes[t.from] && shapes[t.to]) routes[e.id] = route(shapes[t.from]!, shapes[t.to]!, true);
    } else if (s) {
      routes[e.id] = dedupe([s.startPoint, ...(s.bendPoints ?? []), s.endPoint].map((p) => [Math.round(p.x), Math.round(p.y)] as Point));
    }
    const l = e.labels?.[0];
    if (l) labels[e.id] = { x: Math.round(l.x ?? 0), y: Math.round(l.y ?? 0), w: l.width, h: l.height };
  }
  return { shapes, edges: routes, labels };
}

function size(s: { w: number; h: number }): { width: number; height: number } {
  return { width: s.w, height: s.h };
}

function dedupe(points: Point[]): Point[] {
  return points.filter((p, i) => i === 0 || p[0] !== points[i - 1]![0] || p[1] !== points[i - 1]![1]);
}

/**
 * The process with a fresh layered diagram, or as it is when it is too large for the layered layout.
 *
 * @example
 * const tidy = await withElkLayout(imported);
 */
export async function withElkLayout(process: Process): Promise<Process> {
  if (process.nodes.length > MAX_ELK_NODES || !process.nodes.length) return process;
  return { ...process, diagram: await elkLayout(process) };
}
