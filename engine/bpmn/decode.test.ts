import { describe, expect, it } from 'vitest';
import { decodeXml } from './decode';

const latin1 = (s: string) => Uint8Array.from([...s].map((c) => c.charCodeAt(0)));

describe('decodeXml', () => {
  it('uses the encoding of the XML declaration and rewrites it to UTF-8', () => {
    const r = decodeXml(latin1('<?xml version="1.0" encoding="ISO-8859-1"?><a name="Grüße"/>'));
    expect(r.text).toBe('<?xml version="1.0" encoding="UTF-8"?><a name="Grüße"/>');
    expect(r.encoding).toBe('windows-1252');
  });

  it('defaults to UTF-8 and honours byte-order marks', () => {
    expect(decodeXml(new TextEncoder().encode('<a>ü</a>')).text).toBe('<a>ü</a>');
    expect(decodeXml(Uint8Array.from([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('<a/>')])).text).toBe('<a/>');
    const utf16 = Uint8Array.from([0xff, 0xfe, ...[...'<a>ß</a>'].flatMap((c) => [c.charCodeAt(0), 0])]);
    expect(decodeXml(utf16).text).toBe('<a>ß</a>');
  });

  it('falls back to UTF-8 with a warning for an unknown encoding', () => {
    const r = decodeXml(new TextEncoder().encode('<?xml version="1.0" encoding="EBCDIC-XYZ"?><a/>'));
    expect(r.warnings).toEqual([expect.stringMatching(/"EBCDIC-XYZ", which is not supported/)]);
    expect(r.text).toContain('<a/>');
  });

  it('passes text through, fixing only the declaration', () => {
    expect(decodeXml("<?xml version='1.0' encoding='latin1'?><a/>").text).toBe("<?xml version='1.0' encoding='UTF-8'?><a/>");
  });
});
