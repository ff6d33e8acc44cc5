/**
 * What a customer sees of the process of their ticket: its name, whether it is running or done,
 * the steps so far (done / current) and the dialogs they may answer. Only named nodes shown to the
 * customer are steps (`shownToCustomer`: the admin's "show to customer" switch, off by default for
 * automatic steps: scripts, services, gateways, boundary events); a node without a name stays
 * invisible, so internal ids never reach the portal. Incidents, who did what
 * and why a transition was taken are left out.
 */
import { localized } from '../i18n/request';
import { shownToCustomer, type Process } from '../../engine/model/types';
import type { InstanceState } from '../../engine/runtime/index';
import type { DialogView } from './dialogs';

export interface CustomerStep {
  label: string;
  state: 'done' | 'current';
}

export interface CustomerProcessView {
  view: 'customer';
  instanceId: number;
  ticketId: number;
  processName: string;
  status: 'running' | 'completed' | 'cancelled';
  createdAt: string;
  completedAt: string | null;
  steps: CustomerStep[];
  dialogs: DialogView[];
}

/** The labelled steps of `state.path` in the order they were reached (a repeat right after itself counts once). */
export function customerSteps(def: Process, state: InstanceState): CustomerStep[] {
  const nodes = new Map(def.nodes.map((n) => [n.id, n]));
  const label = (id: string | undefined) => {
    const node = id === undefined ? undefined : nodes.get(id);
    const name = node ? localized(node, 'name')?.trim() : undefined;
    return node && name && shownToCustomer(node) ? name : undefined;
  };
  const open = new Set(state.status === 'completed' || state.status === 'cancelled' ? [] : state.tokens.map((t) => t.nodeId));
  const visits: Array<{ node: string; label: string }> = [];
  for (const e of state.path) {
    if (e.ev !== 'enter' && e.ev !== 'start') continue;
    const l = label(e.node);
    if (l === undefined || visits.at(-1)?.node === e.node) continue;
    visits.push({ node: e.node!, label: l });
  }
  // The last visit of a node a token waits at is the current step; everything else is done.
  const current = new Set<number>();
  for (const node of open) {
    for (let i = visits.length - 1; i >= 0; i--) {
      if (visits[i]!.node === node) {
        current.add(i);
        break;
      }
    }
  }
  return visits.map((v, i) => ({ label: v.label, state: current.has(i) ? 'current' : 'done' }));
}

export const customerStatus = (status: string): CustomerProcessView['status'] => (status === 'completed' || status === 'cancelled' ? status : 'running');
