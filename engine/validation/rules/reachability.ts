/**
 * Every node is reachable from the start and can reach an end. Two linear walks: forward from the
 * start events, backward from the end events; a boundary event counts as a way out of its task.
 * Nodes without any incoming (or outgoing) transition are left to the arity rule.
 */
import { isBoundary } from '../graph';
import { pointer, problem, type Problem } from '../problem';
import type { Rule } from '../rule';

function walk(starts: string[], next: (id: string) => string[]): Set<string> {
  const seen = new Set(starts);
  const stack = [...starts];
  while (stack.length) {
    for (const n of next(stack.pop()!)) {
      if (!seen.has(n)) {
        seen.add(n);
        stack.push(n);
      }
    }
  }
  return seen;
}

export const reachability: Rule = ({ doc, graph }) => {
  const out: Problem[] = [];
  const starts = graph.nodeList.filter((n) => n.node.type === 'startEvent').map((n) => n.node.id);
  const ends = graph.nodeList.filter((n) => n.node.type === 'endEvent').map((n) => n.node.id);
  if (ends.length === 0 && graph.nodeList.length > 0) {
    out.push(problem(doc, 'error', 'END_MISSING', '/nodes', 'The process has no end event; add one (type "endEvent") and lead the last steps to it.'));
  }
  if (starts.length) {
    const reached = walk(starts, (id) => [
      ...(graph.outgoing.get(id) ?? []).map((t) => t.t.to),
      ...(graph.boundaries.get(id) ?? []).map((b) => b.node.id),
    ]);
    for (const { node, index } of graph.nodeList) {
      if (reached.has(node.id) || isBoundary(node.type) || !graph.incoming.get(node.id)?.length) continue;
      out.push(problem(doc, 'error', 'UNREACHABLE', pointer('nodes', index),
        `Node "${node.id}" cannot be reached from the start event; connect it to the flow or delete it.`));
    }
  }
  if (ends.length) {
    const canEnd = walk(ends, (id) => {
      const prev = (graph.incoming.get(id) ?? []).map((t) => t.t.from);
      const attached = graph.nodes.get(id)?.node.attachedTo;
      return typeof attached === 'string' ? [...prev, attached] : prev;
    });
    for (const { node, index } of graph.nodeList) {
      if (canEnd.has(node.id) || !graph.outgoing.get(node.id)?.length) continue;
      out.push(problem(doc, 'error', 'NO_PATH_TO_END', pointer('nodes', index),
        `No path leads from node "${node.id}" to an end event, so a ticket there can never finish; add a transition towards an end event.`));
    }
  }
  return out;
};
