import { describe, expect, it } from 'vitest';
import { diffProcesses } from './diff';
import { copy, minimalProcess } from './fixtures';

describe('diffProcesses', () => {
  it('finds nothing between equal processes (the version aside)', () => {
    const a = minimalProcess();
    const b = { ...copy(a), version: 7 };
    expect(diffProcesses(a, b)).toMatchObject({ identical: true, process: [], layoutChanged: false });
  });

  it('lists nodes and transitions added, removed and changed, with the changed properties', () => {
    const a = minimalProcess();
    const b = copy(a);
    b.name = 'Renamed';
    b.nodes[1] = { id: 'task', type: 'userTask', name: 'Check', dialog: { interfaces: ['customer'], fields: [] } };
    b.nodes.push({ id: 'end2', type: 'endEvent' });
    b.transitions = [b.transitions[0]!, { id: 't3', from: 'task', to: 'end2', name: 'New' }];
    b.diagram = { shapes: {}, edges: {} };
    expect(diffProcesses(a, b)).toEqual({
      process: ['name'],
      nodes: { added: ['end2'], removed: [], changed: [{ id: 'task', properties: ['dialog', 'name'] }] },
      transitions: { added: ['t3'], removed: ['t2'], changed: [] },
      layoutChanged: true,
      identical: false,
    });
  });
});
