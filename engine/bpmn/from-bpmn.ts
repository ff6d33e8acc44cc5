/**
 * BPMN 2.0 XML → process/1 JSON. Converts the supported subset of the first executable process
 * (events, user/script/service tasks, exclusive and parallel gateways, sequence flows with
 * conditions, timers, error boundaries, call activities, DI layout) and reports everything else
 * element by element. Real-world files never make it throw: encodings are decoded from the
 * declaration, unresolved references become warnings. Only input that is not BPMN XML at all gives a
 * `ProcessFormatError`.
 */
import type { ModdleElement } from 'bpmn-moddle';
import { ProcessFormatError } from '../errors';
import type { Condition } from '../model/conditions';
import type { Interface } from '../model/dialog';
import { ID_PATTERN } from '../model/schema';
import { slugify } from '../model/slug';
import type { Action, Bounds, Point, Process, ProcessNode, ProcessState, Transition } from '../model/types';
import { decodeXml } from './decode';
import { createModdle, HD_CONDITION_LANGUAGE } from './moddle';
import { documentation, readI18n, readJson, readNode, text, type ReadContext } from './read-node';

export interface UnsupportedElement {
  id: string;
  /** BPMN type, e.g. `bpmn:InclusiveGateway`. */
  type: string;
  reason: string;
}

export interface BpmnImport {
  process: Process;
  /** Elements that were not converted, one entry each. */
  unsupported: UnsupportedElement[];
  /** Notes about the file as a whole (encoding, XML, ids). */
  warnings: string[];
  /** Elements converted with a change in behaviour, one entry each (a plain task became a user task, a default flow became the last in order, ...). */
  changed: UnsupportedElement[];
  /**
   * The file's other processes, in the order to import them before this one (a called process before
   * its callers). Call activities calling a process of the file call the key it gets here.
   */
  others: Array<Omit<BpmnImport, 'others'>>;
}

function get(el: ModdleElement, name: string): unknown {
  try {
    return el.get(name);
  } catch {
    return undefined;
  }
}

function list(value: unknown): ModdleElement[] {
  return Array.isArray(value) ? (value as ModdleElement[]).filter(Boolean) : [];
}

/** The BPMN ids of the processes a process calls through its call activities (nested ones too). */
function calledIds(p: ModdleElement): string[] {
  const ids: string[] = [];
  const walk = (els: ModdleElement[]) => {
    for (const el of els) {
      if (el.$type === 'bpmn:CallActivity' && typeof el.calledElement === 'string') ids.push(el.calledElement);
      walk(list(el.flowElements));
    }
  };
  walk(list(p.flowElements));
  return ids;
}

/**
 * The processes to convert: the main one, every executable process of the file that is not another
 * pool, and every process they call; in import order (called ones before their callers, the main
 * one last when nothing of the file calls it).
 */
function pickProcesses(definitions: ModdleElement, unsupported: UnsupportedElement[]): ModdleElement[] {
  const roots = list(definitions.rootElements);
  const processes = roots.filter((r) => r.$type === 'bpmn:Process');
  const participants = roots.filter((r) => r.$type === 'bpmn:Collaboration').flatMap((c) => list(c.participants));
  const pools = new Set(participants.map((p) => p.processRef as ModdleElement | undefined));
  const byId = new Map(processes.map((p) => [p.id ?? '', p]));
  const hasFlow = (p: ModdleElement) => list(p.flowElements).length > 0;
  const main = pickProcess(processes, pools);
  const wanted = [main, ...processes.filter((p) => p !== main && hasFlow(p) && !pools.has(p) && p.isExecutable !== false)];
  const order: ModdleElement[] = [];
  const seen = new Set<ModdleElement>();
  const visit = (p: ModdleElement) => {
    if (seen.has(p)) return;
    seen.add(p);
    for (const id of calledIds(p)) {
      const called = byId.get(id);
      if (called && hasFlow(called)) visit(called);
    }
    order.push(p);
  };
  wanted.forEach(visit);
  const callers = new Set(order.flatMap(calledIds));
  // The main process goes last unless something of the file calls it (then the last caller is the one reported first).
  if (!callers.has(main.id ?? '')) order.push(...order.splice(order.indexOf(main), 1));
  for (const p of participants) {
    if (!order.includes(p.processRef as ModdleElement)) unsupported.push({ id: p.id ?? '', type: p.$type, reason: 'only the first pool (process) is converted' });
  }
  for (const p of processes) {
    if (!order.includes(p) && !pools.has(p)) {
      unsupported.push({ id: p.id ?? '', type: p.$type, reason: hasFlow(p) ? 'a non-executable process that nothing calls is not converted' : 'it has no flow elements' });
    }
  }
  reportRoots(roots, unsupported);
  return order;
}

function pickProcess(processes: ModdleElement[], pools: Set<ModdleElement | undefined>): ModdleElement {
  const hasFlow = (p: ModdleElement | undefined) => list(p?.flowElements).length > 0;
  const chosen = [...pools].find((p) => p && hasFlow(p)) ?? processes.find(hasFlow) ?? processes[0];
  if (!chosen) throw new ProcessFormatError('BPMN_NO_PROCESS', 'The BPMN file has no process to import (only collaborations or definitions).');
  return chosen;
}

function reportRoots(roots: ModdleElement[], unsupported: UnsupportedElement[]): void {
  for (const c of roots.filter((r) => r.$type === 'bpmn:Collaboration')) {
    for (const m of list(c.messageFlows)) unsupported.push({ id: m.id ?? '', type: m.$type, reason: 'message flows are not converted' });
    for (const a of list(c.artifacts)) unsupported.push({ id: a.id ?? '', type: a.$type, reason: 'artifacts (annotations, groups, associations) are not converted' });
  }
  for (const r of roots) {
    if (r.$type === 'bpmn:Choreography' || r.$type === 'bpmn:GlobalConversation') {
      unsupported.push({ id: r.id ?? '', type: r.$type, reason: 'choreographies and conversations are not converted' });
    }
  }
}

function readCondition(flow: ModdleElement, id: string, warn: (m: string) => void, change: ReadContext['change']): Condition | undefined {
  const expr = flow.conditionExpression as ModdleElement | undefined;
  const body = text(expr?.body)?.trim();
  if (expr && !body) change(flow, 'its condition is empty; it was imported without a condition, so it is always taken when tried: write one');
  if (!expr || !body) return undefined;
  const language = text(expr.language);
  if (language === HD_CONDITION_LANGUAGE) {
    try {
      return JSON.parse(body) as Condition;
    } catch {
      warn(`The condition of flow "${id}" is not valid JSON; it was kept as an expression.`);
      return { expression: body };
    }
  }
  if (language && !/^(javascript|js|ecmascript|text\/javascript|application\/javascript)$/i.test(language)) {
    warn(`The condition of flow "${id}" is written in "${language}"; it was kept as an expression, which runs as JavaScript, so check it.`);
  } else if (!language && /^(\$\{|#\{|=)/.test(body)) {
    warn(`The condition of flow "${id}" (${body}) looks like a JUEL or FEEL expression; it was kept as an expression, which runs as JavaScript, so rewrite it.`);
  }
  return { expression: body };
}

function readDiagram(definitions: ModdleElement, nodeIds: Map<string, string>, flowIds: Map<string, string>): Process['diagram'] {
  const shapes: Record<string, Bounds> = {};
  const edges: Record<string, Point[]> = {};
  const labels: Record<string, Bounds> = {};
  const labelOf = (el: ModdleElement, id: string) => {
    const b = (el.label as ModdleElement | undefined)?.bounds as ModdleElement | undefined;
    if (b && !labels[id]) labels[id] = { x: Number(b.x) || 0, y: Number(b.y) || 0, w: Number(b.width) || 0, h: Number(b.height) || 0 };
  };
  for (const d of list(definitions.diagrams)) {
    for (const el of list((d.plane as ModdleElement | undefined)?.planeElement)) {
      const target = (el.bpmnElement as ModdleElement | undefined)?.id;
      if (!target) continue;
      if (el.$type === 'bpmndi:BPMNShape' && nodeIds.has(target)) {
        const b = el.bounds as ModdleElement | undefined;
        const id = nodeIds.get(target)!;
        if (b && !shapes[id]) shapes[id] = { x: Number(b.x) || 0, y: Number(b.y) || 0, w: Number(b.width) || 0, h: Number(b.height) || 0 };
        labelOf(el, id);
      } else if (el.$type === 'bpmndi:BPMNEdge' && flowIds.has(target)) {
        const id = flowIds.get(target)!;
        const points = list(el.waypoint).map((p) => [Number(p.x) || 0, Number(p.y) || 0] as Point);
        if (points.length >= 2 && !edges[id]) edges[id] = points;
        labelOf(el, id);
      }
    }
  }
  if (!Object.keys(shapes).length) return undefined;
  return Object.keys(labels).length ? { shapes, edges, labels } : { shapes, edges };
}

/**
 * Converts BPMN 2.0 XML (text or bytes in any declared encoding) to a process.
 *
 * @example
 * const { process, unsupported, warnings } = await fromBpmn(fs.readFileSync('order.bpmn'));
 * unsupported; // [{ id: 'Lane_1', type: 'bpmn:Lane', reason: 'lanes are not converted; ...' }]
 */
export async function fromBpmn(input: string | Uint8Array): Promise<BpmnImport> {
  const decoded = decodeXml(input);
  const warnings = [...decoded.warnings];
  const warn = (m: string) => {
    if (!warnings.includes(m)) warnings.push(m);
  };
  if (!/<([A-Za-z_][\w.-]*:)?definitions[\s>]/.test(decoded.text)) {
    throw new ProcessFormatError('XML_NOT_BPMN', 'The file is not BPMN 2.0 XML: it has no <definitions> element.');
  }
  let parsed;
  try {
    parsed = await createModdle().fromXML(decoded.text, 'bpmn:Definitions');
  } catch (e) {
    throw new ProcessFormatError('XML_MALFORMED', `The BPMN XML could not be read: ${(e as Error).message.split('\n')[0]}`);
  }
  for (const w of parsed.warnings) warn(`XML: ${w.message.split('\n')[0]}`);
  const definitions = parsed.rootElement;
  const fileNotes: UnsupportedElement[] = [];
  const order = pickProcesses(definitions, fileNotes);
  // Keys first (the main process first), so call activities can call the key their process gets; two processes never share one.
  const keys = new Map<string, string>();
  for (const p of [...order].reverse()) {
    const base = keyOf(p);
    let key = base;
    for (let i = 2; [...keys.values()].includes(key); i++) key = `${base}-${i}`;
    keys.set(p.id ?? '', key);
  }
  const converted = order.map((p) => convertProcess(definitions, p, keys));
  const main = converted[order.length - 1]!;
  return { ...main, unsupported: [...fileNotes, ...main.unsupported], warnings: [...warnings, ...main.warnings], others: converted.slice(0, -1) };
}

function keyOf(bpmnProcess: ModdleElement): string {
  const name = text(bpmnProcess.name) ?? text(bpmnProcess.id) ?? 'Imported process';
  return text(get(bpmnProcess, 'hd:key')) ?? slugify(name, 'imported-process');
}

/** One process of the file: its nodes, flows, properties and layout. */
function convertProcess(definitions: ModdleElement, bpmnProcess: ModdleElement, keys: Map<string, string>): Omit<BpmnImport, 'others'> {
  const warnings: string[] = [];
  const warn = (m: string) => {
    if (!warnings.includes(m)) warnings.push(m);
  };
  const unsupported: UnsupportedElement[] = [];
  for (const laneSet of list(bpmnProcess.laneSets)) {
    const lanes = [...list(laneSet.lanes)];
    while (lanes.length) {
      const lane = lanes.shift()!;
      unsupported.push({ id: lane.id ?? '', type: lane.$type, reason: 'lanes are not converted; assign user tasks to a queue or role instead' });
      lanes.push(...list((lane.childLaneSet as ModdleElement | undefined)?.lanes));
    }
  }
  for (const a of list(bpmnProcess.artifacts)) unsupported.push({ id: a.id ?? '', type: a.$type, reason: 'artifacts (annotations, groups, associations) are not converted' });

  const usedIds = new Set<string>();
  const idMap = new Map<string, string>();
  const idPattern = new RegExp(ID_PATTERN);
  const idOf = (bpmnId: string): string => {
    let id = idMap.get(bpmnId);
    if (id) return id;
    id = idPattern.test(bpmnId) && bpmnId.length <= 128 ? bpmnId : (`_${bpmnId.replace(/[^A-Za-z0-9_.-]/g, '_')}`).slice(0, 120);
    let candidate = id;
    for (let i = 2; usedIds.has(candidate); i++) candidate = `${id}_${i}`;
    if (candidate !== bpmnId) warn(`The id "${bpmnId}" is not a valid process id; it became "${candidate}".`);
    usedIds.add(candidate);
    idMap.set(bpmnId, candidate);
    return candidate;
  };
  const changed: UnsupportedElement[] = [];
  const change = (el: ModdleElement, reason: string) => {
    if (!changed.some((c) => c.id === (el.id ?? '') && c.reason === reason)) changed.push({ id: el.id ?? '', type: el.$type, reason });
  };
  const ctx: ReadContext = { idOf, warn, change, processKey: (id) => keys.get(id) };

  const elements = list(bpmnProcess.flowElements);
  const nodes: ProcessNode[] = [];
  const nodeIds = new Map<string, string>();
  for (const el of elements) {
    if (el.$type === 'bpmn:SequenceFlow') continue;
    const r = readNode(el, ctx);
    if ('node' in r) {
      nodes.push(r.node);
      nodeIds.set(el.id ?? '', r.node.id);
    } else {
      const inside = list(el.flowElements).length;
      unsupported.push({ id: el.id ?? '', type: el.$type, reason: inside ? `${r.unsupported} (${inside} elements inside were not converted)` : r.unsupported });
    }
  }
  // A boundary event on an element that was not converted has nothing to hang on: it goes too.
  const converted = new Set(nodes.map((n) => n.id));
  for (const el of elements.filter((e) => e.$type === 'bpmn:BoundaryEvent' && nodeIds.has(e.id ?? ''))) {
    const node = nodes.find((n) => n.id === nodeIds.get(el.id ?? ''));
    if (!node || !('attachedTo' in node) || (node.attachedTo && converted.has(node.attachedTo))) continue;
    const host = (el.attachedToRef as ModdleElement | undefined)?.id;
    nodes.splice(nodes.indexOf(node), 1);
    nodeIds.delete(el.id ?? '');
    unsupported.push({ id: el.id ?? '', type: el.$type, reason: host ? `it is attached to "${host}", which was not converted` : 'it is attached to no task' });
  }
  const transitions: Transition[] = [];
  const flowIds = new Map<string, string>();
  for (const el of elements) {
    if (el.$type !== 'bpmn:SequenceFlow') continue;
    const source = (el.sourceRef as ModdleElement | undefined)?.id;
    const target = (el.targetRef as ModdleElement | undefined)?.id;
    const missing = [source, target].find((x) => !x || !nodeIds.has(x));
    if (missing !== undefined || !source || !target) {
      unsupported.push({ id: el.id ?? '', type: el.$type, reason: missing ? `it connects "${missing}", which was not converted` : 'it has no source or target' });
      continue;
    }
    const t: Transition = { id: idOf(el.id ?? ''), from: nodeIds.get(source)!, to: nodeIds.get(target)! };
    const name = text(el.name);
    if (name !== undefined) t.name = name;
    const order = get(el, 'hd:order');
    if (typeof order === 'number') t.order = order;
    const condition = readCondition(el, el.id ?? '', warn, change);
    if (condition) t.condition = condition;
    const actionsEl = ((el.extensionElements as ModdleElement | undefined)?.values as ModdleElement[] | undefined)?.find((v) => v?.$type === 'hd:Actions');
    const actions = actionsEl ? readJson(actionsEl, el.id ?? '', ctx) : undefined;
    if (Array.isArray(actions)) t.actions = actions as Action[];
    transitions.push(t);
    flowIds.set(el.id ?? '', t.id);
  }

  keepTaskDefaults(elements, transitions, flowIds, change);

  const name = text(bpmnProcess.name) ?? text(bpmnProcess.id) ?? 'Imported process';
  const key = keys.get(bpmnProcess.id ?? '') ?? keyOf(bpmnProcess);
  const interfaces = (text(get(bpmnProcess, 'hd:startInterfaces')) ?? 'agent')
    .split(/\s+/)
    .filter((i): i is Interface => i === 'agent' || i === 'customer');
  const process: Process = { format: 'process/1', key, name: name.trim() || 'Imported process' } as Process;
  const description = documentation(bpmnProcess);
  if (description !== undefined) process.description = description;
  const customerDescription = text(((bpmnProcess.extensionElements as ModdleElement | undefined)?.values as ModdleElement[] | undefined)?.find((v) => v?.$type === 'hd:CustomerDescription')?.text);
  if (customerDescription !== undefined) process.customerDescription = customerDescription;
  const version = get(bpmnProcess, 'hd:version');
  if (typeof version === 'number') process.version = version;
  const state = text(get(bpmnProcess, 'hd:state'));
  if (state === 'active' || state === 'inactive' || state === 'fadeaway') process.state = state as ProcessState;
  process.start = { interfaces: interfaces.length ? interfaces : ['agent'] };
  const startDialogEl = ((bpmnProcess.extensionElements as ModdleElement | undefined)?.values as ModdleElement[] | undefined)?.find((v) => v?.$type === 'hd:StartDialog');
  const startDialog = startDialogEl ? readJson(startDialogEl, 'the process', ctx) : undefined;
  if (typeof startDialog === 'object' && startDialog !== null) process.start.dialog = startDialog as Process['start']['dialog'];
  process.nodes = nodes;
  process.transitions = transitions;
  const testsEl = ((bpmnProcess.extensionElements as ModdleElement | undefined)?.values as ModdleElement[] | undefined)?.find((v) => v?.$type === 'hd:Tests');
  const tests = testsEl ? readJson(testsEl, 'the process', ctx) : undefined;
  if (Array.isArray(tests)) process.tests = tests as Process['tests'];
  const i18n = readI18n(bpmnProcess, ctx);
  if (i18n) process.i18n = i18n;
  const diagram = readDiagram(definitions, nodeIds, flowIds);
  if (diagram) process.diagram = diagram;
  return { process, unsupported, warnings, changed };
}

/**
 * A task's `default=` flow is taken only when no other flow holds. Transitions out of a task are
 * tried in `order`, so the default one goes last (the others keep their order before it); reported,
 * since a flow without condition before it would now always win.
 */
function keepTaskDefaults(elements: ModdleElement[], transitions: Transition[], flowIds: Map<string, string>, change: ReadContext['change']): void {
  for (const el of elements) {
    const def = (el.default as ModdleElement | undefined)?.id;
    if (!def || el.$type === 'bpmn:ExclusiveGateway' || el.$type === 'bpmn:SequenceFlow') continue;
    const defaultId = flowIds.get(def);
    const from = transitions.find((t) => t.id === defaultId)?.from;
    if (!defaultId || !from) continue;
    const out = transitions.filter((t) => t.from === from);
    const others = out.filter((t) => t.id !== defaultId).sort((a, b) => (a.order ?? 1e9) - (b.order ?? 1e9));
    others.forEach((t, i) => (t.order = i + 1));
    const dflt = out.find((t) => t.id === defaultId)!;
    dflt.order = others.length + 1;
    const unconditioned = others.filter((t) => !t.condition);
    change(el, `its default flow "${dflt.name || def}" is tried last, after the ${others.length} other${others.length === 1 ? '' : 's'}` +
      (unconditioned.length ? `; ${unconditioned.map((t) => `"${t.name || t.id}"`).join(', ')} ha${unconditioned.length === 1 ? 's' : 've'} no condition and always win${unconditioned.length === 1 ? 's' : ''}: give ${unconditioned.length === 1 ? 'it' : 'them'} one` : ''));
  }
}
