/**
 * An index of a (possibly malformed) process document, built once in linear time and shared by the
 * semantic rules: nodes by id, transitions in and out of each node, boundary events by task.
 */

export interface IndexedNode {
  node: { id: string; type: string; [key: string]: unknown };
  index: number;
}

export interface IndexedTransition {
  t: { id: string; from: string; to: string; [key: string]: unknown };
  index: number;
}

export interface Graph {
  /** Nodes by id (the first one when an id repeats). */
  nodes: Map<string, IndexedNode>;
  /** Every node with a string id and type, in document order. */
  nodeList: IndexedNode[];
  /** Every transition with string id, from and to, in document order. */
  transitions: IndexedTransition[];
  outgoing: Map<string, IndexedTransition[]>;
  incoming: Map<string, IndexedTransition[]>;
  /** Boundary events by the id of the task they are attached to. */
  boundaries: Map<string, IndexedNode[]>;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Indexes a document; malformed entries are skipped (the schema layer reports them).
 *
 * @example
 * const g = buildGraph(process);
 * g.outgoing.get('approve')?.map((x) => x.t.to);
 */
export function buildGraph(doc: unknown): Graph {
  const g: Graph = { nodes: new Map(), nodeList: [], transitions: [], outgoing: new Map(), incoming: new Map(), boundaries: new Map() };
  const d = isRecord(doc) ? doc : {};
  (Array.isArray(d.nodes) ? d.nodes : []).forEach((n, index) => {
    if (!isRecord(n) || typeof n.id !== 'string' || typeof n.type !== 'string') return;
    const entry = { node: n as IndexedNode['node'], index };
    g.nodeList.push(entry);
    if (!g.nodes.has(n.id)) g.nodes.set(n.id, entry);
    if (typeof n.attachedTo === 'string' && (n.type === 'boundaryTimer' || n.type === 'boundaryError')) push(g.boundaries, n.attachedTo, entry);
  });
  (Array.isArray(d.transitions) ? d.transitions : []).forEach((t, index) => {
    if (!isRecord(t) || typeof t.id !== 'string' || typeof t.from !== 'string' || typeof t.to !== 'string') return;
    const entry = { t: t as IndexedTransition['t'], index };
    g.transitions.push(entry);
    push(g.outgoing, t.from, entry);
    push(g.incoming, t.to, entry);
  });
  return g;
}

export const isBoundary = (type: string): boolean => type === 'boundaryTimer' || type === 'boundaryError';
