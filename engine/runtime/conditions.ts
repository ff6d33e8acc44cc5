/**
 * Evaluates transition conditions, purely: structured comparisons over ticket fields
 * (`Queue`, `CustomerID`, ...), dynamic fields (`DynamicField_X`) and variables (`vars.x`) combined
 * with `all` / `any` / `one`, and `{expression}` conditions through an injected synchronous
 * evaluator. The answer says why it held (the comparisons that matched, with the values seen) for
 * the path log, or why it could not be evaluated, which the step turns into an incident.
 *
 * Semantics: a missing value is empty (`null`); eq/ne/in/contains compare as text (`3` equals `"3"`);
 * a list value (multiselect field) matches when one of its items does; gt..lte compare numbers, or
 * ISO dates when the expected value is a date; a non-numeric, non-empty value against a number is a
 * type error, and an empty one simply does not hold. Every comparison is evaluated (no short
 * circuit), so an unknown field is reported whatever the data.
 */
import { combinatorOf, isComparison, type Comparison, type Condition, type Scalar } from '../model/conditions';
import { parseFieldName } from '../model/fields';
import { parseDateTime } from '../model/iso8601';
import type { JsonValue } from '../model/types';
import { TICKET_FIELD_PROPERTY, type Snapshot, type TicketSnapshot } from './snapshot';

/** What an expression sees. */
export interface ExpressionScope {
  ticket: TicketSnapshot;
  vars: Record<string, JsonValue>;
  customer?: Snapshot['customer'];
}

/** What an evaluation may take: the time left of its step's expression budget. */
export interface ExpressionLimits {
  timeoutMs: number;
}

/**
 * Evaluates an expression condition synchronously (the server backs it with the sandbox); throws on
 * error. `limits`, when given, is the time left of the step's budget: the evaluator stops there.
 */
export type ExpressionEvaluator = (expression: string, scope: ExpressionScope, limits?: ExpressionLimits) => unknown;

export type ConditionResult =
  | { ok: true; holds: boolean; why: string }
  | { ok: false; code: ConditionErrorCode; message: string };

export type ConditionErrorCode =
  | 'UNKNOWN_FIELD' | 'REGEX_INVALID' | 'TYPE_MISMATCH' | 'BAD_CONDITION' | 'UNSUPPORTED_CONDITION' | 'EXPRESSION_ERROR' | 'NO_EVALUATOR';

export interface ConditionInput {
  snapshot: Snapshot;
  vars: Record<string, JsonValue>;
  evaluateExpression?: ExpressionEvaluator;
}

class ConditionError extends Error {
  constructor(readonly code: ConditionErrorCode, message: string) {
    super(message);
  }
}

/**
 * Evaluates a condition (absent = holds).
 *
 * @example
 * evaluateCondition({ all: [{ field: 'DynamicField_Approved', op: 'eq', value: 'yes' }] },
 *   { snapshot: { ticket: { dynamicFields: { Approved: 'yes' } } }, vars: {} });
 * // { ok: true, holds: true, why: 'DynamicField_Approved eq "yes"' }
 */
export function evaluateCondition(condition: Condition | undefined, input: ConditionInput): ConditionResult {
  if (condition === undefined) return { ok: true, holds: true, why: 'no condition' };
  try {
    if ('expression' in condition) return expression(condition.expression, input);
    if ('unsupported' in condition) {
      throw new ConditionError('UNSUPPORTED_CONDITION', `the condition was imported as unsupported (${condition.unsupported.reason}) and cannot run`);
    }
    const r = group(condition, input, 0);
    return { ok: true, holds: r.holds, why: r.why };
  } catch (e) {
    if (e instanceof ConditionError) return { ok: false, code: e.code, message: e.message };
    throw e;
  }
}

function expression(text: string, input: ConditionInput): ConditionResult {
  if (!input.evaluateExpression) {
    return { ok: false, code: 'NO_EVALUATOR', message: `the expression ${quote(text)} cannot run: no expression evaluator is configured` };
  }
  let value: unknown;
  try {
    value = input.evaluateExpression(text, { ticket: input.snapshot.ticket, vars: input.vars, customer: input.snapshot.customer });
  } catch (e) {
    return { ok: false, code: 'EXPRESSION_ERROR', message: `the expression ${quote(text)} failed: ${(e as Error)?.message ?? String(e)}` };
  }
  if (typeof value !== 'boolean') {
    return { ok: false, code: 'EXPRESSION_ERROR', message: `the expression ${quote(text)} gave ${describe(value)}, not true or false` };
  }
  return { ok: true, holds: value, why: `expression ${quote(text)} is ${value}` };
}

interface Outcome { holds: boolean; why: string }

function group(c: object, input: ConditionInput, depth: number): Outcome {
  const combo = combinatorOf(c);
  if (!combo || depth > 1) throw new ConditionError('BAD_CONDITION', 'the condition is malformed: expected all, any or one (at most two levels)');
  const results = combo.items.map((item) => (isComparison(item) ? compare(item, input) : group(item as object, input, depth + 1)));
  const matched = results.filter((r) => r.holds);
  if (combo.key === 'all') {
    const holds = matched.length === results.length;
    // Failing: the first comparison that does not hold says so itself ("… does not hold (was …)").
    return { holds, why: holds ? join(results, ' and ') : results.find((r) => !r.holds)!.why };
  }
  if (combo.key === 'any') {
    return matched.length ? { holds: true, why: matched[0]!.why } : { holds: false, why: results.length === 1 ? results[0]!.why : `none of ${results.length} held: ${results.map((r) => r.why).join('; ')}` };
  }
  return matched.length === 1
    ? { holds: true, why: `only ${matched[0]!.why}` }
    : { holds: false, why: `${matched.length} of ${results.length} held, exactly one needed` };
}

function join(results: Outcome[], sep: string): string {
  return results.length === 1 ? results[0]!.why : results.map((r) => (r.why.includes(' and ') ? `(${r.why})` : r.why)).join(sep);
}

/**
 * The value a condition field names, `null` when missing; throws for an unknown field.
 *
 * @example
 * fieldValue('CustomerID', { snapshot: { ticket: { customerId: 'ACME' } }, vars: {} }); // 'ACME'
 */
export function fieldValue(field: string, input: Pick<ConditionInput, 'snapshot' | 'vars'>): JsonValue {
  const ref = parseFieldName(field);
  if (ref.kind === 'dynamicField') return input.snapshot.ticket.dynamicFields?.[ref.name] ?? null;
  if (ref.kind === 'variable') {
    let v: JsonValue = input.vars;
    for (const part of ref.name.split('.')) {
      if (v === null || typeof v !== 'object' || Array.isArray(v) || !own(v, part)) return null;
      v = v[part]!;
    }
    return v;
  }
  if (ref.kind === 'escalation') return input.snapshot.ticket.escalation?.[ref.name] ?? null;
  if (ref.kind === 'ticket') {
    const prop = TICKET_FIELD_PROPERTY[ref.name];
    const v = prop ? (input.snapshot.ticket as Record<string, unknown>)[prop] : undefined;
    return v === undefined ? null : (v as JsonValue);
  }
  throw new ConditionError('UNKNOWN_FIELD', `"${field}" is not a field: ${ref.reason}`);
}

function own(o: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

function compare(c: Comparison, input: ConditionInput): Outcome {
  const actual = fieldValue(c.field, input);
  const holds = test(c, actual);
  const expected = c.op === 'empty' || c.op === 'notEmpty' ? '' : ` ${show(c.value)}`;
  if (!holds) return { holds, why: `${c.field} ${c.op}${expected} does not hold (was ${show(actual)})` };
  return { holds, why: `${c.field} ${c.op}${expected}${c.op === 'eq' || c.op === 'in' ? '' : ` (was ${show(actual)})`}` };
}

function items(actual: JsonValue): JsonValue[] {
  return Array.isArray(actual) ? actual : [actual];
}

const isEmpty = (v: JsonValue): boolean => v === null || v === '' || (Array.isArray(v) && v.length === 0);
const text = (v: JsonValue): string => (v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/**
 * Whether one comparison holds for a value (the rule of transition conditions, shared by the field
 * rules of dialogs); throws for a malformed comparison (catch and treat as not holding where that fits).
 *
 * @example
 * comparisonHolds({ field: 'DynamicField_Kind', op: 'in', value: ['a', 'b'] }, 'b'); // true
 */
export function comparisonHolds(c: Comparison, actual: JsonValue): boolean {
  return test(c, actual);
}

function test(c: Comparison, actual: JsonValue): boolean {
  const v = c.value;
  switch (c.op) {
    case 'empty': return isEmpty(actual);
    case 'notEmpty': return !isEmpty(actual);
    case 'eq': return items(actual).some((a) => a !== null && text(a) === text(scalar(c, v)));
    case 'ne': return !items(actual).some((a) => a !== null && text(a) === text(scalar(c, v)));
    case 'in': {
      if (!Array.isArray(v)) throw new ConditionError('BAD_CONDITION', `${c.field} in needs a list of values`);
      const set = new Set(v.map((x) => text(x)));
      return items(actual).some((a) => a !== null && set.has(text(a)));
    }
    case 'contains': {
      const needle = text(scalar(c, v));
      return Array.isArray(actual) ? actual.some((a) => text(a) === needle) : text(actual).includes(needle);
    }
    case 'regex': {
      let re: RegExp;
      try {
        re = new RegExp(text(scalar(c, v)));
      } catch (e) {
        throw new ConditionError('REGEX_INVALID', `the regular expression ${quote(String(v))} of ${c.field} does not compile: ${(e as Error).message}`);
      }
      return items(actual).some((a) => re.test(text(a)));
    }
    case 'gt': case 'gte': case 'lt': case 'lte': return order(c, actual);
    default:
      throw new ConditionError('BAD_CONDITION', `"${String((c as { op: unknown }).op)}" is not a comparison operator`);
  }
}

function scalar(c: Comparison, v: Comparison['value']): Scalar {
  if (v === undefined || Array.isArray(v)) throw new ConditionError('BAD_CONDITION', `${c.field} ${c.op} needs one value`);
  return v;
}

function order(c: Comparison, actual: JsonValue): boolean {
  const expected = scalar(c, c.value);
  const values = items(actual).filter((a) => !isEmpty(a));
  if (!values.length) return false;
  let cmp: (a: JsonValue) => number;
  if (typeof expected === 'number') {
    cmp = (a) => {
      const n = typeof a === 'number' ? a : typeof a === 'string' && a.trim() !== '' ? Number(a) : NaN;
      if (Number.isNaN(n)) throw new ConditionError('TYPE_MISMATCH', `${c.field} is ${show(a)}, which is not a number to compare with ${expected}`);
      return n - expected;
    };
  } else if (typeof expected === 'string' && dateEpoch(expected) !== undefined) {
    const e = dateEpoch(expected)!;
    cmp = (a) => {
      const d = typeof a === 'string' ? dateEpoch(a) : undefined;
      if (d === undefined) throw new ConditionError('TYPE_MISMATCH', `${c.field} is ${show(a)}, which is not a date to compare with ${expected}`);
      return d - e;
    };
  } else {
    throw new ConditionError('TYPE_MISMATCH', `${c.field} ${c.op} needs a number or an ISO date, not ${show(expected)}`);
  }
  const sign = { gt: (d: number) => d > 0, gte: (d: number) => d >= 0, lt: (d: number) => d < 0, lte: (d: number) => d <= 0 }[c.op as 'gt'];
  return values.some((a) => sign(cmp(a)));
}

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * Milliseconds since the epoch of an ISO date-time with a zone, or of a date / `YYYY-MM-DD hh:mm:ss`
 * without one (OTOBO's date fields), read as UTC so the result does not depend on the machine.
 *
 * @example
 * dateEpoch('2025-03-01'); // 1740787200000
 */
export function dateEpoch(text: string): number | undefined {
  const zoned = parseDateTime(text);
  if (zoned.ok) return zoned.value.epochMs;
  const m = LOCAL_DATE.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const back = new Date(ms);
  return back.getUTCDate() === Number(d) && back.getUTCMonth() === Number(mo) - 1 ? ms : undefined;
}

function show(v: unknown): string {
  if (v === null || v === undefined) return 'empty';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function quote(s: string): string {
  return JSON.stringify(s.length > 80 ? `${s.slice(0, 77)}...` : s);
}

function describe(v: unknown): string {
  return v === undefined ? 'undefined' : show(v);
}
