/**
 * Moving tokens: the agenda loop that chains automatic steps within one event, the choice of the way
 * out of a node (transitions in evaluation order, the first that holds wins) and taking a transition
 * (close the node, log why, resolve and emit its actions, predict their effect on the ticket, enter
 * the next node).
 */
import type { Transition } from '../model/types';
import { evaluateCondition } from './conditions';
import type { CloseReason } from './effects';
import { BEHAVIOURS } from './nodes/index';
import { overlayAction, resolveAction, templateContext } from './resolve';
import { DEFAULT_MAX_CHAIN, DEFAULT_MAX_VISITS, emit, raise, record, resolveIncident, type Run } from './run';
import type { Token } from './state';

/** The outcome of choosing a way out of a node. */
export type Choice =
  | { kind: 'take'; transition: Transition; why: string }
  | { kind: 'none'; tried: Array<{ transition: string; name?: string; why: string }> }
  | { kind: 'error'; transition: string; code: string; message: string };

/**
 * Puts a token on a node and schedules it to be entered.
 *
 * @example
 * moveTo(run, token, 'approve', 't1'); drain(run);
 */
export function moveTo(run: Run, token: Token, nodeId: string, via?: string): void {
  token.nodeId = nodeId;
  token.since = run.now;
  token.status = 'active';
  if (via) token.via = via;
  else delete token.via;
  delete token.wait;
  delete token.run;
  run.agenda.push(token);
}

/**
 * Schedules a token to enter its current node again (a retry).
 *
 * @example
 * reenter(run, token); drain(run); // a script task emits a new runScript
 */
export function reenter(run: Run, token: Token): void {
  token.status = 'active';
  delete token.wait;
  delete token.run;
  run.agenda.push(token);
}

/**
 * Enters nodes until every token waits, ends or is stuck: the automatic chain of one event. A
 * token that enters the same node more than `maxVisits` times, or a chain of more than `maxChain`
 * nodes, is stopped with a `LOOP_LIMIT` incident.
 *
 * @example
 * moveTo(run, token, 'check'); drain(run); // runs gateways, emits runScript / openUserTask, ...
 */
export function drain(run: Run): void {
  const max = run.ctx.maxChain ?? DEFAULT_MAX_CHAIN;
  const maxVisits = run.ctx.maxVisits ?? DEFAULT_MAX_VISITS;
  while (run.agenda.length) {
    const token = run.agenda.shift()!;
    if (token.status !== 'active' || !run.state.tokens.includes(token)) continue;
    const node = run.def.nodes.get(token.nodeId);
    if (!node) {
      raise(run, token, 'UNKNOWN_NODE', `The token is on "${token.nodeId}", which is not a node of this process version.`, 'enter');
      continue;
    }
    if (++run.entered > max) {
      raise(run, token, 'LOOP_LIMIT', `More than ${max} nodes were entered in one step; the process loops without waiting. Stopped at "${node.id}".`, 'enter');
      continue;
    }
    const key = `${token.id} ${node.id}`;
    const visits = (run.visits.get(key) ?? 0) + 1;
    run.visits.set(key, visits);
    if (visits > maxVisits) {
      raise(run, token, 'LOOP_LIMIT', `The token entered "${node.id}" more than ${maxVisits} times in one step; the process loops without waiting (a cycle with no user task, timer or other waiting node).`, 'enter');
      continue;
    }
    record(run, { ev: 'enter', node: node.id, tok: token.id });
    BEHAVIOURS[node.type].enter(run, token, node as never);
  }
}

/**
 * Chooses the way out of a token's node: outgoing transitions in evaluation order (`order`, then
 * document order), the first whose condition holds (no condition holds always); `defaultId` is tried
 * last, without its condition.
 *
 * @example
 * const c = choose(run, token);
 * if (c.kind === 'take') take(run, token, c.transition, c.why);
 */
export function choose(run: Run, token: Token, defaultId?: string): Choice {
  const out = run.def.outgoing.get(token.nodeId) ?? [];
  const input = { snapshot: run.snapshot, vars: run.state.vars, evaluateExpression: run.evaluate };
  const tried: Array<{ transition: string; name?: string; why: string }> = [];
  let fallback: Transition | undefined;
  for (const t of out) {
    if (t.id === defaultId) {
      fallback = t;
      continue;
    }
    const r = evaluateCondition(t.condition, input);
    if (!r.ok) return { kind: 'error', transition: t.id, code: 'CONDITION_ERROR', message: `The condition of transition "${t.id}" cannot be evaluated: ${r.message}.` };
    if (r.holds) return { kind: 'take', transition: t, why: r.why };
    tried.push(t.name ? { transition: t.id, name: t.name, why: r.why } : { transition: t.id, why: r.why });
  }
  if (fallback) return { kind: 'take', transition: fallback, why: tried.length ? 'default (no condition held)' : 'default' };
  return { kind: 'none', tried };
}

/**
 * Leaves a token's node by the first transition that holds; otherwise raises an incident
 * (`NO_TRANSITION` or `CONDITION_ERROR`, phase `leave`: a retry or a ticket change tries again).
 * Returns whether the token moved.
 *
 * @example
 * leave(run, token, 'submitted', 'alice');
 */
export function leave(run: Run, token: Token, reason: CloseReason = 'submitted', by?: string, defaultId?: string): boolean {
  const c = choose(run, token, defaultId);
  if (c.kind === 'take') return take(run, token, c.transition, c.why, reason, by);
  if (c.kind === 'error') {
    raise(run, token, c.code, c.message, 'leave', { transition: c.transition });
    return false;
  }
  const out = run.def.outgoing.get(token.nodeId) ?? [];
  const message = out.length
    ? `No transition out of "${token.nodeId}" holds (${c.tried.map((t) => `${t.name ? `"${t.name}"` : t.transition}: ${t.why}`).join('; ')})${defaultId === undefined && run.def.nodes.get(token.nodeId)?.type === 'exclusiveGateway' ? ' and the gateway has no default' : ''}.`
    : `"${token.nodeId}" has no outgoing transition.`;
  raise(run, token, 'NO_TRANSITION', message, 'leave', { tried: c.tried });
  return false;
}

/**
 * Takes a transition: closes the node, logs why, emits its actions (templates resolved against the
 * working ticket, which is then updated as the actions will leave it) and moves the token on.
 * Returns false (with an incident) when an action cannot run.
 *
 * @example
 * take(run, token, transition, 'DynamicField_Approved eq "yes"');
 */
export function take(run: Run, token: Token, t: Transition, why: string, reason: CloseReason = 'submitted', by?: string): boolean {
  const unsupported = t.actions?.find((a) => a.type === 'Unsupported');
  if (unsupported) {
    raise(run, token, 'ACTION_UNSUPPORTED', `Transition "${t.id}" has an action that was imported as unsupported (${unsupported.name ?? 'unnamed'}); replace it before this path can run.`, 'leave');
    return false;
  }
  const from = run.def.nodes.get(token.nodeId);
  if (from) BEHAVIOURS[from.type].exit?.(run, token, from as never, reason, by);
  resolveIncident(run, token, reason, by);
  record(run, { ev: 'leave', node: token.nodeId, tok: token.id, tr: t.id, why });
  if (t.actions?.length) {
    // In order, each against the ticket as the actions before it leave it (OTOBO runs them one by one).
    const actions = t.actions.map((a) => {
      const resolved = resolveAction(a, templateContext(run.snapshot, run.state.vars, run.def.process));
      overlayAction(run.snapshot, resolved, run.now);
      return resolved;
    });
    emit(run, { type: 'applyActions', token: token.id, nodeId: token.nodeId, transition: t.id, source: 'transition', actions });
  }
  moveTo(run, token, t.to, t.id);
  return true;
}
