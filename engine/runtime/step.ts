/**
 * The step function: `step(definition, state, event, context) → { state, effects, log }`. Pure and
 * deterministic: no I/O, no `Date.now()`, no randomness; the clock and the expression evaluator are
 * injected, ids come from the state's counter, and the caller's state is never changed. An event the
 * instance cannot take (a stale submit, a result for an older script run, an instance that is no
 * longer running) throws `EventRefused` and changes nothing.
 *
 * Decisions (see also the node files):
 * - Automatic steps chain within one event: after a submit every gateway runs and every script task
 *   is asked for (`runScript`) until each token waits; `scriptFinished` continues the chain.
 * - Out of a task, the first transition whose condition holds wins (OTOBO activities). When none
 *   holds after a submit, the token stays on the task with a `NO_TRANSITION` incident and the dialog
 *   stays open: a new submit, a ticket change or a retry that makes a condition hold moves it on
 *   (OTOBO keeps the ticket in the activity; we also make it visible).
 * - `ticketChanged` re-checks (a) user tasks whose every way out has a condition (OTOBO-style
 *   activities, left as soon as a condition holds, as Znuny's TicketProcessTransitions does) and
 *   (b) tokens stuck in the choice of their way out (incident phase `leave`). A task with an
 *   unconditional way out is left only by its dialog.
 * - A condition that cannot be evaluated is an incident on the token (`CONDITION_ERROR`).
 */
import { EventRefused } from '../errors';
import type { JsonValue, Process } from '../model/types';
import type {
  CancelEvent, DialogSubmittedEvent, InstanceEvent, RetryEvent, ScriptFailedEvent, ScriptFinishedEvent, SkipEvent, StartInstanceEvent, TicketChangedEvent,
} from './events';
import { choose, drain, leave, moveTo, reenter, take } from './flow';
import { BEHAVIOURS } from './nodes/index';
import { dialogInterfaces } from './nodes/user-task';
import { closeRun, newToken, openRun, raise, record, resolveIncident, type Run, type StepContext, type StepResult } from './run';
import { initialState, STATE_VERSION, type Incident, type InstanceState, type Token } from './state';
import { applyPatch, boundaryFor, catchBy, onChildCompleted, onServiceFailed, onServiceFinished, onTimerFired, takeWaiting, tokenById } from './results';

/**
 * Applies one event to an instance.
 *
 * @example
 * const ctx = { clock: () => Date.parse('2025-03-01T09:00:00Z') };
 * let r = step(process, null, { type: 'start', snapshot: { ticket: { title: 'Leave' } } }, ctx);
 * // r.effects: [{ type: 'runScript', token: 'k1', run: 'r2', nodeId: 'countDays', params: {...}, ... }]
 * r = step(process, r.state, { type: 'scriptFinished', tokenId: 'k1', run: 'r2', result: { vars: { days: 3 } }, snapshot }, ctx);
 * // r.effects: [{ type: 'openUserTask', nodeId: 'approve', interfaces: ['agent'], ... }]
 */
export function step(definition: Process, state: InstanceState | null, event: InstanceEvent, context: StepContext): StepResult {
  const current = state ?? initialState();
  if (current.v !== STATE_VERSION) {
    throw new EventRefused('STATE_VERSION', `The instance state has version ${String(current.v)}; this engine reads version ${STATE_VERSION}.`);
  }
  if (event.type !== 'start' && current.status !== 'running' && current.status !== 'incident') {
    throw new EventRefused('NOT_RUNNING', `The instance is ${current.status}; it takes no more events.`, { status: current.status });
  }
  const run = openRun(definition, current, 'snapshot' in event ? event.snapshot : undefined, context);
  switch (event.type) {
    case 'start': onStart(run, event); break;
    case 'dialogSubmitted': onDialogSubmitted(run, event); break;
    case 'scriptFinished': onScriptFinished(run, event); break;
    case 'scriptFailed': onScriptFailed(run, event); break;
    case 'ticketChanged': onTicketChanged(run, event); break;
    case 'cancel': onCancel(run, event); break;
    case 'retry': onRetry(run, event); break;
    case 'skip': onSkip(run, event); break;
    case 'serviceFinished': onServiceFinished(run, event); break;
    case 'serviceFailed': onServiceFailed(run, event); break;
    case 'timerFired': onTimerFired(run, event); break;
    case 'childCompleted': onChildCompleted(run, event); break;
    default:
      throw new EventRefused('BAD_EVENT', `"${String((event as { type?: unknown }).type)}" is not an event type.`);
  }
  drain(run);
  return closeRun(run);
}

function onStart(run: Run, e: StartInstanceEvent): void {
  const s = run.state;
  if (s.seq !== 0 || s.tokens.length || s.path.length || s.status !== 'running') {
    throw new EventRefused('ALREADY_STARTED', 'The instance has started already.');
  }
  const start = run.def.start;
  if (!start) throw new EventRefused('NO_START_EVENT', `Process "${run.def.process.key}" has no start event.`);
  s.vars = { ...(e.vars ?? {}) };
  record(run, { ev: 'start', node: start.id, ...(e.by ? { by: e.by } : {}) });
  moveTo(run, newToken(run, start.id), start.id);
}

function onDialogSubmitted(run: Run, e: DialogSubmittedEvent): void {
  const node = run.def.nodes.get(e.nodeId);
  if (!node || node.type !== 'userTask') {
    throw new EventRefused('UNKNOWN_NODE', `"${e.nodeId}" is not a user task of this process version.`, { nodeId: e.nodeId });
  }
  const token = run.state.tokens.find((t) => t.nodeId === e.nodeId && t.wait === 'dialog' && (!e.tokenId || t.id === e.tokenId));
  if (!token) {
    throw new EventRefused('STALE_EVENT', `The task "${e.nodeId}" is not open; it was completed already or not reached yet.`, { nodeId: e.nodeId });
  }
  if (e.interface && !dialogInterfaces(node).includes(e.interface)) {
    throw new EventRefused('INTERFACE_NOT_ALLOWED', `The dialog of "${e.nodeId}" is not offered in the ${e.interface} interface.`, { nodeId: e.nodeId });
  }
  record(run, { ev: 'submit', node: node.id, tok: token.id, by: e.by });
  leave(run, token, 'submitted', e.by);
}

function onScriptFinished(run: Run, e: ScriptFinishedEvent): void {
  const token = takeWaiting(run, e.tokenId, 'script', e.nodeId, e.run);
  record(run, { ev: 'script', node: token.nodeId, tok: token.id, why: e.durationMs !== undefined ? `finished in ${e.durationMs} ms` : 'finished' });
  if (applyPatch(run, token, e.result, 'script')) leave(run, token);
}

function onScriptFailed(run: Run, e: ScriptFailedEvent): void {
  const token = takeWaiting(run, e.tokenId, 'script', e.nodeId, e.run);
  const where = e.line !== undefined ? ` (line ${e.line})` : '';
  record(run, { ev: 'script', node: token.nodeId, tok: token.id, code: e.errorCode ?? 'SCRIPT_ERROR', why: `${e.message}${where}` });
  const catcher = e.errorCode ? boundaryFor(run, token.nodeId, e.errorCode) : undefined;
  if (catcher) {
    catchBy(run, token, catcher, e.errorCode!);
    return;
  }
  const details: Record<string, JsonValue> = { kind: e.kind ?? 'script' };
  if (e.line !== undefined) details.line = e.line;
  if (e.errorCode) details.errorCode = e.errorCode;
  raise(run, token, 'SCRIPT_ERROR', `Script task "${token.nodeId}" failed: ${e.message}${where}.`, 'enter', details);
}

function onTicketChanged(run: Run, e: TicketChangedEvent): void {
  for (const token of [...run.state.tokens]) {
    const node = run.def.nodes.get(token.nodeId);
    if (!node) continue;
    const stuck = token.status === 'incident' && token.incident?.phase === 'leave';
    const activity = token.wait === 'dialog' && node.type === 'userTask' && isActivity(run, node.id);
    if (!stuck && !activity) continue;
    const c = choose(run, token, node.type === 'exclusiveGateway' ? node.default : undefined);
    if (c.kind === 'take') take(run, token, c.transition, c.why, 'ticketChanged', e.by);
    else if (c.kind === 'error' && token.incident?.message !== c.message) raise(run, token, c.code, c.message, 'leave', { transition: c.transition });
  }
}

/** An OTOBO-style activity: a user task whose every way out has a condition. */
function isActivity(run: Run, nodeId: string): boolean {
  const out = run.def.outgoing.get(nodeId) ?? [];
  return out.length > 0 && out.every((t) => t.condition !== undefined);
}

function onCancel(run: Run, e: CancelEvent): void {
  for (const token of run.state.tokens) {
    const node = run.def.nodes.get(token.nodeId);
    if (node) BEHAVIOURS[node.type].exit?.(run, token, node as never, 'cancelled', e.by);
    resolveIncident(run, token, 'cancel', e.by);
  }
  run.state.tokens = [];
  run.state.status = 'cancelled';
  record(run, { ev: 'cancel', ...(e.by ? { by: e.by } : {}), ...(e.reason ? { why: e.reason } : {}) });
}

function onRetry(run: Run, e: RetryEvent): void {
  const token = tokenById(run, e.tokenId);
  const incident = token.incident;
  if (!incident) throw new EventRefused('NOT_IN_INCIDENT', `Token "${e.tokenId}" has no incident to retry.`, { tokenId: e.tokenId });
  if (e.vars) run.state.vars = { ...run.state.vars, ...e.vars };
  record(run, { ev: 'retry', node: token.nodeId, tok: token.id, code: incident.code, ...(e.by ? { by: e.by } : {}) });
  resolveIncident(run, token, 'retry', e.by);
  retryFrom(run, token, incident, e.by);
}

function retryFrom(run: Run, token: Token, incident: Incident, by?: string): void {
  const node = run.def.nodes.get(token.nodeId);
  if (incident.phase === 'enter' || !node) {
    if (node?.type === 'userTask') BEHAVIOURS.userTask.exit?.(run, token, node as never, 'retried', by);
    reenter(run, token);
    return;
  }
  token.status = 'active';
  leave(run, token, 'retried', by, node.type === 'exclusiveGateway' ? node.default : undefined);
}

function onSkip(run: Run, e: SkipEvent): void {
  const token = tokenById(run, e.tokenId);
  const target = run.def.nodes.get(e.toNodeId);
  if (!target || target.type === 'startEvent' || target.type === 'boundaryTimer' || target.type === 'boundaryError') {
    throw new EventRefused('UNKNOWN_NODE', `"${e.toNodeId}" is not a node a token can be moved to.`, { nodeId: e.toNodeId });
  }
  const node = run.def.nodes.get(token.nodeId);
  if (node) BEHAVIOURS[node.type].exit?.(run, token, node as never, 'skipped', e.by);
  resolveIncident(run, token, 'skip', e.by);
  record(run, { ev: 'skip', node: token.nodeId, tok: token.id, why: `to ${target.id}`, ...(e.by ? { by: e.by } : {}) });
  moveTo(run, token, target.id);
}

/**
 * Marks a token as stuck after the server rolled a step back (an action failed: unknown queue, say).
 * The token stays where it was before the step (a user task's dialog stays open); phase `enter`
 * makes a retry run the node again.
 *
 * @example
 * // the transaction of a dialog submit failed in TicketQueueSet; after the rollback:
 * const r = raiseIncident(process, oldState, { tokenId: 'k1', code: 'ACTION_FAILED', message: 'Queue "HR::Booked" does not exist.' }, ctx);
 */
export function raiseIncident(
  definition: Process,
  state: InstanceState,
  incident: { tokenId: string; code: string; message: string; phase?: Incident['phase']; details?: JsonValue },
  context: StepContext,
): StepResult {
  const run = openRun(definition, state, undefined, context);
  const token = tokenById(run, incident.tokenId);
  raise(run, token, incident.code, incident.message, incident.phase ?? 'enter', incident.details);
  return closeRun(run);
}
