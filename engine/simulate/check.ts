/**
 * Checking a scenario given on its own (an inline scenario of the simulate endpoint) against the
 * scenario schema, and one-line descriptions of a simulation's failures (for the CLI and the UI).
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { ID_PATTERN } from '../model/schema';
import { scenarioDefs } from '../model/scenario';
import type { SimulationProblem, SimulationReport } from './types';

let validator: ValidateFunction | undefined;

function compiled(): ValidateFunction {
  validator ??= new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictRequired: false, allowUnionTypes: true }).compile({
    $ref: '#/$defs/scenario',
    $defs: { id: { type: 'string', minLength: 1, maxLength: 128, pattern: ID_PATTERN }, ...scenarioDefs },
  });
  return validator;
}

function problemOf(e: ErrorObject): SimulationProblem {
  const p = e.params as Record<string, unknown>;
  const esc = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
  if (e.keyword === 'required') return { code: 'VALIDATION_FAILED', path: `${e.instancePath}/${esc(String(p.missingProperty))}`, message: `is required` };
  if (e.keyword === 'additionalProperties') {
    return { code: 'VALIDATION_FAILED', path: `${e.instancePath}/${esc(String(p.additionalProperty))}`, message: `"${String(p.additionalProperty)}" is not a property a scenario has here` };
  }
  if (e.keyword === 'propertyNames') return { code: 'VALIDATION_FAILED', path: `${e.instancePath}/${esc(String(p.propertyName))}`, message: `must be a "<webservice>/<operation>" name` };
  const description = (e.parentSchema as { description?: string } | undefined)?.description;
  const message = e.keyword === 'oneOf' || e.keyword === 'anyOf' ? (description ?? 'has the wrong shape') : (e.message ?? 'is invalid');
  return { code: 'VALIDATION_FAILED', path: e.instancePath, message };
}

/**
 * The schema problems of a scenario (empty when it is valid), each with a JSON pointer into it;
 * the most specific first.
 *
 * @example
 * validateScenario({ name: 'x', dialogs: [{ fields: {} }] }); // [{ code: 'VALIDATION_FAILED', path: '/dialogs/0/node', message: 'is required' }]
 */
export function validateScenario(scenario: unknown): SimulationProblem[] {
  const validate = compiled();
  if (validate(scenario)) return [];
  const problems = (validate.errors ?? []).map(problemOf);
  // A oneOf/anyOf summary is less useful than the errors under it: deepest path first.
  problems.sort((a, b) => (b.path ?? '').split('/').length - (a.path ?? '').split('/').length);
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.path} ${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Why a simulation failed, one line per problem and failed expectation (empty when it passed).
 *
 * @example
 * describeFailure(report); // ['expected status "completed", got "waiting"', 'NO_CANNED_RESPONSE at checkMonitoring: ...']
 */
export function describeFailure(report: SimulationReport): string[] {
  const lines = report.problems.map((p) => `${p.code}${p.node ? ` at ${p.node}` : ''}${p.path ? ` (${p.path})` : ''}: ${p.message}`);
  for (const e of report.expectations) {
    if (!e.ok) lines.push(`expected ${e.what} ${JSON.stringify(e.expected)}, got ${JSON.stringify(e.actual)}`);
  }
  return lines;
}
