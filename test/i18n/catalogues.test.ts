/**
 * The web interface's languages stay complete: every message key exists in every shipped
 * catalogue with the same parameters (and plural texts keep an `other` form), and no Svelte
 * component writes text inline instead of using the catalogues. Components not converted yet are
 * listed in `inline-allowlist.json` with how many inline texts they hold; the list only shrinks:
 * a listed file with fewer texts must have its number lowered, a clean one must leave the list, and
 * any file with more inline text than listed (or any new file with any) fails.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../server/i18n/languages';
import { inlineTexts } from './inline-text';

const designer = path.resolve(import.meta.dirname, '../../designer');
const settings = JSON.parse(fs.readFileSync(path.join(designer, 'project.inlang/settings.json'), 'utf8')) as { baseLocale: string; locales: string[] };
type Catalogue = Record<string, string | Record<string, string>>;
const catalogue = (locale: string): Catalogue => {
  const { $schema: _schema, ...messages } = JSON.parse(fs.readFileSync(path.join(designer, 'messages', `${locale}.json`), 'utf8')) as Catalogue;
  return messages;
};
const params = (value: string | Record<string, string>): string[] => {
  const texts = typeof value === 'string' ? [value] : Object.values(value);
  const names = new Set<string>();
  for (const t of texts) for (const m of t.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) names.add(m[1]!);
  if (typeof value !== 'string') for (const k of Object.keys(value)) names.add(k.split('=')[0]!);
  return [...names].sort();
};

describe('message catalogues', () => {
  it('the web interface and the server ship the same languages', () => {
    expect(settings.locales).toEqual([...LANGUAGES]);
    expect(settings.baseLocale).toBe(LANGUAGES[0]);
  });

  const base = catalogue(settings.baseLocale);
  for (const locale of settings.locales) {
    it(`${locale}: every key of every language, with the same parameters`, () => {
      const own = catalogue(locale);
      const allKeys = new Set(settings.locales.flatMap((l) => Object.keys(catalogue(l))));
      expect([...allKeys].filter((k) => !(k in own)), `keys missing in ${locale}.json`).toEqual([]);
      for (const [key, value] of Object.entries(own)) {
        expect(params(value), `parameters of "${key}" in ${locale}.json`).toEqual(params(base[key]!));
        if (typeof value !== 'string') expect(Object.keys(value).some((k) => k.endsWith('=other')), `"${key}" in ${locale}.json needs an "other" form`).toBe(true);
        expect(typeof value === 'string' ? value.trim() : 'x', `"${key}" in ${locale}.json is empty`).not.toBe('');
      }
    });
  }
});

describe('no inline UI text in Svelte components', () => {
  const src = path.join(designer, 'src');
  const files = (fs.readdirSync(src, { recursive: true }) as string[]).filter((f) => f.endsWith('.svelte')).map((f) => f.split(path.sep).join('/')).sort();
  const allow = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'inline-allowlist.json'), 'utf8')) as Record<string, number>;

  it('finds inline text where it is (the scanner itself)', () => {
    expect(inlineTexts('<p class="x">Hello {name}</p><input placeholder="Search" /><code>npm start</code><span>→ 3</span>').map((t) => t.text)).toEqual(['Hello', 'placeholder="Search"']);
  });

  it('components outside the allowlist use the catalogues, and the allowlist only shrinks', () => {
    const problems: string[] = [];
    for (const file of files) {
      const found = inlineTexts(fs.readFileSync(path.join(src, file), 'utf8'));
      const allowed = allow[file] ?? 0;
      if (found.length > allowed) problems.push(`${file}: ${found.length} inline texts (allowed ${allowed}), e.g. line ${found[0]!.line}: ${found[0]!.text}`);
      else if (found.length < allowed) problems.push(`${file}: now ${found.length} inline texts: lower its number in inline-allowlist.json to ${found.length}${found.length ? '' : ' (remove it)'}`);
    }
    for (const file of Object.keys(allow)) if (!files.includes(file)) problems.push(`${file} is in inline-allowlist.json but does not exist: remove it`);
    expect(problems).toEqual([]);
  });
});
