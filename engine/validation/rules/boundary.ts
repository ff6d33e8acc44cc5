/**
 * A boundary event hangs on an existing task of a kind that allows it: timers on user tasks,
 * service tasks and call activities; errors on script and service tasks.
 */
import { pointer, problem, type Problem } from '../problem';
import type { Rule } from '../rule';

export const BOUNDARY_HOSTS: Readonly<Record<string, readonly string[]>> = {
  boundaryTimer: ['userTask', 'serviceTask', 'callActivity'],
  boundaryError: ['scriptTask', 'serviceTask'],
};

export const boundary: Rule = ({ doc, graph }) => {
  const out: Problem[] = [];
  for (const { node, index } of graph.nodeList) {
    const hosts = BOUNDARY_HOSTS[node.type];
    if (!hosts || typeof node.attachedTo !== 'string') continue;
    const path = pointer('nodes', index, 'attachedTo');
    const host = graph.nodes.get(node.attachedTo);
    if (!host) {
      out.push(problem(doc, 'error', 'BOUNDARY_TARGET_MISSING', path,
        `Boundary event "${node.id}" is attached to "${node.attachedTo}", but there is no node with that id; attach it to a task.`));
    } else if (!hosts.includes(host.node.type)) {
      out.push(problem(doc, 'error', 'BOUNDARY_TARGET_KIND', path,
        `Boundary event "${node.id}" (${node.type}) is attached to "${host.node.id}", a ${host.node.type}; attach it to a ${hosts.join(' or ')}.`));
    }
  }
  return out;
};
