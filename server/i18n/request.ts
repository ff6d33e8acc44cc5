/**
 * The language of the request being answered: `Accept-Language` negotiated against the shipped
 * languages, English when it names none (the API speaks English unless asked otherwise). Kept in
 * an AsyncLocalStorage by the `requestLanguage()` middleware, so texts anywhere in the handling
 * (dialog views, process names) come out in the reader's language without passing it around.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { MiddlewareHandler } from 'hono';
import type { I18n } from '../../engine/model/types';
import { negotiateLanguage, type Language } from './languages';

const current = new AsyncLocalStorage<Language>();

/** Middleware: answers the request in the language its `Accept-Language` asks for. */
export const requestLanguage = (): MiddlewareHandler =>
  async function requestLanguage(c, next) {
    await current.run(negotiateLanguage(c.req.header('accept-language'), 'en'), next);
  };

/** The language of the request being answered (English outside a request). */
export function language(): Language {
  return current.getStore() ?? 'en';
}

/** Runs `fn` answering in `lang` (mails and jobs written for one recipient). */
export function inLanguage<T>(lang: Language, fn: () => T): T {
  return current.run(lang, fn);
}

/**
 * A process text in the reader's language: the `i18n` translation of `property`, else the text.
 *
 * @example
 * localized({ name: 'Review', i18n: { de: { name: 'Prüfung' } } }, 'name') // 'Prüfung' for a German reader
 */
export function localized<K extends string>(owner: { i18n?: I18n } & Partial<Record<K, string>>, property: K): string | undefined {
  const own = owner.i18n?.[language()]?.[property];
  return own && own.trim() ? own : owner[property];
}
