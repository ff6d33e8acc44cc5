/**
 * Translates a parsed full-text query (`query.ts`) into one boolean SQL condition over a ticket's
 * search document (`document.ts`): a `simple` tsvector and the same text as plain `content`.
 *
 * - words and prefix wildcards (`print*`) become tsquery terms (`'print':*`), phrases become
 *   `<->` chains; every part of the query that can be a tsquery is combined (`&`, `|`, `!`) into
 *   ONE tsquery string, passed as a bound parameter to `to_tsquery('simple', $n)` (GIN index);
 * - other wildcards (`*jet`, `p*nt`, `te?t`) become `content ILIKE '%p%nt%'` (pg_trgm index) plus
 *   a case-insensitive regular expression that keeps whole-word semantics (`?` is one character);
 * - the rest is plain SQL `and` / `or` / `not`.
 *
 * User text never becomes SQL: lexemes are quoted for the tsquery syntax, LIKE and regex patterns
 * are escaped, and all of them travel as parameters. Case-insensitive: the `simple` configuration
 * lower-cases both sides, ILIKE and `~*` ignore case.
 *
 * @example
 * fullTextCondition(parseQuery('printer -toner p?per')!, { document: sql.ref('s.document'), content: sql.ref('s.content') })
 * // → ((s.document @@ to_tsquery('simple', $1)) and ((s.document @@ to_tsquery('simple', $2))
 * //      or (s.content ilike $3 and s.content ~* $4)))
 * //   $1 = "!'toner'", $2 = "'printer'", $3 = '%p_per%', $4 = '(^|[[:space:][:punct:]])p[^[:space:]]per([[:space:][:punct:]]|$)'
 */
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { QueryNode, WordNode } from './query';

/** The two columns (or expressions) a condition is evaluated on. */
export interface DocumentColumns {
  document: Expression<unknown>;
  content: Expression<unknown>;
}

/** Characters that make a lexeme: without one, the text-search parser finds no word. */
const LEXEME_CHAR = /[\p{L}\p{N}]/u;

/**
 * How a word is matched: `exact` (a tsquery lexeme), `prefix` (`print*`: a tsquery prefix),
 * `pattern` (any other use of `*` or `?`, or no letter or digit at all: matched on the content).
 */
export function wordKind(value: string): 'exact' | 'prefix' | 'pattern' {
  if (!/[*?]/.test(value)) return LEXEME_CHAR.test(value) ? 'exact' : 'pattern';
  const stem = value.replace(/\*+$/, '');
  if (!/[*?]/.test(stem) && LEXEME_CHAR.test(stem)) return 'prefix';
  return 'pattern';
}

/** A tsquery operand: quoted, with `'` doubled and `\` escaped, so it is always one operand. */
export function quoteLexeme(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/**
 * The tsquery text of `node` when all of it can be a tsquery, else `null`. `to_tsquery` then
 * normalises each quoted operand with the `simple` configuration, exactly as the document was.
 */
export function tsqueryText(node: QueryNode): string | null {
  switch (node.type) {
    case 'word': {
      const kind = wordKind(node.value);
      if (kind === 'exact') return quoteLexeme(node.value);
      if (kind === 'prefix') return `${quoteLexeme(node.value.replace(/\*+$/, ''))}:*`;
      return null;
    }
    case 'phrase': {
      const words = phraseWords(node.value);
      if (!words.length) return null;
      return words.length === 1 ? quoteLexeme(words[0]!) : `(${words.map(quoteLexeme).join(' <-> ')})`;
    }
    case 'not': {
      const inner = tsqueryText(node.item);
      return inner === null ? null : `!${inner}`;
    }
    case 'and':
    case 'or': {
      const parts = node.items.map(tsqueryText);
      if (parts.some((p) => p === null)) return null;
      return `(${parts.join(node.type === 'and' ? ' & ' : ' | ')})`;
    }
  }
}

/** The words of a phrase that carry a lexeme (punctuation alone takes no position in the document). */
function phraseWords(phrase: string): string[] {
  return phrase.split(/\s+/u).filter((w) => LEXEME_CHAR.test(w));
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A LIKE pattern for a wildcard word, anywhere in the text: `p*nt` → `%p%nt%`, `te?t` → `%te_t%`. */
export function likePattern(value: string): string {
  const body = value
    .replace(/\*+/g, '*')
    .split('')
    .map((c) => (c === '*' ? '%' : c === '?' ? '_' : escapeLike(c)))
    .join('');
  return `%${body}%`;
}

/** A LIKE pattern for `text` literally, anywhere in the text. */
export function likeSubstring(text: string): string {
  return `%${escapeLike(text)}%`;
}

/** Word separators: white space and punctuation (as the text-search parser splits words). */
const SEP = '[[:space:][:punct:]]';

/**
 * A case-insensitive regular expression (for `~*`) matching a wildcard word as a whole word:
 * `*` is any run of non-space characters, `?` exactly one.
 */
export function wordRegex(value: string): string {
  const body = value
    .split('')
    .map((c) => (c === '*' ? '[^[:space:]]*' : c === '?' ? '[^[:space:]]' : c.replace(/[\\^$.|?*+()[\]{}]/, (m) => `\\${m}`)))
    .join('');
  return `(^|${SEP})${body}(${SEP}|$)`;
}

function wordPattern(node: WordNode, cols: DocumentColumns): RawBuilder<SqlBool> {
  if (!/[*?]/.test(node.value)) {
    // Only punctuation (`&`, `#`): the document has no lexeme for it, the content has the text.
    return sql<SqlBool>`(${cols.content} ilike ${likeSubstring(node.value)})`;
  }
  return sql<SqlBool>`(${cols.content} ilike ${likePattern(node.value)} and ${cols.content} ~* ${wordRegex(node.value)})`;
}

function tsCondition(tsquery: string, cols: DocumentColumns): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${cols.document} @@ to_tsquery('simple', ${tsquery}))`;
}

/** One SQL condition that is true for the documents matching `node`. */
export function fullTextCondition(node: QueryNode, cols: DocumentColumns): RawBuilder<SqlBool> {
  const whole = tsqueryText(node);
  if (whole !== null) return tsCondition(whole, cols);
  switch (node.type) {
    case 'word':
      return wordPattern(node, cols);
    case 'phrase':
      return sql<SqlBool>`(${cols.content} ilike ${likeSubstring(node.value)})`;
    case 'not':
      return sql<SqlBool>`(not ${fullTextCondition(node.item, cols)})`;
    case 'and':
    case 'or': {
      // The parts that can be a tsquery go into one tsquery; the others are SQL conditions.
      const ts: string[] = [];
      const other: RawBuilder<SqlBool>[] = [];
      for (const item of node.items) {
        const t = tsqueryText(item);
        if (t === null) other.push(fullTextCondition(item, cols));
        else ts.push(t);
      }
      const joiner = node.type === 'and' ? ' & ' : ' | ';
      const parts = ts.length ? [tsCondition(ts.length === 1 ? ts[0]! : `(${ts.join(joiner)})`, cols), ...other] : other;
      return sql<SqlBool>`(${sql.join(parts, node.type === 'and' ? sql` and ` : sql` or `)})`;
    }
  }
}
