/**
 * Checks a result patch (`{ vars?, dynamicFields? }`) before it touches an instance: plain objects of
 * JSON values, names that cannot pollute prototypes, and a bounded size. Shared by the step function
 * and the sandbox (which reports a failure as `invalid-result`).
 */
import { isRecord } from '../model/json';
import { DYNAMIC_FIELD_NAME, VARIABLE_NAME } from '../model/fields';

/** At most this many bytes of JSON per patch. */
export const MAX_PATCH_BYTES = 256 * 1024;
const MAX_DEPTH = 32;

/**
 * The first problem of a patch as a phrase, or `undefined` when it is fine.
 *
 * @example
 * checkPatch({ vars: { days: 3 } });            // undefined
 * checkPatch({ vars: { __proto__x: 1 }, x: 1 }); // '"x" is not allowed; return { vars, dynamicFields }'
 */
export function checkPatch(patch: unknown): string | undefined {
  if (!isRecord(patch)) return 'expected an object { vars, dynamicFields }';
  for (const key of Object.keys(patch)) {
    if (key !== 'vars' && key !== 'dynamicFields') return `${JSON.stringify(key)} is not allowed; return { vars, dynamicFields }`;
  }
  for (const [part, rule, what] of [['vars', VARIABLE_NAME, 'variable'], ['dynamicFields', DYNAMIC_FIELD_NAME, 'dynamic field']] as const) {
    const value = patch[part];
    if (value === undefined) continue;
    if (!isRecord(value)) return `${part} must be an object`;
    for (const [name, v] of Object.entries(value)) {
      if (!rule.test(name) || name === '__proto__') return `${JSON.stringify(name)} is not a valid ${what} name`;
      const bad = jsonProblem(v, `${part}.${name}`, 0);
      if (bad) return bad;
    }
  }
  let size = 0;
  try {
    size = JSON.stringify(patch).length;
  } catch {
    return 'it cannot be written as JSON';
  }
  if (size > MAX_PATCH_BYTES) return `it is ${size} bytes of JSON, more than ${MAX_PATCH_BYTES}`;
  return undefined;
}

function jsonProblem(v: unknown, path: string, depth: number): string | undefined {
  if (depth > MAX_DEPTH) return `${path} nests deeper than ${MAX_DEPTH} levels`;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : `${path} is not a finite number`;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const bad = jsonProblem(v[i], `${path}[${i}]`, depth + 1);
      if (bad) return bad;
    }
    return undefined;
  }
  if (isRecord(v) && Object.getPrototypeOf(v) === Object.prototype) {
    for (const [k, x] of Object.entries(v)) {
      if (k === '__proto__') return `${path} has a "__proto__" key`;
      const bad = jsonProblem(x, `${path}.${k}`, depth + 1);
      if (bad) return bad;
    }
    return undefined;
  }
  return `${path} is not a JSON value`;
}
