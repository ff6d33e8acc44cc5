/** Process keys from names: lower-case ASCII words joined by dashes. */

/**
 * Turns a name into a process key (at most 64 characters; `fallback` when nothing is left).
 *
 * @example
 * slugify('Application for leave'); // 'application-for-leave'
 * slugify('Bestellung für Büro');   // 'bestellung-fur-buro'
 */
export function slugify(name: string, fallback = 'process'): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const cut = slug.length > 64 ? slug.slice(0, 64).replace(/-[^-]*$/, '') || slug.slice(0, 64) : slug;
  return cut.replace(/-+$/, '') || fallback;
}
