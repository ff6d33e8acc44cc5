import { describe, expect, it } from 'vitest';
import type { Process } from '../model/types';
import { shownToCustomer } from '../model/types';
import { validateProcess } from '../validation/index';
import { fromBpmn } from './from-bpmn';
import { toBpmn } from './to-bpmn';

const doc: Process = {
  format: 'process/1', key: 'visible', name: 'Visible', description: 'admin notes', customerDescription: 'For you',
  start: {
    interfaces: ['customer'],
    dialog: {
      interfaces: ['customer'],
      fields: [{ field: 'DynamicField_Kind', display: 'shown' }, { field: 'DynamicField_Model', display: 'shown' }],
      rules: [{ when: { field: 'DynamicField_Kind', op: 'eq', value: 'laptop' }, then: 'show', fields: ['DynamicField_Model'] }],
    },
  },
  nodes: [
    { id: 'start', type: 'startEvent' },
    { id: 'calc', type: 'scriptTask', name: 'Calc', showToCustomer: true, script: { ref: 'x' } },
    { id: 'end', type: 'endEvent', showToCustomer: false },
  ],
  transitions: [{ id: 'a', from: 'start', to: 'calc' }, { id: 'b', from: 'calc', to: 'end' }],
};

describe('portal visibility and field rules in BPMN', () => {
  it('survive JSON → BPMN → JSON: customer description, show to customer, field rules', async () => {
    expect(validateProcess(doc).filter((p) => p.severity === 'error')).toEqual([]);
    const back = (await fromBpmn(await toBpmn(doc))).process;
    expect(back.customerDescription).toBe('For you');
    expect(back.description).toBe('admin notes');
    expect(back.nodes.find((n) => n.id === 'calc')!.showToCustomer).toBe(true);
    expect(back.nodes.find((n) => n.id === 'end')!.showToCustomer).toBe(false);
    expect(back.nodes.find((n) => n.id === 'start')!.showToCustomer).toBeUndefined();
    expect(back.start.dialog!.rules).toEqual(doc.start.dialog!.rules);
  });

  it('automatic steps are not shown to customers unless marked', () => {
    expect(shownToCustomer({ type: 'scriptTask' })).toBe(false);
    expect(shownToCustomer({ type: 'exclusiveGateway' })).toBe(false);
    expect(shownToCustomer({ type: 'userTask' })).toBe(true);
    expect(shownToCustomer({ type: 'serviceTask', showToCustomer: true })).toBe(true);
  });
});
