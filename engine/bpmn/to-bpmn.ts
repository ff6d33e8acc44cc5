/**
 * process/1 JSON → BPMN 2.0 XML that bpmn-js opens: standard BPMN wherever BPMN has the concept
 * (events, tasks, gateways, timers, error boundaries, call activities, sequence flows with condition
 * expressions, default flows, documentation), `hd:` extension attributes and elements for the rest
 * (dialogs, assignment, script and service references, params, actions), and DI from the diagram
 * layout or a generated one.
 */
import type { ModdleElement } from 'bpmn-moddle';
import { canonicalProcess } from '../model/canonical';
import type { ProcessNode, Process, Transition } from '../model/types';
import { MAX_ELK_NODES, withElkLayout } from './elk-layout';
import { layoutProcess, placeLabels } from './layout';
import { createModdle, EXPRESSION_LANGUAGE, HD_CONDITION_LANGUAGE } from './moddle';

type Moddle = ReturnType<typeof createModdle>;

const BPMN_TYPE: Record<ProcessNode['type'], string> = {
  startEvent: 'bpmn:StartEvent',
  endEvent: 'bpmn:EndEvent',
  userTask: 'bpmn:UserTask',
  scriptTask: 'bpmn:ScriptTask',
  serviceTask: 'bpmn:ServiceTask',
  exclusiveGateway: 'bpmn:ExclusiveGateway',
  parallelGateway: 'bpmn:ParallelGateway',
  intermediateTimer: 'bpmn:IntermediateCatchEvent',
  boundaryTimer: 'bpmn:BoundaryEvent',
  boundaryError: 'bpmn:BoundaryEvent',
  callActivity: 'bpmn:CallActivity',
};

export interface ToBpmnOptions {
  /** Indent the XML (default true). */
  format?: boolean;
}

class Writer {
  readonly used: Set<string>;
  readonly errors = new Map<string, ModdleElement>();

  constructor(readonly moddle: Moddle, process: Process) {
    this.used = new Set([...process.nodes.map((n) => n.id), ...process.transitions.map((t) => t.id)]);
  }

  uniqueId(base: string): string {
    let id = base.replace(/[^A-Za-z0-9_.-]/g, '_');
    if (!/^[A-Za-z_]/.test(id)) id = `_${id}`;
    let candidate = id;
    for (let i = 2; this.used.has(candidate); i++) candidate = `${id}_${i}`;
    this.used.add(candidate);
    return candidate;
  }

  create(type: string, attrs: Record<string, unknown> = {}): ModdleElement {
    const clean = Object.fromEntries(Object.entries(attrs).filter(([, v]) => v !== undefined));
    return this.moddle.create(type, clean);
  }

  extensions(values: ModdleElement[]): ModdleElement | undefined {
    return values.length ? this.create('bpmn:ExtensionElements', { values }) : undefined;
  }

  documentation(text: string | undefined): ModdleElement[] | undefined {
    return text === undefined ? undefined : [this.create('bpmn:Documentation', { text })];
  }

  expression(body: string, language?: string): ModdleElement {
    return this.create('bpmn:FormalExpression', { body, language });
  }

  error(code: string): ModdleElement {
    let e = this.errors.get(code);
    if (!e) {
      e = this.create('bpmn:Error', { id: this.uniqueId(`Error_${code}`), name: code, errorCode: code });
      this.errors.set(code, e);
    }
    return e;
  }

  json(type: string, value: unknown): ModdleElement {
    return this.create(type, { json: JSON.stringify(value) });
  }

  node(n: ProcessNode): ModdleElement {
    const attrs: Record<string, unknown> = { id: n.id, name: n.name, documentation: this.documentation(n.description), 'hd:showToCustomer': n.showToCustomer };
    const ext: ModdleElement[] = [];
    switch (n.type) {
      case 'userTask':
        for (const d of [n.dialog, ...(n.alternativeDialogs ?? [])]) if (d) ext.push(this.json('hd:Dialog', d));
        if (n.assign) ext.push(this.create('hd:Assign', { ...n.assign }));
        break;
      case 'scriptTask':
        if (n.script && 'ref' in n.script) Object.assign(attrs, { 'hd:scriptRef': n.script.ref, 'hd:scriptVersion': n.script.version });
        else if (n.script) Object.assign(attrs, { scriptFormat: 'javascript', script: n.script.source });
        attrs['hd:timeoutMs'] = n.timeoutMs;
        if (n.params) ext.push(this.json('hd:Params', n.params));
        break;
      case 'serviceTask':
        Object.assign(attrs, {
          implementation: '##WebService',
          'hd:webservice': n.service?.webservice,
          'hd:operation': n.service?.operation,
          'hd:timeoutMs': n.timeoutMs,
          'hd:retries': n.retries,
        });
        if (n.params) ext.push(this.json('hd:Params', n.params));
        for (const m of n.errorMapping ?? []) ext.push(this.create('hd:ErrorMapping', { when: m.when, code: m.code }));
        break;
      case 'intermediateTimer':
      case 'boundaryTimer':
        attrs.eventDefinitions = [
          this.create('bpmn:TimerEventDefinition', {
            timeDuration: n.duration === undefined ? undefined : this.expression(n.duration),
            timeDate: n.date === undefined ? undefined : this.expression(n.date),
            timeCycle: n.cycle === undefined ? undefined : this.expression(n.cycle),
            'hd:calendar': n.calendar,
          }),
        ];
        if (n.type === 'boundaryTimer') attrs.cancelActivity = n.interrupting;
        break;
      case 'boundaryError':
        attrs.eventDefinitions = [this.create('bpmn:ErrorEventDefinition', { errorRef: n.errorCode === undefined ? undefined : this.error(n.errorCode) })];
        break;
      case 'callActivity':
        Object.assign(attrs, { calledElement: n.process, 'hd:calledVersion': n.version === undefined ? undefined : String(n.version), 'hd:binding': n.binding });
        for (const [name, value] of Object.entries(n.inputs ?? {})) ext.push(this.create('hd:Input', { name, value }));
        for (const [name, value] of Object.entries(n.outputs ?? {})) ext.push(this.create('hd:Output', { name, value }));
        break;
      default:
        break;
    }
    if (n.i18n) ext.push(this.json('hd:I18n', n.i18n));
    attrs.extensionElements = this.extensions(ext);
    const el = this.create(BPMN_TYPE[n.type] ?? 'bpmn:Task', attrs);
    // moddle leaves out attributes equal to their default; an explicit `interrupting: true` is kept.
    if (n.type === 'boundaryTimer' && n.interrupting === true) el.$attrs.cancelActivity = 'true';
    return el;
  }

  flow(t: Transition, source: ModdleElement, target: ModdleElement): ModdleElement {
    let condition: ModdleElement | undefined;
    if (t.condition && typeof t.condition === 'object' && 'expression' in t.condition) condition = this.expression(t.condition.expression, EXPRESSION_LANGUAGE);
    else if (t.condition) condition = this.expression(JSON.stringify(t.condition), HD_CONDITION_LANGUAGE);
    const flow = this.create('bpmn:SequenceFlow', {
      id: t.id,
      name: t.name,
      sourceRef: source,
      targetRef: target,
      conditionExpression: condition,
      'hd:order': t.order,
      extensionElements: this.extensions(t.actions ? [this.json('hd:Actions', t.actions)] : []),
    });
    return flow;
  }
}

/**
 * Converts a process to BPMN 2.0 XML with diagram interchange (DI).
 *
 * @example
 * const xml = await toBpmn(process);
 * // '<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions ...><bpmn:process id="Process_leave_request" hd:key="leave-request" ...'
 */
export async function toBpmn(input: Process, options: ToBpmnOptions = {}): Promise<string> {
  const process = canonicalProcess(input); // the same XML whatever the key order of the input
  const moddle = createModdle();
  const w = new Writer(moddle, process);
  const elements = new Map<string, ModdleElement>();
  // A boundary event needs its host (BPMN requires attachedToRef): one whose host is missing from a
  // draft is left out of the XML, with its flows, rather than written with an empty reference.
  const ids = new Set(process.nodes.map((n) => n.id));
  const hostless = (n: Process['nodes'][number]) => (n.type === 'boundaryTimer' || n.type === 'boundaryError') && (!ids.has(n.attachedTo) || n.attachedTo === n.id);
  for (const n of process.nodes) if (!elements.has(n.id) && !hostless(n)) elements.set(n.id, w.node(n));
  for (const n of process.nodes) {
    if ((n.type === 'boundaryTimer' || n.type === 'boundaryError') && elements.has(n.id) && elements.has(n.attachedTo)) {
      elements.get(n.id)!.set('attachedToRef', elements.get(n.attachedTo));
    }
  }
  const flows = new Map<string, ModdleElement>();
  for (const t of process.transitions) {
    const source = elements.get(t.from);
    const target = elements.get(t.to);
    if (source && target && !flows.has(t.id) && !elements.has(t.id)) flows.set(t.id, w.flow(t, source, target));
  }
  // Each node's incoming and outgoing flows, set once (appending one by one is quadratic in a node's degree).
  const ends = new Map<ModdleElement, { incoming: ModdleElement[]; outgoing: ModdleElement[] }>();
  const endsOf = (el: ModdleElement) => ends.get(el) ?? ends.set(el, { incoming: [], outgoing: [] }).get(el)!;
  for (const flow of flows.values()) {
    endsOf(flow.get('sourceRef') as ModdleElement).outgoing.push(flow);
    endsOf(flow.get('targetRef') as ModdleElement).incoming.push(flow);
  }
  for (const [el, { incoming, outgoing }] of ends) {
    if (outgoing.length) el.set('outgoing', outgoing);
    if (incoming.length) el.set('incoming', incoming);
  }
  for (const n of process.nodes) {
    if (n.type === 'exclusiveGateway' && n.default !== undefined && flows.has(n.default)) elements.get(n.id)!.set('default', flows.get(n.default));
  }

  const bpmnProcess = w.create('bpmn:Process', {
    id: w.uniqueId(`Process_${process.key}`.replace(/-/g, '_')),
    name: process.name,
    isExecutable: true,
    documentation: w.documentation(process.description),
    'hd:key': process.key,
    'hd:version': process.version,
    'hd:state': process.state,
    'hd:startInterfaces': process.start?.interfaces?.join(' '),
    extensionElements: w.extensions([
      ...(process.start?.dialog ? [w.json('hd:StartDialog', process.start.dialog)] : []),
      ...(process.customerDescription !== undefined ? [w.create('hd:CustomerDescription', { text: process.customerDescription })] : []),
      ...(process.tests?.length ? [w.json('hd:Tests', process.tests)] : []),
      ...(process.i18n ? [w.json('hd:I18n', process.i18n)] : []),
    ]),
    flowElements: [...elements.values(), ...flows.values()],
  });

  // A process without any diagram (generated, or from a file without one) gets the layered layout.
  const drawn = !process.diagram && process.nodes.length <= MAX_ELK_NODES ? await withElkLayout(process) : process;
  const layout = layoutProcess(drawn);
  const given = drawn.diagram?.labels ?? {};
  const labels = { ...placeLabels(drawn, layout), ...given };
  const planeElements: ModdleElement[] = [];
  for (const [id, el] of elements) {
    const b = layout.shapes[id];
    if (!b) continue;
    planeElements.push(
      w.create('bpmndi:BPMNShape', {
        id: w.uniqueId(`${id}_di`),
        bpmnElement: el,
        isMarkerVisible: el.$type === 'bpmn:ExclusiveGateway' ? true : undefined,
        bounds: w.create('dc:Bounds', { x: b.x, y: b.y, width: b.w, height: b.h }),
        label: labels[id]
          ? w.create('bpmndi:BPMNLabel', { bounds: w.create('dc:Bounds', { x: labels[id].x, y: labels[id].y, width: labels[id].w, height: labels[id].h }) })
          : undefined,
      }),
    );
  }
  for (const [id, el] of flows) {
    const points = layout.edges[id];
    if (!points) continue;
    planeElements.push(
      w.create('bpmndi:BPMNEdge', {
        id: w.uniqueId(`${id}_di`),
        bpmnElement: el,
        waypoint: points.map(([x, y]) => w.create('dc:Point', { x, y })),
        label: labels[id]
          ? w.create('bpmndi:BPMNLabel', { bounds: w.create('dc:Bounds', { x: labels[id].x, y: labels[id].y, width: labels[id].w, height: labels[id].h }) })
          : undefined,
      }),
    );
  }
  const diagram = w.create('bpmndi:BPMNDiagram', {
    id: w.uniqueId('Diagram_1'),
    plane: w.create('bpmndi:BPMNPlane', { id: w.uniqueId('Plane_1'), bpmnElement: bpmnProcess, planeElement: planeElements }),
  });
  const definitions = w.create('bpmn:Definitions', {
    id: w.uniqueId('Definitions_1'),
    targetNamespace: 'http://helpdesk.invalid/processes',
    exporter: 'helpdesk',
    exporterVersion: '1',
    rootElements: [...w.errors.values(), bpmnProcess],
    diagrams: [diagram],
  });
  const { xml } = await moddle.toXML(definitions, { format: options.format ?? true });
  return `${xml}\n`;
}
