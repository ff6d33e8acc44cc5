/**
 * A validation problem: what is wrong (a stable `code` and a sentence a person can act on), how bad
 * (`error` blocks deploy, `warning` does not), and where (JSON pointer, node or transition id).
 */

export interface Problem {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  /** JSON pointer into the process document, e.g. `/transitions/3/actions/0/queue`. */
  path: string;
  nodeId?: string;
  transitionId?: string;
}

/**
 * Splits a JSON pointer into its unescaped segments.
 *
 * @example
 * pointerSegments('/diagram/shapes/a~1b'); // ['diagram', 'shapes', 'a/b']
 */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * Builds a JSON pointer from segments, escaping each.
 *
 * @example
 * pointer('transitions', 3, 'actions', 0, 'queue'); // '/transitions/3/actions/0/queue'
 */
export function pointer(...segments: Array<string | number>): string {
  return segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

function itemAt(doc: unknown, list: 'nodes' | 'transitions', index: string | undefined): { id?: unknown; name?: unknown } | undefined {
  if (typeof doc !== 'object' || doc === null || index === undefined) return undefined;
  const items = (doc as Record<string, unknown>)[list];
  if (!Array.isArray(items)) return undefined;
  return items[Number(index)] as { id?: unknown; name?: unknown } | undefined;
}

function idAt(doc: unknown, list: 'nodes' | 'transitions', index: string | undefined): string | undefined {
  const item = itemAt(doc, list, index);
  return typeof item?.id === 'string' ? item.id : undefined;
}

/**
 * How a message names a node or transition: by its name when it has one that differs from its id
 * (imported OTOBO entities have hash ids but readable names), else by its id.
 *
 * @example
 * displayName({ id: 'T1a2b3', name: 'Approved' }); // '"Approved" (T1a2b3)'
 * displayName({ id: 'approve' });                   // '"approve"'
 */
export function displayName(item: { id?: unknown; name?: unknown }): string {
  const id = typeof item.id === 'string' ? item.id : '';
  const name = typeof item.name === 'string' ? item.name.trim() : '';
  return name && name !== id ? `"${name}" (${id})` : `"${id}"`;
}

/**
 * Who a path is about, for messages and for the problem's `nodeId` / `transitionId`.
 *
 * @example
 * locate({ nodes: [{ id: 'approve' }] }, '/nodes/0/dialog/fields/1');
 * // { subject: 'Node "approve"', nodeId: 'approve' }
 */
export function locate(doc: unknown, path: string): { subject: string; nodeId?: string; transitionId?: string } {
  const [list, index, ...rest] = pointerSegments(path);
  if (list === 'nodes' && index !== undefined) {
    const nodeId = idAt(doc, 'nodes', index);
    return nodeId ? { subject: `Node ${displayName(itemAt(doc, 'nodes', index)!)}`, nodeId } : { subject: `Node ${Number(index) + 1}` };
  }
  if (list === 'transitions' && index !== undefined) {
    const transitionId = idAt(doc, 'transitions', index);
    const base = transitionId ? `Transition ${displayName(itemAt(doc, 'transitions', index)!)}` : `Transition ${Number(index) + 1}`;
    let subject = base;
    if (rest[0] === 'actions' && rest[1] !== undefined) {
      const items = (doc as { transitions: Array<{ actions?: Array<{ type?: unknown }> }> }).transitions;
      const type = items[Number(index)]?.actions?.[Number(rest[1])]?.type;
      subject = `${base}, action ${Number(rest[1]) + 1}${typeof type === 'string' ? ` (${type})` : ''}`;
    }
    return transitionId ? { subject, transitionId } : { subject };
  }
  if (list === 'start') return { subject: index === 'dialog' ? 'The start dialog' : 'The start settings' };
  if (list === 'diagram') return { subject: 'The diagram' };
  return { subject: 'The process' };
}

/**
 * Makes a problem, filling in `nodeId` / `transitionId` from the path.
 *
 * @example
 * problem(doc, 'error', 'START_MISSING', '/nodes', 'The process has no start event; add one.');
 */
export function problem(
  doc: unknown,
  severity: Problem['severity'],
  code: string,
  path: string,
  message: string,
  ids: { nodeId?: string; transitionId?: string } = {},
): Problem {
  const where = locate(doc, path);
  const p: Problem = { severity, code, message, path };
  const nodeId = ids.nodeId ?? where.nodeId;
  const transitionId = ids.transitionId ?? where.transitionId;
  if (nodeId !== undefined) p.nodeId = nodeId;
  if (transitionId !== undefined) p.transitionId = transitionId;
  return p;
}
