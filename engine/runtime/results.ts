/**
 * The results that come back to a waiting token: a service call's answer or failure, a timer that
 * fell due, a called process that ended. Each checks that the token still waits for exactly that
 * (same run id, same timer), else the event is stale and refused; then the token moves on.
 *
 * Service failures: the node's `errorMapping` may rename the code (`404` → `NOT_FOUND`), the error is
 * kept in `vars.error`, then a boundary error event (the code, the unmapped code, or a catch-all),
 * else a conditional transition that holds, else a `SERVICE_ERROR` incident (a retry calls again).
 */
import { EventRefused } from '../errors';
import { addDuration, parseTimer } from '../model/iso8601';
import type { ErrorMapping, JsonValue, ServiceTask } from '../model/types';
import type { ChildCompletedEvent, ResultPatch, ServiceFailedEvent, ServiceFinishedEvent, TimerFiredEvent } from './events';
import { choose, leave, moveTo, take } from './flow';
import { BEHAVIOURS } from './nodes/index';
import { cancelBoundaryTimers } from './nodes/timers';
import { checkPatch } from './patch';
import { resolveValue, templateContext, overlayAction } from './resolve';
import { emit, newToken, raise, record, resolveIncident, type Run } from './run';
import type { Token, WaitKind } from './state';

/**
 * The token with this id, or a refusal (the step it belonged to is over).
 *
 * @example
 * const token = tokenById(run, 'k1');
 */
export function tokenById(run: Run, tokenId: string): Token {
  const token = run.state.tokens.find((t) => t.id === tokenId);
  if (!token) throw new EventRefused('STALE_EVENT', `There is no token "${tokenId}" any more; the step it belonged to is over.`, { tokenId });
  return token;
}

/**
 * The token waiting for `kind` with run id `runId`, made active again; refused as stale otherwise.
 *
 * @example
 * const token = takeWaiting(run, 'k1', 'service', 'callCrm', 'r2');
 */
export function takeWaiting(run: Run, tokenId: string, kind: WaitKind, nodeId?: string, runId?: string): Token {
  const token = tokenById(run, tokenId);
  if (token.wait !== kind || (nodeId && token.nodeId !== nodeId) || (runId && token.run !== runId)) {
    throw new EventRefused('STALE_EVENT', `Token "${tokenId}" does not wait for ${runId ? `${kind} run "${runId}"` : `a ${kind} result`}; the result is stale.`, { tokenId });
  }
  delete token.wait;
  delete token.run;
  token.status = token.incident ? 'incident' : 'active';
  return token;
}

/**
 * The boundary error event on `nodeId` catching `code`: an exact match first, then one catching every code.
 *
 * @example
 * boundaryFor(run, 'callCrm', 'HTTP_404'); // 'crmNotFound'
 */
export function boundaryFor(run: Run, nodeId: string, ...codes: string[]): string | undefined {
  const errors = (run.def.boundaries.get(nodeId) ?? []).filter((b) => b.type === 'boundaryError');
  for (const code of codes) {
    const exact = errors.find((b) => b.errorCode === code);
    if (exact) return exact.id;
  }
  return errors.find((b) => b.errorCode === undefined)?.id;
}

/**
 * Moves a token out of its task to the boundary event that caught an error (the task's timers are cancelled).
 *
 * @example
 * catchBy(run, token, 'crmNotFound', 'HTTP_404');
 */
export function catchBy(run: Run, token: Token, catcher: string, code: string): void {
  const node = run.def.nodes.get(token.nodeId);
  if (node) BEHAVIOURS[node.type].exit?.(run, token, node as never, 'submitted');
  resolveIncident(run, token, 'caught');
  record(run, { ev: 'leave', node: token.nodeId, tok: token.id, why: `error ${code} caught by ${catcher}` });
  moveTo(run, token, catcher);
}

/**
 * Merges a result patch: variables into the instance, dynamic fields as a DynamicFieldSet action;
 * false (with an `INVALID_RESULT` incident) when the patch is invalid.
 *
 * @example
 * if (applyPatch(run, token, { vars: { total: 3 } }, 'script')) leave(run, token);
 */
export function applyPatch(run: Run, token: Token, result: ResultPatch, source: 'script' | 'service'): boolean {
  const problem = checkPatch(result);
  if (problem) {
    raise(run, token, 'INVALID_RESULT', `The ${source} task "${token.nodeId}" returned an invalid result: ${problem}.`, 'enter');
    return false;
  }
  if (result.vars) run.state.vars = { ...run.state.vars, ...result.vars };
  const fields = result.dynamicFields;
  if (fields && Object.keys(fields).length) {
    const action = { type: 'DynamicFieldSet' as const, fields: fields as Record<string, string> };
    emit(run, { type: 'applyActions', token: token.id, nodeId: token.nodeId, source, actions: [action] });
    overlayAction(run.snapshot, action, run.now);
  }
  return true;
}

export function onServiceFinished(run: Run, e: ServiceFinishedEvent): void {
  const token = takeWaiting(run, e.tokenId, 'service', e.nodeId, e.run);
  const status = e.status !== undefined ? `HTTP ${e.status}` : 'answered';
  record(run, { ev: 'service', node: token.nodeId, tok: token.id, why: e.durationMs !== undefined ? `${status} in ${e.durationMs} ms` : status });
  if (!applyPatch(run, token, e.result, 'service')) return;
  delete run.state.vars.error;
  leave(run, token);
}

/**
 * The code a failure is known by at this task: the first `errorMapping` entry whose `when` matches
 * (a status `404`, a class `5XX`, `timeout`, `network`, `invalidResponse` / `mapping`, or the code).
 *
 * @example
 * mapServiceError([{ when: '404', code: 'NO_CUSTOMER' }], 'HTTP_404', 404); // 'NO_CUSTOMER'
 */
export function mapServiceError(mapping: ErrorMapping[] | undefined, code: string, status?: number): string {
  for (const m of mapping ?? []) {
    const when = m.when.trim();
    const lower = when.toLowerCase();
    if (/^\d{3}$/.test(when) ? status === Number(when)
      : /^\dxx$/i.test(when) ? status !== undefined && Math.floor(status / 100) === Number(when[0])
      : lower === 'timeout' ? code === 'TIMEOUT'
      : lower === 'network' ? code === 'NETWORK'
      : lower === 'invalidresponse' || lower === 'mapping' ? code === 'MAPPING'
      : when === code) return m.code;
  }
  return code;
}

export function onServiceFailed(run: Run, e: ServiceFailedEvent): void {
  const token = takeWaiting(run, e.tokenId, 'service', e.nodeId, e.run);
  const node = run.def.nodes.get(token.nodeId) as ServiceTask | undefined;
  const code = mapServiceError(node?.errorMapping, e.errorCode, e.status);
  const error: Record<string, JsonValue> = { code, message: e.message, node: token.nodeId };
  if (code !== e.errorCode) error.cause = e.errorCode;
  if (e.status !== undefined) error.status = e.status;
  run.state.vars = { ...run.state.vars, error };
  const tries = e.attempts !== undefined ? ` after ${e.attempts} attempt(s)` : '';
  record(run, { ev: 'service', node: token.nodeId, tok: token.id, code, why: `${e.message}${tries}` });
  const catcher = boundaryFor(run, token.nodeId, code, e.errorCode);
  if (catcher) {
    catchBy(run, token, catcher, code);
    return;
  }
  const conditional = (run.def.outgoing.get(token.nodeId) ?? []).some((t) => t.condition !== undefined);
  if (conditional) {
    const c = choose(run, token);
    if (c.kind === 'take' && c.transition.condition !== undefined) {
      take(run, token, c.transition, `error ${code}: ${c.why}`);
      return;
    }
  }
  cancelBoundaryTimers(run, token, token.nodeId);
  raise(run, token, 'SERVICE_ERROR', `Service task "${token.nodeId}" failed with ${code}: ${e.message}${tries}.`, 'enter', error);
}

export function onTimerFired(run: Run, e: TimerFiredEvent): void {
  const timer = run.state.timers?.[e.timer];
  if (!timer) throw new EventRefused('STALE_EVENT', `The timer "${e.timer}" is not pending any more (its task was left or it was cancelled).`, { timer: e.timer });
  const token = tokenById(run, timer.token);
  const node = run.def.nodes.get(timer.node);
  const drop = () => {
    delete run.state.timers![e.timer];
    if (!Object.keys(run.state.timers!).length) delete run.state.timers;
  };
  if (!node || (node.type !== 'intermediateTimer' && node.type !== 'boundaryTimer')) {
    drop();
    raise(run, token, 'UNKNOWN_NODE', `The timer "${timer.node}" is not a timer of this process version.`, 'enter');
    return;
  }
  timer.fired += 1;
  record(run, { ev: 'timer', node: node.id, tok: token.id, why: timer.fired > 1 ? `fired (${timer.fired}. time)` : 'fired' });
  if (node.type === 'intermediateTimer') {
    drop();
    if (token.nodeId !== node.id || token.wait !== 'timer') throw new EventRefused('STALE_EVENT', `Token "${token.id}" does not wait at "${node.id}".`, { timer: e.timer });
    delete token.wait;
    token.status = token.incident ? 'incident' : 'active';
    leave(run, token, 'timer');
    return;
  }
  if (token.nodeId !== node.attachedTo) throw new EventRefused('STALE_EVENT', `Token "${token.id}" is not in "${node.attachedTo}" any more.`, { timer: e.timer });
  if (node.interrupting !== false) {
    drop();
    const task = run.def.nodes.get(token.nodeId);
    if (task) BEHAVIOURS[task.type].exit?.(run, token, task as never, 'timer');
    resolveIncident(run, token, 'timer');
    record(run, { ev: 'leave', node: token.nodeId, tok: token.id, why: `interrupted by timer ${node.id}` });
    moveTo(run, token, node.id);
    return;
  }
  // Non-interrupting: the escalation path gets its own token; the task stays open.
  moveTo(run, newToken(run, node.id), node.id);
  const parsed = parseTimer(node);
  const cycle = parsed.ok && parsed.value.kind === 'cycle' ? parsed.value.cycle : undefined;
  const next = cycle && (cycle.repetitions === null || timer.fired < cycle.repetitions) ? addDuration(timer.dueAt, cycle.interval) : undefined;
  if (cycle && next !== undefined && (!cycle.end || next <= cycle.end.epochMs)) {
    timer.dueAt = next;
    emit(run, { type: 'scheduleTimer', key: e.timer, token: token.id, nodeId: node.id, attachedTo: node.attachedTo, dueAt: next, spec: node.cycle ?? '' });
  } else {
    drop();
  }
}

export function onChildCompleted(run: Run, e: ChildCompletedEvent): void {
  const token = takeWaiting(run, e.tokenId, 'child', undefined, e.run);
  const node = run.def.nodes.get(token.nodeId);
  if (e.status === 'cancelled') {
    record(run, { ev: 'child', node: token.nodeId, tok: token.id, code: 'CHILD_CANCELLED', why: 'the called process was cancelled' });
    cancelBoundaryTimers(run, token, token.nodeId);
    raise(run, token, 'CHILD_CANCELLED', `The process called by "${token.nodeId}" was cancelled; retry to call it again, or skip.`, 'enter');
    return;
  }
  record(run, { ev: 'child', node: token.nodeId, tok: token.id, why: 'the called process completed' });
  if (node?.type === 'callActivity' && node.outputs) {
    const ctx = templateContext(run.snapshot, e.vars ?? {}, run.def.process);
    const out: Record<string, JsonValue> = {};
    for (const [name, template] of Object.entries(node.outputs)) out[name] = resolveValue(template, ctx, true);
    run.state.vars = { ...run.state.vars, ...out };
  }
  leave(run, token);
}
