/** The `::` naming rules of queues and services. */
import { describe, expect, it } from 'vitest';
import { checkHierarchicalName, isSameOrBelow, parentName, renamedDescendant } from './hierarchy';

describe('hierarchical names', () => {
  it('finds the parent as the part before the last separator', () => {
    expect(parentName('Sales')).toBeNull();
    expect(parentName('Sales::Europe')).toBe('Sales');
    expect(parentName('Sales::Europe::North')).toBe('Sales::Europe');
  });

  it('refuses empty or blank-padded parts, naming the path', () => {
    expect(() => checkHierarchicalName('Sales::Europe', 'queue')).not.toThrow();
    for (const bad of ['Sales::', '::Sales', 'Sales::::Europe', 'Sales:: Europe']) {
      expect(() => checkHierarchicalName(bad, 'queue')).toThrow(expect.objectContaining({ status: 400, path: '/name' }));
    }
  });

  it('tells descendants from names that merely share a prefix', () => {
    expect(isSameOrBelow('Sales::Europe', 'Sales')).toBe(true);
    expect(isSameOrBelow('Sales', 'Sales')).toBe(true);
    expect(isSameOrBelow('SalesTeam', 'Sales')).toBe(false);
    expect(renamedDescendant('Sales::Europe::North', 'Sales', 'Revenue')).toBe('Revenue::Europe::North');
  });
});
