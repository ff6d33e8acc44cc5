/**
 * The field rules of a dialog, evaluated: which fields are visible and which mandatory for the values
 * a form has now. One module for every place that needs the answer: the agent UI and the portal
 * (DialogForm, live as the user types), the designer's preview, and the server's check of a
 * submission (which refuses a missing field a rule requires and never demands a hidden one).
 *
 * Semantics: a field whose display is `hidden` is never visible (its default is written); a `show`
 * rule makes its fields visible only while it holds; a `hide` rule hides them while it holds; a
 * `require` rule makes them mandatory while it holds (as `display: mandatory` always does). A field
 * that is not visible is not mandatory, and its value counts as empty for the other rules, so rules
 * may chain (A shows B, B shows C: C goes when A changes). Comparisons are those of transition
 * conditions (`eq`, `in`, `empty`, ...); one that cannot be evaluated (a bad regular expression)
 * does not hold.
 */
import type { Dialog } from '../model/dialog';
import type { JsonValue } from '../model/types';
import { comparisonHolds } from './conditions';

export interface FieldState {
  visible: boolean;
  required: boolean;
}

const isEmpty = (v: unknown): boolean => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/**
 * The state of every field of `dialog` for the form's `values` (field name → value; an Article
 * value `{ body }` counts by its body).
 *
 * @example
 * fieldStates({ interfaces: ['customer'], fields: [{ field: 'DynamicField_Kind', display: 'shown' }, { field: 'DynamicField_Model', display: 'shown' }],
 *   rules: [{ when: { field: 'DynamicField_Kind', op: 'eq', value: 'laptop' }, then: 'show', fields: ['DynamicField_Model'] }] },
 *   { DynamicField_Kind: 'phone' });
 * // { DynamicField_Kind: { visible: true, required: false }, DynamicField_Model: { visible: false, required: false } }
 */
export function fieldStates(dialog: Pick<Dialog, 'fields' | 'rules'>, values: Record<string, unknown>): Record<string, FieldState> {
  const rules = dialog.rules ?? [];
  let hidden = new Set<string>();
  let states: Record<string, FieldState> = {};
  // Chained rules settle in at most one pass per field; a cycle of rules stops there.
  for (let pass = 0; pass <= dialog.fields.length; pass++) {
    const valueOf = (field: string): JsonValue => {
      if (hidden.has(field)) return null;
      const f = dialog.fields.find((x) => x.field === field);
      const v = f?.display === 'hidden' ? f.default : values[field];
      if (v && typeof v === 'object' && !Array.isArray(v)) return typeof (v as { body?: unknown }).body === 'string' ? (v as { body: string }).body : null;
      return isEmpty(v) ? null : (v as JsonValue);
    };
    const holds = rules.map((r) => {
      try {
        return comparisonHolds(r.when, valueOf(r.when.field));
      } catch {
        return false;
      }
    });
    const next: Record<string, FieldState> = {};
    for (const f of dialog.fields) {
      let visible = f.display !== 'hidden';
      let required = f.display === 'mandatory';
      rules.forEach((r, i) => {
        if (!r.fields.includes(f.field)) return;
        if (r.then === 'show' && !holds[i]) visible = false;
        if (r.then === 'hide' && holds[i]) visible = false;
        if (r.then === 'require' && holds[i]) required = true;
      });
      next[f.field] = { visible, required: visible && required };
    }
    const nextHidden = new Set(dialog.fields.filter((f) => f.display !== 'hidden' && !next[f.field]!.visible).map((f) => f.field));
    states = next;
    if (nextHidden.size === hidden.size && [...nextHidden].every((x) => hidden.has(x))) break;
    hidden = nextHidden;
  }
  return states;
}

/** Whether a value counts as not filled in (no value, empty text, an empty list). */
export const isEmptyValue = isEmpty;
