/**
 * User task: the token waits for the dialog; `openUserTask` carries the dialog, the interfaces that
 * may answer it and the assignment (templates resolved). Boundary timers on the task are scheduled
 * on entry and cancelled when the task is left. The way out is chosen when the dialog is submitted
 * (see `step.ts`).
 */
import type { Dialog, Interface, StartConfig, UserTask } from '../../model/types';
import { resolveAssign, templateContext } from '../resolve';
import { emit, wait } from '../run';
import type { NodeBehaviour } from './behaviour';
import { cancelBoundaryTimers, scheduleBoundaryTimers } from './timers';

/**
 * The dialog of `node` an interface answers with: the main one first, then the alternatives.
 *
 * @example
 * dialogFor(node, 'customer'); // undefined when no dialog of the task is offered to customers
 */
export function dialogFor(node: UserTask, iface: Interface): Dialog | undefined {
  return [node.dialog, ...(node.alternativeDialogs ?? [])].find((d) => d.interfaces.includes(iface));
}

/**
 * Whether an interface may start the process: it is one of the start's interfaces and, when there
 * is a start dialog, the dialog is offered to it too (a start dialog for agents only keeps the
 * process out of the customer portal).
 *
 * @example
 * startOffered({ interfaces: ['agent', 'customer'], dialog: { interfaces: ['agent'], fields: [] } }, 'customer'); // false
 */
export function startOffered(start: StartConfig, iface: Interface): boolean {
  return start.interfaces.includes(iface) && (!start.dialog || start.dialog.interfaces.includes(iface));
}

/**
 * Every interface that may answer `node` (its main dialog's and its alternatives'), in order, once each.
 *
 * @example
 * dialogInterfaces(node); // ['agent', 'customer']
 */
export function dialogInterfaces(node: UserTask): Interface[] {
  return [...new Set([...node.dialog.interfaces, ...(node.alternativeDialogs ?? []).flatMap((d) => d.interfaces)])];
}

export const userTask: NodeBehaviour<UserTask> = {
  enter(run, token, node) {
    wait(token, 'dialog');
    emit(run, {
      type: 'openUserTask',
      token: token.id,
      nodeId: node.id,
      ...(node.name ? { name: node.name } : {}),
      dialog: node.dialog,
      ...(node.alternativeDialogs?.length ? { alternativeDialogs: node.alternativeDialogs } : {}),
      interfaces: dialogInterfaces(node),
      ...(node.assign ? { assign: resolveAssign(node.assign, templateContext(run.snapshot, run.state.vars, run.def.process)) } : {}),
    });
    scheduleBoundaryTimers(run, token, node.id);
  },
  exit(run, token, node, reason, by) {
    emit(run, { type: 'closeUserTask', token: token.id, nodeId: node.id, reason, ...(by ? { by } : {}) });
    cancelBoundaryTimers(run, token, node.id);
  },
};
