/**
 * The visual diff of two versions of a process: one document to draw (the newer one, plus what the
 * older one had and the newer one lost, at their old places) and a status per node and transition
 * (added, removed, changed with the properties that changed), from engine/model/diff.ts.
 */
import { diffProcesses, type Process, type ProcessDiff } from '$engine/index';

export type DiffStatus = 'added' | 'removed' | 'changed';

/** The sign shown for each kind of difference (badge on the canvas, row in the list). @example DIFF_SIGN.added // '+' */
export const DIFF_SIGN: Record<DiffStatus, string> = { added: '+', removed: '−', changed: '~' };

export interface DiffView {
  /** The newer process with the removed nodes and transitions put back (to draw). */
  merged: Process;
  /** Element id → what happened to it (unchanged elements are absent). */
  status: Map<string, DiffStatus>;
  /** Changed element id → the properties that differ. */
  changedProperties: Map<string, string[]>;
  diff: ProcessDiff;
}

/**
 * Compares `from` (older) with `to` (newer) and builds what the canvas draws.
 *
 * @example
 * const view = diffView(v1, v2);
 * view.status.get('remind'); // 'added'
 * view.merged.nodes.length;  // v2's nodes + the ones only v1 had
 */
export function diffView(from: Process, to: Process): DiffView {
  const diff = diffProcesses(from, to);
  const status = new Map<string, DiffStatus>();
  const changedProperties = new Map<string, string[]>();
  for (const d of [diff.nodes, diff.transitions]) {
    for (const id of d.added) status.set(id, 'added');
    for (const id of d.removed) status.set(id, 'removed');
    for (const c of d.changed) {
      status.set(c.id, 'changed');
      changedProperties.set(c.id, c.properties);
    }
  }
  const removedNodes = from.nodes.filter((n) => diff.nodes.removed.includes(n.id));
  const nodeIds = new Set([...to.nodes.map((n) => n.id), ...removedNodes.map((n) => n.id)]);
  const removedTransitions = from.transitions.filter((t) => diff.transitions.removed.includes(t.id) && nodeIds.has(t.from) && nodeIds.has(t.to));
  const shapes = { ...to.diagram?.shapes };
  const edges = { ...to.diagram?.edges };
  for (const n of removedNodes) if (from.diagram?.shapes[n.id]) shapes[n.id] = from.diagram.shapes[n.id]!;
  for (const t of removedTransitions) if (from.diagram?.edges[t.id]) edges[t.id] = from.diagram.edges[t.id]!;
  const merged: Process = {
    ...to,
    nodes: [...to.nodes, ...removedNodes],
    transitions: [...to.transitions, ...removedTransitions],
    ...(to.diagram || from.diagram ? { diagram: { shapes, edges } } : {}),
  };
  return { merged, status, changedProperties, diff };
}
