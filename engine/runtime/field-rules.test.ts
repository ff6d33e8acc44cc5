import { describe, expect, it } from 'vitest';
import type { Dialog } from '../model/dialog';
import { fieldStates } from './field-rules';

const dialog: Dialog = {
  interfaces: ['customer'],
  fields: [
    { field: 'DynamicField_Kind', display: 'mandatory' },
    { field: 'DynamicField_Model', display: 'shown' },
    { field: 'DynamicField_Reason', display: 'shown' },
    { field: 'DynamicField_Extra', display: 'shown' },
    { field: 'Priority', display: 'hidden', default: '5 very high' },
  ],
  rules: [
    { when: { field: 'DynamicField_Kind', op: 'eq', value: 'laptop' }, then: 'show', fields: ['DynamicField_Model'] },
    { when: { field: 'DynamicField_Model', op: 'in', value: ['pro', 'max'] }, then: 'require', fields: ['DynamicField_Reason'] },
    { when: { field: 'DynamicField_Kind', op: 'eq', value: 'phone' }, then: 'hide', fields: ['DynamicField_Reason'] },
    { when: { field: 'Priority', op: 'eq', value: '5 very high' }, then: 'require', fields: ['DynamicField_Extra'] },
  ],
};

describe('fieldStates', () => {
  it('show: the field appears only while the rule holds', () => {
    expect(fieldStates(dialog, {}).DynamicField_Model).toEqual({ visible: false, required: false });
    expect(fieldStates(dialog, { DynamicField_Kind: 'laptop' }).DynamicField_Model).toEqual({ visible: true, required: false });
  });

  it('require: the field is mandatory while the rule holds; display mandatory always is', () => {
    expect(fieldStates(dialog, { DynamicField_Kind: 'laptop', DynamicField_Model: 'pro' }).DynamicField_Reason).toEqual({ visible: true, required: true });
    expect(fieldStates(dialog, { DynamicField_Kind: 'laptop', DynamicField_Model: 'basic' }).DynamicField_Reason!.required).toBe(false);
    expect(fieldStates(dialog, {}).DynamicField_Kind).toEqual({ visible: true, required: true });
  });

  it('hide: a hidden field is never mandatory', () => {
    expect(fieldStates(dialog, { DynamicField_Kind: 'phone', DynamicField_Model: 'pro' }).DynamicField_Reason).toEqual({ visible: false, required: false });
  });

  it('a field hidden by a rule counts as empty for the others (rules chain)', () => {
    // Model keeps a stale value "pro" but is hidden (Kind is not laptop): it requires nothing.
    expect(fieldStates(dialog, { DynamicField_Kind: 'tablet', DynamicField_Model: 'pro' }).DynamicField_Reason!.required).toBe(false);
  });

  it('a display-hidden field is never visible, and its default is the value rules see', () => {
    const s = fieldStates(dialog, {});
    expect(s.Priority!.visible).toBe(false);
    expect(s.DynamicField_Extra!.required).toBe(true);
  });

  it('multiselect values match by item; article values by body; a bad regex does not hold', () => {
    const d: Dialog = {
      interfaces: ['agent'],
      fields: [{ field: 'DynamicField_Tags', display: 'shown' }, { field: 'Article', display: 'shown' }, { field: 'Title', display: 'shown' }],
      rules: [
        { when: { field: 'DynamicField_Tags', op: 'eq', value: 'urgent' }, then: 'require', fields: ['Article'] },
        { when: { field: 'Article', op: 'contains', value: 'secret' }, then: 'hide', fields: ['Title'] },
        { when: { field: 'DynamicField_Tags', op: 'regex', value: '(' }, then: 'hide', fields: ['Title'] },
      ],
    };
    const s = fieldStates(d, { DynamicField_Tags: ['x', 'urgent'], Article: { body: 'a secret' } });
    expect(s.Article!.required).toBe(true);
    expect(s.Title!.visible).toBe(false);
    expect(fieldStates(d, { DynamicField_Tags: [], Article: { body: 'plain' } }).Title!.visible).toBe(true);
  });

  it('a dialog without rules keeps its displays', () => {
    expect(fieldStates({ fields: [{ field: 'Title', display: 'mandatory' }] }, {})).toEqual({ Title: { visible: true, required: true } });
  });
});
