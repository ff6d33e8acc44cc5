/** Reading OTOBO's loosely typed parameters: flags, ids, lists, times, pending times, content types, field values. */
import { describe, expect, it } from 'vitest';
import { idOf, list, otoboTime, parseOtoboTime, truthy } from './params';
import { pendingTime, mimeOf } from './operations/ticket-input';
import { valueFromOtobo, valueToOtobo } from './operations/dynamic-fields';

describe('OTOBO parameters', () => {
  it('reads flags, ids and lists as OTOBO does', () => {
    expect([1, '1', 'yes', true].map(truthy)).toEqual([true, true, true, true]);
    expect([0, '0', '', null, undefined, false].map(truthy)).toEqual([false, false, false, false, false, false]);
    expect([idOf('42'), idOf(42), idOf(undefined)]).toEqual([42, 42, undefined]);
    expect([idOf('x'), idOf('0'), idOf('99999999999')].every(Number.isNaN)).toBe(true);
    expect(list('1,2, 3', true)).toEqual(['1', '2', '3']);
    expect(list(['a', '', null])).toEqual(['a']);
  });

  it('writes and reads OTOBO times in UTC', () => {
    expect(otoboTime(new Date('2024-05-01T14:03:09.500Z'))).toBe('2024-05-01 14:03:09');
    expect(parseOtoboTime('2024-05-01 14:03:09')).toBe('2024-05-01T14:03:09.000Z');
    expect(parseOtoboTime('2024-05-01')).toBe('2024-05-01T00:00:00.000Z');
    expect(parseOtoboTime('2024-02-30 10:00:00')).toBeUndefined();
    expect(parseOtoboTime('soon')).toBeUndefined();
  });

  it('reads PendingTime as a Diff or as date parts', () => {
    const now = new Date('2024-01-01T00:00:00Z');
    expect(pendingTime({ Diff: 90 }, now)).toBe('2024-01-01T01:30:00.000Z');
    expect(pendingTime({ Year: 2024, Month: 2, Day: 29, Hour: 23, Minute: 5 }, now)).toBe('2024-02-29T23:05:00.000Z');
    expect(pendingTime({ Year: 2023, Month: 2, Day: 29 }, now)).toBeUndefined();
    expect(pendingTime({ Diff: 5, Hour: 1 }, now)).toBeUndefined();
    expect(pendingTime({ Diff: -5 }, now)).toBeUndefined();
  });

  it('reads content types and converts dynamic field values both ways', () => {
    expect(mimeOf('text/HTML; charset="utf-8"')).toBe('text/html');
    expect(mimeOf('text/plain; charset=utf8')).toBe('text/plain');
    expect(mimeOf('plain')).toBeUndefined();
    expect(valueFromOtobo('checkbox', '1')).toBe(true);
    expect(valueFromOtobo('integer', '42')).toBe(42);
    expect(valueFromOtobo('date', '2030-01-31 00:00:00')).toBe('2030-01-31');
    expect(valueFromOtobo('datetime', '2030-01-31 10:20:30')).toBe('2030-01-31T10:20:30.000Z');
    expect(valueFromOtobo('multiselect', 'a')).toEqual(['a']);
    expect(valueFromOtobo('text', '')).toBeNull();
    expect(valueToOtobo('checkbox', false)).toBe('0');
    expect(valueToOtobo('datetime', '2030-01-31T10:20:30.000Z')).toBe('2030-01-31 10:20:30');
    expect(valueToOtobo('date', '2030-01-31')).toBe('2030-01-31 00:00:00');
  });
});
