/** Transitions leaving the same node do not share an `order` (which one is tried first would be unclear). */
import { pointer, problem, type Problem } from '../problem';
import type { Rule } from '../rule';

export const transitionOrder: Rule = ({ doc, graph }) => {
  const out: Problem[] = [];
  for (const [from, list] of graph.outgoing) {
    const seen = new Map<number, string>();
    for (const { t, index } of list) {
      if (typeof t.order !== 'number') continue;
      const other = seen.get(t.order);
      if (other !== undefined) {
        out.push(problem(doc, 'warning', 'ORDER_DUPLICATE', pointer('transitions', index, 'order'),
          `Transitions "${other}" and "${t.id}" leaving "${from}" both have order ${t.order}; give them different orders so the evaluation order is clear.`));
      } else seen.set(t.order, t.id);
    }
  }
  return out;
};
