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

/**
 * Parses YAML text into plain data, or throws a `ProcessFormatError`
 * (`YAML_MALFORMED`, `YAML_ALIAS_LIMIT`, `NESTING_TOO_DEEP`).
 *
 * @example
 * parseYaml('CreateTime: 2016-08-10 11:55:47\nMatch: yes'); // { CreateTime: '2016-08-10 11:55:47', Match: 'yes' }
 */
export function parseYaml(text: string): unknown {
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
