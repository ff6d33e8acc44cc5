/**
 * Saved test scenarios (`tests`) fit the process: unique names, dialogs on user tasks, canned
 * results on script tasks and call activities that exist, parseable clock texts. Warnings: a
 * wrong test does not stop a deploy, but the designer shows it where it is.
 */
import { isRecord } from '../../model/json';
import { scenarioProblems } from '../../model/scenario';
import { problem, type Problem } from '../problem';
import type { Rule } from '../rule';

export const tests: Rule = ({ doc }) => {
  const out: Problem[] = [];
  if (!isRecord(doc) || !Array.isArray(doc.tests)) return out;
  const seen = new Set<string>();
  doc.tests.forEach((t, i) => {
    if (!isRecord(t)) return;
    const name = typeof t.name === 'string' ? t.name : `#${i + 1}`;
    if (typeof t.name === 'string') {
      if (seen.has(t.name)) out.push(problem(doc, 'warning', 'DUPLICATE_TEST', `/tests/${i}/name`, `Two tests are named "${t.name}"; the API and the CLI pick tests by name.`));
      seen.add(t.name);
    }
    for (const p of scenarioProblems(doc, t)) out.push(problem(doc, 'warning', p.code, `/tests/${i}${p.path}`, `Test "${name}": ${p.message}`));
  });
  return out;
};
