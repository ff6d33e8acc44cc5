import { describe, expect, it } from 'vitest';
import { MAX_DEPTH, MAX_YAML_BYTES, parseYaml, yamlNestingAtLeast } from './yaml';

describe('parseYaml', () => {
  it('keeps timestamps, yes/no and quoted numbers as text (core schema)', () => {
    expect(parseYaml("CreateTime: 2016-08-10 11:55:47\nMatch: yes\nOther: no\nID: '12'\nDisplay: 1")).toEqual({
      CreateTime: '2016-08-10 11:55:47', Match: 'yes', Other: 'no', ID: '12', Display: 1,
    });
  });

  it('accepts a few anchors and aliases', () => {
    expect(parseYaml('a: &x {b: 1}\nc: *x')).toEqual({ a: { b: 1 }, c: { b: 1 } });
  });

  it('refuses an alias bomb (how fast: test/bench/engine-limits.ts)', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 20; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    expect(() => parseYaml(levels.join('\n'))).toThrow(expect.objectContaining({ type: 'ProcessFormatError', code: 'YAML_ALIAS_LIMIT' }));
  });

  it('refuses nesting bombs: deeper than the limit, and deep enough to overflow a parser', () => {
    const nested = (depth: number) => `${'{a: '.repeat(depth)}1${'}'.repeat(depth)}`;
    expect(() => parseYaml(nested(40))).toThrow(expect.objectContaining({ code: 'NESTING_TOO_DEEP' }));
    expect(() => parseYaml(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)).toThrow(expect.objectContaining({ code: 'NESTING_TOO_DEEP' }));
    expect(parseYaml(nested(20))).toBeTypeOf('object');
  });

  it('refuses recursive aliases', () => {
    expect(() => parseYaml('a: &a [*a]')).toThrow(expect.objectContaining({ type: 'ProcessFormatError' }));
  });

  it('gives line and column for malformed YAML', () => {
    const err = (() => {
      try {
        parseYaml('Process:\n  Name: x\n Bad: [1, 2\n');
      } catch (e) {
        return e as { code: string; message: string; details: unknown };
      }
      return undefined;
    })();
    expect(err).toMatchObject({ code: 'YAML_MALFORMED', details: { line: expect.any(Number), col: expect.any(Number) } });
    expect(err!.message).toMatch(/^The YAML is malformed: .+ at line \d+, column \d+/);
  });

  it('refuses duplicate keys', () => {
    expect(() => parseYaml('a: 1\na: 2')).toThrow(expect.objectContaining({ code: 'YAML_MALFORMED', message: expect.stringMatching(/unique/) }));
  });

  it('refuses nesting bombs before parsing them: unclosed brackets (which ran the parser out of memory), tagged, compact and indented', () => {
    const bombs = {
      unclosed: '['.repeat(20_000),
      tagged: `a: !!seq ${'['.repeat(20_000)}`,
      anchored: `a: &x ${'{b: '.repeat(10_000)}`,
      afterQuote: `a: [x's ${'['.repeat(20_000)}`,
      compact: `${'- '.repeat(10_000)}x`,
      indented: Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n'),
    };
    for (const [name, text] of Object.entries(bombs)) {
      expect(yamlNestingAtLeast(text, MAX_DEPTH), name).toBeGreaterThan(MAX_DEPTH);
      expect(() => parseYaml(text), name).toThrow(expect.objectContaining({ code: 'NESTING_TOO_DEEP' }));
    }
  });

  it('does not count brackets in quotes, comments, block scalars or plain words as nesting', () => {
    const deep = '['.repeat(40);
    const text = [
      `a: "${deep}"`, `b: '${deep} it''s'`, `c: x${deep}`, `# ${deep}`, 'd: |', `  ${deep}`, '    - - - - -', 'e: >-', `  ${deep}`,
      'f: [1, [2, {g: 3}]]', 'h:', '  - - x', '    - y',
    ].join('\n');
    expect(yamlNestingAtLeast(text, MAX_DEPTH)).toBeUndefined();
    expect(parseYaml(text)).toMatchObject({ a: deep, c: `x${deep}`, f: [1, [2, { g: 3 }]] });
  });

  it('refuses YAML over the size limit without parsing it', () => {
    expect(() => parseYaml(`a: ${'x'.repeat(MAX_YAML_BYTES)}`)).toThrow(expect.objectContaining({ code: 'YAML_TOO_LARGE' }));
  });
});
