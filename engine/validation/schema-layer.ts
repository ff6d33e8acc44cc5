/**
 * Layer 1 of validation: the JSON Schema (ajv, all errors), then each action against its own schema.
 * ajv's terse errors become sentences naming the node or transition and the property, with the JSON
 * pointer of the offending value.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { ACTION_TYPES, actionDefinition } from '../model/actions';
import { buildProcessSchema } from '../model/schema';
import { NODE_TYPES } from '../model/types';
import { locate, pointer, pointerSegments, problem, type Problem } from './problem';

let ajv: Ajv2020 | undefined;
let processValidator: ValidateFunction | undefined;
const actionValidators = new Map<string, ValidateFunction>();

function getAjv(): Ajv2020 {
  ajv ??= new Ajv2020({ allErrors: true, verbose: true, discriminator: true, strict: true, strictTypes: false, strictRequired: false, allowUnionTypes: true });
  return ajv;
}

function getProcessValidator(): ValidateFunction {
  processValidator ??= getAjv().compile(buildProcessSchema({ strictActions: false }));
  return processValidator;
}

function getActionValidator(type: string): ValidateFunction | undefined {
  const def = actionDefinition(type);
  if (!def) return undefined;
  let v = actionValidators.get(type);
  if (!v) {
    v = getAjv().compile(def.schema);
    actionValidators.set(type, v);
  }
  return v;
}

/** How many leading path segments name the subject (`/nodes/3`, `/transitions/1/actions/0`, `/start`). */
function subjectDepth(segments: string[]): number {
  if (segments[0] === 'nodes') return 2;
  if (segments[0] === 'transitions') return segments[2] === 'actions' && segments.length >= 4 ? 4 : 2;
  if (segments[0] === 'start' || segments[0] === 'diagram') return 1;
  return 0;
}

function typeWords(type: unknown): string {
  const list = (Array.isArray(type) ? type : [type]).map(String);
  const words = list.map((t) => (t === 'integer' ? 'a whole number' : t === 'array' ? 'a list' : t === 'object' ? 'an object' : t === 'null' ? 'null' : `a ${t}`));
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}` : words[0]!;
}

function quoteList(values: unknown): string {
  return (values as unknown[]).map((v) => JSON.stringify(v)).join(', ');
}

interface Described {
  /** Where the problem is (the missing or offending property). */
  path: string;
  /** The object the sentence talks about, when it differs from `path`. */
  at?: string;
  predicate: string;
}

function describe(e: ErrorObject): Described | null {
  const p = e.params as Record<string, unknown>;
  const desc = (e.parentSchema as { description?: string } | undefined)?.description;
  // Errors about a key (inside propertyNames) are reported once, by the propertyNames error.
  if (e.keyword !== 'propertyNames' && (e as { propertyName?: string }).propertyName !== undefined) return null;
  switch (e.keyword) {
    case 'if':
      return null;
    case 'propertyNames': {
      const name = String(p.propertyName);
      const rule = (e.schema as { description?: string } | undefined)?.description ?? 'an allowed key';
      return { path: `${e.instancePath}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`, at: e.instancePath, predicate: `has the key ${JSON.stringify(name)}, which is not ${rule}` };
    }
    case 'required':
      return { path: `${e.instancePath}/${String(p.missingProperty)}`, at: e.instancePath, predicate: `is missing "${String(p.missingProperty)}"` };
    case 'additionalProperties':
      return {
        path: `${e.instancePath}/${String(p.additionalProperty).replace(/~/g, '~0').replace(/\//g, '~1')}`,
        at: e.instancePath,
        predicate: `has an unknown property "${String(p.additionalProperty)}"; remove it or check its spelling`,
      };
    case 'type':
      return { path: e.instancePath, predicate: `must be ${typeWords(p.type)}` };
    case 'enum':
      return { path: e.instancePath, predicate: `is ${JSON.stringify(e.data)}, but must be one of ${quoteList(p.allowedValues)}` };
    case 'const':
      return { path: e.instancePath, predicate: `must be ${JSON.stringify(p.allowedValue)}` };
    case 'pattern':
      return { path: e.instancePath, predicate: `is ${JSON.stringify(e.data)}, but must be ${desc ?? `text matching ${String(p.pattern)}`}` };
    case 'minLength':
      return { path: e.instancePath, predicate: p.limit === 1 ? 'must not be empty' : `must have at least ${String(p.limit)} characters` };
    case 'maxLength':
      return { path: e.instancePath, predicate: `is too long (at most ${String(p.limit)} characters)` };
    case 'minItems':
      return { path: e.instancePath, predicate: `needs at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}` };
    case 'maxItems':
      return { path: e.instancePath, predicate: `has too many items (at most ${String(p.limit)})` };
    case 'minProperties':
      return { path: e.instancePath, predicate: desc ?? `needs at least ${String(p.limit)} entr${p.limit === 1 ? 'y' : 'ies'}` };
    case 'maxProperties':
      return { path: e.instancePath, predicate: desc ?? `has too many entries (at most ${String(p.limit)})` };
    case 'uniqueItems':
      return { path: e.instancePath, predicate: `lists the same value twice (items ${String(p.j)} and ${String(p.i)})` };
    case 'minimum':
    case 'exclusiveMinimum':
    case 'maximum':
    case 'exclusiveMaximum':
      return { path: e.instancePath, predicate: `must be ${String(p.comparison)} ${String(p.limit)}` };
    case 'discriminator':
      if (p.error === 'mapping') {
        const allowed = e.instancePath.includes('/actions/') ? ACTION_TYPES : NODE_TYPES;
        return { path: `${e.instancePath}/type`, at: e.instancePath, predicate: `has type ${JSON.stringify(p.tagValue)}, which is unknown; use one of ${quoteList(allowed)}` };
      }
      return { path: `${e.instancePath}/type`, at: e.instancePath, predicate: 'needs a "type"' };
    case 'oneOf':
    case 'anyOf':
    case 'not':
      return { path: e.instancePath, predicate: desc ?? 'has an invalid combination of properties' };
    default:
      return { path: e.instancePath, predicate: e.message ?? 'is invalid' };
  }
}

/** Drops the errors of the branches of a failed anyOf/oneOf: its own error says it better. */
function collapseBranches(errors: ErrorObject[]): ErrorObject[] {
  const combos = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  if (!combos.length) return errors;
  return errors.filter((e) => !combos.some((c) => c !== e && e.schemaPath.startsWith(`${c.schemaPath}/`)));
}

function codeFor(keyword: string): string {
  return `SCHEMA_${keyword.replace(/([A-Z])/g, '_$1').toUpperCase()}`;
}

function toProblems(doc: unknown, errors: ErrorObject[], basePath: string, code?: string): Problem[] {
  const out: Problem[] = [];
  const seen = new Set<string>();
  for (const e of collapseBranches(errors)) {
    const d = describe(e);
    if (!d) continue;
    const path = basePath + d.path;
    const segments = pointerSegments(basePath + (d.at ?? d.path));
    const depth = subjectDepth(segments);
    const { subject } = locate(doc, basePath + (d.at ?? d.path));
    const loc = segments.slice(depth).join('/');
    const message = loc ? `${subject}: "${loc}" ${d.predicate}.` : `${subject} ${d.predicate}.`;
    const key = `${path}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    let c = code ?? codeFor(e.keyword);
    if (e.keyword === 'enum' && /^\/transitions\/\d+\/actions\/\d+\/type$/.test(path)) c = 'ACTION_UNKNOWN_TYPE';
    out.push(problem(doc, 'error', c, path, message));
  }
  return out;
}

/**
 * Checks a document against the process schema, then every action against its own schema.
 *
 * @example
 * schemaProblems({ format: 'process/1' });
 * // [{ code: 'SCHEMA_REQUIRED', path: '/key', message: 'The process is missing "key".', ... }, ...]
 */
export function schemaProblems(doc: unknown): Problem[] {
  const validate = getProcessValidator();
  const problems = validate(doc) ? [] : toProblems(doc, validate.errors ?? [], '');
  const transitions = (doc as { transitions?: unknown })?.transitions;
  if (!Array.isArray(transitions)) return problems;
  transitions.forEach((t, ti) => {
    const actions = (t as { actions?: unknown })?.actions;
    if (!Array.isArray(actions)) return;
    actions.forEach((a, ai) => {
      const v = getActionValidator((a as { type?: unknown })?.type as string);
      if (v && !v(a)) problems.push(...toProblems(doc, v.errors ?? [], pointer('transitions', ti, 'actions', ai), 'ACTION_INVALID'));
    });
  });
  return problems;
}

/**
 * Checks one action against its own schema; the sentences of its problems (empty when fine).
 *
 * @example
 * actionErrors({ type: 'TicketLockSet' }); // ['The action is missing "lock".']
 */
export function actionErrors(action: unknown): string[] {
  const type = (action as { type?: unknown } | null)?.type;
  const v = getActionValidator(type as string);
  if (!v) return [`"${String(type)}" is not an action type; use one of ${quoteList(ACTION_TYPES)}.`];
  if (v(action)) return [];
  return toProblems({ transitions: [{ actions: [action] }] }, v.errors ?? [], '/transitions/0/actions/0').map((p) =>
    p.message.replace(/^Transition 1, action 1 \([^)]*\)/, 'The action'),
  );
}
