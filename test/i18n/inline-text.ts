/**
 * Finds text written inline in a Svelte component instead of coming from the message catalogues:
 * text between tags and the static values of attributes people read (placeholder, title,
 * aria-label, alt, label) and string literals in template expressions that read as words
 * (`{busy ? 'Saving…' : 'Save'}`), parsed with Svelte's own compiler. Text without letters (`·`, `→`,
 * `404`) is not language and passes, as do `<style>`, `<script>` and `<code>`/`<kbd>` contents.
 */
import { parse } from 'svelte/compiler';

const READ_ATTRIBUTES = new Set(['placeholder', 'title', 'aria-label', 'alt', 'label', 'aria-description', 'aria-roledescription']);
const CODE_ELEMENTS = new Set(['code', 'kbd', 'samp', 'pre', 'style', 'script']);
const LETTERS = /\p{L}{2,}/u;
/** A string literal in a template expression that reads as words: `'Sign out'`, `'Saved'` (not `'true'`, `'/agent'`, `'col-x'`). */
const WORDS = /^(?:\p{Lu}\p{Ll}+|\p{L}+[ ,.:;!?…]+\p{L}.*)$/su;

export interface InlineText {
  line: number;
  text: string;
}

/**
 * The inline texts of one component.
 *
 * @example
 * inlineTexts('<p>Hello</p><p>{m.hello()}</p>') // [{ line: 1, text: 'Hello' }]
 */
export function inlineTexts(source: string): InlineText[] {
  const ast = parse(source, { modern: true });
  const found: InlineText[] = [];
  const lineOf = (pos: number) => source.slice(0, pos).split('\n').length;
  const visit = (node: unknown, inCode: boolean): void => {
    if (Array.isArray(node)) return node.forEach((n) => visit(n, inCode));
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown> & { type?: string; start?: number };
    if (n.type === 'Text' && !inCode) {
      const text = String(n.data ?? '').trim();
      if (LETTERS.test(text)) found.push({ line: lineOf(n.start ?? 0), text });
      return;
    }
    if (n.type === 'Attribute') {
      if (!READ_ATTRIBUTES.has(String(n.name)) || !Array.isArray(n.value)) return;
      for (const part of n.value as Array<{ type: string; data?: string; start: number }>) {
        if (part.type === 'Text' && LETTERS.test(part.data ?? '')) found.push({ line: lineOf(part.start), text: `${String(n.name)}="${part.data}"` });
      }
      return;
    }
    if (n.type === 'Literal' && typeof n.value === 'string' && !inCode) {
      const text = n.value.trim();
      if (WORDS.test(text) && LETTERS.test(text)) found.push({ line: lineOf(n.start ?? 0), text: `'${text}'` });
      return;
    }
    const code = inCode || (n.type === 'RegularElement' && CODE_ELEMENTS.has(String(n.name)));
    for (const [key, value] of Object.entries(n)) {
      if (key === 'parent' || key === 'metadata') continue;
      if (value && typeof value === 'object') visit(value, code);
    }
  };
  visit(ast.fragment, false);
  return found;
}
