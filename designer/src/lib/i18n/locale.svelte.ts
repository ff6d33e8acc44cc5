/**
 * Which language the web interface speaks. Paraglide's generated message functions ask
 * `getLocale()`, which reads the reactive state below, so every `m.key()` in a template is
 * re-rendered when the language changes (no reload).
 *
 * The choice, most specific first: the agent's preference (`useLanguage(prefs.language)` in the
 * agent layout), the customer's account (portal layout), else the browser's languages
 * (`navigator.languages`, what it sends as Accept-Language), else the server's `DEFAULT_LANGUAGE`
 * (`GET /api/v1/i18n`), else English. Public portal pages and the login follow the browser.
 */
import { baseLocale, isLocale, locales, overwriteGetLocale, overwriteSetLocale, type Locale } from '$lib/paraglide/runtime';

export { locales, type Locale };

/** Writing direction per language; a right-to-left language is added here and in the catalogues. */
const RTL = new Set<string>(['ar', 'fa', 'he', 'ur']);

const current = $state<{ locale: Locale; defaultLanguage: Locale; chosen: string | null }>({ locale: baseLocale, defaultLanguage: baseLocale, chosen: null });

overwriteGetLocale(() => current.locale);
overwriteSetLocale((locale) => apply(locale));

function apply(locale: Locale): void {
  current.locale = locale;
  if (typeof document !== 'undefined') {
    document.documentElement.lang = locale;
    document.documentElement.dir = RTL.has(locale) ? 'rtl' : 'ltr';
  }
}

/** The first of the browser's languages the interface speaks, else the system default. */
export function browserLocale(): Locale {
  const tags = typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language]);
  for (const tag of tags) {
    const lang = tag.toLowerCase().split('-')[0] ?? '';
    if (isLocale(lang)) return lang;
  }
  return current.defaultLanguage;
}

/**
 * Speaks the given language (an agent's or customer's choice), or the browser's when none is given
 * or it is not one the interface knows.
 *
 * @example
 * useLanguage(prefs.value?.language) // 'de' -> German; 'auto' or null -> the browser's
 */
export function useLanguage(preferred?: string | null): void {
  current.chosen = preferred ?? null;
  apply(preferred && isLocale(preferred) ? preferred : browserLocale());
}

/** The system default (`DEFAULT_LANGUAGE` of the server), used when the browser asks for none we speak. */
export function setDefaultLanguage(language: string): void {
  if (!isLocale(language)) return;
  current.defaultLanguage = language;
  useLanguage(current.chosen);
}

/** The language in use. */
export function locale(): Locale {
  return current.locale;
}

/** A language's name in that language ("Deutsch"), for language pickers. */
export function languageName(code: Locale): string {
  return new Intl.DisplayNames([code], { type: 'language' }).of(code) ?? code;
}

/**
 * The text of process content (a step name, a field label) in the reader's language: its `i18n`
 * translation when there is one, else the default text.
 *
 * @example
 * localized('Order', { de: 'Bestellung' }) // 'Bestellung' in German, 'Order' otherwise
 */
export function localized(text: string, i18n?: Record<string, string> | null): string {
  const own = i18n?.[current.locale];
  return own && own.trim() ? own : text;
}
