/** The feed's line folding answers exactly what ical-generator's own folding does. */
import { foldLines as libraryFold } from 'ical-generator';
import { describe, expect, it } from 'vitest';
import { foldLines } from './ical';

describe('feed line folding', () => {
  it('breaks long lines of ASCII, umlauts, CJK, emoji and broken surrogates where ical-generator does', () => {
    const texts = [
      'SUMMARY:short',
      `DESCRIPTION:${'a'.repeat(74)}`,
      `DESCRIPTION:${'a'.repeat(300)}`,
      `DESCRIPTION:Prüfung der Überweisung für März ${'äöüß'.repeat(40)}`,
      `SUMMARY:${'会議室の予約'.repeat(30)}`,
      `LOCATION:${'Raum 😀🎉 '.repeat(30)}`,
      `DESCRIPTION:${'x'.repeat(72)}😀${'y'.repeat(80)}`,
      `DESCRIPTION:${'lone \ud800 and \udc00 halves '.repeat(10)}\ud800`,
      ['BEGIN:VEVENT', `DESCRIPTION:${'ö'.repeat(100)}`, 'END:VEVENT', ''].join('\r\n'),
    ];
    for (const text of texts) expect(foldLines(text), text.slice(0, 30)).toBe(libraryFold(text));
    expect(foldLines(`DESCRIPTION:${'a'.repeat(100)}`)).toContain('\r\n ');
  });
});
