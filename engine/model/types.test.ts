/**
 * The hand-written types and the JSON Schema describe the same format: the fixtures in
 * `fixtures.ts` are typed `satisfies Process` (checked by `tsc`) and must pass the complete schema
 * (checked here), and mistakes in them must fail it.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { ACTION_TYPES } from './actions';
import { copy, kitchenSink, minimalProcess } from './fixtures';
import { processSchema } from './schema';
import { NODE_TYPES, type Process } from './types';

const ajv = new Ajv2020({ allErrors: true, discriminator: true, strict: true, strictTypes: false, strictRequired: false, allowUnionTypes: true });
const validate = ajv.compile(processSchema);

describe('process/1 types and schema', () => {
  it('accept the fixtures', () => {
    for (const p of [kitchenSink, minimalProcess()]) {
      expect(validate(p), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it('cover every node type and every action type in the kitchen-sink fixture', () => {
    expect(new Set(kitchenSink.nodes.map((n) => n.type))).toEqual(new Set(NODE_TYPES));
    const actions = new Set(kitchenSink.transitions.flatMap((t) => (t.actions ?? []).map((a) => a.type)));
    expect(actions).toEqual(new Set(ACTION_TYPES.filter((t) => t !== 'Unsupported')));
  });

  it.each<[string, (p: Process) => void, RegExp]>([
    ['an unknown node type', (p) => ((p.nodes[1] as { type: string }).type = 'task'), /discriminator|mapping/],
    ['a user task without dialog', (p) => delete (p.nodes[1] as { dialog?: unknown }).dialog, /dialog/],
    ['a misspelled property', (p) => ((p.nodes[0] as unknown as Record<string, unknown>).nmae = 'x'), /additionalProperties/],
    ['a condition with two combinators', (p) => (p.transitions[1]!.condition = { all: [], any: [] } as never), /maxProperties|minItems/],
    ['three condition levels', (p) => (p.transitions[1]!.condition = { all: [{ any: [{ one: [{ field: 'Title', op: 'empty' }] }] }] } as never), /required|additionalProperties/],
    ['an "in" with a single value', (p) => (p.transitions[1]!.condition = { all: [{ field: 'Queue', op: 'in', value: 'Raw' }] }), /type/],
    ['a value for "empty"', (p) => (p.transitions[1]!.condition = { all: [{ field: 'Queue', op: 'empty', value: 'x' }] }), /not/],
    ['an action missing its setting (strict schema)', (p) => (p.transitions[1]!.actions = [{ type: 'TicketQueueSet' } as never]), /queue/],
    ['a timer with two times', (p) => p.nodes.push({ id: 'x', type: 'intermediateTimer', duration: 'PT1H', cycle: 'R/PT1H' }), /oneOf/],
    ['a bad key', (p) => (p.key = 'Leave Request'), /pattern/],
  ])('reject %s', (_name, mutate, expected) => {
    const p = copy(minimalProcess());
    mutate(p);
    expect(validate(p)).toBe(false);
    expect(JSON.stringify(validate.errors)).toMatch(expected);
  });
});
