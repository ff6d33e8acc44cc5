/**
 * Process validation in two layers, pure so the designer runs exactly what the server runs:
 * 1. the JSON Schema (ajv, all errors) and each action's own schema;
 * 2. semantic rules (start event, unique ids, reachability, gateway arity, defaults, boundary events,
 *    timers, condition fields, dialogs, templates, ...), one small rule per file in `rules/`.
 * Every problem has a code, a sentence to act on, the JSON path and the node or transition id.
 */
import { MAX_PROCESS_NODES, MAX_PROCESS_TRANSITIONS } from '../model/schema';
import { PROCESS_FORMAT } from '../model/types';
import { buildGraph } from './graph';
import { problem, type Problem } from './problem';
import { RULES } from './rules/index';
import { schemaProblems } from './schema-layer';

export type { Problem } from './problem';
export { collectReferences, type Reference } from './references';

/**
 * Validates a process document (any parsed JSON) and lists its problems; empty means valid.
 * Errors block deploy; warnings do not.
 *
 * @example
 * const problems = validateProcess(JSON.parse(text));
 * problems.filter((p) => p.severity === 'error');
 * // [{ severity: 'error', code: 'DEFAULT_NOT_OUTGOING', path: '/nodes/4/default', nodeId: 'decide',
 * //    message: 'Gateway "decide" names "t9" as its default, but that is not one of its outgoing transitions; ...' }]
 */
export function validateProcess(doc: unknown): Problem[] {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    return [problem(doc, 'error', 'NOT_A_PROCESS', '', 'The document is not a JSON object; a process starts with {"format": "process/1", ...}.')];
  }
  const format = (doc as { format?: unknown }).format;
  if (typeof format === 'string' && /^process\/\d+/.test(format) && format !== PROCESS_FORMAT) {
    return [problem(doc, 'error', 'FORMAT_UNSUPPORTED', '/format',
      `The document uses the format "${format}", but this version reads "${PROCESS_FORMAT}" only; export it again from a matching version.`)];
  }
  // Refused before anything costly: the schema and the rules are linear, but not free at any size.
  const size = sizeProblems(doc);
  if (size.length) return size;
  const problems = schemaProblems(doc);
  const ctx = { doc, graph: buildGraph(doc) };
  for (const [, rule] of RULES) problems.push(...rule(ctx));
  return problems;
}

/** A problem for each of the node and transition lists that is longer than the process limits. */
export function sizeProblems(doc: object): Problem[] {
  const out: Problem[] = [];
  for (const [list, max, what] of [['nodes', MAX_PROCESS_NODES, 'nodes'], ['transitions', MAX_PROCESS_TRANSITIONS, 'transitions']] as const) {
    const items = (doc as Record<string, unknown>)[list];
    if (Array.isArray(items) && items.length > max) {
      out.push(problem(doc, 'error', 'PROCESS_TOO_LARGE', `/${list}`,
        `The process has ${items.length} ${what}; at most ${max} are allowed. Split it into smaller processes joined by call activities.`));
    }
  }
  return out;
}

/**
 * True when a process has no errors (warnings allowed).
 *
 * @example
 * if (!isDeployable(validateProcess(doc))) throw new Error('fix the errors first');
 */
export function isDeployable(problems: Problem[]): boolean {
  return !problems.some((p) => p.severity === 'error');
}
