import { describe, expect, it } from 'vitest';
import { minimalProcess } from '../../model/fixtures';
import type { Process } from '../../model/types';
import { validateProcess } from '../index';

describe('rule: tests', () => {
  it('warns about tests that do not fit the process, at their path', () => {
    const doc = { ...minimalProcess(), tests: [{ name: 'a', dialogs: [{ node: 'start' }], clock: { advance: 'one day' } }, { name: 'a' }] } as Process;
    const problems = validateProcess(doc).filter((p) => p.path.startsWith('/tests'));
    expect(problems.map((p) => [p.severity, p.code, p.path])).toEqual([
      ['warning', 'UNKNOWN_NODE', '/tests/0/dialogs/0/node'],
      ['warning', 'BAD_DURATION', '/tests/0/clock/advance'],
      ['warning', 'DUPLICATE_TEST', '/tests/1/name'],
    ]);
  });
});
