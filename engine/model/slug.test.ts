import { describe, expect, it } from 'vitest';
import { slugify } from './slug';

describe('slugify', () => {
  it.each([
    ['Application for leave', 'application-for-leave'],
    ['Bestellung für Büro', 'bestellung-fur-buro'],
    ['  --RMA (best effort) / RTF--  ', 'rma-best-effort-rtf'],
    ['Process-9690ae9ae455d8614d570149b8ab1199', 'process-9690ae9ae455d8614d570149b8ab1199'],
    ['!!!', 'process'],
  ])('%j → %j', (name, key) => expect(slugify(name)).toBe(key));

  it('cuts long names at a word boundary, at most 64 characters', () => {
    const key = slugify('word '.repeat(30));
    expect(key.length).toBeLessThanOrEqual(64);
    expect(key).toMatch(/^word(-word)*$/);
  });
});
