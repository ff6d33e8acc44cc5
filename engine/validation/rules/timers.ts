/** Timer expressions parse as ISO-8601 durations, date-times or repeating intervals. */
import { parseCycle, parseDateTime, parseDuration, type Parsed } from '../../model/iso8601';
import { pointer, problem, type Problem } from '../problem';
import type { Rule } from '../rule';

const PARSERS: Record<string, (text: string) => Parsed<unknown>> = { duration: parseDuration, date: parseDateTime, cycle: parseCycle };

export const timers: Rule = ({ doc, graph }) => {
  const out: Problem[] = [];
  for (const { node, index } of graph.nodeList) {
    if (node.type !== 'intermediateTimer' && node.type !== 'boundaryTimer') continue;
    for (const [key, parse] of Object.entries(PARSERS)) {
      const value = node[key];
      if (typeof value !== 'string') continue;
      const r = parse(value);
      if (!r.ok) out.push(problem(doc, 'error', 'TIMER_INVALID', pointer('nodes', index, key), `Timer "${node.id}": ${r.error}`));
    }
  }
  return out;
};
