import { describe, expect, it } from 'vitest';
import { copy, kitchenSink, minimalProcess } from '../model/fixtures';
import type { Process } from '../model/types';
import { MAX_PROCESS_NODES, MAX_PROCESS_TRANSITIONS } from '../model/schema';
import { isDeployable, validateProcess } from './index';

describe('validateProcess', () => {
  it('finds nothing wrong with valid processes', () => {
    expect(validateProcess(kitchenSink)).toEqual([]);
    expect(validateProcess(minimalProcess())).toEqual([]);
  });

  it('refuses a document that is not an object, or of another format version', () => {
    expect(validateProcess([])).toMatchObject([{ code: 'NOT_A_PROCESS' }]);
    expect(validateProcess('x')).toMatchObject([{ code: 'NOT_A_PROCESS' }]);
    expect(validateProcess({ ...minimalProcess(), format: 'process/2' })).toMatchObject([{ code: 'FORMAT_UNSUPPORTED', path: '/format' }]);
  });

  it('runs both layers and never throws on garbage', () => {
    const garbage = [{}, { nodes: 5, transitions: {} }, { nodes: [null, 1, 'x', { id: 3 }], transitions: [null, { id: 'a', from: 1 }] }, { format: 'process/1', nodes: [{ id: 'a', type: 'userTask', dialog: { fields: 'x' } }], transitions: [{ id: 't', from: 'a', to: 'a', condition: { all: 'x' }, actions: [null, 'x', { type: 'DynamicFieldSet', fields: 5 }] }] }];
    for (const doc of garbage) {
      const problems = validateProcess(doc);
      expect(problems.length).toBeGreaterThan(0);
      for (const p of problems) expect(p.message).toMatch(/[.!]$/);
    }
  });

  it('names transitions and nodes by their names, not their (hash) ids (issue 19, item 7)', () => {
    const doc = copy(minimalProcess());
    doc.transitions.push({ id: 'T1a2b3c4d5e6', name: 'Approved', from: doc.nodes[0]!.id, to: 'nowhere' });
    const message = validateProcess(doc).find((p) => p.code !== 'UNREACHABLE' && p.transitionId === 'T1a2b3c4d5e6')?.message;
    expect(message).toMatch(/^Transition "Approved" \(T1a2b3c4d5e6\) leads to "nowhere"/);
  });

  it('tells errors from warnings for deploy', () => {
    const doc = copy(minimalProcess());
    doc.nodes[1] = { id: 'task', type: 'userTask', dialog: { interfaces: ['agent'], fields: [{ field: 'Queue', display: 'hidden' }] } };
    const problems = validateProcess(doc);
    expect(problems.map((p) => p.severity)).toEqual(['warning']);
    expect(isDeployable(problems)).toBe(true);
    expect(isDeployable(validateProcess({}))).toBe(false);
  });

  const chain = (n: number): Process => ({
      format: 'process/1', key: 'big', name: 'Big', start: { interfaces: ['agent'] },
      nodes: [
        { id: 's', type: 'startEvent' },
        ...Array.from({ length: n }, (_, i) => ({ id: `n${i}`, type: 'userTask' as const, dialog: { interfaces: ['agent' as const], fields: [{ field: `DynamicField_F${i % 50}`, display: 'shown' as const }] } })),
        { id: 'e', type: 'endEvent' },
      ],
      transitions: [
        { id: 't-s', from: 's', to: 'n0' },
        ...Array.from({ length: n - 1 }, (_, i) => ({ id: `t${i}`, from: `n${i}`, to: `n${i + 1}`, condition: { all: [{ field: 'Queue', op: 'eq' as const, value: 'Raw' }] } })),
        { id: 't-e', from: `n${n - 1}`, to: 'e' },
      ],
  });

  it('validates a process of the largest allowed size', () => {
    const n = MAX_PROCESS_NODES - 2;
    const doc = chain(n);
    validateProcess(minimalProcess()); // compile the schema outside the measurement
    const timed = () => {
      const t0 = performance.now();
      const problems = validateProcess(doc);
      return { problems, ms: (performance.now() - t0).toFixed(0) };
    };
    const cold = timed();
    const warm = timed();
    console.log(`validateProcess: ${n + 2} nodes, ${n + 1} transitions in ${cold.ms} ms (first run), ${warm.ms} ms (second run)`);
    expect(cold.problems).toEqual([]);
  });

  it('refuses a process over the node limit with that one problem, before the schema and the rules', () => {
    const problems = validateProcess(chain(10_000));
    expect(problems).toEqual([
      expect.objectContaining({ severity: 'error', code: 'PROCESS_TOO_LARGE', path: '/nodes', message: expect.stringContaining(`at most ${MAX_PROCESS_NODES}`) }),
      expect.objectContaining({ severity: 'error', code: 'PROCESS_TOO_LARGE', path: '/transitions', message: expect.stringContaining(`at most ${MAX_PROCESS_TRANSITIONS}`) }),
    ]);
  });
});
