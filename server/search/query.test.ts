/** The full-text query parser: every operator, precedence, grouping, and every syntax error with its position. */
import { describe, expect, it } from 'vitest';
import { BadRequest } from '../errors';
import { formatQuery, MAX_DEPTH, parseQuery } from './query';

/** The parse as fully parenthesised text. */
const f = (q: string) => {
  const node = parseQuery(q);
  return node && formatQuery(node);
};

/** The error a query raises. */
const err = (q: string): BadRequest => {
  try {
    parseQuery(q);
  } catch (e) {
    return e as BadRequest;
  }
  throw new Error(`no error for ${JSON.stringify(q)}`);
};

describe('parseQuery: terms', () => {
  it('reads a single word as a word node with its position', () => {
    expect(parseQuery('printer')).toEqual({ type: 'word', value: 'printer', position: 1 });
    expect(parseQuery('   printer  ')).toEqual({ type: 'word', value: 'printer', position: 4 });
  });

  it('treats an empty or blank query as no condition', () => {
    expect(parseQuery('')).toBeNull();
    expect(parseQuery(' \t\n ')).toBeNull();
  });

  it('reads several words as OR, as OTRS does', () => {
    expect(f('printer toner')).toBe('(printer OR toner)');
    expect(f('a b c')).toBe('(a OR b OR c)');
  });

  it('reads a quoted phrase as one phrase node, keeping its inner text', () => {
    expect(parseQuery('"paper jam"')).toEqual({ type: 'phrase', value: 'paper jam', position: 1 });
    expect(f('toner "paper  jam" x')).toBe('(toner OR "paper  jam" OR x)');
    expect(f('"a (b) AND c"')).toBe('"a (b) AND c"');
  });

  it('keeps * and ? wildcards anywhere in a word', () => {
    for (const w of ['print*', '*jet', 'p*nt', 'te?t', '?est', 'tes?', '*', 'a*b?c*']) {
      expect(parseQuery(w)).toEqual({ type: 'word', value: w, position: 1 });
    }
  });

  it('keeps punctuation inside words (hyphens, plus signs, ampersands, apostrophes)', () => {
    expect(f('e-mail c++ AT&T o\'brien a!b')).toBe("(e-mail OR c++ OR AT&T OR o'brien OR a!b)");
  });

  it('reads lower-case and/or/not as words, not operators', () => {
    expect(f('a and b or not c')).toBe('(a OR and OR b OR or OR not OR c)');
  });

  it('counts positions in characters, not UTF-16 units', () => {
    expect(parseQuery('😀 x')).toEqual({
      type: 'or',
      items: [
        { type: 'word', value: '😀', position: 1 },
        { type: 'word', value: 'x', position: 3 },
      ],
    });
    expect(parseQuery('ä "ö ü"')).toEqual({
      type: 'or',
      items: [
        { type: 'word', value: 'ä', position: 1 },
        { type: 'phrase', value: 'ö ü', position: 3 },
      ],
    });
  });
});

describe('parseQuery: operators', () => {
  it('AND and && require both', () => {
    expect(f('a AND b')).toBe('(a AND b)');
    expect(f('a && b')).toBe('(a AND b)');
    expect(f('a&&b')).toBe('(a AND b)');
  });

  it('OR and || accept either, like adjacency', () => {
    expect(f('a OR b')).toBe('(a OR b)');
    expect(f('a || b')).toBe('(a OR b)');
    expect(f('a||b')).toBe('(a OR b)');
  });

  it('NOT and ! negate', () => {
    expect(f('NOT a')).toBe('NOT a');
    expect(f('!a')).toBe('NOT a');
    expect(f('! a')).toBe('NOT a');
    expect(f('a AND NOT b')).toBe('(a AND NOT b)');
    expect(f('NOT NOT a')).toBe('a');
    expect(f('NOT "paper jam"')).toBe('NOT "paper jam"');
  });

  it('+must makes a term required within its group', () => {
    expect(f('+a')).toBe('a');
    expect(f('a +b')).toBe('(b AND a)');
    expect(f('a b +c')).toBe('(c AND (a OR b))');
    expect(f('+a +b')).toBe('(a AND b)');
    expect(f('+"paper jam" toner')).toBe('("paper jam" AND toner)');
  });

  it('-mustnot excludes a term within its group', () => {
    expect(f('-a')).toBe('NOT a');
    expect(f('a -b')).toBe('(a AND NOT b)');
    expect(f('a b -c')).toBe('((a OR b) AND NOT c)');
    expect(f('-a -b')).toBe('(NOT a AND NOT b)');
    expect(f('-"paper jam" printer')).toBe('(printer AND NOT "paper jam")');
  });

  it('combines +, - and plain words as (plain OR ...) AND required AND NOT prohibited', () => {
    expect(f('a b +c -d')).toBe('(c AND (a OR b) AND NOT d)');
    expect(f('-d a +c b')).toBe('(c AND (a OR b) AND NOT d)');
  });

  it('applies + and - to groups', () => {
    expect(f('+(a b) -(c d) e')).toBe('((a OR b) AND e AND NOT (c OR d))');
  });

  it('inside an explicit AND, +x is x and -x is NOT x', () => {
    expect(f('a AND -b')).toBe('(a AND NOT b)');
    expect(f('a AND +b')).toBe('(a AND b)');
    expect(f('-a AND b c')).toBe('((NOT a AND b) OR c)');
  });
});

describe('parseQuery: precedence and grouping', () => {
  it('binds NOT tighter than AND, and AND tighter than OR', () => {
    expect(f('a OR b AND c')).toBe('(a OR (b AND c))');
    expect(f('a AND b OR c')).toBe('((a AND b) OR c)');
    expect(f('NOT a AND b')).toBe('(NOT a AND b)');
    expect(f('NOT a OR b')).toBe('(NOT a OR b)');
    expect(f('a OR NOT b AND c')).toBe('(a OR (NOT b AND c))');
  });

  it('treats adjacency as OR, below AND', () => {
    expect(f('a b AND c')).toBe('(a OR (b AND c))');
    expect(f('a AND b c')).toBe('((a AND b) OR c)');
  });

  it('groups with parentheses', () => {
    expect(f('(a OR b) AND c')).toBe('((a OR b) AND c)');
    expect(f('a AND (b OR c)')).toBe('(a AND (b OR c))');
    expect(f('NOT (a AND b)')).toBe('NOT (a AND b)');
    expect(f('(a)')).toBe('a');
    expect(f('((a))')).toBe('a');
    expect(f('(a b)c')).toBe('(a OR b OR c)');
  });

  it('nests groups to any reasonable depth', () => {
    expect(f('((a OR b) AND (c OR (d AND NOT e))) OR "f g"')).toBe('(((a OR b) AND (c OR (d AND NOT e))) OR "f g")');
    const deep = `${'('.repeat(MAX_DEPTH)}x${')'.repeat(MAX_DEPTH)}`;
    expect(f(deep)).toBe('x');
  });

  it('flattens chains of the same operator', () => {
    expect(f('a AND b AND c')).toBe('(a AND b AND c)');
    expect(f('(a AND b) AND (c AND d)')).toBe('(a AND b AND c AND d)');
    expect(f('(a OR b) OR c')).toBe('(a OR b OR c)');
  });
});

describe('parseQuery: syntax errors', () => {
  const cases: Array<[string, string]> = [
    ['(a', 'missing ")" for the "(" opened at position 1'],
    ['a (b OR c', 'missing ")" for the "(" opened at position 3'],
    ['(', 'missing ")" for the "(" opened at position 1'],
    ['((a) b', 'missing ")" for the "(" opened at position 1'],
    ['a)', 'unexpected ")" at position 2'],
    [')', 'unexpected ")" at position 1'],
    ['(a AND)', 'unexpected ")" at position 7'],
    ['(a) )', 'unexpected ")" at position 5'],
    ['"paper jam', 'unterminated quote at position 1'],
    ['a "b', 'unterminated quote at position 3'],
    ['"a" "b', 'unterminated quote at position 5'],
    ['""', 'empty phrase at position 1'],
    ['a "   "', 'empty phrase at position 3'],
    ['a AND', 'missing term after "AND" at position 3'],
    ['a &&', 'missing term after "&&" at position 3'],
    ['a OR', 'missing term after "OR" at position 3'],
    ['a ||', 'missing term after "||" at position 3'],
    ['AND a', 'unexpected "AND" at position 1'],
    ['OR a', 'unexpected "OR" at position 1'],
    ['|| a', 'unexpected "||" at position 1'],
    ['a OR OR b', 'unexpected "OR" at position 6'],
    ['a AND OR b', 'unexpected "OR" at position 7'],
    ['a AND AND b', 'unexpected "AND" at position 7'],
    ['NOT', 'missing term after "NOT" at position 1'],
    ['!', 'missing term after "!" at position 1'],
    ['a NOT', 'missing term after "NOT" at position 3'],
    ['NOT )', 'unexpected ")" at position 5'],
    ['NOT AND a', 'unexpected "AND" at position 5'],
    ['NOT +a', 'unexpected "+" at position 5'],
    ['+', 'missing term right after "+" at position 1'],
    ['-', 'missing term right after "-" at position 1'],
    ['a - b', 'missing term right after "-" at position 3'],
    ['a +', 'missing term right after "+" at position 3'],
    ['+)', 'unexpected ")" at position 2'],
    ['+-a', 'unexpected "-" at position 2'],
    ['-AND', 'unexpected "AND" at position 2'],
    ['()', 'empty parentheses at position 1'],
    ['a ( ) b', 'empty parentheses at position 3'],
    ['ä (', 'missing ")" for the "(" opened at position 3'],
    ['😀 )', 'unexpected ")" at position 3'],
  ];

  it.each(cases)('%j → %s', (q, message) => {
    const e = err(q);
    expect(e).toBeInstanceOf(BadRequest);
    expect(e).toMatchObject({ status: 400, code: 'QUERY_SYNTAX', path: '/query', message });
    expect((e.details as { position: number }).position).toBe(Number(/position (\d+)$/.exec(message)![1]));
  });

  it('refuses nesting deeper than the limit, at the offending parenthesis', () => {
    const deep = `${'('.repeat(MAX_DEPTH + 1)}x${')'.repeat(MAX_DEPTH + 1)}`;
    expect(err(deep).message).toBe(`the query nests deeper than ${MAX_DEPTH} levels at position ${MAX_DEPTH + 1}`);
    expect(err('NOT '.repeat(MAX_DEPTH + 1) + 'x').code).toBe('QUERY_SYNTAX');
  });
});
