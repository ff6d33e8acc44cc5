import { describe, expect, it } from 'vitest';
import type { Dialog } from '../../model/dialog';
import { validateProcess } from '../index';
import { graph, runRule } from '../test-support';
import { fieldRules } from './field-rules';

function withDialog(dialog: Partial<Dialog>) {
  const doc = graph(['s:startEvent', 't:userTask', 'e:endEvent'], ['s>t', 't>e']);
  doc.start.dialog = {
    interfaces: ['customer'],
    fields: [{ field: 'DynamicField_Kind', display: 'mandatory' }, { field: 'DynamicField_Model', display: 'shown' }, { field: 'Priority', display: 'hidden', default: '3 normal' }],
    ...dialog,
  };
  return doc;
}

describe('rule: field rules', () => {
  it('accept rules between fields of the dialog', () => {
    const doc = withDialog({ rules: [{ when: { field: 'DynamicField_Kind', op: 'eq', value: 'laptop' }, then: 'show', fields: ['DynamicField_Model'] }] });
    expect(runRule(fieldRules, doc)).toEqual([]);
    expect(validateProcess(doc).filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('report a tested or acted-on field that is not in the dialog, by path', () => {
    const doc = withDialog({ rules: [{ when: { field: 'DynamicField_Colour', op: 'notEmpty' }, then: 'hide', fields: ['DynamicField_Model', 'Title'] }] });
    expect(runRule(fieldRules, doc).map((p) => `${p.code} ${p.path}`)).toEqual([
      'FIELD_RULE_UNKNOWN_FIELD /start/dialog/rules/0/when/field',
      'FIELD_RULE_UNKNOWN_FIELD /start/dialog/rules/0/fields/1',
    ]);
    expect(runRule(fieldRules, doc)[0]!.message).toContain('DynamicField_Colour');
  });

  it('report a rule acting on its own field, and warn about one acting on a hidden field', () => {
    const doc = withDialog({ rules: [{ when: { field: 'DynamicField_Kind', op: 'empty' }, then: 'require', fields: ['DynamicField_Kind', 'Priority'] }] });
    expect(runRule(fieldRules, doc).map((p) => `${p.severity}:${p.code}`)).toEqual(['error:FIELD_RULE_SELF', 'warning:FIELD_RULE_HIDDEN_FIELD']);
  });

  it('the schema names a malformed rule by path (an unknown effect, an eq without value)', () => {
    const doc = withDialog({ rules: [{ when: { field: 'DynamicField_Kind', op: 'eq' }, then: 'blink', fields: ['DynamicField_Model'] }] as never });
    const paths = validateProcess(doc).filter((p) => p.severity === 'error').map((p) => p.path);
    expect(paths).toContain('/start/dialog/rules/0/then');
    expect(paths.some((p) => p.startsWith('/start/dialog/rules/0/when'))).toBe(true);
  });
});
