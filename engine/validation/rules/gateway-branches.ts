/**
 * Branch conditions fit the gateway: a parallel fork takes every branch (no conditions); an exclusive
 * split needs conditions on its non-default branches and should have a default.
 */
import { displayName, pointer, problem, type Problem } from '../problem';
import type { Rule } from '../rule';

export const gatewayBranches: Rule = ({ doc, graph }) => {
  const out: Problem[] = [];
  for (const { node, index } of graph.nodeList) {
    const outs = graph.outgoing.get(node.id) ?? [];
    if (node.type === 'parallelGateway') {
      for (const f of outs.filter((t) => t.t.condition !== undefined)) {
        out.push(problem(doc, 'error', 'CONDITION_ON_PARALLEL', pointer('transitions', f.index, 'condition'),
          `Transition ${displayName(f.t)} leaves parallel gateway ${displayName(node)}, which takes every branch; remove the condition or use an exclusive gateway.`));
      }
    } else if (node.type === 'exclusiveGateway' && outs.length >= 2) {
      const others = outs.filter((t) => t.t.id !== node.default);
      for (const f of others.filter((t) => t.t.condition === undefined)) {
        out.push(problem(doc, 'warning', 'BRANCH_WITHOUT_CONDITION', pointer('transitions', f.index),
          `Transition ${displayName(f.t)} leaves gateway ${displayName(node)} without a condition, so it is always taken when reached; add a condition or make it the gateway's default.`));
      }
      if (node.default === undefined && others.every((t) => t.t.condition !== undefined)) {
        out.push(problem(doc, 'warning', 'GATEWAY_NO_DEFAULT', pointer('nodes', index),
          `Gateway "${node.id}" has no default; when no condition holds the ticket stops with an incident. Set "default" to one of its transitions.`));
      }
    }
  }
  return out;
};
