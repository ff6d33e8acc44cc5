import { describe, expect, it } from 'vitest';
import type { DialogField } from '../../model/dialog';
import { graph, runRule } from '../test-support';
import { dialogs } from './dialogs';

function withFields(fields: DialogField[]) {
  const doc = graph(['s:startEvent', 't:userTask', 'e:endEvent'], ['s>t', 't>e']);
  doc.start.dialog = { interfaces: ['customer'], fields: [{ field: 'Title', display: 'mandatory' }] };
  doc.nodes[1] = { id: 't', type: 'userTask', dialog: { interfaces: ['agent'], fields } };
  return runRule(dialogs, doc);
}

describe('rule: dialog fields', () => {
  it('accept ticket fields, Article options and dynamic fields', () => {
    expect(withFields([
      { field: 'Queue', display: 'shown' },
      { field: 'DynamicField_Approved', display: 'mandatory' },
      { field: 'Article', display: 'shown', visibleForCustomer: true, channel: 'Email' },
      { field: 'State', display: 'hidden', default: 'open' },
    ])).toEqual([]);
  });

  it('report unknown fields (variables are not dialog fields)', () => {
    expect(withFields([{ field: 'Colour', display: 'shown' }, { field: 'vars.x', display: 'shown' }]).map((p) => p.path)).toEqual([
      '/nodes/1/dialog/fields/0/field', '/nodes/1/dialog/fields/1/field',
    ]);
  });

  it('report a field listed twice', () => {
    expect(withFields([{ field: 'Queue', display: 'shown' }, { field: 'Queue', display: 'mandatory' }])).toMatchObject([{ code: 'DIALOG_FIELD_DUPLICATE', path: '/nodes/1/dialog/fields/1/field' }]);
  });

  it('warn about Article options on other fields and hidden fields without a default', () => {
    expect(withFields([{ field: 'Title', display: 'shown', channel: 'Email' }, { field: 'Priority', display: 'hidden' }]).map((p) => `${p.severity}:${p.code}`)).toEqual([
      'warning:DIALOG_OPTION_NOT_APPLICABLE', 'warning:DIALOG_HIDDEN_WITHOUT_DEFAULT',
    ]);
  });

  it('check the start dialog and alternative dialogs too', () => {
    const doc = graph(['s:startEvent', 't:userTask', 'e:endEvent'], ['s>t', 't>e']);
    doc.start.dialog = { interfaces: ['customer'], fields: [{ field: 'Nope', display: 'shown' }] };
    doc.nodes[1] = { id: 't', type: 'userTask', dialog: { interfaces: ['agent'], fields: [] }, alternativeDialogs: [{ interfaces: ['agent'], fields: [{ field: 'Nope2', display: 'shown' }] }] };
    expect(runRule(dialogs, doc).map((p) => p.path)).toEqual(['/start/dialog/fields/0/field', '/nodes/1/alternativeDialogs/0/fields/0/field']);
  });
});
