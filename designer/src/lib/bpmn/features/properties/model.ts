/**
 * Reading and writing the `hd:` extension exactly as engine/bpmn/to-bpmn.ts writes it and
 * from-bpmn.ts reads it: dialogs, params and actions as JSON bodies of `hd:Dialog`, `hd:Params`,
 * `hd:Actions`; assignment as `hd:Assign` attributes; conditions as a FormalExpression whose
 * language is HD_CONDITION_LANGUAGE (JSON) or `javascript` (an expression). Every write is one
 * modeling command, so undo/redo covers it.
 */
import { HD_CONDITION_LANGUAGE, type Action, type Condition, type Dialog, type Interface } from '../../../engine';
import type { BpmnFactory, BusinessObject, DiagramElement, Modeling } from '../../types';

export interface Services {
  modeling: Modeling;
  bpmnFactory: BpmnFactory;
}

export function extensionValues(bo: BusinessObject, type: string): BusinessObject[] {
  return (bo.extensionElements?.values ?? []).filter((v) => v?.$type === type);
}

/** The parsed JSON body of the first `type` extension element, or `undefined`. */
export function readJson<T>(bo: BusinessObject, type: string): T | undefined {
  const el = extensionValues(bo, type)[0];
  const body = typeof el?.json === 'string' ? el.json : undefined;
  if (body === undefined) return undefined;
  try {
    return JSON.parse(body) as T;
  } catch {
    return undefined;
  }
}

/**
 * Sets (or, with `attrs` undefined, removes) the first `type` extension element of the element's
 * business object: changes it in place when it exists, else adds it.
 */
export function writeExtension(element: DiagramElement, type: string, attrs: Record<string, unknown> | undefined, s: Services, bo: BusinessObject = element.businessObject): void {
  const existing = extensionValues(bo, type)[0];
  if (existing && attrs) {
    s.modeling.updateModdleProperties(element, existing, attrs);
    return;
  }
  const others = (bo.extensionElements?.values ?? []).filter((v) => v !== existing);
  if (!existing && !attrs) return;
  const values = attrs ? [...others, s.bpmnFactory.create(type, attrs)] : others;
  const ext = values.length ? s.bpmnFactory.create('bpmn:ExtensionElements', { values }) : undefined;
  for (const v of values) v.$parent = ext;
  if (ext) ext.$parent = bo;
  s.modeling.updateModdleProperties(element, bo, { extensionElements: ext });
}

/** The process an element belongs to (the process itself, its collaboration's first, or a flow node's). */
export function processOf(el: DiagramElement): BusinessObject | undefined {
  const bo = el.businessObject;
  if (bo.$instanceOf('bpmn:Process')) return bo;
  const participant = (bo.participants as BusinessObject[] | undefined)?.[0];
  if (participant) return participant.processRef as BusinessObject | undefined;
  let parent = bo.$parent as BusinessObject | undefined;
  while (parent && !parent.$instanceOf('bpmn:Process')) parent = parent.$parent as BusinessObject | undefined;
  return parent;
}

/** Who may start the process (`hd:startInterfaces`). */
export function startInterfaces(el: DiagramElement): Interface[] {
  const v = processOf(el)?.get('hd:startInterfaces');
  const list = (typeof v === 'string' ? v : 'agent').split(/\s+/).filter((x): x is Interface => x === 'agent' || x === 'customer');
  return list.length ? list : ['agent'];
}

/** The start dialog of the process (`hd:StartDialog`), offered where the process may be started. */
export function getStartDialog(element: DiagramElement): Dialog {
  const p = processOf(element);
  const d = p ? readJson<Dialog>(p, 'hd:StartDialog') : undefined;
  const base = d && typeof d === 'object' ? { ...d, fields: d.fields ?? [] } : { fields: [] };
  return { ...base, interfaces: startInterfaces(element) };
}

/** Writes the start dialog (removed when it has no field and no text). */
export function setStartDialog(element: DiagramElement, dialog: Dialog, s: Services): void {
  const p = processOf(element);
  if (!p) return;
  const empty = !dialog.fields.length && !dialog.name && !dialog.description && !dialog.rules?.length;
  writeExtension(element, 'hd:StartDialog', empty ? undefined : { json: JSON.stringify({ ...dialog, interfaces: startInterfaces(element) }) }, s, p);
}

/** Replaces every `type` extension element with one per entry of `list` (in order). */
export function writeAll(element: DiagramElement, type: string, list: Array<Record<string, unknown>>, s: Services): void {
  const bo = element.businessObject;
  const values = [...(bo.extensionElements?.values ?? []).filter((v) => v?.$type !== type), ...list.map((attrs) => s.bpmnFactory.create(type, attrs))];
  const ext = values.length ? s.bpmnFactory.create('bpmn:ExtensionElements', { values }) : undefined;
  for (const v of values) v.$parent = ext;
  if (ext) ext.$parent = bo;
  s.modeling.updateModdleProperties(element, bo, { extensionElements: ext });
}

export function writeJson(element: DiagramElement, type: string, value: unknown, s: Services): void {
  writeExtension(element, type, value === undefined ? undefined : { json: JSON.stringify(value) }, s);
}

// --- user task dialog

export function getDialog(element: DiagramElement): Dialog {
  const d = readJson<Dialog>(element.businessObject, 'hd:Dialog');
  return d && typeof d === 'object' ? { ...d, interfaces: d.interfaces ?? ['agent'], fields: d.fields ?? [] } : { interfaces: ['agent'], fields: [] };
}

export function updateDialog(element: DiagramElement, s: Services, change: (d: Dialog) => Dialog): void {
  writeJson(element, 'hd:Dialog', change(structuredClone(getDialog(element))), s);
}

/** Sets or deletes an optional property: empty text removes it. */
export function withOptional<T extends object>(target: T, key: string, value: unknown): T {
  const copy = { ...target } as Record<string, unknown>;
  if (value === undefined || value === '' || value === null) delete copy[key];
  else copy[key] = value;
  return copy as T;
}

// --- params (script and service tasks)

export function getParams(element: DiagramElement): Record<string, unknown> {
  const p = readJson<Record<string, unknown>>(element.businessObject, 'hd:Params');
  return p && typeof p === 'object' && !Array.isArray(p) ? p : {};
}

export function setParams(element: DiagramElement, params: Record<string, unknown>, s: Services): void {
  writeJson(element, 'hd:Params', Object.keys(params).length ? params : undefined, s);
}

// --- transitions

export function getCondition(element: DiagramElement): Condition | undefined {
  const expr = element.businessObject.conditionExpression;
  const body = typeof expr?.body === 'string' ? expr.body.trim() : '';
  if (!expr || !body) return undefined;
  if (expr.language === HD_CONDITION_LANGUAGE) {
    try {
      return JSON.parse(body) as Condition;
    } catch {
      return { expression: body };
    }
  }
  return { expression: body };
}

export function setCondition(element: DiagramElement, condition: Condition | undefined, s: Services): void {
  let expression: BusinessObject | undefined;
  if (condition && 'expression' in condition) expression = s.bpmnFactory.create('bpmn:FormalExpression', { body: condition.expression, language: 'javascript' });
  else if (condition) expression = s.bpmnFactory.create('bpmn:FormalExpression', { body: JSON.stringify(condition), language: HD_CONDITION_LANGUAGE });
  s.modeling.updateProperties(element, { conditionExpression: expression });
}

export function getActions(element: DiagramElement): Action[] {
  const a = readJson<Action[]>(element.businessObject, 'hd:Actions');
  return Array.isArray(a) ? a : [];
}

export function setActions(element: DiagramElement, actions: Action[], s: Services): void {
  writeJson(element, 'hd:Actions', actions.length ? actions : undefined, s);
}
