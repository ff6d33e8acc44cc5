/**
 * User task: the token waits for the dialog; `openUserTask` carries the dialog, the interfaces that
 * may answer it and the assignment (templates resolved). Boundary timers on the task are scheduled
 * on entry and cancelled when the task is left (firing them is issue 7). The way out is chosen when
 * the dialog is submitted (see `step.ts`).
 */
import { addDuration, parseTimer } from '../../model/iso8601';
import type { Interface, UserTask } from '../../model/types';
import { resolveAssign, templateContext } from '../resolve';
import { emit, raise, wait, type Run } from '../run';
import type { Token } from '../state';
import type { NodeBehaviour } from './behaviour';

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

/**
 * Emits `scheduleTimer` for each boundary timer on the node (key `<token>:<timer>`).
 *
 * @example
 * scheduleBoundaryTimers(run, token, 'approve'); // { type: 'scheduleTimer', key: 'k1:approvalLate', dueAt: now + 8 h, ... }
 */
export function scheduleBoundaryTimers(run: Run, token: Token, nodeId: string): void {
  for (const b of run.def.boundaries.get(nodeId) ?? []) {
    if (b.type !== 'boundaryTimer') continue;
    const spec = b.duration ?? b.date ?? b.cycle ?? '';
    const parsed = parseTimer(b);
    if (!parsed.ok) {
      raise(run, token, 'TIMER_INVALID', `The boundary timer "${b.id}" cannot be scheduled: ${parsed.error}`, 'enter');
      continue;
    }
    const v = parsed.value;
    const dueAt = v.kind === 'duration' ? addDuration(run.now, v.duration)
      : v.kind === 'date' ? v.date.epochMs
      : addDuration(v.cycle.start?.epochMs ?? run.now, v.cycle.interval);
    emit(run, { type: 'scheduleTimer', key: `${token.id}:${b.id}`, token: token.id, nodeId: b.id, attachedTo: nodeId, dueAt, spec });
  }
}

/**
 * Emits `cancelTimer` for each boundary timer on the node.
 *
 * @example
 * cancelBoundaryTimers(run, token, 'approve'); // { type: 'cancelTimer', key: 'k1:approvalLate' }
 */
export function cancelBoundaryTimers(run: Run, token: Token, nodeId: string): void {
  for (const b of run.def.boundaries.get(nodeId) ?? []) {
    if (b.type === 'boundaryTimer') emit(run, { type: 'cancelTimer', key: `${token.id}:${b.id}` });
  }
}
