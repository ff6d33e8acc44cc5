/** Exactly one start event per process. */
import { pointer, problem } from '../problem';
import type { Rule } from '../rule';

export const startEvent: Rule = ({ doc, graph }) => {
  const starts = graph.nodeList.filter((n) => n.node.type === 'startEvent');
  if (starts.length === 0) {
    return [problem(doc, 'error', 'START_MISSING', '/nodes', 'The process has no start event; add one (type "startEvent") and connect it to the first step.')];
  }
  return starts.slice(1).map((s) =>
    problem(doc, 'error', 'START_MULTIPLE', pointer('nodes', s.index),
      `Node "${s.node.id}" is a second start event (the first is "${starts[0]!.node.id}"); a process has exactly one, so remove one of them.`),
  );
};
