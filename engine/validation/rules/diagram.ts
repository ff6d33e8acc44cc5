/** The diagram only lays out nodes and transitions that exist. */
import { pointer, problem, type Problem } from '../problem';
import type { Rule } from '../rule';

export const diagram: Rule = ({ doc, graph }) => {
  const d = (doc as { diagram?: { shapes?: unknown; edges?: unknown } }).diagram;
  if (typeof d !== 'object' || d === null) return [];
  const out: Problem[] = [];
  const transitionIds = new Set(graph.transitions.map((t) => t.t.id));
  if (typeof d.shapes === 'object' && d.shapes !== null) {
    for (const id of Object.keys(d.shapes)) {
      if (!graph.nodes.has(id)) {
        out.push(problem(doc, 'warning', 'DIAGRAM_UNKNOWN_NODE', pointer('diagram', 'shapes', id), `The diagram has a shape for "${id}", which is not a node; it is ignored.`));
      }
    }
  }
  if (typeof d.edges === 'object' && d.edges !== null) {
    for (const id of Object.keys(d.edges)) {
      if (!transitionIds.has(id)) {
        out.push(problem(doc, 'warning', 'DIAGRAM_UNKNOWN_TRANSITION', pointer('diagram', 'edges', id), `The diagram has an edge for "${id}", which is not a transition; it is ignored.`));
      }
    }
  }
  return out;
};
