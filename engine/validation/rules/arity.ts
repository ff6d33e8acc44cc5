/**
 * How many transitions may enter and leave each kind of node: a start event only leaves, an end
 * event only enters, a task both, a gateway splits or joins, a boundary event has exactly one way out.
 */
import { isBoundary } from '../graph';
import { pointer, problem, type Problem } from '../problem';
import type { Rule } from '../rule';

const TASKS = new Set(['userTask', 'scriptTask', 'serviceTask', 'callActivity', 'intermediateTimer']);

export const arity: Rule = ({ doc, graph }) => {
  const out: Problem[] = [];
  for (const { node, index } of graph.nodeList) {
    const ins = graph.incoming.get(node.id)?.length ?? 0;
    const outs = graph.outgoing.get(node.id)?.length ?? 0;
    const path = pointer('nodes', index);
    const err = (code: string, message: string) => out.push(problem(doc, 'error', code, path, message));
    const label = `Node "${node.id}"`;
    if (node.type === 'startEvent') {
      if (ins > 0) err('ARITY_START_INCOMING', `${label} is the start event but ${ins} transition${ins > 1 ? 's lead' : ' leads'} into it; nothing may lead back to the start.`);
      if (outs === 0) err('ARITY_NO_OUTGOING', `${label} is the start event but no transition leaves it; connect it to the first step.`);
    } else if (node.type === 'endEvent') {
      if (ins === 0) err('ARITY_NO_INCOMING', `${label} is an end event that no transition reaches; connect a step to it or delete it.`);
      if (outs > 0) err('ARITY_END_OUTGOING', `${label} is an end event but ${outs} transition${outs > 1 ? 's leave' : ' leaves'} it; an end event ends the path.`);
    } else if (TASKS.has(node.type)) {
      if (ins === 0) err('ARITY_NO_INCOMING', `${label} has no incoming transition, so it never runs; connect a previous step to it.`);
      if (outs === 0) err('ARITY_NO_OUTGOING', `${label} has no outgoing transition, so the process stops there; connect it to the next step or an end event.`);
    } else if (node.type === 'exclusiveGateway' || node.type === 'parallelGateway') {
      if (ins === 0) err('ARITY_NO_INCOMING', `${label} has no incoming transition; connect a previous step to it.`);
      if (outs === 0) err('ARITY_NO_OUTGOING', `${label} has no outgoing transition; connect it to the next steps.`);
      if (ins === 1 && outs === 1) {
        err('ARITY_GATEWAY_PASS_THROUGH', `${label} has one way in and one way out, so it neither splits nor joins; add branches or remove the gateway.`);
      }
      if (node.type === 'parallelGateway' && ins >= 2 && outs >= 2) {
        out.push(problem(doc, 'warning', 'ARITY_GATEWAY_MIXED', path,
          `${label} both joins ${ins} and forks ${outs} branches; split it into a join gateway followed by a fork gateway to make the flow clear.`));
      }
    } else if (isBoundary(node.type)) {
      if (ins > 0) err('ARITY_BOUNDARY_INCOMING', `${label} is a boundary event but ${ins} transition${ins > 1 ? 's lead' : ' leads'} into it; it is triggered by its task, not by a transition.`);
      if (outs !== 1) err('ARITY_BOUNDARY_OUTGOING', `${label} is a boundary event with ${outs} outgoing transitions; it needs exactly one.`);
    }
  }
  return out;
};
