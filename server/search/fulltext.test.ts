/** AST → SQL: which words become tsquery terms and which content patterns, and that user text only travels as parameters. */
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { fullTextCondition, likePattern, likeSubstring, quoteLexeme, tsqueryText, wordKind, wordRegex } from './fulltext';
import { parseQuery } from './query';

const db = new Kysely<object>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (k) => new PostgresIntrospector(k),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});
const cols = { document: sql.ref('s.document'), content: sql.ref('s.content') };
const compile = (q: string) => {
  const c = fullTextCondition(parseQuery(q)!, cols).compile(db);
  return { sql: c.sql.replace(/"/g, ''), parameters: c.parameters };
};
const ts = (q: string) => tsqueryText(parseQuery(q)!);

describe('wordKind', () => {
  it('tells exact words, prefixes and patterns apart', () => {
    expect(wordKind('printer')).toBe('exact');
    expect(wordKind('print*')).toBe('prefix');
    expect(wordKind('print**')).toBe('prefix');
    expect(wordKind('*jet')).toBe('pattern');
    expect(wordKind('p*nt')).toBe('pattern');
    expect(wordKind('te?t')).toBe('pattern');
    expect(wordKind('test?')).toBe('pattern');
    expect(wordKind('*')).toBe('pattern');
    expect(wordKind('#*')).toBe('pattern');
    expect(wordKind('&')).toBe('pattern');
    expect(wordKind('Ärger')).toBe('exact');
    expect(wordKind('42')).toBe('exact');
  });
});

describe('tsqueryText', () => {
  it('quotes every lexeme so user text is always one operand', () => {
    expect(quoteLexeme("o'brien")).toBe("'o''brien'");
    expect(quoteLexeme('a\\b')).toBe("'a\\\\b'");
    expect(quoteLexeme("x' | 'y")).toBe("'x'' | ''y'");
    expect(ts("it's")).toBe("'it''s'");
    expect(ts('a&b|c')).toBe("'a&b|c'");
  });

  it('builds terms, prefixes, phrases and the boolean structure', () => {
    expect(ts('printer')).toBe("'printer'");
    expect(ts('print*')).toBe("'print':*");
    expect(ts('"paper jam"')).toBe("('paper' <-> 'jam')");
    expect(ts('"  jam  "')).toBe("'jam'");
    expect(ts('"paper - jam"')).toBe("('paper' <-> 'jam')");
    expect(ts('a b')).toBe("('a' | 'b')");
    expect(ts('a AND b')).toBe("('a' & 'b')");
    expect(ts('a -b')).toBe("('a' & !'b')");
    expect(ts('NOT (a OR b*)')).toBe("!('a' | 'b':*)");
    expect(ts('(a OR b) AND "c d"')).toBe("(('a' | 'b') & ('c' <-> 'd'))");
  });

  it('gives null when a part must be matched on the content', () => {
    expect(ts('p*nt')).toBeNull();
    expect(ts('a AND te?t')).toBeNull();
    expect(ts('NOT *jet')).toBeNull();
    expect(ts('"- -"')).toBeNull();
  });
});

describe('patterns', () => {
  it('turns wildcards into an ILIKE pattern and escapes LIKE characters', () => {
    expect(likePattern('p*nt')).toBe('%p%nt%');
    expect(likePattern('te?t')).toBe('%te_t%');
    expect(likePattern('*jet')).toBe('%%jet%');
    expect(likePattern('50%_off*')).toBe('%50\\%\\_off%%');
    expect(likePattern('a\\b?')).toBe('%a\\\\b_%');
    expect(likeSubstring('100% a_b\\')).toBe('%100\\% a\\_b\\\\%');
  });

  it('matches a wildcard word as a whole word, escaping regex characters', () => {
    const re = (w: string) => new RegExp(wordRegex(w).replace(/\[\[:space:\]\[:punct:\]\]/g, '[\\s\\p{P}\\p{S}]').replace(/\[\^\[:space:\]\]/g, '\\S'), 'iu');
    expect(re('te?t').test('a test here')).toBe(true);
    expect(re('te?t').test('a tests here')).toBe(false);
    expect(re('te?t').test('tet')).toBe(false);
    expect(re('*jet').test('(inkjet)')).toBe(true);
    expect(re('*jet').test('jetty')).toBe(false);
    expect(re('p*nt').test('print, paint')).toBe(true);
    expect(re('p*nt').test('prints')).toBe(false);
    expect(wordRegex('a.b*')).toBe('(^|[[:space:][:punct:]])a\\.b[^[:space:]]*([[:space:][:punct:]]|$)');
    expect(wordRegex('(x)+?')).toContain('\\(x\\)\\+[^[:space:]]');
  });
});

describe('fullTextCondition', () => {
  it('sends a tsquery-only query as ONE bound to_tsquery parameter', () => {
    const c = compile('printer -toner "paper jam"');
    expect(c.sql).toBe(`(s.document @@ to_tsquery('simple', $1))`);
    expect(c.parameters).toEqual(["(('printer' | ('paper' <-> 'jam')) & !'toner')"]);
  });

  it('matches other wildcards on the content with ILIKE and a word regex', () => {
    const c = compile('te?t');
    expect(c.sql).toBe('(s.content ilike $1 and s.content ~* $2)');
    expect(c.parameters[0]).toBe('%te_t%');
  });

  it('keeps the tsquery parts together and combines the rest in SQL', () => {
    const c = compile('a b p*nt');
    expect(c.sql).toBe(`((s.document @@ to_tsquery('simple', $1)) or (s.content ilike $2 and s.content ~* $3))`);
    expect(c.parameters[0]).toBe("('a' | 'b')");
    const n = compile('a AND NOT *jet');
    expect(n.sql).toBe(`((s.document @@ to_tsquery('simple', $1)) and (not (s.content ilike $2 and s.content ~* $3)))`);
  });

  it('never puts user text into the SQL itself', () => {
    const evil = `x';drop table(tickets);select "a' OR 1=1" *%_\\ te?t`;
    const c = compile(evil);
    expect(c.sql).not.toContain('drop');
    expect(c.sql).not.toContain('1=1');
    expect(c.sql).toMatch(/^[\s\w().@$'~*,=|&!<>-]*$/);
  });

  it('matches a word without letters or digits as a literal substring', () => {
    const c = compile('&');
    expect(c.sql).toBe('(s.content ilike $1)');
    expect(c.parameters).toEqual(['%&%']);
  });
});
