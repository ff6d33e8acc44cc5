/** Every transition starts and ends at an existing node. */
import { displayName, pointer, problem, type Problem } from '../problem';
import type { Rule } from '../rule';

export const transitionEnds: Rule = ({ doc, graph }) => {
  const out: Problem[] = [];
  for (const { t, index } of graph.transitions) {
    if (!graph.nodes.has(t.from)) {
      out.push(problem(doc, 'error', 'TRANSITION_FROM_MISSING', pointer('transitions', index, 'from'),
        `Transition ${displayName(t)} starts at "${t.from}", but there is no node with that id; connect it to an existing node or delete it.`));
    }
    if (!graph.nodes.has(t.to)) {
      out.push(problem(doc, 'error', 'TRANSITION_TO_MISSING', pointer('transitions', index, 'to'),
        `Transition ${displayName(t)} leads to "${t.to}", but there is no node with that id; connect it to an existing node or delete it.`));
    }
  }
  return out;
};
