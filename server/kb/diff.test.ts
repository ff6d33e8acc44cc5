import { describe, expect, it } from 'vitest';
import { diffLines, MAX_LINES } from './diff';

describe('diffLines', () => {
  it('keeps common lines and marks removed and added ones', () => {
    expect(diffLines('a\nb\nc', 'a\nx\nc')).toEqual([
      { op: 'same', text: 'a' },
      { op: 'del', text: 'b' },
      { op: 'add', text: 'x' },
      { op: 'same', text: 'c' },
    ]);
  });
  it('treats an empty side as all added or removed', () => {
    expect(diffLines('', 'a')).toEqual([{ op: 'add', text: 'a' }]);
    expect(diffLines('a', '')).toEqual([{ op: 'del', text: 'a' }]);
  });
  it('does not compare huge texts line by line', () => {
    const big = Array.from({ length: MAX_LINES + 1 }, (_, i) => String(i)).join('\n');
    expect(diffLines(big, 'x').filter((l) => l.op === 'same')).toEqual([]);
  });
});
