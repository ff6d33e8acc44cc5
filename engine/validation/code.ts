/**
 * Expressions and inline scripts that cannot run: each expression condition and each inline script
 * is compiled (not run) by an injected compiler — the server passes the QuickJS sandbox's — and a
 * syntax error is an error (deploy refuses it, instead of a SyntaxError at run time). Code written
 * for another engine's API (`next()`, `environment`, `variables`, `execution`, `${…}`) is a warning.
 */
import { pointer, problem, type Problem } from './problem';

/** Compiles without running; the syntax error's message or null. */
export type Compile = (source: string, kind: 'expression' | 'script') => string | null;

const FOREIGN: Array<[RegExp, string]> = [
  [/\bnext\s*\(/, 'next() (bpmn-engine / Camunda script API)'],
  [/\benvironment\s*\./, 'environment (bpmn-engine)'],
  [/\bvariables\s*[.[]/, 'variables (another engine\'s process variables; here they are vars)'],
  [/\bexecution\s*\./, 'execution (Camunda)'],
  [/\$\{|#\{/, '${…} (JUEL)'],
];

function foreign(source: string): string[] {
  return FOREIGN.filter(([re]) => re.test(source)).map(([, what]) => what);
}

/**
 * @example
 * codeProblems(doc, (src, kind) => sandbox.compile(src, kind));
 * // [{ severity: 'error', code: 'EXPRESSION_SYNTAX', path: '/transitions/2/condition/expression', ... }]
 */
export function codeProblems(doc: unknown, compile: Compile): Problem[] {
  const out: Problem[] = [];
  const d = doc as { nodes?: unknown; transitions?: unknown } | null;
  const transitions = Array.isArray(d?.transitions) ? (d!.transitions as Array<{ id?: unknown; condition?: { expression?: unknown } }>) : [];
  transitions.forEach((t, i) => {
    const expression = t?.condition?.expression;
    if (typeof expression !== 'string') return;
    const path = pointer('transitions', i, 'condition', 'expression');
    const error = compile(expression, 'expression');
    if (error) out.push(problem(doc, 'error', 'EXPRESSION_SYNTAX', path, `The condition ${JSON.stringify(expression)} is not a JavaScript expression that can run (${error}); rewrite it, e.g. vars.approved === true.`));
    const other = foreign(expression);
    if (other.length) out.push(problem(doc, 'warning', 'FOREIGN_ENGINE_API', path, `The condition uses ${other.join(', ')}, which does not exist here; it sees ticket, vars and customer.`));
  });
  const nodes = Array.isArray(d?.nodes) ? (d!.nodes as Array<{ type?: unknown; script?: { source?: unknown } }>) : [];
  nodes.forEach((n, i) => {
    const source = n?.type === 'scriptTask' ? n.script?.source : undefined;
    if (typeof source !== 'string' || !source.trim()) return;
    const path = pointer('nodes', i, 'script', 'source');
    const error = compile(source, 'script');
    if (error) out.push(problem(doc, 'error', 'SCRIPT_SYNTAX', path, `The script does not compile (${error}); fix it before deploying.`));
    const other = foreign(source);
    if (other.length) out.push(problem(doc, 'warning', 'FOREIGN_ENGINE_API', path, `The script uses ${other.join(', ')}, which does not exist here; a script gets { ticket, params, vars } and returns { vars, dynamicFields }.`));
  });
  return out;
}
