import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { validateProcess } from '../validation/index';
import { fromOtoboYaml } from './from-otobo';

const dialog = (id: string, fields: Record<string, unknown> = { Title: { Display: '2' } }) => ({
  EntityID: id, Name: `Dialog ${id}`, Config: { Interface: ['AgentInterface'], FieldOrder: Object.keys(fields), Fields: fields, RequiredLock: '0', SubmitButtonText: '' },
});

function exportOf(overrides: Record<string, unknown> = {}) {
  return {
    Process: {
      EntityID: 'P1', Name: 'Small process', State: 'Active',
      Activities: ['A1', 'A2', 'A3'],
      Config: {
        Description: 'Two steps',
        StartActivity: 'A1', StartActivityDialog: 'AD1',
        Path: {
          A1: { T2: { ActivityEntityID: 'A3' }, T1: { ActivityEntityID: 'A2', TransitionAction: ['TA1'] } },
          A2: { T1: { ActivityEntityID: 'A3' } },
          A3: {},
        },
      },
      Layout: { A1: { left: '10', top: '100' }, A2: { left: '300', top: '100' }, A3: { left: '600.5', top: '100' } },
    },
    Activities: {
      A1: { EntityID: 'A1', Name: 'Record', ActivityDialogs: ['AD1', 'AD2'], Config: { ActivityDialog: { 2: 'AD2', 1: 'AD1' } } },
      A2: { EntityID: 'A2', Name: 'Approve', ActivityDialogs: ['AD3'] },
      A3: { EntityID: 'A3', Name: 'Done', ActivityDialogs: [] },
    },
    ActivityDialogs: { AD1: dialog('AD1'), AD2: dialog('AD2', { Queue: { Display: '1' } }), AD3: dialog('AD3', { DynamicField_Approved: { Display: '2' } }) },
    Transitions: {
      T1: { EntityID: 'T1', Name: 'Recorded', Config: { Condition: { 1: { Type: 'and', Fields: { Title: { Type: 'Regexp', Match: '.+' } } } }, ConditionLinking: 'and' } },
      T2: { EntityID: 'T2', Name: 'Skip', Config: { Condition: { 1: { Type: 'and', Fields: { Queue: { Type: 'String', Match: 'Junk' } } } }, ConditionLinking: 'and' } },
    },
    TransitionActions: { TA1: { EntityID: 'TA1', Name: 'To HR', Config: { Module: 'Kernel::System::ProcessManagement::TransitionAction::TicketQueueSet', Config: { Queue: 'HR' } } } },
    ...overrides,
  };
}

describe('fromOtoboYaml', () => {
  const { process, warnings, unsupported, changed } = fromOtoboYaml(stringify(exportOf()));

  it('reads the process: key from the name, description, state, start dialog', () => {
    expect(process).toMatchObject({ format: 'process/1', key: 'small-process', name: 'Small process', description: 'Two steps', state: 'active' });
    expect(process.start).toEqual({ interfaces: ['agent'], dialog: expect.objectContaining({ id: 'AD1', fields: [{ field: 'Title', display: 'mandatory' }] }) });
    expect(warnings).toEqual([]);
    expect(unsupported).toEqual([]);
  });

  it('makes activities user tasks (dialogs in their configured order) and a dead-end activity without dialogs an end event', () => {
    expect(process.nodes).toEqual([
      { id: 'StartEvent', type: 'startEvent', name: 'Start' },
      { id: 'AfterStartDialog', type: 'exclusiveGateway', name: 'After the start dialog', default: 'AfterStartDialog_wait' },
      expect.objectContaining({ id: 'A1', type: 'userTask', name: 'Record', dialog: expect.objectContaining({ id: 'AD1' }), alternativeDialogs: [expect.objectContaining({ id: 'AD2' })] }),
      expect.objectContaining({ id: 'A2', type: 'userTask', name: 'Approve' }),
      { id: 'A3', type: 'endEvent', name: 'Done' },
    ]);
  });

  it('turns Path into transitions, ordered by transition entity id, with conditions and actions', () => {
    expect(process.transitions).toEqual([
      { id: 'StartEvent_flow', from: 'StartEvent', to: 'AfterStartDialog' },
      { id: 'T1_A1_atStart', from: 'AfterStartDialog', to: 'A2', name: 'Recorded', order: 1, condition: { all: [{ all: [{ field: 'Title', op: 'regex', value: '.+' }] }] }, actions: [{ type: 'TicketQueueSet', name: 'To HR', queue: 'HR' }] },
      { id: 'T2_atStart', from: 'AfterStartDialog', to: 'A3', name: 'Skip', order: 2, condition: { all: [{ all: [{ field: 'Queue', op: 'eq', value: 'Junk' }] }] } },
      { id: 'AfterStartDialog_wait', from: 'AfterStartDialog', to: 'A1', name: 'No transition holds yet' },
      { id: 'T1_A1', from: 'A1', to: 'A2', name: 'Recorded', order: 1, condition: { all: [{ all: [{ field: 'Title', op: 'regex', value: '.+' }] }] }, actions: [{ type: 'TicketQueueSet', name: 'To HR', queue: 'HR' }] },
      { id: 'T2', from: 'A1', to: 'A3', name: 'Skip', order: 2, condition: { all: [{ all: [{ field: 'Queue', op: 'eq', value: 'Junk' }] }] } },
      { id: 'T1_A2', from: 'A2', to: 'A3', name: 'Recorded', condition: { all: [{ all: [{ field: 'Title', op: 'regex', value: '.+' }] }] } },
    ]);
  });

  it('keeps the canvas layout and places the added start event before the first activity', () => {
    expect(process.diagram!.shapes).toEqual({
      A1: { x: 196, y: 100, w: 100, h: 80 },
      A2: { x: 486, y: 100, w: 100, h: 80 },
      A3: { x: 819, y: 122, w: 36, h: 36 },
      StartEvent: { x: 20, y: 122, w: 36, h: 36 },
      AfterStartDialog: { x: 101, y: 115, w: 50, h: 50 },
    });
  });

  it('checks the start activity\'s transitions right after the start dialog, as OTOBO does (issue 19, item 3)', () => {
    expect(changed).toEqual([{ id: 'A1', type: 'Activity', reason: expect.stringContaining('checked right after the start dialog') }]);
  });

  it('gives a valid process', () => {
    expect(validateProcess(process)).toEqual([]);
  });

  it('leads an activity with dialogs but no way out to an added end event', () => {
    const doc = exportOf();
    doc.Process.Config.Path = { A1: { T1: { ActivityEntityID: 'A2' } }, A2: {}, A3: {} } as never;
    const r = fromOtoboYaml(stringify(doc));
    expect(r.process.nodes.map((n) => `${n.id}:${n.type}`)).toEqual(['StartEvent:startEvent', 'AfterStartDialog:exclusiveGateway', 'A1:userTask', 'A2:userTask', 'End_A2:endEvent']);
    expect(r.process.transitions.at(-1)).toEqual({ id: 'End_A2_flow', from: 'A2', to: 'End_A2' });
    expect(r.unsupported).toEqual([{ id: 'A3', type: 'Activity', reason: 'no path leads to "Done" from the start activity, so it was left out' }]);
    expect(validateProcess(r.process)).toEqual([]);
  });

  it('reports missing entities and unsupported parts without dropping the transition', () => {
    const doc = exportOf({ Transitions: {}, TransitionActions: {} });
    const r = fromOtoboYaml(stringify(doc));
    expect(r.unsupported).toEqual([
      { id: 'T1', type: 'Transition', reason: 'the transition is missing from the export' },
      { id: 'TA1', type: 'TransitionAction', reason: 'the transition action is missing from the export' },
      { id: 'T2', type: 'Transition', reason: 'the transition is missing from the export' },
    ]);
    expect(new Set(validateProcess(r.process).map((p) => p.code))).toEqual(new Set(['UNSUPPORTED_CONDITION']));
  });

  it('turns an empty process into start → end', () => {
    const r = fromOtoboYaml('Process:\n  Name: Empty Process\n  Activities: []\n  Config:\n    Path: {}\n    StartActivity: ""\n  Layout: {}\n');
    expect(r.process.nodes.map((n) => n.type)).toEqual(['startEvent', 'endEvent']);
    expect(validateProcess(r.process)).toEqual([]);
  });

  it('refuses YAML that is not a process export', () => {
    expect(() => fromOtoboYaml('- just\n- a list\n')).toThrow(expect.objectContaining({ code: 'OTOBO_NOT_A_PROCESS' }));
    expect(() => fromOtoboYaml('Process: [')).toThrow(expect.objectContaining({ code: 'YAML_MALFORMED' }));
  });
});
