/**
 * Timer expressions parse as ISO-8601 durations, date-times or repeating intervals; a `calendar`
 * (working time) goes with a `duration` of days, hours, minutes and seconds.
 */
import { durationMs, parseCycle, parseDateTime, parseDuration, type Parsed } from '../../model/iso8601';
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
    const calendar = node.calendar;
    if (calendar === undefined) continue;
    const at = pointer('nodes', index, 'calendar');
    if (typeof calendar !== 'string' || !calendar.trim()) {
      out.push(problem(doc, 'error', 'TIMER_INVALID', at, `Timer "${node.id}": "calendar" is the name of a business calendar, e.g. "Support hours".`));
    } else if (typeof node.duration !== 'string') {
      out.push(problem(doc, 'error', 'TIMER_INVALID', at, `Timer "${node.id}": "calendar" counts a "duration" in working time; it does not go with "date" or "cycle".`));
    } else {
      const d = parseDuration(node.duration);
      if (d.ok && durationMs(d.value) === undefined) {
        out.push(problem(doc, 'error', 'TIMER_INVALID', pointer('nodes', index, 'duration'), `Timer "${node.id}": a duration in working time ("calendar") cannot have years or months; write hours or minutes (PT8H; a day, P1D, counts 24 working hours).`));
      }
    }
  }
  return out;
};
