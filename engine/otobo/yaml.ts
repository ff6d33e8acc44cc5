/**
 * Safe YAML reading for OTOBO exports: the core schema (timestamps and yes/no stay text), anchors
 * and aliases accepted but alias bombs refused, nesting depth limited, and every failure a
 * `ProcessFormatError` with a code, a sentence and the line and column.
 */
import { parse } from 'yaml';
import { ProcessFormatError } from '../errors';
import { nestingExceeds } from '../model/json';

/** Deepest nesting accepted (OTOBO exports need about 8). */
export const MAX_DEPTH = 32;
/** Alias budget passed to the YAML parser (OTOBO exports use none). */
export const MAX_ALIAS_COUNT = 100;
/** Largest YAML text read (OTOBO process exports are tens of kilobytes). */
export const MAX_YAML_BYTES = 2 * 1024 * 1024;

/**
 * A lower bound of the nesting depth of YAML text, found in one pass without parsing: flow
 * brackets (`[`, `{`) outside quotes and comments, plus block levels by indentation and compact
 * `- ` entries. Cheap where the parser is not (a parser spends seconds, or runs out of memory, on
 * a few kilobytes of brackets), so a nesting bomb is refused before parsing. Block scalars
 * (`|`, `>`) are skipped; it may count less than the parser finds, never much more.
 */
export function yamlNestingAtLeast(text: string, limit: number): number | undefined {
  const indents: number[] = [];
  let flow = 0;
  let blockScalarAbove = -1; // indentation of the line that opened a block scalar, while inside it
  let i = 0;
  const n = text.length;
  while (i < n) {
    // One line: its indentation first.
    let indent = 0;
    while (i < n && text[i] === ' ') {
      indent++;
      i++;
    }
    const blank = i >= n || text[i] === '\n' || text[i] === '\r' || text[i] === '#';
    if (blockScalarAbove >= 0 && (blank || indent > blockScalarAbove)) {
      while (i < n && text[i] !== '\n') i++;
      i++;
      continue;
    }
    blockScalarAbove = -1;
    let depth = flow;
    if (!blank && flow === 0) {
      while (indents.length && indents[indents.length - 1]! >= indent) indents.pop();
      indents.push(indent);
      // Compact nesting on one line ("- - - x", "- ? x"): the first entry is the level of the indentation.
      let entries = 0;
      while (i + 1 < n && (text[i] === '-' || text[i] === '?') && (text[i + 1] === ' ' || text[i + 1] === '\t')) {
        entries++;
        i += 2;
        while (i < n && text[i] === ' ') i++;
      }
      depth = indents.length + Math.max(0, entries - 1);
    }
    let last = ''; // the last significant character, to tell a flow collection from a bracket inside a plain word
    let word: [number, number] = [0, 0]; // the line's last word outside comments: a block scalar header (`|`, `>-`, `|2`) opens one
    while (i < n && text[i] !== '\n') {
      const c = text[i]!;
      if (c === '#' && (last === '' || text[i - 1] === ' ' || text[i - 1] === '\t')) {
        while (i < n && text[i] !== '\n') i++;
        break;
      }
      if ((c === '"' || c === "'") && (last === '' || ':-?,[{'.includes(last))) {
        // A quoted scalar (may span lines): skip it.
        i++;
        // Escapes: \" in double quotes, '' in single quotes.
        while (i < n && (text[i] !== c || (c === "'" && text[i + 1] === "'"))) i += text[i] === (c === '"' ? '\\' : "'") ? 2 : 1;
        last = c;
        word = [i, i];
        i++;
        continue;
      }
      // In block context a bracket opens a flow collection at the start of a value (also after a tag or
      // anchor); counting one after any blank as well only ever counts more.
      if ((c === '[' || c === '{') && (flow > 0 || last === '' || ':-?'.includes(last) || text[i - 1] === ' ' || text[i - 1] === '\t')) {
        flow++;
        if (depth + 1 > limit) return depth + 1;
        depth++;
      } else if ((c === ']' || c === '}') && flow > 0) {
        flow--;
        depth--;
      }
      if (c !== ' ' && c !== '\t' && c !== '\r') {
        if (last === '' || text[i - 1] === ' ' || text[i - 1] === '\t') word = [i, i + 1];
        else word[1] = i + 1;
        last = c;
      }
      i++;
    }
    if (depth > limit) return depth;
    if (flow === 0 && word[1] - word[0] <= 3 && /^[|>][-+0-9]*$/.test(text.slice(word[0], word[1]))) blockScalarAbove = indent;
    i++;
  }
  return undefined;
}

/**
 * Parses YAML text into plain data, or throws a `ProcessFormatError`
 * (`YAML_MALFORMED`, `YAML_ALIAS_LIMIT`, `NESTING_TOO_DEEP`).
 *
 * @example
 * parseYaml('CreateTime: 2016-08-10 11:55:47\nMatch: yes'); // { CreateTime: '2016-08-10 11:55:47', Match: 'yes' }
 */
export function parseYaml(text: string): unknown {
  if (text.length > MAX_YAML_BYTES) {
    throw new ProcessFormatError('YAML_TOO_LARGE', `The YAML is ${text.length} characters long; at most ${MAX_YAML_BYTES} are read (an OTOBO process export has tens of kilobytes).`);
  }
  const deep = yamlNestingAtLeast(text, MAX_DEPTH);
  if (deep !== undefined) {
    throw new ProcessFormatError('NESTING_TOO_DEEP', `The YAML is nested more than ${MAX_DEPTH} levels deep; an OTOBO process export needs about 8.`);
  }
  let value: unknown;
  try {
    value = parse(text, { schema: 'core', maxAliasCount: MAX_ALIAS_COUNT, uniqueKeys: true, prettyErrors: true });
  } catch (e) {
    const err = e as Error & { linePos?: Array<{ line: number; col: number }> };
    const pos = err.linePos?.[0];
    const at = pos ? { line: pos.line, col: pos.col } : undefined;
    if (/alias count/i.test(err.message)) {
      throw new ProcessFormatError('YAML_ALIAS_LIMIT', `The YAML uses aliases that expand beyond ${MAX_ALIAS_COUNT} nodes (a "billion laughs" attack?); it was refused.`, at);
    }
    if (/call stack/i.test(err.message) || err instanceof RangeError) {
      throw new ProcessFormatError('NESTING_TOO_DEEP', `The YAML is nested too deeply (more than ${MAX_DEPTH} levels); it was refused.`, at);
    }
    const first = err.message.split('\n')[0];
    throw new ProcessFormatError('YAML_MALFORMED', `The YAML is malformed: ${first}`, at);
  }
  if (nestingExceeds(value, MAX_DEPTH)) {
    throw new ProcessFormatError('NESTING_TOO_DEEP', `The YAML is nested more than ${MAX_DEPTH} levels deep; an OTOBO process export needs about 8.`);
  }
  return value;
}
