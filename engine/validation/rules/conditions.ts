/**
 * Conditions test known fields (ticket fields, `DynamicField_<Name>`, `vars.<name>`), their regular
 * expressions compile, and conditions kept from an import as unsupported are reported.
 */
import { eachComparison } from '../../model/conditions';
import { parseFieldName } from '../../model/fields';
import { displayName, problem, type Problem } from '../problem';
import type { Rule } from '../rule';
import { eachCondition } from '../walk';

export const conditions: Rule = ({ doc }) => {
  const out: Problem[] = [];
  eachCondition(doc, (condition, path) => {
    const unsupported = condition.unsupported as { module?: string; reason?: string } | undefined;
    if (unsupported && typeof unsupported === 'object') {
      const message = unsupported.module
        ? `${where(doc, path)} runs the OTOBO module "${unsupported.module}", which cannot run here; replace it with a structured condition or an expression.`
        : `${where(doc, path)} could not be imported${unsupported.reason ? ` (${unsupported.reason})` : ''}; replace it with a structured condition or an expression.`;
      out.push(problem(doc, 'error', 'UNSUPPORTED_CONDITION', path, message));
      return;
    }
    eachComparison(condition, path, (c, p) => {
      const ref = parseFieldName(c.field);
      if (ref.kind === 'unknown') {
        out.push(problem(doc, 'error', 'UNKNOWN_FIELD', `${p}/field`,
          `${where(doc, path)} tests "${c.field}", which is not a field: ${ref.reason}; dynamic fields are written DynamicField_<Name>, variables vars.<name>.`));
      }
      if (c.op === 'regex' && typeof c.value === 'string') {
        try {
          new RegExp(c.value);
        } catch (e) {
          out.push(problem(doc, 'error', 'REGEX_INVALID', `${p}/value`,
            `${where(doc, path)} has the regular expression ${JSON.stringify(c.value)}, which does not compile: ${(e as Error).message}.`));
        }
      }
    });
  });
  return out;
};

function where(doc: unknown, path: string): string {
  const index = Number(path.split('/')[2]);
  const t = (doc as { transitions: Array<{ id?: unknown }> }).transitions[index];
  return typeof t?.id === 'string' ? `The condition of transition ${displayName(t)}` : `The condition of transition ${index + 1}`;
}
