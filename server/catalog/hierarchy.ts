/**
 * Names with parents, as OTRS writes them: `Sales::Europe` is the sub-queue `Europe` of `Sales`
 * (services work the same way). A parent must exist before its children; renaming a parent renames
 * the prefix of every descendant.
 */
import { BadRequest } from '../errors';

export const SEPARATOR = '::';

/** The part before the last `::`, or null for a top-level name. */
export function parentName(name: string): string | null {
  const i = name.lastIndexOf(SEPARATOR);
  return i < 0 ? null : name.slice(0, i);
}

/** Throws a 400 on `/name` unless every `::`-separated part is non-empty and has no outer blanks. */
export function checkHierarchicalName(name: string, label: string, path = '/name'): void {
  for (const part of name.split(SEPARATOR)) {
    if (!part || part.trim() !== part) {
      throw new BadRequest(`${label} name "${name}" has an empty or blank-padded part between "${SEPARATOR}"`, path);
    }
  }
}

/** Whether `name` is `ancestor` itself or lies below it. */
export function isSameOrBelow(name: string, ancestor: string): boolean {
  return name === ancestor || name.startsWith(ancestor + SEPARATOR);
}

/** The name of a descendant after its ancestor `from` is renamed to `to`. */
export function renamedDescendant(name: string, from: string, to: string): string {
  return to + name.slice(from.length);
}
