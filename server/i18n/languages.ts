/**
 * The languages the product speaks (the web interface's catalogues in designer/messages/, the
 * server's message texts in server/i18n/messages.ts, the notification texts) and how a request's
 * language is chosen from `Accept-Language`.
 */

/** Shipped languages; the first is the base language every text exists in. */
export const LANGUAGES = ['en', 'de'] as const;
export type Language = (typeof LANGUAGES)[number];

export const isLanguage = (value: unknown): value is Language => typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);

/**
 * The best shipped language for an `Accept-Language` header (RFC 9110 quality values; `de-AT`
 * matches `de`), else `fallback`.
 *
 * @example
 * negotiateLanguage('de-DE,de;q=0.9,en;q=0.8', 'en') // 'de'
 * negotiateLanguage('fr', 'en')                      // 'en'
 */
export function negotiateLanguage(header: string | null | undefined, fallback: Language): Language {
  if (!header) return fallback;
  const ranked = header
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { lang: tag.trim().toLowerCase().split('-')[0] ?? '', q: q ? Number(q.slice(2)) : 1, i };
    })
    .filter((r) => r.lang && Number.isFinite(r.q) && r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const r of ranked) if (isLanguage(r.lang)) return r.lang;
  return fallback;
}
