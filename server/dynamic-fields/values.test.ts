/** The denormalised search columns of dynamic field values, and value checks naming the path. */
import { describe, expect, it } from 'vitest';
import { checkValue, denormalise, valueText, type FieldDefinition } from './values';

const field = (field_type: FieldDefinition['field_type'], config: Record<string, unknown> = {}): FieldDefinition => ({
  id: 1,
  name: 'F',
  label: 'F',
  field_type,
  object_type: 'ticket',
  config,
  internal: false,
  customer_visible: false,
  valid: true,
  changed_at: new Date(0),
});

describe('dynamic field values', () => {
  it('fills the column search filters on, by type', () => {
    expect(denormalise('text', 'abc')).toEqual({ value_text: 'abc', value_num: null, value_date: null });
    expect(denormalise('dropdown', 'yes')).toEqual({ value_text: 'yes', value_num: null, value_date: null });
    expect(denormalise('multiselect', ['a', 'b'])).toEqual({ value_text: 'a\nb', value_num: null, value_date: null });
    expect(denormalise('integer', 7)).toEqual({ value_text: null, value_num: 7, value_date: null });
    expect(denormalise('checkbox', false)).toEqual({ value_text: null, value_num: 0, value_date: null });
    expect(denormalise('date', '2030-01-02')).toEqual({ value_text: '2030-01-02', value_num: null, value_date: new Date('2030-01-02T00:00:00Z') });
    expect(denormalise('datetime', '2030-01-02T03:04:05+02:00')).toEqual({ value_text: null, value_num: null, value_date: new Date('2030-01-02T01:04:05Z') });
  });

  it('shows values in history as text', () => {
    expect(valueText(null)).toBe(null);
    expect(valueText(['a', 'b'])).toBe('a, b');
    expect(valueText(true)).toBe('1');
    expect(valueText(3)).toBe('3');
  });

  it('refuses invalid values with the path of the value', () => {
    const dropdown = field('dropdown', { possibleValues: { yes: 'Yes' } });
    expect(() => checkValue(dropdown, 'yes', '/dynamicFields/F')).not.toThrow();
    expect(() => checkValue(dropdown, null, '/dynamicFields/F')).not.toThrow();
    expect(() => checkValue(dropdown, 'no', '/dynamicFields/F')).toThrow(expect.objectContaining({ status: 400, path: '/dynamicFields/F' }));
    const multi = field('multiselect', { possibleValues: { a: 'A' } });
    expect(() => checkValue(multi, ['a', 'z'], '/x/F')).toThrow(expect.objectContaining({ path: '/x/F/1' }));
    expect(() => checkValue(field('integer', { max: 5 }), 6, '/F')).toThrow(/must be <= 5/);
    expect(() => checkValue(field('date'), '2030-13-01', '/F')).toThrow(expect.objectContaining({ path: '/F' }));
  });
});
