/**
 * Finds text written inline in a Svelte component instead of coming from the message catalogues,
 * parsed with Svelte's own compiler: text between tags, the static values of attributes people
 * read (placeholder, title, aria-label, alt, label), static props of components that read as words
 * (`<MiniList empty="Nothing here." />`), and string literals in template expressions that read as
 * words (`{busy ? 'Saving…' : 'Save'}`, `onclick={() => run(x, 'Saved.')}`). Text without
 * letters (`·`, `→`, `404`) is not language and passes, as do `<style>`, `<script>`, `<code>`,
 * `<pre>` and `<kbd>` contents, and strings in comparisons, objects and arrays (data, not language).
 * The component's `<script>` block is not scanned.
 */
import { parse } from 'svelte/compiler';

const READ_ATTRIBUTES = new Set(['placeholder', 'title', 'aria-label', 'alt', 'label', 'aria-description', 'aria-roledescription']);
/** Attributes whose expressions hold names, not language (`class={a ? 'x y' : ''}`). */
const CODE_ATTRIBUTES = /^(class|style|id|for|name|type|href|src|rel|target|role|autocomplete|data-.*|aria-(?!label|description).*)$/;
const CODE_ELEMENTS = new Set(['code', 'kbd', 'samp', 'pre', 'style', 'script']);
/** Expressions whose strings are data, not language: `e.key === 'Escape'`, `{ stateTypes: ['pending reminder'] }`. */
const DATA_EXPRESSIONS = new Set(['BinaryExpression', 'ObjectExpression', 'ArrayExpression', 'SwitchCase']);
const LETTERS = /\p{L}{2,}/u;
/** Reads as words: `'Sign out'`, `'Saved'` (not `'true'`, `'/agent'`, `'col-x'`). */
const WORDS = /^(?:\p{Lu}\p{Ll}+[.…!?:]*|\p{L}+[ ,.:;!?…]+\p{L}.*)$/su;

export interface InlineText {
  line: number;
  text: string;
  /** Where it is: `text` between tags, a static `attr`ibute (the whole attribute), a `lit`eral. */
  kind: 'text' | 'attr' | 'lit';
  start: number;
  end: number;
  name?: string;
}

/**
 * The inline texts of one component.
 *
 * @example
 * inlineTexts('<p>Hello</p><p>{m.hello()}</p>').map((t) => t.text) // ['Hello']
 */
export function inlineTexts(source: string): InlineText[] {
  const ast = parse(source, { modern: true });
  const found: InlineText[] = [];
  const lineOf = (pos: number) => source.slice(0, pos).split('\n').length;
  const add = (kind: InlineText['kind'], start: number, end: number, text: string, name?: string) => found.push({ line: lineOf(start), text, kind, start, end, ...(name ? { name } : {}) });
  const visit = (node: unknown, inCode: boolean, inComponent = false): void => {
    if (Array.isArray(node)) return node.forEach((n) => visit(n, inCode, inComponent));
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown> & { type?: string; start: number; end: number };
    if (n.type === 'Text' && !inCode) {
      const text = String(n.data ?? '').trim();
      if (LETTERS.test(text)) add('text', n.start, n.end, text);
      return;
    }
    if (String(n.type).endsWith('Directive')) return;
    if (n.type === 'Attribute') {
      const name = String(n.name);
      const read = READ_ATTRIBUTES.has(name);
      if (CODE_ATTRIBUTES.test(name) && !read) return;
      if (Array.isArray(n.value)) {
        const parts = n.value as Array<{ type: string; data?: string; start: number; end: number; expression?: unknown }>;
        for (const part of parts) {
          const data = (part.data ?? '').trim();
          if (part.type === 'Text' && ((read && LETTERS.test(data)) || (inComponent && WORDS.test(data)))) {
            if (parts.length === 1) add('attr', n.start, n.end, data, name);
            else add('text', part.start, part.end, data);
          } else if (part.type === 'ExpressionTag') visit(part.expression, inCode);
        }
      } else if (n.value && typeof n.value === 'object') visit((n.value as { expression?: unknown }).expression, inCode);
      return;
    }
    if (n.type === 'Literal' && typeof n.value === 'string' && !inCode) {
      const text = n.value.trim();
      if (WORDS.test(text) && LETTERS.test(text)) add('lit', n.start, n.end, text);
      return;
    }
    const code = inCode || (n.type === 'RegularElement' && CODE_ELEMENTS.has(String(n.name))) || DATA_EXPRESSIONS.has(String(n.type));
    for (const [key, value] of Object.entries(n)) {
      if (key === 'parent' || key === 'metadata') continue;
      if (value && typeof value === 'object') visit(value, code, key === 'attributes' && n.type === 'Component');
    }
  };
  visit(ast.fragment, false);
  return found;
}
