/**
 * The canonical JSON text of a process: known properties in one fixed order, user maps (params,
 * mappings, field values) and verbatim data (test scenario data, OTOBO originals) with their keys
 * sorted, diagram entries in node and transition order, two-space indentation and a final newline.
 * Export → import → export gives the same bytes, whatever key order a store (PostgreSQL's jsonb
 * orders keys its own way) hands the document back in.
 */
import { isRecord } from './json';
import type { Process } from './types';

const ORDER = [
  'format', 'key', 'id', 'type', 'name', 'description', 'customerDescription', 'longDescription', 'i18n', 'showToCustomer', 'version', 'state', 'start', 'nodes', 'transitions', 'tests', 'diagram',
  'from', 'to', 'order', 'condition', 'actions',
  'attachedTo', 'interrupting', 'duration', 'date', 'cycle', 'calendar', 'errorCode',
  'script', 'ref', 'source', 'service', 'webservice', 'operation', 'params', 'timeoutMs', 'retries', 'errorMapping', 'when', 'code',
  'process', 'binding', 'inputs', 'outputs', 'dialog', 'alternativeDialogs', 'assign', 'queue', 'role', 'agent',
  'interfaces', 'fields', 'rules', 'when', 'then', 'field', 'display', 'default', 'label', 'visibleForCustomer', 'channel', 'timeUnits', 'submitText', 'submitAdvice', 'requiredLock',
  'all', 'any', 'one', 'op', 'value', 'expression', 'unsupported', 'source', 'module', 'reason', 'original',
  'state', 'pendingTime', 'pendingTimeDiff', 'owner', 'responsible', 'priority', 'lock', 'ticketType', 'sla', 'title',
  'customerUser', 'customerId', 'dynamicFields', 'article', 'linkAs', 'mode', 'intro',
  'from', 'to', 'cc', 'bcc', 'template', 'subject', 'body', 'contentType', 'senderType', 'historyType', 'historyComment', 'config',
  'shapes', 'edges', 'labels', 'x', 'y', 'w', 'h',
];
const RANK = new Map<string, number>();
ORDER.forEach((k, i) => {
  if (!RANK.has(k)) RANK.set(k, i);
});

/** Properties whose value is a user map (keys kept in their order) or verbatim data. */
const MAPS = new Set(['params', 'inputs', 'outputs', 'dynamicFields', 'shapes', 'edges', 'labels', 'i18n']);
const VERBATIM = new Set(['config', 'original', 'default', 'value']);

/** Properties of a test scenario in their order; the scenario data inside is kept as written. */
const SCENARIO_ORDER = ['name', 'description', 'ticket', 'customer', 'owner', 'responsible', 'vars', 'clock', 'dialogs', 'services', 'scripts', 'children', 'maxSteps', 'expect'];

/** Data with every object's keys sorted (arrays keep their order). */
function sortedDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedDeep);
  if (!isRecord(value)) return value;
  return Object.fromEntries(Object.keys(value).filter((k) => value[k] !== undefined).sort().map((k) => [k, sortedDeep(value[k])]));
}

function canonicalScenario(value: unknown): unknown {
  if (!isRecord(value)) return value;
  const rank = (k: string) => (SCENARIO_ORDER.includes(k) ? SCENARIO_ORDER.indexOf(k) : SCENARIO_ORDER.length);
  const keys = Object.keys(value).filter((k) => value[k] !== undefined);
  return Object.fromEntries(keys.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0)).map((k) => [k, sortedDeep(value[k])]));
}

function canonical(value: unknown, parentKey?: string): unknown {
  if (parentKey === 'tests' && Array.isArray(value)) return value.map(canonicalScenario);
  if (Array.isArray(value)) return value.map((v) => canonical(v));
  if (!isRecord(value)) return value;
  if (parentKey && VERBATIM.has(parentKey)) return sortedDeep(value);
  const keys = Object.keys(value).filter((k) => value[k] !== undefined);
  if (parentKey === 'shapes' || parentKey === 'edges' || parentKey === 'labels') return Object.fromEntries(keys.map((k) => [k, canonical(value[k])]));
  if (parentKey && (MAPS.has(parentKey) || (parentKey === 'fields' && !Array.isArray(value)))) {
    return Object.fromEntries(keys.sort().map((k) => [k, parentKey === 'params' ? sortedDeep(value[k]) : canonical(value[k])]));
  }
  const ranked = keys
    .map((k, i) => ({ k, r: RANK.get(k) ?? ORDER.length + i }))
    .sort((a, b) => a.r - b.r);
  return Object.fromEntries(ranked.map(({ k }) => [k, canonical(value[k], k)]));
}

function ordered<T>(map: Record<string, T>, ids: string[]): Record<string, T> {
  const out: Record<string, T> = {};
  for (const id of ids) if (Object.prototype.hasOwnProperty.call(map, id)) out[id] = map[id]!;
  for (const id of Object.keys(map).sort()) if (!(id in out)) out[id] = map[id]!;
  return out;
}

/**
 * The process with its properties in canonical order (a new object; the input is not changed).
 *
 * @example
 * Object.keys(canonicalProcess({ nodes: [], key: 'x', format: 'process/1', ... })); // ['format', 'key', ...]
 */
export function canonicalProcess(process: Process): Process {
  const p = canonical(process) as Process;
  if (p.diagram && Array.isArray(p.nodes) && Array.isArray(p.transitions)) {
    p.diagram = {
      shapes: ordered(p.diagram.shapes ?? {}, p.nodes.map((n) => n.id)),
      edges: ordered(p.diagram.edges ?? {}, p.transitions.map((t) => t.id)),
      ...(p.diagram.labels ? { labels: ordered(p.diagram.labels, [...p.nodes.map((n) => n.id), ...p.transitions.map((t) => t.id)]) } : {}),
    };
  }
  return p;
}

/**
 * The canonical JSON text of a process (two-space indent, final newline).
 *
 * @example
 * fs.writeFileSync('leave-request.json', stringifyProcess(process));
 */
export function stringifyProcess(process: Process): string {
  return `${JSON.stringify(canonicalProcess(process), null, 2)}\n`;
}
