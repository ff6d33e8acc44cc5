/**
 * Checking a scenario's `expect` against what a simulation ended with: one result per expectation,
 * each with what was expected and what happened. Values compare loosely (`5` matches `"5"`); `path`
 * and `actions` match as subsequences.
 */
import { deepEqual } from '../model/json';
import type { JsonValue, Scenario } from '../model/types';
import type { TicketSnapshot } from '../runtime/snapshot';
import { ticketValue } from './ticket';
import type { ExpectationResult, SimulatedActions, SimulatedIncident, SimulationStatus } from './types';

/** What a simulation ended with, as far as expectations look at it. */
export interface Outcome {
  status: SimulationStatus;
  /** The nodes entered, in order. */
  entered: string[];
  endNode?: string;
  vars: Record<string, JsonValue>;
  waitingAt: string[];
  ticket: TicketSnapshot;
  incidents: SimulatedIncident[];
  actions: SimulatedActions[];
}

const loose = (a: unknown, b: unknown) =>
  deepEqual(a, b) || ((typeof a === 'number' || typeof a === 'string') && (typeof b === 'number' || typeof b === 'string') && String(a) === String(b));

function isSubsequence(wanted: string[], actual: string[]): boolean {
  let i = 0;
  for (const a of actual) if (i < wanted.length && a === wanted[i]) i++;
  return i === wanted.length;
}

/**
 * Checks each expectation of `expect` against `got` (none when the scenario expects nothing).
 *
 * @example
 * checkExpectations({ status: 'completed', path: ['approve'] }, { status: 'completed', entered: ['start', 'approve', 'end'], ... });
 * // [{ what: 'status', ok: true, ... }, { what: 'path', ok: true, expected: ['approve'], actual: ['start', 'approve', 'end'] }]
 */
export function checkExpectations(expect: Scenario['expect'], got: Outcome): ExpectationResult[] {
  const x = expect;
  if (!x) return [];
  const out: ExpectationResult[] = [];
  const push = (what: string, ok: boolean, expected: unknown, actual: unknown) =>
    out.push({ what, ok, expected: (expected ?? null) as JsonValue, actual: (actual ?? null) as JsonValue });
  if (x.status !== undefined) push('status', x.status === got.status, x.status, got.status);
  if (x.path) push('path', isSubsequence(x.path, got.entered), x.path, got.entered);
  if (x.notPath) push('notPath', !x.notPath.some((n) => got.entered.includes(n)), x.notPath, x.notPath.filter((n) => got.entered.includes(n)));
  if (x.endNode !== undefined) push('endNode', x.endNode === got.endNode, x.endNode, got.endNode);
  for (const [field, value] of Object.entries(x.ticket ?? {})) {
    const actual = ticketValue(got.ticket, field);
    push(`ticket.${field}`, loose(value, actual ?? null), value, actual);
  }
  for (const [name, value] of Object.entries(x.vars ?? {})) push(`vars.${name}`, loose(value, got.vars[name] ?? null), value, got.vars[name]);
  if (x.incident) {
    const { code, node } = x.incident;
    const hit = got.incidents.find((i) => (code === undefined || i.code === code) && (node === undefined || i.node === node));
    push('incident', !!hit, x.incident, hit ? { code: hit.code, node: hit.node } : got.incidents.map((i) => ({ code: i.code, node: i.node })));
  }
  if (x.actions) {
    const types = got.actions.flatMap((a) => a.actions.map((b) => b.type as string));
    push('actions', isSubsequence(x.actions, types), x.actions, types);
  }
  if (x.waitingAt) {
    const want = [...x.waitingAt].sort();
    const have = [...new Set(got.waitingAt)].sort();
    push('waitingAt', deepEqual(want, have), x.waitingAt, have);
  }
  return out;
}
