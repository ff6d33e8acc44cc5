/**
 * Dialog fields name a ticket field or `DynamicField_<Name>`, appear once per dialog, use Article-only
 * options only on Article, and hidden fields carry the default they write.
 */
import { DIALOG_TICKET_FIELDS, parseFieldName } from '../../model/fields';
import { problem, type Problem } from '../problem';
import type { Rule } from '../rule';
import { eachDialog } from '../walk';

const ARTICLE_ONLY = ['visibleForCustomer', 'channel', 'timeUnits'];

export const dialogs: Rule = ({ doc }) => {
  const out: Problem[] = [];
  eachDialog(doc, (dialog, path) => {
    if (!Array.isArray(dialog.fields)) return;
    const seen = new Set<string>();
    dialog.fields.forEach((f: unknown, i) => {
      if (typeof f !== 'object' || f === null || typeof (f as { field?: unknown }).field !== 'string') return;
      const field = f as Record<string, unknown> & { field: string };
      const p = `${path}/fields/${i}`;
      const ref = parseFieldName(field.field, DIALOG_TICKET_FIELDS);
      if (ref.kind === 'unknown' || ref.kind === 'variable') {
        out.push(problem(doc, 'error', 'DIALOG_FIELD_UNKNOWN', `${p}/field`,
          `Dialog field "${field.field}" is not a ticket field or dynamic field; use one of ${DIALOG_TICKET_FIELDS.join(', ')}, or DynamicField_<Name>.`));
      }
      if (seen.has(field.field)) {
        out.push(problem(doc, 'error', 'DIALOG_FIELD_DUPLICATE', `${p}/field`, `Dialog field "${field.field}" appears twice in the same dialog; remove one.`));
      }
      seen.add(field.field);
      if (field.field !== 'Article') {
        for (const opt of ARTICLE_ONLY.filter((o) => field[o] !== undefined)) {
          out.push(problem(doc, 'warning', 'DIALOG_OPTION_NOT_APPLICABLE', `${p}/${opt}`,
            `"${opt}" only applies to the Article field, not to "${field.field}"; remove it.`));
        }
      }
      if (field.display === 'hidden' && field.default === undefined && field.field !== 'Article') {
        out.push(problem(doc, 'warning', 'DIALOG_HIDDEN_WITHOUT_DEFAULT', p,
          `Dialog field "${field.field}" is hidden but has no default, so it does nothing; give it a default or show it.`));
      }
    });
  });
  return out;
};
