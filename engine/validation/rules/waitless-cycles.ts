/**
 * A cycle of transitions that passes no waiting node (user task, script or service task, timer, call
 * activity) is only gateways: a token that goes round it never waits, so the engine chains it within
 * one step until its loop limit stops it with a `LOOP_LIMIT` incident. A warning, not an error: a
 * transition action may change what the conditions see, so such a cycle can end. One warning per
 * cycle (strongly connected part of the graph), on its first node in document order. Linear
 * (Tarjan's algorithm, without recursion).
 */
import { pointer, problem, type Problem } from '../problem';
import type { Rule } from '../rule';

/** Node types a token passes within a step; the others wait (user, script and service tasks, timers, call activities) or are unknown and left alone. */
const PASSING = new Set(['startEvent', 'endEvent', 'exclusiveGateway', 'parallelGateway']);

/** The strongly connected parts of the graph over `ids`, each in discovery order. */
function components(ids: string[], next: (id: string) => string[]): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let counter = 0;
  for (const root of ids) {
    if (index.has(root)) continue;
    const work: Array<{ id: string; succ: string[]; i: number }> = [];
    const open = (id: string) => {
      index.set(id, counter);
      low.set(id, counter);
      counter += 1;
      stack.push(id);
      onStack.add(id);
      work.push({ id, succ: next(id), i: 0 });
    };
    open(root);
    while (work.length) {
      const top = work[work.length - 1]!;
      if (top.i < top.succ.length) {
        const w = top.succ[top.i++]!;
        if (!index.has(w)) open(w);
        else if (onStack.has(w)) low.set(top.id, Math.min(low.get(top.id)!, index.get(w)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(top.id)!));
      if (low.get(top.id) === index.get(top.id)) {
        const part: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          part.push(w);
        } while (w !== top.id);
        out.push(part.reverse());
      }
    }
  }
  return out;
}

export const waitlessCycles: Rule = ({ doc, graph }) => {
  const passing = graph.nodeList.filter((n) => PASSING.has(n.node.type)).map((n) => n.node.id);
  const isPassing = new Set(passing);
  const next = (id: string) => (graph.outgoing.get(id) ?? []).map((t) => t.t.to).filter((to) => isPassing.has(to));
  const out: Problem[] = [];
  const cycles = components(passing, next).filter((part) => part.length > 1 || next(part[0]!).includes(part[0]!));
  const order = (id: string) => graph.nodes.get(id)!.index;
  for (const part of cycles.sort((a, b) => Math.min(...a.map(order)) - Math.min(...b.map(order)))) {
    const first = part.reduce((a, b) => (order(a) <= order(b) ? a : b));
    // The way round, from the first node, following transitions inside the cycle.
    const inside = new Set(part);
    const round = [first];
    for (let at = first; round.length <= 6;) {
      const to = next(at).find((n) => inside.has(n) && (n === first || !round.includes(n)));
      if (!to) break;
      round.push(to);
      if (to === first) break;
      at = to;
    }
    const shown = round.map((id) => `"${id}"`).join(' → ') + (round[round.length - 1] === first && round.length > 1 ? '' : ' → …');
    out.push(problem(doc, 'warning', 'LOOP_WITHOUT_WAIT', pointer('nodes', order(first)),
      `The transitions ${shown} form a cycle that passes no user task, timer or other waiting node: a token that goes round it never waits, and the engine stops it with a LOOP_LIMIT incident. Put a waiting node on the cycle, or make sure a condition leads out of it.`));
  }
  return out;
};
