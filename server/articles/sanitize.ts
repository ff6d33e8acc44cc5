/**
 * HTML article bodies are sanitised on the way in (sanitize-html): a sane set of formatting tags
 * survives; scripts, styles, frames, forms, event handlers (`on*`) and `javascript:` URLs do not.
 * Links may be http, https or mailto; images http, https or `data:image/...`. The plain-text
 * rendering (`htmlToText`) feeds full-text search and text-only clients.
 */
import sanitizeHtml from 'sanitize-html';

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    ...sanitizeHtml.defaults.allowedTags.filter((t) => !['data', 'time', 'wbr'].includes(t)),
    'img', 'del', 'ins', 'font', 'center',
  ],
  allowedAttributes: {
    a: ['href', 'name', 'title', 'target', 'rel'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    td: ['colspan', 'rowspan', 'align', 'valign'],
    th: ['colspan', 'rowspan', 'align', 'valign', 'scope'],
    table: ['border', 'cellpadding', 'cellspacing', 'width'],
    col: ['span', 'width'],
    colgroup: ['span', 'width'],
    ol: ['start', 'type'],
    font: ['color', 'size', 'face'],
    p: ['align'],
    div: ['align'],
    blockquote: ['cite', 'type'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https', 'data'] },
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    a: (tagName, attribs) => {
      const { href, rel: _rel, target: _target, ...rest } = attribs;
      // Only links the scheme filter keeps open in a new, unprivileged tab; others lose the href.
      if (href === undefined || !/^\s*(https?:|mailto:)/i.test(href)) return { tagName, attribs: rest };
      return { tagName, attribs: { ...rest, href, rel: 'noopener noreferrer nofollow', target: '_blank' } };
    },
    img: (tagName, attribs) => {
      // data: only as an image (no data:text/html behind an <img>).
      const src = attribs.src ?? '';
      if (/^\s*data:/i.test(src) && !/^\s*data:image\/(png|gif|jpe?g|webp|bmp);/i.test(src)) {
        const { src: _dropped, ...rest } = attribs;
        return { tagName, attribs: rest };
      }
      return { tagName, attribs };
    },
  },
};

/**
 * @example
 * sanitizeArticleHtml('<p onclick="x()">Hi<script>alert(1)</script> <a href="javascript:x">y</a></p>')
 * // → '<p>Hi <a>y</a></p>'
 */
export function sanitizeArticleHtml(html: string): string {
  return sanitizeHtml(html, OPTIONS);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+[0-9]*);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/** The text of (already sanitised) HTML: block ends become line breaks, tags go, entities decode. */
export function htmlToText(html: string): string {
  const marked = html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|tr|h[1-6]|blockquote|pre|table|ul|ol|dl|dt|dd|section|article|header|footer)>/gi, '\n')
    .replace(/<\/t[dh]>/gi, '\t')
    .replace(/<li[^>]*>/gi, '- ');
  const text = decodeEntities(sanitizeHtml(marked, { allowedTags: [], allowedAttributes: {} }));
  return text
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export interface RenderedBody {
  /** The sanitised HTML. */
  html: string;
  /** Its plain text, for search and text-only clients. */
  text: string;
}

/** Sanitises an HTML article body and extracts its text (what `render.ts` runs, inline or in a worker). */
export function renderHtmlBody(html: string): RenderedBody {
  const clean = sanitizeArticleHtml(html);
  return { html: clean, text: htmlToText(clean) };
}
