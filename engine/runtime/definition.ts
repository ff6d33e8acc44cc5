/**
 * A deployed process indexed for running: nodes by id, outgoing transitions in evaluation order
 * (`order`, then document order), incoming transitions (for joins) and boundary events by task.
 * Built once per definition object and memoised in a WeakMap: definitions are immutable values.
 */
import type { BoundaryError, BoundaryTimer, ProcessNode, Process, Transition } from '../model/types';

export interface RunnableProcess {
  process: Process;
  nodes: Map<string, ProcessNode>;
  /** Outgoing transitions by node, in evaluation order. */
  outgoing: Map<string, Transition[]>;
  incoming: Map<string, Transition[]>;
  transitions: Map<string, Transition>;
  boundaries: Map<string, Array<BoundaryTimer | BoundaryError>>;
  start?: ProcessNode;
}

const cache = new WeakMap<Process, RunnableProcess>();

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * The runnable index of a process (memoised per object).
 *
 * @example
 * runnable(process).outgoing.get('approve')?.map((t) => t.id); // ['toYes', 'toNo'] in evaluation order
 */
export function runnable(process: Process): RunnableProcess {
  const hit = cache.get(process);
  if (hit) return hit;
  const r: RunnableProcess = {
    process, nodes: new Map(), outgoing: new Map(), incoming: new Map(), transitions: new Map(), boundaries: new Map(),
  };
  for (const n of process.nodes) {
    if (!r.nodes.has(n.id)) r.nodes.set(n.id, n);
    if (n.type === 'startEvent' && !r.start) r.start = n;
    if (n.type === 'boundaryTimer' || n.type === 'boundaryError') push(r.boundaries, n.attachedTo, n);
  }
  process.transitions.forEach((t) => {
    r.transitions.set(t.id, t);
    push(r.outgoing, t.from, t);
    push(r.incoming, t.to, t);
  });
  const index = new Map(process.transitions.map((t, i) => [t, i]));
  const rank = (t: Transition) => t.order ?? Number.MAX_SAFE_INTEGER;
  for (const list of r.outgoing.values()) list.sort((a, b) => rank(a) - rank(b) || index.get(a)! - index.get(b)!);
  cache.set(process, r);
  return r;
}
