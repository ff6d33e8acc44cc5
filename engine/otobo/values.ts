/** Reading OTOBO YAML values, which may be strings, numbers or missing, as plain strings and maps. */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A scalar as text ('' for missing); lists and maps are not text. */
export function str(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

/** The map's entries ordered by numeric key ('1', '2', '10'), then the rest. */
export function numbered(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (!isRecord(value)) return [];
  return Object.keys(value)
    .sort((a, b) => (Number(a) || Infinity) - (Number(b) || Infinity) || a.localeCompare(b))
    .map((k) => value[k]);
}

/** A list of strings from a list, a single string, or nothing. */
export function strings(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(str).filter(Boolean);
  const s = str(value);
  return s ? [s] : [];
}
