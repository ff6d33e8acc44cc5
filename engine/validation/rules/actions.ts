/** Actions kept from an import as unsupported are reported (their own schemas are checked in layer 1). */
import { problem, type Problem } from '../problem';
import type { Rule } from '../rule';
import { eachAction } from '../walk';

export const unsupportedActions: Rule = ({ doc }) => {
  const out: Problem[] = [];
  eachAction(doc, (action, path) => {
    if (action.type !== 'Unsupported') return;
    const module = typeof action.module === 'string' ? action.module : 'unknown module';
    out.push(problem(doc, 'error', 'UNSUPPORTED_ACTION', path,
      `The imported action ${JSON.stringify(action.name ?? module)} (${module}) could not be converted${typeof action.reason === 'string' ? `: ${action.reason}` : ''}; replace it with a supported action or remove it.`));
  });
  return out;
};
