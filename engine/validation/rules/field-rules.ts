/**
 * Field rules act within their dialog: the field a rule tests and the fields it shows, hides or
 * requires are fields of the same dialog, a rule does not act on the field it tests, and a rule
 * that only requires a field already mandatory is pointless.
 */
import { problem, type Problem } from '../problem';
import type { Rule } from '../rule';
import { eachDialog } from '../walk';

export const fieldRules: Rule = ({ doc }) => {
  const out: Problem[] = [];
  eachDialog(doc, (dialog, path) => {
    if (!Array.isArray(dialog.rules) || !Array.isArray(dialog.fields)) return;
    const fields = new Map<string, Record<string, unknown>>();
    for (const f of dialog.fields) if (f && typeof f === 'object' && typeof (f as { field?: unknown }).field === 'string') fields.set((f as { field: string }).field, f as Record<string, unknown>);
    const names = [...fields.keys()].join(', ') || 'none';
    dialog.rules.forEach((r: unknown, i) => {
      if (!r || typeof r !== 'object') return;
      const rule = r as { when?: { field?: unknown }; then?: unknown; fields?: unknown };
      const p = `${path}/rules/${i}`;
      const tested = typeof rule.when?.field === 'string' ? rule.when.field : undefined;
      if (tested !== undefined && !fields.has(tested)) {
        out.push(problem(doc, 'error', 'FIELD_RULE_UNKNOWN_FIELD', `${p}/when/field`,
          `Field rule ${i + 1} tests "${tested}", which is not a field of this dialog (its fields: ${names}); add the field or test another.`));
      }
      if (!Array.isArray(rule.fields)) return;
      rule.fields.forEach((name: unknown, j) => {
        if (typeof name !== 'string') return;
        if (!fields.has(name)) {
          out.push(problem(doc, 'error', 'FIELD_RULE_UNKNOWN_FIELD', `${p}/fields/${j}`,
            `Field rule ${i + 1} acts on "${name}", which is not a field of this dialog (its fields: ${names}).`));
        } else if (name === tested) {
          out.push(problem(doc, 'error', 'FIELD_RULE_SELF', `${p}/fields/${j}`,
            `Field rule ${i + 1} acts on "${name}", the field it tests; a field cannot show, hide or require itself.`));
        } else if (fields.get(name)!.display === 'hidden') {
          out.push(problem(doc, 'warning', 'FIELD_RULE_HIDDEN_FIELD', `${p}/fields/${j}`,
            `Field rule ${i + 1} acts on "${name}", which is hidden in this dialog and never shown; show it or leave it out of the rule.`));
        }
      });
    });
  });
  return out;
};
