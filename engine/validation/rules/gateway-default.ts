/** An exclusive gateway's `default` is one of its outgoing transitions and has no condition. */
import { displayName, pointer, problem, type Problem } from '../problem';
import type { Rule } from '../rule';

export const gatewayDefault: Rule = ({ doc, graph }) => {
  const out: Problem[] = [];
  for (const { node, index } of graph.nodeList) {
    if (node.type !== 'exclusiveGateway' || typeof node.default !== 'string') continue;
    const flow = (graph.outgoing.get(node.id) ?? []).find((t) => t.t.id === node.default);
    if (!flow) {
      out.push(problem(doc, 'error', 'DEFAULT_NOT_OUTGOING', pointer('nodes', index, 'default'),
        `Gateway "${node.id}" names "${node.default}" as its default, but that is not one of its outgoing transitions; pick one that leaves the gateway.`));
    } else if (flow.t.condition !== undefined) {
      out.push(problem(doc, 'error', 'DEFAULT_HAS_CONDITION', pointer('transitions', flow.index, 'condition'),
        `Transition ${displayName(flow.t)} is the default of gateway ${displayName(node)}, so it is taken when no condition holds; remove its condition.`,
        { nodeId: node.id, transitionId: flow.t.id }));
    }
  }
  return out;
};
