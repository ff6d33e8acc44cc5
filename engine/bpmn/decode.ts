/**
 * Bytes of an XML file → text, honouring a byte-order mark or the encoding named in the XML
 * declaration (UTF-8, UTF-16, ISO-8859-1/latin1, windows-1252, ... whatever TextDecoder knows).
 * The declaration is rewritten to UTF-8 afterwards, since the text is no longer in its old encoding.
 */

export interface DecodedXml {
  text: string;
  /** The encoding used, as TextDecoder names it. */
  encoding: string;
  warnings: string[];
}

const DECLARATION = /^(\s*<\?xml[^>]*?encoding\s*=\s*["'])([A-Za-z0-9._-]+)(["'])/;

/**
 * Decodes XML bytes (or passes text through) and normalises the declaration.
 *
 * @example
 * decodeXml(new TextEncoder().encode('<?xml version="1.0" encoding="UTF-8"?><a/>')).encoding; // 'utf-8'
 */
export function decodeXml(input: string | Uint8Array): DecodedXml {
  const warnings: string[] = [];
  let text: string;
  let encoding = 'utf-8';
  if (typeof input === 'string') {
    text = input;
  } else {
    let label: string | undefined;
    let start = 0;
    if (input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf) {
      label = 'utf-8';
      start = 3;
    } else if (input[0] === 0xff && input[1] === 0xfe) label = 'utf-16le';
    else if (input[0] === 0xfe && input[1] === 0xff) label = 'utf-16be';
    if (!label) {
      const head = String.fromCharCode(...input.subarray(0, 200));
      label = DECLARATION.exec(head)?.[2] ?? 'utf-8';
    }
    let decoder: InstanceType<typeof TextDecoder>;
    try {
      decoder = new TextDecoder(label);
    } catch {
      warnings.push(`The file declares the encoding "${label}", which is not supported; it was read as UTF-8.`);
      decoder = new TextDecoder('utf-8');
    }
    encoding = decoder.encoding;
    text = decoder.decode(input.subarray(start));
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  text = text.replace(DECLARATION, '$1UTF-8$3');
  return { text, encoding, warnings };
}
