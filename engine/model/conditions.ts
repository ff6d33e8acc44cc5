/**
 * Transition conditions: structured (`all` / `any` / `one` over `{field, op, value}`, nested at most
 * two levels, which maps OTOBO's ConditionLinking and per-condition and/or/xor one-to-one), a
 * sandbox `expression`, or an `unsupported` condition kept from an import (an OTOBO `Module` check)
 * that the validator reports. Types, JSON Schema and a walker.
 */

export const CONDITION_OPS = ['eq', 'ne', 'in', 'contains', 'regex', 'gt', 'gte', 'lt', 'lte', 'empty', 'notEmpty'] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

export type Scalar = string | number | boolean;

/** One test of a field: `{ field: 'DynamicField_Approved', op: 'eq', value: 'yes' }`. */
export interface Comparison {
  /** A ticket field (`Queue`), a dynamic field (`DynamicField_Approved`) or a variable (`vars.days`). */
  field: string;
  op: ConditionOp;
  /** eq/ne: a scalar; in: a list; contains/regex: text; gt..lte: a number or an ISO date text; empty/notEmpty: none. */
  value?: Scalar | Scalar[];
}

/** `all`: every item holds (and); `any`: at least one (or); `one`: exactly one (xor). */
export type Combinator = 'all' | 'any' | 'one';
export const COMBINATORS: readonly Combinator[] = ['all', 'any', 'one'];

/** The inner level: a combination of comparisons. */
export type ComparisonGroup = { all: Comparison[] } | { any: Comparison[] } | { one: Comparison[] };

/** The outer level: a combination of comparisons and groups. */
export type StructuredCondition =
  | { all: Array<Comparison | ComparisonGroup> }
  | { any: Array<Comparison | ComparisonGroup> }
  | { one: Array<Comparison | ComparisonGroup> };

/** A JavaScript expression evaluated in the sandbox (`ticket`, `vars` in scope); must give a boolean. */
export interface ExpressionCondition {
  expression: string;
}

/** A condition an importer could not convert, kept so nothing is lost; never evaluates. */
export interface UnsupportedCondition {
  unsupported: {
    /** Where it came from, e.g. `otobo`. */
    source: string;
    /** The OTOBO module name for `Type: Module` checks. */
    module?: string;
    /** Why it is not supported, as a sentence. */
    reason: string;
    /** The original configuration, verbatim. */
    original?: unknown;
  };
}

export type Condition = StructuredCondition | ExpressionCondition | UnsupportedCondition;

/** The combinator key and items of a structured condition or group. */
export function combinatorOf(c: object): { key: Combinator; items: unknown[] } | undefined {
  for (const key of COMBINATORS) {
    const items = (c as Record<string, unknown>)[key];
    if (Array.isArray(items)) return { key, items };
  }
  return undefined;
}

export function isComparison(item: unknown): item is Comparison {
  return typeof item === 'object' && item !== null && typeof (item as Comparison).field === 'string';
}

/**
 * Calls `visit` for every comparison of a condition with its JSON pointer (tolerates malformed input).
 *
 * @example
 * eachComparison({ all: [{ field: 'Queue', op: 'eq', value: 'Raw' }] }, '/transitions/0/condition', (c, p) => console.log(p));
 * // '/transitions/0/condition/all/0'
 */
export function eachComparison(condition: unknown, path: string, visit: (c: Comparison, path: string) => void, depth = 0): void {
  if (typeof condition !== 'object' || condition === null || depth > 2) return;
  const combo = combinatorOf(condition);
  if (!combo) return;
  combo.items.forEach((item, i) => {
    const p = `${path}/${combo.key}/${i}`;
    if (isComparison(item)) visit(item, p);
    else eachComparison(item, p, visit, depth + 1);
  });
}

const scalar = { type: ['string', 'number', 'boolean'] };

/** JSON Schema of one comparison, with the value each op needs. */
export const comparisonSchema = {
  type: 'object',
  required: ['field', 'op'],
  additionalProperties: false,
  properties: {
    field: { type: 'string', minLength: 1, maxLength: 200 },
    op: { enum: [...CONDITION_OPS] },
    value: { anyOf: [scalar, { type: 'array', items: scalar, maxItems: 1000 }] },
  },
  allOf: [
    {
      if: { properties: { op: { enum: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte'] } }, required: ['op'] },
      then: { required: ['value'], properties: { value: scalar } },
    },
    {
      if: { properties: { op: { const: 'in' } }, required: ['op'] },
      then: { required: ['value'], properties: { value: { type: 'array', minItems: 1 } } },
    },
    {
      if: { properties: { op: { enum: ['contains', 'regex'] } }, required: ['op'] },
      then: { required: ['value'], properties: { value: { type: 'string' } } },
    },
    {
      if: { properties: { op: { enum: ['empty', 'notEmpty'] } }, required: ['op'] },
      then: { not: { required: ['value'] }, description: 'takes no value with empty and notEmpty' },
    },
  ],
} as const;

function combination(item: object) {
  return {
    type: 'object',
    minProperties: 1,
    maxProperties: 1,
    description: 'needs exactly one of all, any, one',
    additionalProperties: false,
    properties: {
      all: { type: 'array', minItems: 1, maxItems: 1000, items: item },
      any: { type: 'array', minItems: 1, maxItems: 1000, items: item },
      one: { type: 'array', minItems: 1, maxItems: 1000, items: item },
    },
  };
}

/** JSON Schema `$defs` for conditions (refer to `#/$defs/condition`). */
export const conditionDefs = {
  comparison: comparisonSchema,
  comparisonGroup: combination({ $ref: '#/$defs/comparison' }),
  conditionItem: {
    if: { type: 'object', required: ['field'] },
    then: { $ref: '#/$defs/comparison' },
    else: { $ref: '#/$defs/comparisonGroup' },
  },
  structuredCondition: combination({ $ref: '#/$defs/conditionItem' }),
  expressionCondition: {
    type: 'object',
    required: ['expression'],
    additionalProperties: false,
    properties: { expression: { type: 'string', minLength: 1, maxLength: 10_000 } },
  },
  unsupportedCondition: {
    type: 'object',
    required: ['unsupported'],
    additionalProperties: false,
    properties: {
      unsupported: {
        type: 'object',
        required: ['source', 'reason'],
        additionalProperties: false,
        properties: {
          source: { type: 'string' },
          module: { type: 'string' },
          reason: { type: 'string' },
          original: {},
        },
      },
    },
  },
  condition: {
    if: { type: 'object', required: ['expression'] },
    then: { $ref: '#/$defs/expressionCondition' },
    else: {
      if: { type: 'object', required: ['unsupported'] },
      then: { $ref: '#/$defs/unsupportedCondition' },
      else: { $ref: '#/$defs/structuredCondition' },
    },
  },
} as const;
