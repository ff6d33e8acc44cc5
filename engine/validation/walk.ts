/**
 * Walkers over the parts of a (possibly malformed) process document that several rules inspect:
 * dialogs, conditions, actions and every text value. Each visit gets the JSON pointer of the part.
 */
import { pointer } from './problem';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function list(doc: unknown, key: 'nodes' | 'transitions'): unknown[] {
  return isRecord(doc) && Array.isArray(doc[key]) ? (doc[key] as unknown[]) : [];
}

/**
 * Every dialog: the start dialog and each user task's dialog and alternative dialogs.
 *
 * @example
 * eachDialog(doc, (dialog, path) => console.log(path)); // '/start/dialog', '/nodes/2/dialog', ...
 */
export function eachDialog(doc: unknown, visit: (dialog: Record<string, unknown>, path: string) => void): void {
  if (isRecord(doc) && isRecord(doc.start) && isRecord(doc.start.dialog)) visit(doc.start.dialog, '/start/dialog');
  list(doc, 'nodes').forEach((n, i) => {
    if (!isRecord(n) || n.type !== 'userTask') return;
    if (isRecord(n.dialog)) visit(n.dialog, pointer('nodes', i, 'dialog'));
    if (Array.isArray(n.alternativeDialogs)) {
      n.alternativeDialogs.forEach((d, j) => isRecord(d) && visit(d, pointer('nodes', i, 'alternativeDialogs', j)));
    }
  });
}

/**
 * Every transition condition.
 *
 * @example
 * eachCondition(doc, (condition, path) => console.log(path)); // '/transitions/3/condition'
 */
export function eachCondition(doc: unknown, visit: (condition: Record<string, unknown>, path: string) => void): void {
  list(doc, 'transitions').forEach((t, i) => {
    if (isRecord(t) && isRecord(t.condition)) visit(t.condition, pointer('transitions', i, 'condition'));
  });
}

/**
 * Every transition action.
 *
 * @example
 * eachAction(doc, (action, path) => console.log(action.type, path)); // 'TicketQueueSet /transitions/3/actions/0'
 */
export function eachAction(doc: unknown, visit: (action: Record<string, unknown>, path: string) => void): void {
  list(doc, 'transitions').forEach((t, i) => {
    if (!isRecord(t) || !Array.isArray(t.actions)) return;
    t.actions.forEach((a, j) => isRecord(a) && visit(a, pointer('transitions', i, 'actions', j)));
  });
}

/**
 * Every text value below `value` (depth-limited), with its pointer.
 *
 * @example
 * eachString({ a: ['x'] }, '/params', (text, path) => console.log(path)); // '/params/a/0'
 */
export function eachString(value: unknown, path: string, visit: (text: string, path: string) => void, depth = 0): void {
  if (depth > 12) return;
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => eachString(v, `${path}/${i}`, visit, depth + 1));
  else if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) eachString(v, `${path}${pointer(k)}`, visit, depth + 1);
  }
}

/**
 * The places where texts may hold templates: action values, script/service params, call-activity
 * input/output maps, dialog defaults, assignments.
 */
export function eachTemplateText(doc: unknown, visit: (text: string, path: string) => void): void {
  eachAction(doc, (a, path) => {
    if (a.type === 'Unsupported') return;
    for (const [k, v] of Object.entries(a)) if (k !== 'type' && k !== 'name') eachString(v, `${path}${pointer(k)}`, visit);
  });
  list(doc, 'nodes').forEach((n, i) => {
    if (!isRecord(n)) return;
    for (const key of ['params', 'inputs', 'outputs', 'assign'] as const) {
      if (n[key] !== undefined) eachString(n[key], pointer('nodes', i, key), visit);
    }
  });
  eachDialog(doc, (d, path) => {
    if (!Array.isArray(d.fields)) return;
    d.fields.forEach((f, j) => {
      if (isRecord(f) && f.default !== undefined) eachString(f.default, `${path}/fields/${j}/default`, visit);
    });
  });
}
