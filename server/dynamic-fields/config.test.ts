/** Dynamic field configuration rules, each problem named by its JSON path. */
import { describe, expect, it } from 'vitest';
import { checkFieldConfig } from './config';

const fails = (fn: () => void, path: string) => expect(fn).toThrow(expect.objectContaining({ status: 400, path }));

describe('dynamic field configuration', () => {
  it('needs possible values for dropdowns and multiselects', () => {
    fails(() => checkFieldConfig('F', 'dropdown', {}), '/config/possibleValues');
    fails(() => checkFieldConfig('F', 'multiselect', { possibleValues: {} }), '/config/possibleValues');
    expect(() => checkFieldConfig('F', 'dropdown', { possibleValues: { a: 'A' } })).not.toThrow();
  });

  it('refuses settings the type does not take', () => {
    fails(() => checkFieldConfig('F', 'text', { possibleValues: { a: 'A' } }), '/config/possibleValues');
    fails(() => checkFieldConfig('F', 'checkbox', { regex: 'x' }), '/config/regex');
    fails(() => checkFieldConfig('F', 'text', { min: 1 }), '/config/min');
  });

  it('refuses a regex that does not compile and min above max', () => {
    fails(() => checkFieldConfig('F', 'text', { regex: '([a-z' }), '/config/regex');
    fails(() => checkFieldConfig('F', 'integer', { min: 5, max: 3 }), '/config/min');
    expect(() => checkFieldConfig('F', 'integer', { min: 3, max: 3 })).not.toThrow();
  });

  it('judges the default value by the field value schema', () => {
    fails(() => checkFieldConfig('F', 'dropdown', { possibleValues: { a: 'A' }, defaultValue: 'b' }), '/config/defaultValue');
    fails(() => checkFieldConfig('F', 'integer', { min: 1, max: 10, defaultValue: 11 }), '/config/defaultValue');
    fails(() => checkFieldConfig('F', 'text', { regex: '^[0-9]+$', defaultValue: 'abc' }), '/config/defaultValue');
    fails(() => checkFieldConfig('F', 'date', { defaultValue: '2026-13-45' }), '/config/defaultValue');
    fails(() => checkFieldConfig('F', 'multiselect', { possibleValues: { a: 'A' }, defaultValue: ['a', 'z'] }), '/config/defaultValue/1');
    expect(() => checkFieldConfig('F', 'multiselect', { possibleValues: { a: 'A', b: 'B' }, defaultValue: ['a', 'b'] })).not.toThrow();
    expect(() => checkFieldConfig('F', 'checkbox', { defaultValue: true })).not.toThrow();
    expect(() => checkFieldConfig('F', 'text', { regex: '^[0-9]+$', defaultValue: '42' })).not.toThrow();
  });
});
