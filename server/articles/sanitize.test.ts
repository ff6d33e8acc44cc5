/** What survives HTML sanitising, and the text rendering used by search. */
import { describe, expect, it } from 'vitest';
import { htmlToText, sanitizeArticleHtml } from './sanitize';

describe('article HTML', () => {
  it('drops scripts, styles, frames, event handlers and javascript: links', () => {
    const out = sanitizeArticleHtml(
      '<p onclick="steal()">Hello <b>there</b><script>alert(1)</script><style>p{}</style>' +
        '<iframe src="https://evil.test"></iframe><img src="x" onerror="alert(2)">' +
        '<a href="javascript:alert(3)">click</a><a href="JaVaScRiPt:alert(4)">again</a></p>',
    );
    expect(out).not.toMatch(/script|onerror|onclick|iframe|style|javascript/i);
    expect(out).toContain('<b>there</b>');
    expect(out).toContain('<img src="x" />');
    expect(out).toContain('<a>click</a>');
  });

  it('keeps http(s)/mailto links (opened safely) and data: only for images', () => {
    expect(sanitizeArticleHtml('<a href="https://example.test/x">x</a>')).toBe(
      '<a href="https://example.test/x" rel="noopener noreferrer nofollow" target="_blank">x</a>',
    );
    expect(sanitizeArticleHtml('<a href="mailto:a@b.test">m</a>')).toContain('href="mailto:a@b.test"');
    expect(sanitizeArticleHtml('<a href="data:text/html,<script>1</script>">d</a>')).toBe('<a>d</a>');
    expect(sanitizeArticleHtml('<img src="data:image/png;base64,iVBORw0=" alt="p">')).toContain('src="data:image/png;base64,iVBORw0="');
    expect(sanitizeArticleHtml('<img src="data:text/html;base64,PHNjcmlwdD4=">')).toBe('<img />');
  });

  it('renders text with line breaks and decoded entities', () => {
    expect(htmlToText('<p>Hello &amp; welcome</p><p>Line<br>two &lt;3 &#228;&#x263A;</p><ul><li>a</li><li>b</li></ul>')).toBe(
      'Hello & welcome\nLine\ntwo <3 ä☺\n- a\n- b',
    );
  });
});
