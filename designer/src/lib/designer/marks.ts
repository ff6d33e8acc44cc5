/**
 * What test mode and the monitoring overlay mark on the canvas, as plain data: the classes per
 * element of a simulated path, and the heat level per node from the average time spent there.
 */
import type { NodeStats, SimulationReport } from './monitoring';

/**
 * Marker classes of a simulation: visited nodes (`hd-sim-visited`), taken transitions
 * (`hd-sim-taken`), incidents, waiting tokens; and the order in which nodes were first entered.
 *
 * @example
 * simulationMarks(report).order.get('countDays'); // 2
 */
export function simulationMarks(r: SimulationReport): { markers: Map<string, string[]>; order: Map<string, number> } {
  const markers = new Map<string, string[]>();
  const add = (id: string | undefined, c: string) => {
    if (!id) return;
    const list = markers.get(id) ?? [];
    if (!list.includes(c)) list.push(c);
    markers.set(id, list);
  };
  const order = new Map<string, number>();
  for (const e of r.path) {
    if (e.process) continue; // a called process's own steps
    if ((e.event === 'enter' || e.event === 'start') && e.node) {
      add(e.node, 'hd-sim-visited');
      if (!order.has(e.node)) order.set(e.node, order.size + 1);
    }
    if (e.event === 'leave' && e.transition) add(e.transition, 'hd-sim-taken');
  }
  for (const i of r.incidents) if (!i.process) add(i.node, i.resolved ? 'hd-sim-resolved' : 'hd-sim-incident');
  for (const w of r.waitingAt) add(w.node, 'hd-sim-waiting');
  return { markers, order };
}

/**
 * Heat marker (`hd-heat-0` … `hd-heat-{steps-1}`) per node by its average time relative to the slowest.
 *
 * @example
 * heatMarkers([{ nodeId: 'a', avgMs: 10 }, { nodeId: 'b', avgMs: 100 }] as NodeStats[]); // a → hd-heat-0, b → hd-heat-4
 */
export function heatMarkers(nodes: NodeStats[], steps = 5): Map<string, string[]> {
  const max = Math.max(0, ...nodes.map((n) => n.avgMs ?? 0));
  const markers = new Map<string, string[]>();
  if (max <= 0) return markers;
  for (const n of nodes) {
    if (n.avgMs === null || n.avgMs <= 0) continue;
    markers.set(n.nodeId, [`hd-heat-${Math.min(steps - 1, Math.floor((n.avgMs / max) * steps))}`]);
  }
  return markers;
}
