// A mail-parsing worker thread (started by parse-pool.ts): mailparser runs here so that decoding a
// large or hostile message never holds the server's event loop. Plain JavaScript, no TypeScript.
import { parentPort } from 'node:worker_threads';
import { simpleParser } from 'mailparser';
import libmime from 'libmime';
import iconv from 'iconv-lite';

const oneLine = (s) => String(s ?? '').replace(/[\r\n]+\s*/g, ' ').trim();

function addresses(field) {
  if (!field) return [];
  const list = Array.isArray(field) ? field : [field];
  const out = [];
  const walk = (v) => {
    for (const a of v) {
      if (a.group) walk(a.group);
      else if (a.address) out.push({ address: oneLine(a.address).toLowerCase(), name: oneLine(a.name) });
    }
  };
  for (const f of list) walk(f.value ?? []);
  return out;
}

function decodeHeader(line) {
  const i = line.indexOf(':');
  const value = oneLine(i < 0 ? '' : line.slice(i + 1));
  try {
    return libmime.decodeWords(value);
  } catch {
    return value;
  }
}

function unknownCharsets(raw) {
  const text = raw.toString('latin1');
  const found = new Set();
  for (const m of text.matchAll(/charset\s*=\s*"?([A-Za-z0-9_.:+-]+)"?/gi)) {
    if (!iconv.encodingExists(m[1])) found.add(m[1].toLowerCase());
  }
  for (const m of text.matchAll(/=\?([A-Za-z0-9_.:+-]+?)(?:\*[^?]*)?\?[QqBb]\?/g)) {
    if (!iconv.encodingExists(m[1])) found.add(m[1].toLowerCase());
  }
  return [...found];
}

parentPort.on('message', async ({ id, raw }) => {
  try {
    const buf = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    const m = await simpleParser(buf, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
    const headers = {};
    for (const l of m.headerLines) {
      if (!l.key) continue;
      (headers[l.key] ??= []).push(decodeHeader(l.line));
    }
    if (!Object.keys(headers).length) throw Object.assign(new Error('this is not a mail: it has no header lines'), { code: 'MALFORMED' });
    const ids = (v) => (Array.isArray(v) ? v : v ? String(v).split(/\s+/) : []).map((s) => oneLine(s)).filter((s) => /^<[^<>\s]+>$/.test(s));
    const transfer = [];
    const attachments = m.attachments.map((a) => {
      const content = new Uint8Array(a.content);
      transfer.push(content.buffer);
      return {
        filename: oneLine(a.filename) || (a.contentType === 'message/rfc822' ? 'message.eml' : 'attachment'),
        contentType: oneLine(a.contentType || 'application/octet-stream').toLowerCase(),
        contentId: a.contentId ? oneLine(a.contentId).replace(/^<|>$/g, '') : null,
        inline: a.contentDisposition === 'inline' || (!!a.contentId && a.related === true),
        content,
      };
    });
    const mail = {
      messageId: ids(m.messageId)[0] ?? null,
      inReplyTo: ids(m.inReplyTo),
      references: ids(m.references),
      from: addresses(m.from)[0] ?? null,
      replyTo: addresses(m.replyTo)[0] ?? null,
      to: addresses(m.to),
      cc: addresses(m.cc),
      subject: oneLine(m.subject),
      date: m.date instanceof Date && !isNaN(m.date.getTime()) ? m.date.toISOString() : null,
      headers,
      text: typeof m.text === 'string' ? m.text : '',
      html: typeof m.html === 'string' ? m.html : null,
      attachments,
      warnings: unknownCharsets(buf).map((c) => `unknown charset "${c}": decoded as UTF-8, undecodable bytes replaced`),
    };
    parentPort.postMessage({ id, ok: true, mail }, transfer);
  } catch (e) {
    parentPort.postMessage({ id, ok: false, code: e?.code === 'MALFORMED' ? 'MALFORMED' : 'PARSE_FAILED', message: String(e?.message ?? e) });
  }
});
parentPort.postMessage({ ready: true });
