/**
 * One BPMN flow element → one process/1 node, or the reason it is not supported. Standard BPMN is
 * read first; the `hd:` extension adds what BPMN cannot say (dialogs, assignment, references, params).
 */
import type { ModdleElement } from 'bpmn-moddle';
import type { Dialog, I18n } from '../model/dialog';
import { slugify } from '../model/slug';
import { KEY_PATTERN } from '../model/schema';
import type { ErrorMapping, JsonValue, ProcessNode, TimerFields } from '../model/types';

export type NodeRead = { node: ProcessNode } | { unsupported: string };

export interface ReadContext {
  /** The node id for a BPMN id (ids are sanitised when they are not valid process ids). */
  idOf(bpmnId: string): string;
  warn(message: string): void;
  /** Reports an element converted with a change in behaviour (per element, for the import report). */
  change(el: ModdleElement, reason: string): void;
  /** The key a process of the same file gets, by its BPMN id (for call activities), when it is converted too. */
  processKey?(bpmnId: string): string | undefined;
}

function get(el: ModdleElement, name: string): unknown {
  try {
    return el.get(name);
  } catch {
    return undefined;
  }
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function extensionValues(el: ModdleElement, type: string): ModdleElement[] {
  const ext = el.extensionElements as ModdleElement | undefined;
  const values = (ext?.values as ModdleElement[] | undefined) ?? [];
  return values.filter((v) => v?.$type === type);
}

/** Parses the JSON body of an `hd:` element; a warning and `undefined` when it is not JSON. */
export function readJson(el: ModdleElement, owner: string, ctx: ReadContext): unknown {
  const body = text(el.json);
  if (body === undefined) return undefined;
  try {
    return JSON.parse(body);
  } catch {
    ctx.warn(`The ${el.$type} of "${owner}" is not valid JSON and was ignored.`);
    return undefined;
  }
}

export function documentation(el: ModdleElement): string | undefined {
  const docs = el.documentation as ModdleElement[] | undefined;
  return text(docs?.[0]?.text);
}

function base(el: ModdleElement, ctx: ReadContext): { id: string; name?: string; description?: string; i18n?: I18n; showToCustomer?: boolean } {
  const node: { id: string; name?: string; description?: string; i18n?: I18n; showToCustomer?: boolean } = { id: ctx.idOf(el.id ?? '') };
  const shown = get(el, 'hd:showToCustomer');
  if (typeof shown === 'boolean') node.showToCustomer = shown;
  const name = text(el.name);
  if (name !== undefined) node.name = name;
  const description = documentation(el);
  if (description !== undefined) node.description = description;
  const i18n = readI18n(el, ctx);
  if (i18n) node.i18n = i18n;
  return node;
}

/** The translations of an element's texts (`hd:I18n`, JSON), when it has some. */
export function readI18n(el: ModdleElement, ctx: ReadContext): I18n | undefined {
  const i18nEl = extensionValues(el, 'hd:I18n')[0];
  const value = i18nEl ? readJson(i18nEl, el.id ?? '', ctx) : undefined;
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as I18n) : undefined;
}

function eventDefinitions(el: ModdleElement): ModdleElement[] {
  return ((el.eventDefinitions as ModdleElement[] | undefined) ?? []).filter(Boolean);
}

function timer(def: ModdleElement, owner: string, ctx: ReadContext): TimerFields {
  const out: TimerFields = {};
  for (const [prop, key] of [['timeDuration', 'duration'], ['timeDate', 'date'], ['timeCycle', 'cycle']] as const) {
    const body = text((def[prop] as ModdleElement | undefined)?.body);
    if (body !== undefined) out[key] = body.trim();
  }
  if (!Object.keys(out).length) ctx.warn(`Timer "${owner}" has no time (duration, date or cycle); set one.`);
  const calendar = text(get(def, 'hd:calendar'));
  if (calendar) out.calendar = calendar;
  return out;
}

function dialogs(el: ModdleElement, ctx: ReadContext): Dialog[] {
  return extensionValues(el, 'hd:Dialog')
    .map((d) => readJson(d, el.id ?? '', ctx))
    .filter((d): d is Dialog => typeof d === 'object' && d !== null);
}

function params(el: ModdleElement, ctx: ReadContext): Record<string, JsonValue> | undefined {
  const p = extensionValues(el, 'hd:Params')[0];
  const value = p ? readJson(p, el.id ?? '', ctx) : undefined;
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, JsonValue>) : undefined;
}

function withOptional<T extends object>(target: T, values: Record<string, unknown>): T {
  for (const [k, v] of Object.entries(values)) if (v !== undefined) (target as Record<string, unknown>)[k] = v;
  return target;
}

function userTask(el: ModdleElement, ctx: ReadContext): ProcessNode {
  const [dialog, ...alternatives] = dialogs(el, ctx);
  const assignEl = extensionValues(el, 'hd:Assign')[0];
  const assign = assignEl ? withOptional({}, { queue: text(assignEl.queue), role: text(assignEl.role), agent: text(assignEl.agent) }) : undefined;
  return withOptional(
    { ...base(el, ctx), type: 'userTask' as const, dialog: dialog ?? { interfaces: ['agent' as const], fields: [] } },
    { alternativeDialogs: alternatives.length ? alternatives : undefined, assign },
  );
}

function scriptTask(el: ModdleElement, ctx: ReadContext): ProcessNode {
  const ref = text(get(el, 'hd:scriptRef'));
  const version = get(el, 'hd:scriptVersion');
  const format = text(el.scriptFormat);
  let script: { ref: string; version?: number } | { source: string };
  if (ref !== undefined) script = withOptional({ ref }, { version: typeof version === 'number' ? version : undefined });
  else {
    script = { source: text(el.script) ?? '' };
    if (!script.source) ctx.warn(`Script task "${el.id}" has no script; reference a stored script or write one.`);
    else if (format && !/^(javascript|js|ecmascript|text\/javascript|application\/javascript)$/i.test(format)) {
      ctx.warn(`Script task "${el.id}" is written in "${format}"; scripts here run as JavaScript, so rewrite it.`);
    }
  }
  return withOptional(
    { ...base(el, ctx), type: 'scriptTask' as const, script },
    { params: params(el, ctx), timeoutMs: get(el, 'hd:timeoutMs') },
  );
}

function serviceTask(el: ModdleElement, ctx: ReadContext): ProcessNode {
  const webservice = text(get(el, 'hd:webservice')) ?? '';
  const operation = text(get(el, 'hd:operation')) ?? '';
  if (!webservice || !operation) ctx.warn(`Service task "${el.id}" names no web service operation; choose one.`);
  const mapping: ErrorMapping[] = extensionValues(el, 'hd:ErrorMapping').map((m) => ({ when: text(m.when) ?? '', code: text(m.code) ?? '' }));
  return withOptional(
    { ...base(el, ctx), type: 'serviceTask' as const, service: { webservice, operation } },
    {
      params: params(el, ctx),
      timeoutMs: get(el, 'hd:timeoutMs'),
      retries: get(el, 'hd:retries'),
      errorMapping: mapping.length ? mapping : undefined,
    },
  );
}

function callActivity(el: ModdleElement, ctx: ReadContext): ProcessNode {
  let process = text(el.calledElement) ?? '';
  const local = ctx.processKey?.(process);
  if (local !== undefined) process = local;
  else if (!new RegExp(KEY_PATTERN).test(process)) {
    const slug = slugify(process, '');
    ctx.warn(process ? `Call activity "${el.id}" calls "${process}", which is not a process key; it now calls "${slug}".` : `Call activity "${el.id}" calls no process; set one.`);
    process = slug;
  }
  const v = text(get(el, 'hd:calledVersion'));
  const version = v === undefined || v === 'latest' || !/^\d+$/.test(v) ? 'latest' : Number(v);
  const binding = text(get(el, 'hd:binding')) === 'child-ticket' ? 'child-ticket' : 'same-ticket';
  const map = (type: string) => {
    const entries = extensionValues(el, type).map((m) => [text(m.name) ?? '', text(m.value) ?? ''] as const);
    return entries.length ? Object.fromEntries(entries) : undefined;
  };
  return withOptional(
    { ...base(el, ctx), type: 'callActivity' as const, process, version: version as 'latest' | number, binding: binding as 'same-ticket' | 'child-ticket' },
    { inputs: map('hd:Input'), outputs: map('hd:Output') },
  );
}

function boundary(el: ModdleElement, ctx: ReadContext): NodeRead {
  const defs = eventDefinitions(el);
  const attached = (el.attachedToRef as ModdleElement | undefined)?.id;
  if (!attached) ctx.warn(`Boundary event "${el.id}" is not attached to a task; attach it.`);
  const attachedTo = attached ? ctx.idOf(attached) : '';
  if (defs.length !== 1) return { unsupported: 'boundary events need exactly one trigger (timer or error)' };
  const def = defs[0]!;
  if (def.$type === 'bpmn:TimerEventDefinition') {
    const interrupting = Object.prototype.hasOwnProperty.call(el, 'cancelActivity') ? el.cancelActivity !== false : undefined;
    return { node: withOptional({ ...base(el, ctx), type: 'boundaryTimer' as const, attachedTo, ...timer(def, el.id ?? '', ctx) }, { interrupting }) };
  }
  if (def.$type === 'bpmn:ErrorEventDefinition') {
    const error = def.errorRef as ModdleElement | undefined;
    const errorCode = text(error?.errorCode) ?? text(error?.name);
    if (el.cancelActivity === false) ctx.warn(`Error boundary event "${el.id}" is non-interrupting; error events here always interrupt.`);
    return { node: withOptional({ ...base(el, ctx), type: 'boundaryError' as const, attachedTo }, { errorCode }) };
  }
  return { unsupported: `${def.$type.replace('bpmn:', '').replace('EventDefinition', '').toLowerCase()} boundary events are not supported` };
}

/** Vendor extensions (Camunda, Zeebe, …) are not carried: each one is reported on its element. */
function reportForeignExtensions(el: ModdleElement, ctx: ReadContext): void {
  const values = ((el.extensionElements as ModdleElement | undefined)?.values as ModdleElement[] | undefined) ?? [];
  const foreign = [...new Set(values.filter((v) => v?.$type && !v.$type.startsWith('hd:')).map((v) => v.$type))];
  if (foreign.length) ctx.change(el, `its extension${foreign.length === 1 ? '' : 's'} ${foreign.join(', ')} ${foreign.length === 1 ? 'was' : 'were'} not carried over (form fields, properties, input/output mappings, listeners … are dropped)`);
}

const UNSUPPORTED: Record<string, string> = {
  'bpmn:SubProcess': 'sub-processes are not supported; use a call activity',
  'bpmn:AdHocSubProcess': 'ad-hoc sub-processes are not supported',
  'bpmn:Transaction': 'transactions are not supported',
  'bpmn:InclusiveGateway': 'inclusive gateways are not supported; use exclusive or parallel gateways',
  'bpmn:ComplexGateway': 'complex gateways are not supported; use exclusive or parallel gateways',
  'bpmn:EventBasedGateway': 'event-based gateways are not supported; use boundary timers or an exclusive gateway',
  'bpmn:IntermediateThrowEvent': 'intermediate throw events are not supported',
  'bpmn:SendTask': 'send tasks are not supported; use a SendEmail action or a service task',
  'bpmn:ReceiveTask': 'receive tasks are not supported; use a user task',
  'bpmn:BusinessRuleTask': 'business rule tasks are not supported; use a script task',
  'bpmn:DataObject': 'data objects are not converted',
  'bpmn:DataObjectReference': 'data objects are not converted',
  'bpmn:DataStoreReference': 'data stores are not converted',
  'bpmn:ChoreographyTask': 'choreographies are not supported',
};

/**
 * Converts one flow element (not a sequence flow).
 *
 * @example
 * readNode(userTaskElement, ctx); // { node: { id: 'approve', type: 'userTask', dialog: {...} } }
 */
export function readNode(el: ModdleElement, ctx: ReadContext): NodeRead {
  const loops = el.loopCharacteristics as ModdleElement | undefined;
  if (loops) {
    const kind = loops.$type === 'bpmn:MultiInstanceLoopCharacteristics' ? `multi-instance (${loops.isSequential ? 'sequential' : 'parallel'})` : 'a loop';
    ctx.change(el, `it repeats as ${kind}; repetition is not supported, so it runs once`);
  }
  reportForeignExtensions(el, ctx);
  switch (el.$type) {
    case 'bpmn:StartEvent':
    case 'bpmn:EndEvent': {
      const defs = eventDefinitions(el);
      if (defs.length) {
        const kinds = defs.map((d) => d.$type.replace('bpmn:', '').replace('EventDefinition', '').toLowerCase()).join(', ');
        ctx.change(el, el.$type === 'bpmn:StartEvent'
          ? `it is a ${kinds} start event; it became a plain start, so the process starts when an agent or customer starts it, not ${kinds === 'timer' ? 'on the timer' : `on the ${kinds}`}`
          : `it is a ${kinds} end event; it became a plain end, so nothing is thrown or sent`);
      }
      return { node: { ...base(el, ctx), type: el.$type === 'bpmn:StartEvent' ? 'startEvent' : 'endEvent' } };
    }
    case 'bpmn:UserTask':
      return { node: userTask(el, ctx) };
    case 'bpmn:Task':
    case 'bpmn:ManualTask':
      ctx.change(el, `it is a ${el.$type === 'bpmn:Task' ? 'plain task' : 'manual task'}; it became a user task with an empty dialog, so the process waits there for an agent`);
      return { node: userTask(el, ctx) };
    case 'bpmn:ScriptTask':
      return { node: scriptTask(el, ctx) };
    case 'bpmn:ServiceTask':
      return { node: serviceTask(el, ctx) };
    case 'bpmn:ExclusiveGateway': {
      const node = { ...base(el, ctx), type: 'exclusiveGateway' as const };
      const def = (el.default as ModdleElement | undefined)?.id;
      return { node: def ? { ...node, default: ctx.idOf(def) } : node };
    }
    case 'bpmn:ParallelGateway':
      return { node: { ...base(el, ctx), type: 'parallelGateway' } };
    case 'bpmn:IntermediateCatchEvent': {
      const defs = eventDefinitions(el);
      if (defs.length === 1 && defs[0]!.$type === 'bpmn:TimerEventDefinition') {
        return { node: { ...base(el, ctx), type: 'intermediateTimer', ...timer(defs[0]!, el.id ?? '', ctx) } };
      }
      const kinds = defs.map((d) => d.$type.replace('bpmn:', '').replace('EventDefinition', '').toLowerCase()).join(', ') || 'none';
      return { unsupported: `intermediate catch events (${kinds}) are not supported; only timers are` };
    }
    case 'bpmn:BoundaryEvent':
      return boundary(el, ctx);
    case 'bpmn:CallActivity':
      return { node: callActivity(el, ctx) };
    default:
      return { unsupported: UNSUPPORTED[el.$type] ?? `${el.$type.replace('bpmn:', '')} is not supported` };
  }
}
