/**
 * Intermediate timer: the token waits until the timer falls due (`timerFired`, handled in
 * `step.ts`), then leaves. A cycle on an intermediate timer waits for its first firing only.
 */
import type { IntermediateTimer } from '../../model/types';
import { wait } from '../run';
import type { NodeBehaviour } from './behaviour';
import { cancelTimer, scheduleTimer } from './timers';

export const intermediateTimer: NodeBehaviour<IntermediateTimer> = {
  enter(run, token, node) {
    if (scheduleTimer(run, token, node)) wait(token, 'timer');
  },
  exit(run, token, node) {
    cancelTimer(run, `${token.id}:${node.id}`);
  },
};
