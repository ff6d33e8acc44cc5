/**
 * Timers of a token: intermediate timers and the boundary timers of the task a token waits in.
 * Scheduling records the timer in `state.timers` (key `<token>:<timer node>`) and emits
 * `scheduleTimer`; a timer with a `calendar` counts its duration in that business calendar's working
 * time (the calendars come with the step context). Cancelling removes it and emits `cancelTimer`. A `timerFired` whose key is not
 * in `state.timers` is stale (the task was left, the timer cancelled).
 */
import { addWorkingMinutes } from '../../model/business-time';
import { addDuration, durationMs, parseTimer, type Timer } from '../../model/iso8601';
import type { BusinessCalendar } from '../../model/business-time';
import type { BoundaryTimer, IntermediateTimer } from '../../model/types';
import { emit, raise, type Run } from '../run';
import type { Token } from '../state';

/**
 * When a timer falls due first, from the step's clock reading.
 *
 * @example
 * firstDue(parsed, run.now); // now + 8 h for PT8H
 */
export function firstDue(t: Timer, now: number): number {
  if (t.kind === 'duration') return addDuration(now, t.duration);
  if (t.kind === 'date') return t.date.epochMs;
  return addDuration(t.cycle.start?.epochMs ?? now, t.cycle.interval);
}

/**
 * When a duration counted in working time falls due: `PT8H` in "Support hours" is eight working
 * hours from `now`. An error text when the calendar is unknown, the duration has years or months,
 * or the calendar has no working time ahead.
 *
 * @example
 * workingDue(node, parsed, Date.parse('2026-03-06T16:00Z'), { 'Support hours': cal }); // Monday 11:00 for PT2H
 */
export function workingDue(node: { id: string; calendar?: string }, t: Timer, now: number, calendars: Readonly<Record<string, BusinessCalendar>> | undefined): number | string {
  const name = node.calendar!;
  if (t.kind !== 'duration') return `"calendar" counts a "duration" only, not a ${t.kind}`;
  const ms = durationMs(t.duration);
  if (ms === undefined) return 'a duration in working time cannot have years or months; write days, hours or minutes';
  const cal = calendars && Object.hasOwn(calendars, name) ? calendars[name] : undefined;
  if (!cal) return `there is no business calendar "${name}"`;
  const due = addWorkingMinutes(cal, new Date(now), ms / 60_000);
  return due ? due.getTime() : `the business calendar "${name}" has no working time ahead`;
}

/**
 * Schedules one timer node for a token; false (with a `TIMER_INVALID` incident) when its spec does not parse.
 *
 * @example
 * scheduleTimer(run, token, node); // state.timers['k1:wait1'], effect scheduleTimer
 */
export function scheduleTimer(run: Run, token: Token, node: IntermediateTimer | BoundaryTimer, attachedTo?: string): boolean {
  const parsed = parseTimer(node);
  if (!parsed.ok) {
    raise(run, token, 'TIMER_INVALID', `The timer "${node.id}" cannot be scheduled: ${parsed.error}`, 'enter');
    return false;
  }
  const key = `${token.id}:${node.id}`;
  const dueAt = node.calendar === undefined ? firstDue(parsed.value, run.now) : workingDue(node, parsed.value, run.now, run.ctx.calendars);
  if (typeof dueAt === 'string') {
    raise(run, token, 'TIMER_INVALID', `The timer "${node.id}" cannot be scheduled: ${dueAt}`, 'enter');
    return false;
  }
  (run.state.timers ??= {})[key] = { node: node.id, token: token.id, ...(attachedTo ? { attachedTo } : {}), dueAt, fired: 0 };
  emit(run, { type: 'scheduleTimer', key, token: token.id, nodeId: node.id, ...(attachedTo ? { attachedTo } : {}), dueAt, spec: node.duration ?? node.date ?? node.cycle ?? '' });
  return true;
}

/**
 * Cancels a pending timer by key (nothing when it is not pending).
 *
 * @example
 * cancelTimer(run, 'k1:approvalLate');
 */
export function cancelTimer(run: Run, key: string): void {
  if (!run.state.timers?.[key]) return;
  delete run.state.timers[key];
  if (!Object.keys(run.state.timers).length) delete run.state.timers;
  emit(run, { type: 'cancelTimer', key });
}

/**
 * Schedules each boundary timer on the node for the token that waits in it.
 *
 * @example
 * scheduleBoundaryTimers(run, token, 'approve'); // { type: 'scheduleTimer', key: 'k1:approvalLate', dueAt: now + 8 h, ... }
 */
export function scheduleBoundaryTimers(run: Run, token: Token, nodeId: string): void {
  for (const b of run.def.boundaries.get(nodeId) ?? []) {
    if (b.type === 'boundaryTimer') scheduleTimer(run, token, b, nodeId);
  }
}

/**
 * Cancels the pending boundary timers of the node for the token (the task is left).
 *
 * @example
 * cancelBoundaryTimers(run, token, 'approve'); // { type: 'cancelTimer', key: 'k1:approvalLate' }
 */
export function cancelBoundaryTimers(run: Run, token: Token, nodeId: string): void {
  for (const b of run.def.boundaries.get(nodeId) ?? []) {
    if (b.type === 'boundaryTimer') cancelTimer(run, `${token.id}:${b.id}`);
  }
}
