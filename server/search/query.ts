/**
 * The full-text query syntax of the OTRS manual, parsed into a small AST (pure: no database).
 *
 * | syntax | meaning |
 * | --- | --- |
 * | `printer toner` | several words: either (OR) |
 * | `"paper jam"` | a phrase: these words, in this order, next to each other |
 * | `print*`, `*jet`, `p*nt`, `te?t` | `*` any characters, `?` one character, anywhere in a word |
 * | `+urgent`, `-spam` | must contain / must not contain (within a group: `a b +c -d` = (a OR b) AND c AND NOT d) |
 * | `a AND b`, `a && b` | both |
 * | `a OR b`, `a \|\| b` | either (the same as `a b`) |
 * | `NOT a`, `!a` | not |
 * | `( ... )` | grouping |
 *
 * Precedence: NOT (and `+`/`-`) binds tightest, then AND, then OR (explicit or by adjacency).
 * The operators are upper case (`and` is a word). A query that cannot be parsed throws a
 * `BadRequest` with code `QUERY_SYNTAX`, path `/query` and the 1-based character position.
 *
 * @example
 * parseQuery('printer AND (toner OR "paper jam") -spam')
 * // → { type: 'and', items: [
 * //      { type: 'word', value: 'printer', position: 1 },
 * //      { type: 'or', items: [{ type: 'word', value: 'toner', position: 14 }, { type: 'phrase', value: 'paper jam', position: 23 }] },
 * //      { type: 'not', item: { type: 'word', value: 'spam', position: 37 } } ] }
 */
import { BadRequest } from '../errors';

/** A word as typed; it may contain the wildcards `*` and `?`. */
export interface WordNode {
  type: 'word';
  value: string;
  /** 1-based character position in the query. */
  position: number;
}

/** A "quoted phrase": `value` is the text between the quotes. */
export interface PhraseNode {
  type: 'phrase';
  value: string;
  position: number;
}

export interface AndNode {
  type: 'and';
  items: QueryNode[];
}

export interface OrNode {
  type: 'or';
  items: QueryNode[];
}

export interface NotNode {
  type: 'not';
  item: QueryNode;
}

export type QueryNode = WordNode | PhraseNode | AndNode | OrNode | NotNode;

/** How deeply parentheses and NOTs may nest (deeper is surely not a person typing). */
export const MAX_DEPTH = 64;

type TokenType = 'word' | 'phrase' | 'lparen' | 'rparen' | 'and' | 'or' | 'not' | 'plus' | 'minus' | 'end';

interface Token {
  type: TokenType;
  /** The text as typed (for words: the word; for phrases: the inner text). */
  text: string;
  /** 0-based UTF-16 index. */
  index: number;
}

const KEYWORDS: Record<string, TokenType> = { AND: 'and', OR: 'or', NOT: 'not' };

/** Throws the syntax error for `index` (0-based UTF-16) of `source`, as a 1-based character position. */
function syntaxError(source: string, index: number, message: string): never {
  const position = positionOf(source, index);
  throw new BadRequest(`${message} at position ${position}`, '/query', { position }, 'QUERY_SYNTAX');
}

/** 1-based character (code point) position of the 0-based UTF-16 `index`. */
const positionOf = (source: string, index: number) => Array.from(source.slice(0, index)).length + 1;

const isSpace = (ch: string | undefined) => ch !== undefined && /\s/u.test(ch);

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = source.length;
  while (i < n) {
    const ch = source[i]!;
    if (isSpace(ch)) {
      i++;
      continue;
    }
    const start = i;
    if (ch === '(' || ch === ')') {
      tokens.push({ type: ch === '(' ? 'lparen' : 'rparen', text: ch, index: i++ });
    } else if (ch === '"') {
      const close = source.indexOf('"', i + 1);
      if (close < 0) syntaxError(source, start, 'unterminated quote');
      const text = source.slice(i + 1, close);
      if (!text.trim()) syntaxError(source, start, 'empty phrase');
      tokens.push({ type: 'phrase', text, index: start });
      i = close + 1;
    } else if (source.startsWith('&&', i) || source.startsWith('||', i)) {
      tokens.push({ type: ch === '&' ? 'and' : 'or', text: source.slice(i, i + 2), index: i });
      i += 2;
    } else if (ch === '!') {
      tokens.push({ type: 'not', text: ch, index: i++ });
    } else if (ch === '+' || ch === '-') {
      tokens.push({ type: ch === '+' ? 'plus' : 'minus', text: ch, index: i++ });
    } else {
      while (i < n) {
        const c = source[i]!;
        if (isSpace(c) || c === '(' || c === ')' || c === '"' || source.startsWith('&&', i) || source.startsWith('||', i)) break;
        i++;
      }
      const text = source.slice(start, i);
      tokens.push({ type: KEYWORDS[text] ?? 'word', text, index: start });
    }
  }
  tokens.push({ type: 'end', text: '', index: n });
  return tokens;
}

function and(items: QueryNode[]): QueryNode {
  const flat = items.flatMap((x) => (x.type === 'and' ? x.items : [x]));
  return flat.length === 1 ? flat[0]! : { type: 'and', items: flat };
}

function or(items: QueryNode[]): QueryNode {
  const flat = items.flatMap((x) => (x.type === 'or' ? x.items : [x]));
  return flat.length === 1 ? flat[0]! : { type: 'or', items: flat };
}

/** An operand of an OR list, with its `+`/`-` mark when it is a single marked term. */
interface Marked {
  node: QueryNode;
  mark?: '+' | '-';
}

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
  ) {}

  /** The current token (a method, not a getter: it changes as the parser moves). */
  private peek(): Token {
    return this.tokens[this.pos]!;
  }

  private describe(t: Token): string {
    return t.type === 'end' ? 'end of query' : `"${t.text}"`;
  }

  private fail(t: Token, message: string): never {
    syntaxError(this.source, t.index, message);
  }

  private unexpected(t: Token): never {
    if (t.type === 'end') this.fail(t, 'unexpected end of query');
    this.fail(t, `unexpected ${this.describe(t)}`);
  }

  /** The operator `op` needs an operand that can start with the current token. */
  private needOperand(op: Token, starts: TokenType[]): void {
    if (starts.includes(this.peek().type)) return;
    if (this.peek().type === 'end') this.fail(op, `missing term after "${op.text}"`);
    this.unexpected(this.peek());
  }

  parse(): QueryNode | null {
    if (this.peek().type === 'end') return null;
    const node = this.orList();
    if (this.peek().type !== 'end') this.unexpected(this.peek());
    return node;
  }

  private static readonly ITEM_START: TokenType[] = ['word', 'phrase', 'lparen', 'not', 'plus', 'minus'];
  private static readonly UNARY_START: TokenType[] = ['word', 'phrase', 'lparen', 'not'];

  /** OR list: AND-expressions separated by OR or just by space; resolves `+`/`-` marks. */
  private orList(): QueryNode {
    const items: Marked[] = [this.andList()];
    for (;;) {
      const t = this.peek();
      if (t.type === 'or') {
        this.pos++;
        this.needOperand(t, Parser.ITEM_START);
        items.push(this.andList());
      } else if (Parser.ITEM_START.includes(t.type)) {
        items.push(this.andList());
      } else {
        break;
      }
    }
    const required = items.filter((x) => x.mark === '+').map((x) => x.node);
    const prohibited = items.filter((x) => x.mark === '-').map((x) => ({ type: 'not', item: x.node }) as const);
    const optional = items.filter((x) => !x.mark).map((x) => x.node);
    if (!required.length && !prohibited.length) return or(optional);
    return and([...required, ...(optional.length ? [or(optional)] : []), ...prohibited]);
  }

  /** AND list: marked unary expressions joined by AND; a lone marked term keeps its mark. */
  private andList(): Marked {
    const items: Marked[] = [this.item()];
    while (this.peek().type === 'and') {
      const op = this.peek();
      this.pos++;
      this.needOperand(op, Parser.ITEM_START);
      items.push(this.item());
    }
    if (items.length === 1) return items[0]!;
    // Inside an AND, `+x` is just x and `-x` is NOT x.
    return { node: and(items.map((x) => (x.mark === '-' ? { type: 'not', item: x.node } : x.node))) };
  }

  private item(): Marked {
    const t = this.peek();
    if (t.type === 'plus' || t.type === 'minus') {
      this.pos++;
      if (isSpace(this.source[t.index + 1]) || t.index + 1 >= this.source.length) {
        this.fail(t, `missing term right after "${t.text}"`);
      }
      this.needOperand(t, Parser.UNARY_START);
      return { node: this.unary(), mark: t.type === 'plus' ? '+' : '-' };
    }
    return { node: this.unary() };
  }

  private unary(): QueryNode {
    const t = this.peek();
    if (t.type === 'not') {
      this.pos++;
      this.needOperand(t, Parser.UNARY_START);
      this.enter(t);
      const item = this.unary();
      this.depth--;
      return item.type === 'not' ? item.item : { type: 'not', item };
    }
    return this.primary();
  }

  private enter(t: Token): void {
    if (++this.depth > MAX_DEPTH) this.fail(t, `the query nests deeper than ${MAX_DEPTH} levels`);
  }

  private primary(): QueryNode {
    const t = this.peek();
    switch (t.type) {
      case 'word':
        this.pos++;
        return { type: 'word', value: t.text, position: positionOf(this.source, t.index) };
      case 'phrase':
        this.pos++;
        return { type: 'phrase', value: t.text, position: positionOf(this.source, t.index) };
      case 'lparen': {
        this.pos++;
        if (this.peek().type === 'rparen') this.fail(t, 'empty parentheses');
        if (this.peek().type === 'end') this.fail(t, 'missing ")" for the "(" opened');
        this.enter(t);
        const inner = this.orList();
        this.depth--;
        if (this.peek().type !== 'rparen') {
          if (this.peek().type === 'end') this.fail(t, 'missing ")" for the "(" opened');
          this.unexpected(this.peek());
        }
        this.pos++;
        return inner;
      }
      default:
        this.unexpected(t);
    }
  }
}

/**
 * Parses a full-text query. An empty (or blank) query gives `null`: no full-text condition.
 * Throws `BadRequest` (`QUERY_SYNTAX`, path `/query`) naming the position of the problem.
 */
export function parseQuery(source: string): QueryNode | null {
  return new Parser(source, tokenize(source)).parse();
}

/** The AST back as query text (fully parenthesised), for messages and tests. */
export function formatQuery(node: QueryNode): string {
  switch (node.type) {
    case 'word':
      return node.value;
    case 'phrase':
      return `"${node.value}"`;
    case 'not':
      return `NOT ${formatQuery(node.item)}`;
    case 'and':
    case 'or':
      return `(${node.items.map(formatQuery).join(node.type === 'and' ? ' AND ' : ' OR ')})`;
  }
}
