/**
 * The effect handlers, one per effect type, and the step observers. The runner calls the handler of
 * each effect in order after the step, then every observer, all inside the step's transaction.
 * Effects without a handler here (complete) are read by the views from the state, or handled by
 * the runner itself.
 */
import type { Effect } from '../../../engine/runtime/index';
import { applyActions, runScript } from './script';
import { callService } from './service';
import { incident, incidentResolved } from './incidents';
import { cancelTimer, scheduleTimer } from './timers';
import { cancelChild, childEnded, startChild } from './children';
import { recordStats } from './stats';
import { closeUserTask, openUserTask, userTasksSettled } from './user-tasks';
import type { EffectHandler, StepObserver } from './types';

export type { EffectContext, EffectHandler, StepObserver } from './types';

export const EFFECT_HANDLERS: { [T in Effect['type']]?: EffectHandler<T> } = {
  startChild,
  cancelChild,
  runScript,
  callService,
  applyActions,
  incident,
  incidentResolved,
  scheduleTimer,
  cancelTimer,
  openUserTask,
  closeUserTask,
};

export const STEP_OBSERVERS: StepObserver[] = [childEnded, recordStats, userTasksSettled];
