/**
 * User task: the token waits for the dialog; `openUserTask` carries the dialog, the interfaces that
 * may answer it and the assignment (templates resolved). Boundary timers on the task are scheduled
 * on entry and cancelled when the task is left. The way out is chosen when the dialog is submitted
 * (see `step.ts`).
 */
import type { Interface, UserTask } from '../../model/types';
import { resolveAssign, templateContext } from '../resolve';
import { emit, wait } from '../run';
import type { NodeBehaviour } from './behaviour';
import { cancelBoundaryTimers, scheduleBoundaryTimers } from './timers';

export const userTask: NodeBehaviour<UserTask> = {
  enter(run, token, node) {
    wait(token, 'dialog');
    const interfaces = new Set<Interface>(node.dialog.interfaces);
    for (const d of node.alternativeDialogs ?? []) for (const i of d.interfaces) interfaces.add(i);
    emit(run, {
      type: 'openUserTask',
      token: token.id,
      nodeId: node.id,
      ...(node.name ? { name: node.name } : {}),
      dialog: node.dialog,
      ...(node.alternativeDialogs?.length ? { alternativeDialogs: node.alternativeDialogs } : {}),
      interfaces: [...interfaces],
      ...(node.assign ? { assign: resolveAssign(node.assign, templateContext(run.snapshot, run.state.vars, run.def.process)) } : {}),
    });
    scheduleBoundaryTimers(run, token, node.id);
  },
  exit(run, token, node, reason, by) {
    emit(run, { type: 'closeUserTask', token: token.id, nodeId: node.id, reason, ...(by ? { by } : {}) });
    cancelBoundaryTimers(run, token, node.id);
  },
};
