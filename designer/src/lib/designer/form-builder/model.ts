/**
 * The form builder's model: the fields a dialog may add (ticket fields, the catalogue's dynamic
 * fields), list edits (add, remove, move, change one field or rule), the choices text of a new
 * dynamic field, and the preview — the dialog as the agent UI and the portal render it (the same
 * DialogForm, with the same field rules).
 */
import { DIALOG_TICKET_FIELDS, type Dialog, type DialogField, type FieldRule, type Interface } from '$lib/engine';
import type { DialogFieldView, DialogView } from '$lib/agent/process/api';
import type { Catalog } from '$lib/bpmn/modeler';

const DF = 'DynamicField_';

/** The input kind of a ticket field in a form (as the server's dialog view gives it). */
const TICKET_TYPES: Record<string, string> = {
  Title: 'text', Queue: 'queue', State: 'state', Priority: 'priority', Type: 'type', Service: 'service', SLA: 'sla',
  Owner: 'agent', Responsible: 'agent', CustomerUser: 'customerUser', CustomerID: 'text', PendingTime: 'datetime', Article: 'article', Lock: 'text',
};

/** Fields not yet in the dialog: ticket fields, then dynamic fields (`DynamicField_<Name>`). */
export function addableFields(dialog: Dialog, catalog: Catalog): { ticket: string[]; dynamic: string[] } {
  const used = new Set(dialog.fields.map((f) => f.field));
  return {
    ticket: DIALOG_TICKET_FIELDS.filter((f) => !used.has(f)),
    dynamic: catalog.dynamicFields.map((n) => `${DF}${n}`).filter((f) => !used.has(f)),
  };
}

/** The dialog with `field` appended (shown). */
export const withField = (d: Dialog, field: string): Dialog => ({ ...d, fields: [...d.fields, { field, display: 'shown' }] });

/** The dialog without field `i`, and without the rules that test it or act only on it. */
export function withoutField(d: Dialog, i: number): Dialog {
  const name = d.fields[i]?.field;
  const rules = (d.rules ?? [])
    .filter((r) => r.when.field !== name)
    .map((r) => ({ ...r, fields: r.fields.filter((f) => f !== name) }))
    .filter((r) => r.fields.length);
  return withRules({ ...d, fields: d.fields.filter((_, j) => j !== i) }, rules);
}

/**
 * The dialog with field `from` moved to position `to` (drag and drop; ↑ / ↓ are ±1).
 *
 * @example
 * movedField(d, 0, 2).fields.map((f) => f.field); // ['B', 'C', 'A']
 */
export function movedField(d: Dialog, from: number, to: number): Dialog {
  if (from === to || from < 0 || to < 0 || from >= d.fields.length || to >= d.fields.length) return d;
  const fields = [...d.fields];
  const [f] = fields.splice(from, 1);
  fields.splice(to, 0, f!);
  return { ...d, fields };
}

/** The dialog with field `i` changed (empty texts removed). */
export function withFieldChange(d: Dialog, i: number, change: Partial<DialogField>): Dialog {
  return {
    ...d,
    fields: d.fields.map((f, j) => {
      if (j !== i) return f;
      const next = { ...f, ...change } as Record<string, unknown>;
      for (const k of ['label', 'description', 'default']) if (next[k] === '' || next[k] === undefined) delete next[k];
      return next as unknown as DialogField;
    }),
  };
}

/** The dialog with `rules` (none: the property goes). */
export function withRules(d: Dialog, rules: FieldRule[]): Dialog {
  const { rules: _old, ...rest } = d;
  return rules.length ? { ...rest, rules } : rest;
}

/** A first rule: when the first field is not empty, show the second. */
export function newRule(d: Dialog): FieldRule | undefined {
  const [a, b] = d.fields.filter((f) => f.display !== 'hidden');
  return a && b ? { when: { field: a.field, op: 'notEmpty' }, then: 'show', fields: [b.field] } : undefined;
}

/**
 * Choices typed one per line (`key` or `key=Label`) as possible values.
 *
 * @example
 * choicesOf('laptop=Laptop\nphone'); // { laptop: 'Laptop', phone: 'phone' }
 */
export function choicesOf(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const [key, ...label] = line.split('=');
    const k = key!.trim();
    if (k) out[k] = label.join('=').trim() || k;
  }
  return out;
}

/** The dialog as the given interface renders it (hidden fields left out; their values kept for the rules). */
export function previewView(d: Dialog, catalog: Catalog, name: string): DialogView {
  const defs = new Map((catalog.dynamicFieldDefs ?? []).map((x) => [x.name, x]));
  const fields: DialogFieldView[] = d.fields.filter((f) => f.display !== 'hidden').map((f) => {
    const def = f.field.startsWith(DF) ? defs.get(f.field.slice(DF.length)) : undefined;
    return {
      field: f.field,
      label: f.label || def?.label || f.field,
      type: def?.fieldType ?? TICKET_TYPES[f.field] ?? 'text',
      display: f.display === 'mandatory' ? 'mandatory' : 'shown',
      mandatory: f.display === 'mandatory',
      ...(def?.possibleValues ? { allowedValues: Object.entries(def.possibleValues).map(([value, label]) => ({ value, label })) } : {}),
      ...(f.default !== undefined && f.default !== null ? { default: f.default } : {}),
      ...(f.description ? { description: f.description } : {}),
    };
  });
  const hidden = d.fields.filter((f) => f.display === 'hidden' && f.default !== undefined);
  return {
    nodeId: 'preview',
    tokenId: '',
    name: d.name || name,
    ...(d.description ? { description: d.description } : {}),
    ...(d.submitText ? { submitText: d.submitText } : {}),
    requiredLock: false,
    fields,
    ...(d.rules?.length ? { rules: d.rules } : {}),
    ...(hidden.length ? { hiddenValues: Object.fromEntries(hidden.map((f) => [f.field, f.default])) } : {}),
  };
}

/** Whether the dialog is offered in `iface`. */
export const offeredIn = (d: Dialog, iface: Interface): boolean => d.interfaces.includes(iface);
