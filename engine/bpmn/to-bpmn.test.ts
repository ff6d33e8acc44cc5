import { describe, expect, it } from 'vitest';
import { copy, kitchenSink, minimalProcess } from '../model/fixtures';
import type { Process } from '../model/types';
import { deepEqual } from '../model/json';
import { fromBpmn } from './from-bpmn';
import { createModdle, HD_CONDITION_LANGUAGE } from './moddle';
import { toBpmn } from './to-bpmn';

describe('toBpmn', () => {
  it('writes standard BPMN where BPMN has the concept', async () => {
    const xml = await toBpmn(kitchenSink);
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<bpmn:definitions/);
    expect(xml).toContain('<bpmn:exclusiveGateway id="route" name="Route" default="toOther">');
    expect(xml).toContain('<bpmn:boundaryEvent id="reviewLate" cancelActivity="false" attachedToRef="review">');
    expect(xml).toContain('<bpmn:timeCycle xsi:type="bpmn:tFormalExpression">R3/PT1H</bpmn:timeCycle>');
    expect(xml).toMatch(/<bpmn:error id="Error_HTTP_5XX" name="HTTP_5XX" errorCode="HTTP_5XX" \/>/);
    expect(xml).toContain('<bpmn:errorEventDefinition errorRef="Error_HTTP_5XX" />');
    expect(xml).toContain('<bpmn:callActivity id="sub" name="Sub-process" calledElement="sub-process" hd:calledVersion="2" hd:binding="child-ticket">');
    expect(xml).toContain('<bpmn:scriptTask id="calc" name="Calculate" scriptFormat="javascript" hd:timeoutMs="500">');
    expect(xml).toContain('<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" language="javascript">vars.total &gt; 0</bpmn:conditionExpression>');
    expect(xml).toContain(`language="${HD_CONDITION_LANGUAGE}"`);
  });

  it('never writes a boundary event without its host (issue 19, item 8)', async () => {
    const doc = copy(minimalProcess());
    doc.nodes.push({ id: 'late', type: 'boundaryTimer', attachedTo: 'gone', duration: 'PT1H' });
    doc.transitions.push({ id: 'fromLate', from: 'late', to: doc.nodes.find((n) => n.type === 'endEvent')!.id });
    const xml = await toBpmn(doc);
    expect(xml).not.toContain('attachedToRef=""');
    expect(xml).not.toContain('id="late"');
    expect(xml).not.toContain('id="fromLate"');
    const { warnings } = await createModdle().fromXML(xml, 'bpmn:Definitions');
    expect(warnings).toEqual([]);
  });

  it('leaves out a boundary event whose host was not converted, saying so (issue 19, item 8)', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="http://example.com">
  <bpmn:process id="p" name="Host gone" isExecutable="true">
    <bpmn:startEvent id="s" /><bpmn:subProcess id="inner" /><bpmn:endEvent id="e" />
    <bpmn:boundaryEvent id="late" attachedToRef="inner"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="inner" /><bpmn:sequenceFlow id="f2" sourceRef="late" targetRef="e" />
  </bpmn:process>
</bpmn:definitions>`;
    const { process, unsupported } = await fromBpmn(xml);
    expect(process.nodes.map((n) => n.id)).toEqual(['s', 'e']);
    expect(unsupported).toEqual(expect.arrayContaining([{ id: 'late', type: 'bpmn:BoundaryEvent', reason: 'it is attached to "inner", which was not converted' }]));
    expect(await toBpmn(process)).not.toContain('attachedToRef');
  });

  it('carries the helpdesk attributes in the hd namespace', async () => {
    const xml = await toBpmn(kitchenSink);
    expect(xml).toContain('xmlns:hd="http://helpdesk.invalid/schema/bpmn/hd"');
    expect(xml).toContain('hd:key="kitchen-sink" hd:version="3" hd:state="fadeaway" hd:startInterfaces="agent customer"');
    expect(xml).toContain('<hd:assign queue="Review" role="Reviewers" agent="alice" />');
    expect(xml).toContain('<hd:errorMapping when="5XX" code="HTTP_5XX" />');
    expect(xml).toContain('<hd:input name="amount" value="{{vars.total}}" />');
    expect(xml).toMatch(/<hd:dialog>\{"id":"AD1"/);
    expect(xml).toMatch(/<hd:actions>\[\{"type":"TicketQueueSet"/);
  });

  it('writes DI for every node and transition, generating a layout when there is none', async () => {
    const p = minimalProcess();
    const { rootElement } = await createModdle().fromXML(await toBpmn(p));
    const plane = (rootElement.diagrams as any[])[0].plane;
    const shapes = plane.planeElement.filter((e: any) => e.$type === 'bpmndi:BPMNShape');
    const edges = plane.planeElement.filter((e: any) => e.$type === 'bpmndi:BPMNEdge');
    expect(shapes.map((s: any) => s.bpmnElement.id)).toEqual(['start', 'task', 'end']);
    expect(edges.map((e: any) => e.bpmnElement.id)).toEqual(['t1', 't2']);
    const xs = shapes.map((s: any) => s.bounds.x);
    expect(xs[0]).toBeLessThan(xs[1]);
    expect(xs[1]).toBeLessThan(xs[2]);
    expect(plane.bpmnElement.id).toBe('Process_minimal');
  });

  it('round-trips every property of the kitchen-sink process', async () => {
    const { process, warnings, unsupported } = await fromBpmn(await toBpmn(kitchenSink));
    expect(warnings).toEqual([]);
    expect(unsupported).toEqual([]);
    const { diagram: _d1, ...expected } = kitchenSink;
    const { diagram, ...actual } = process;
    expect(actual).toEqual(expected);
    expect(diagram!.shapes.review).toEqual(kitchenSink.diagram!.shapes.review);
    expect(deepEqual(diagram!.edges.t1, kitchenSink.diagram!.edges.t1)).toBe(true);
  });

  it('keeps an explicit interrupting flag and an empty action list', async () => {
    const p = copy(minimalProcess());
    p.nodes.push({ id: 'b', type: 'boundaryTimer', attachedTo: 'task', duration: 'PT1H', interrupting: true });
    p.transitions[1]!.actions = [];
    const back = (await fromBpmn(await toBpmn(p))).process;
    expect(back.nodes[3]).toEqual(p.nodes[3]);
    expect(back.transitions[1]!.actions).toEqual([]);
  });

  it('writes drafts with gaps (the designer saves work in progress) without throwing', async () => {
    const draft = {
      format: 'process/1', key: 'draft', name: 'Draft', start: { interfaces: ['agent'] },
      nodes: [{ id: 'a', type: 'scriptTask' }, { id: 'b', type: 'serviceTask' }, { id: 'c', type: 'userTask' }, { id: 'd', type: 'mystery' }],
      transitions: [{ id: 't', from: 'a', to: 'nowhere' }, { id: 'u', from: 'a', to: 'b', condition: null }],
    } as unknown as Process;
    const back = await fromBpmn(await toBpmn(draft));
    expect(back.process.nodes.map((n) => n.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(back.process.transitions.map((t) => t.id)).toEqual(['u']);
  });

  it('gives DI elements ids that do not clash with node ids', async () => {
    const p = copy(minimalProcess());
    p.nodes[1]!.id = 'start_di';
    p.transitions[0]!.to = 'start_di';
    p.transitions[1]!.from = 'start_di';
    const xml = await toBpmn(p);
    const ids = [...xml.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
