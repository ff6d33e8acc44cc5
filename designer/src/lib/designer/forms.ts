/**
 * Small form helpers of the admin pages: `name = value` lines ↔ objects, lists one per line, and
 * JSON text ↔ values with messages naming the field.
 */

/**
 * Lines `name = value` (or `name: value`) to an object; blank lines are skipped.
 *
 * @example
 * linesToRecord('Accept = application/json\nX-A: 1'); // { Accept: 'application/json', 'X-A': '1' }
 */
export function linesToRecord(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([^=:]+?)\s*[=:]\s*(.*?)\s*$/.exec(line);
    if (m) out[m[1]!] = m[2]!;
    else if (line.trim()) out[line.trim()] = '';
  }
  return out;
}

/** @example recordToLines({ a: '1' }); // 'a = 1' */
export function recordToLines(record: Record<string, unknown> | undefined): string {
  return Object.entries(record ?? {}).map(([k, v]) => `${k} = ${typeof v === 'string' ? v : JSON.stringify(v)}`).join('\n');
}

/** @example linesToList('a\n\n b '); // ['a', 'b'] */
export function linesToList(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter(Boolean);
}

/**
 * Parses JSON typed into a field; empty text gives `undefined`; bad JSON throws naming the field.
 *
 * @example
 * parseJsonField('params', '{"a":1}'); // { a: 1 }
 */
export function parseJsonField(label: string, text: string, kind: 'object' | 'any' = 'object'): unknown {
  if (!text.trim()) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`${label} is not JSON: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (kind === 'object' && (typeof value !== 'object' || value === null || Array.isArray(value))) throw new Error(`${label} must be a JSON object`);
  return value;
}
