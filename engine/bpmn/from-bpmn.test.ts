import { describe, expect, it } from 'vitest';
import { validateProcess } from '../validation/index';
import { fromBpmn } from './from-bpmn';

const NS = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
const bpmn = (body: string, extra = '') => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NS} id="D" targetNamespace="http://example.com">${extra}
  <bpmn:process id="Process_1" name="Order handling" isExecutable="true">${body}</bpmn:process>
</bpmn:definitions>`;

describe('fromBpmn: mappings', () => {
  it('converts plain events, tasks and flows, keeping names and documentation', async () => {
    const { process, warnings, unsupported } = await fromBpmn(bpmn(`
      <bpmn:startEvent id="s" name="Order received"><bpmn:documentation>From the shop</bpmn:documentation></bpmn:startEvent>
      <bpmn:userTask id="check" name="Check order" />
      <bpmn:endEvent id="e" />
      <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="check" />
      <bpmn:sequenceFlow id="f2" name="done" sourceRef="check" targetRef="e" />`));
    expect(process).toMatchObject({
      format: 'process/1', key: 'order-handling', name: 'Order handling', start: { interfaces: ['agent'] },
      nodes: [
        { id: 's', type: 'startEvent', name: 'Order received', description: 'From the shop' },
        { id: 'check', type: 'userTask', name: 'Check order', dialog: { interfaces: ['agent'], fields: [] } },
        { id: 'e', type: 'endEvent' },
      ],
      transitions: [{ id: 'f1', from: 's', to: 'check' }, { id: 'f2', from: 'check', to: 'e', name: 'done' }],
    });
    expect(warnings).toEqual([]);
    expect(unsupported).toEqual([]);
    expect(validateProcess(process)).toEqual([]);
  });

  it('keeps a task\'s default flow last and reports the empty condition and the dropped loop (issue 19, item 4)', async () => {
    const { process, changed } = await fromBpmn(bpmn(`
      <bpmn:userTask id="a" default="d" />
      <bpmn:userTask id="b"><bpmn:multiInstanceLoopCharacteristics /></bpmn:userTask><bpmn:userTask id="c" />
      <bpmn:sequenceFlow id="d" sourceRef="a" targetRef="b" />
      <bpmn:sequenceFlow id="x" sourceRef="a" targetRef="c"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" language="http://www.w3.org/1999/XPath" /></bpmn:sequenceFlow>`));
    expect(process.transitions.map((t) => [t.id, t.order])).toEqual([['d', 2], ['x', 1]]);
    expect(changed.map((c) => c.id).sort()).toEqual(['a', 'b', 'x']);
    expect(changed.find((c) => c.id === 'b')?.reason).toMatch(/multi-instance \(parallel\)/);
  });

  it('turns plain and manual tasks into user tasks, with a warning', async () => {
    const { process, changed } = await fromBpmn(bpmn('<bpmn:task id="t" /><bpmn:manualTask id="m" />'));
    expect(process.nodes.map((n) => n.type)).toEqual(['userTask', 'userTask']);
    expect(changed).toEqual([
      { id: 't', type: 'bpmn:Task', reason: expect.stringMatching(/it is a plain task; it became a user task/) },
      { id: 'm', type: 'bpmn:ManualTask', reason: expect.stringMatching(/it is a manual task/) },
    ]);
  });

  it('keeps start/end events with triggers as plain ones, with a warning', async () => {
    const { process, changed } = await fromBpmn(bpmn('<bpmn:startEvent id="s"><bpmn:messageEventDefinition /></bpmn:startEvent><bpmn:endEvent id="e"><bpmn:terminateEventDefinition /></bpmn:endEvent>'));
    expect(process.nodes.map((n) => n.type)).toEqual(['startEvent', 'endEvent']);
    expect(changed.map((c) => `${c.id}: ${c.reason}`)).toEqual([expect.stringMatching(/^s: it is a message start event/), expect.stringMatching(/^e: it is a terminate end event/)]);
  });

  it('reads script tasks (inline source, other languages flagged) and service tasks', async () => {
    const { process, warnings } = await fromBpmn(bpmn(`
      <bpmn:scriptTask id="js" scriptFormat="javascript"><bpmn:script>return 1</bpmn:script></bpmn:scriptTask>
      <bpmn:scriptTask id="groovy" scriptFormat="groovy"><bpmn:script>println 1</bpmn:script></bpmn:scriptTask>
      <bpmn:serviceTask id="svc" implementation="##WebService" />`));
    expect(process.nodes).toEqual([
      { id: 'js', type: 'scriptTask', script: { source: 'return 1' } },
      { id: 'groovy', type: 'scriptTask', script: { source: 'println 1' } },
      { id: 'svc', type: 'serviceTask', service: { webservice: '', operation: '' } },
    ]);
    expect(warnings).toEqual([expect.stringMatching(/"groovy" is written in "groovy"/), expect.stringMatching(/"svc" names no web service operation/)]);
  });

  it('maps gateways, the default flow and condition expressions', async () => {
    const { process, warnings } = await fromBpmn(bpmn(`
      <bpmn:exclusiveGateway id="g" default="f3" /><bpmn:parallelGateway id="p" /><bpmn:endEvent id="e" />
      <bpmn:sequenceFlow id="f1" sourceRef="g" targetRef="p"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">ticket.priority &gt; 3</bpmn:conditionExpression></bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="f2" sourceRef="g" targetRef="e"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">\${amount &gt; 100}</bpmn:conditionExpression></bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="f3" sourceRef="g" targetRef="e" />
      <bpmn:sequenceFlow id="f4" sourceRef="p" targetRef="e"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" language="https://www.omg.org/spec/DMN/20191111/FEEL/">x</bpmn:conditionExpression></bpmn:sequenceFlow>`));
    expect(process.nodes).toEqual([{ id: 'g', type: 'exclusiveGateway', default: 'f3' }, { id: 'p', type: 'parallelGateway' }, { id: 'e', type: 'endEvent' }]);
    expect(process.transitions.map((t) => t.condition)).toEqual([{ expression: 'ticket.priority > 3' }, { expression: '${amount > 100}' }, undefined, { expression: 'x' }]);
    expect(warnings).toEqual([expect.stringMatching(/"f2".*JUEL or FEEL/), expect.stringMatching(/"f4" is written in "https:\/\/www.omg.org/)]);
  });

  it('maps timers (catch and boundary) and error boundaries', async () => {
    const { process, unsupported } = await fromBpmn(bpmn(`
      <bpmn:userTask id="t" /><bpmn:serviceTask id="svc" />
      <bpmn:intermediateCatchEvent id="d"><bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression"> PT1H </bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:intermediateCatchEvent id="at"><bpmn:timerEventDefinition><bpmn:timeDate xsi:type="bpmn:tFormalExpression">2030-01-01T00:00:00Z</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:boundaryEvent id="every" attachedToRef="t" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeCycle xsi:type="bpmn:tFormalExpression">R3/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      <bpmn:boundaryEvent id="fail" attachedToRef="svc"><bpmn:errorEventDefinition errorRef="Err" /></bpmn:boundaryEvent>
      <bpmn:boundaryEvent id="msg" attachedToRef="t"><bpmn:messageEventDefinition /></bpmn:boundaryEvent>
      <bpmn:intermediateCatchEvent id="signal"><bpmn:signalEventDefinition /></bpmn:intermediateCatchEvent>`, '<bpmn:error id="Err" errorCode="HTTP_5XX" />'));
    expect(process.nodes.slice(2)).toEqual([
      { id: 'd', type: 'intermediateTimer', duration: 'PT1H' },
      { id: 'at', type: 'intermediateTimer', date: '2030-01-01T00:00:00Z' },
      { id: 'every', type: 'boundaryTimer', attachedTo: 't', cycle: 'R3/PT1H', interrupting: false },
      { id: 'fail', type: 'boundaryError', attachedTo: 'svc', errorCode: 'HTTP_5XX' },
    ]);
    expect(unsupported).toEqual([
      { id: 'msg', type: 'bpmn:BoundaryEvent', reason: 'message boundary events are not supported' },
      { id: 'signal', type: 'bpmn:IntermediateCatchEvent', reason: expect.stringMatching(/\(signal\) are not supported; only timers are/) },
    ]);
  });

  it('maps call activities, making the called element a process key', async () => {
    const { process, warnings } = await fromBpmn(bpmn('<bpmn:callActivity id="c" calledElement="Sub_Process" />'));
    expect(process.nodes).toEqual([{ id: 'c', type: 'callActivity', process: 'sub-process', version: 'latest', binding: 'same-ticket' }]);
    expect(warnings).toEqual([expect.stringMatching(/calls "Sub_Process", which is not a process key; it now calls "sub-process"/)]);
  });

  it('reports unsupported elements one by one, with the flows that touch them', async () => {
    const { process, unsupported } = await fromBpmn(bpmn(`
      <bpmn:laneSet id="ls"><bpmn:lane id="lane1" name="Sales" /></bpmn:laneSet>
      <bpmn:startEvent id="s" />
      <bpmn:subProcess id="sub"><bpmn:startEvent id="inner" /></bpmn:subProcess>
      <bpmn:inclusiveGateway id="inc" />
      <bpmn:dataObject id="data" />
      <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="sub" />
      <bpmn:textAnnotation id="note" />`));
    expect(process.nodes.map((n) => n.id)).toEqual(['s']);
    expect(unsupported.map((u) => `${u.id} ${u.type}`)).toEqual([
      'lane1 bpmn:Lane', 'note bpmn:TextAnnotation', 'sub bpmn:SubProcess', 'inc bpmn:InclusiveGateway', 'data bpmn:DataObject', 'f1 bpmn:SequenceFlow',
    ]);
    expect(unsupported[2]!.reason).toMatch(/1 elements inside were not converted/);
    expect(unsupported[5]!.reason).toMatch(/connects "sub", which was not converted/);
  });

  it('converts the first pool and reports the others and message flows', async () => {
    const xml = `<?xml version="1.0"?><bpmn:definitions ${NS} id="D" targetNamespace="x">
      <bpmn:collaboration id="c"><bpmn:participant id="p1" processRef="A" /><bpmn:participant id="p2" processRef="B" /><bpmn:messageFlow id="m" sourceRef="a1" targetRef="b1" /></bpmn:collaboration>
      <bpmn:process id="A"><bpmn:startEvent id="a1" /></bpmn:process>
      <bpmn:process id="B"><bpmn:startEvent id="b1" /></bpmn:process></bpmn:definitions>`;
    const { process, unsupported } = await fromBpmn(xml);
    expect(process.nodes.map((n) => n.id)).toEqual(['a1']);
    expect(unsupported.map((u) => `${u.id} ${u.type}`)).toEqual(['p2 bpmn:Participant', 'm bpmn:MessageFlow']);
  });

  it('reads the diagram of converted elements', async () => {
    const { process } = await fromBpmn(bpmn('<bpmn:startEvent id="s" /><bpmn:endEvent id="e" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="e" />', '') .replace('</bpmn:definitions>', `
      <bpmndi:BPMNDiagram id="d"><bpmndi:BPMNPlane id="pl" bpmnElement="Process_1">
        <bpmndi:BPMNShape id="s_di" bpmnElement="s"><dc:Bounds x="10" y="20.5" width="36" height="36" /></bpmndi:BPMNShape>
        <bpmndi:BPMNShape id="e_di" bpmnElement="e"><dc:Bounds x="100" y="20" width="36" height="36" /></bpmndi:BPMNShape>
        <bpmndi:BPMNEdge id="f_di" bpmnElement="f"><di:waypoint x="46" y="38" /><di:waypoint x="100" y="38" /></bpmndi:BPMNEdge>
      </bpmndi:BPMNPlane></bpmndi:BPMNDiagram></bpmn:definitions>`));
    expect(process.diagram).toEqual({
      shapes: { s: { x: 10, y: 20.5, w: 36, h: 36 }, e: { x: 100, y: 20, w: 36, h: 36 } },
      edges: { f: [[46, 38], [100, 38]] },
    });
  });
});

describe('fromBpmn: hostile and odd input', () => {
  it('decodes ISO-8859-1 bytes as declared', async () => {
    const xml = bpmn('<bpmn:userTask id="t" name="Prüfung größer" />').replace('UTF-8', 'ISO-8859-1');
    const bytes = Uint8Array.from([...xml].map((c) => c.charCodeAt(0)));
    const { process, warnings } = await fromBpmn(bytes);
    expect(process.nodes[0]!.name).toBe('Prüfung größer');
    expect(warnings).toEqual([]);
  });

  it('tolerates unresolved references, reporting them', async () => {
    const { process, warnings, unsupported } = await fromBpmn(bpmn('<bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="ghost" /><bpmn:boundaryEvent id="b" attachedToRef="nothing"><bpmn:timerEventDefinition /></bpmn:boundaryEvent>'));
    expect(process.nodes.map((n) => n.id)).toEqual(['s']);
    expect(unsupported).toEqual(expect.arrayContaining([{ id: 'b', type: 'bpmn:BoundaryEvent', reason: 'it is attached to no task' }]));
    expect(warnings).toEqual(expect.arrayContaining([expect.stringMatching(/unresolved reference <ghost>/), expect.stringMatching(/"b" is not attached/)]));
  });

  it('shortens ids that are too long for a process id, consistently', async () => {
    const long = `Task_${'x'.repeat(150)}`;
    const { process, warnings } = await fromBpmn(bpmn(`<bpmn:startEvent id="${long}" /><bpmn:endEvent id="e" /><bpmn:sequenceFlow id="f" sourceRef="${long}" targetRef="e" />`));
    expect(process.nodes[0]!.id).toHaveLength(120);
    expect(process.transitions[0]!.from).toBe(process.nodes[0]!.id);
    expect(warnings).toEqual([expect.stringMatching(/is not a valid process id; it became/)]);
  });

  it('reports elements the XML reader could not take (non-ASCII ids) instead of failing', async () => {
    const { process, warnings, unsupported } = await fromBpmn(bpmn('<bpmn:startEvent id="ä1" /><bpmn:endEvent id="e" /><bpmn:sequenceFlow id="f" sourceRef="ä1" targetRef="e" />'));
    expect(process.nodes.map((n) => n.id)).toEqual(['e']);
    expect(warnings).toEqual([expect.stringMatching(/unparsable content <bpmn:startEvent>/), expect.stringMatching(/unresolved reference <ä1>/)]);
    expect(unsupported).toEqual([{ id: 'f', type: 'bpmn:SequenceFlow', reason: 'it has no source or target' }]);
  });

  it('gives a clear error for malformed XML, non-BPMN XML and files without a process', async () => {
    await expect(fromBpmn('<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"><bpmn:process id="p"><bpmn:task')).rejects.toMatchObject({ type: 'ProcessFormatError', code: 'XML_MALFORMED' });
    await expect(fromBpmn('<html><body>hi</body></html>')).rejects.toMatchObject({ code: 'XML_NOT_BPMN' });
    await expect(fromBpmn('not xml at all')).rejects.toMatchObject({ code: 'XML_NOT_BPMN' });
    await expect(fromBpmn(`<bpmn:definitions ${NS} id="D" targetNamespace="x"><bpmn:message id="m" /></bpmn:definitions>`)).rejects.toMatchObject({ code: 'BPMN_NO_PROCESS' });
  });

  it('does not expand entities (billion laughs)', async () => {
    const lol = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
      <bpmn:definitions ${NS} id="D" targetNamespace="x"><bpmn:process id="p" name="&lol3;"><bpmn:startEvent id="s" /></bpmn:process></bpmn:definitions>`;
    // How long it takes is a benchmark (test/bench/engine-limits.ts), not a test.
    const result = await fromBpmn(lol).catch((e: unknown) => e);
    expect(JSON.stringify(result).length).toBeLessThan(100_000);
  });

  it('converts every process of a file, called ones first, and calls the key the called process gets', async () => {
    const xml = `<?xml version="1.0"?><bpmn:definitions ${NS} id="D" targetNamespace="x">
      <bpmn:process id="Main" name="Main flow" isExecutable="true"><bpmn:startEvent id="s" /><bpmn:callActivity id="call" calledElement="Sub_Process" />
        <bpmn:sequenceFlow id="f" sourceRef="s" targetRef="call" /></bpmn:process>
      <bpmn:process id="Idle" isExecutable="false"><bpmn:startEvent id="i" /></bpmn:process>
      <bpmn:process id="Sub_Process" name="Main flow" isExecutable="false"><bpmn:startEvent id="t" /></bpmn:process></bpmn:definitions>`;
    const { process, others, unsupported, warnings } = await fromBpmn(xml);
    expect(process.key).toBe('main-flow');
    // Same name, so the called process gets a key of its own; the call follows it, without a warning.
    expect(others.map((o) => o.process.key)).toEqual(['main-flow-2']);
    expect(process.key === 'main-flow' && process.nodes.find((n) => n.id === 'call')).toMatchObject({ type: 'callActivity', process: 'main-flow-2' });
    expect(warnings.join(' ')).not.toContain('not a process key');
    expect(unsupported.map((u) => `${u.id} ${u.reason}`)).toEqual(['Idle a non-executable process that nothing calls is not converted']);
  });
});

