/**
 * What changed between two versions of a process: nodes and transitions added, removed and changed
 * (with the properties that changed), process-level properties, and whether the layout moved.
 */
import { deepEqual, isRecord } from './json';
import type { Process } from './types';

export interface ItemChange {
  id: string;
  /** Top-level properties whose value differs, e.g. `['dialog', 'name']`. */
  properties: string[];
}

export interface ItemDiff {
  added: string[];
  removed: string[];
  changed: ItemChange[];
}

export interface ProcessDiff {
  /** Process-level properties that differ (name, description, state, start, ...; not version). */
  process: string[];
  nodes: ItemDiff;
  transitions: ItemDiff;
  /** The diagram differs (shapes moved, edges rerouted). */
  layoutChanged: boolean;
  /** Nothing but possibly the version differs. */
  identical: boolean;
}

function changedKeys(a: Record<string, unknown>, b: Record<string, unknown>, skip: string[] = []): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !skip.includes(k));
  return keys.filter((k) => !deepEqual(a[k], b[k])).sort();
}

function diffItems(a: unknown, b: unknown): ItemDiff {
  const index = (list: unknown) => {
    const map = new Map<string, Record<string, unknown>>();
    if (Array.isArray(list)) for (const item of list) if (isRecord(item) && typeof item.id === 'string' && !map.has(item.id)) map.set(item.id, item);
    return map;
  };
  const before = index(a);
  const after = index(b);
  const diff: ItemDiff = { added: [], removed: [], changed: [] };
  for (const [id, item] of after) {
    const old = before.get(id);
    if (!old) diff.added.push(id);
    else {
      const properties = changedKeys(old, item);
      if (properties.length) diff.changed.push({ id, properties });
    }
  }
  for (const id of before.keys()) if (!after.has(id)) diff.removed.push(id);
  return diff;
}

/**
 * Compares two processes (typically two versions of one key) by node and transition id.
 *
 * @example
 * diffProcesses(v1, v2);
 * // { process: ['description'], nodes: { added: ['remind'], removed: [], changed: [{ id: 'approve', properties: ['dialog'] }] },
 * //   transitions: { added: ['t9'], removed: [], changed: [] }, layoutChanged: true, identical: false }
 */
export function diffProcesses(a: Process, b: Process): ProcessDiff {
  const process = changedKeys(a as unknown as Record<string, unknown>, b as unknown as Record<string, unknown>, ['nodes', 'transitions', 'diagram', 'version']);
  const nodes = diffItems(a.nodes, b.nodes);
  const transitions = diffItems(a.transitions, b.transitions);
  const layoutChanged = !deepEqual(a.diagram, b.diagram);
  const empty = (d: ItemDiff) => !d.added.length && !d.removed.length && !d.changed.length;
  return { process, nodes, transitions, layoutChanged, identical: !process.length && empty(nodes) && empty(transitions) && !layoutChanged };
}
