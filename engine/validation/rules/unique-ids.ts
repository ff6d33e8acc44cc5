/** Ids are unique across nodes and transitions (BPMN ids share one namespace). */
import { pointer, problem, type Problem } from '../problem';
import type { Rule } from '../rule';

export const uniqueIds: Rule = ({ doc, graph }) => {
  const firstUse = new Map<string, string>();
  const out: Problem[] = [];
  const check = (id: string, what: string, path: string) => {
    const first = firstUse.get(id);
    if (first) out.push(problem(doc, 'error', 'DUPLICATE_ID', path, `The id "${id}" of ${what} is already used by ${first}; give it a different id.`));
    else firstUse.set(id, what);
  };
  for (const n of graph.nodeList) check(n.node.id, `node ${n.index + 1}`, pointer('nodes', n.index, 'id'));
  for (const t of graph.transitions) check(t.t.id, `transition ${t.index + 1}`, pointer('transitions', t.index, 'id'));
  return out;
};
