/**
 * A chat's transcript: as plain text and sanitised HTML (a ticket article, the mail to the customer)
 * and as a PDF download (pdfkit, as the statistics export draws its PDFs).
 */
import PDFDocument from 'pdfkit';
import type { ChatMessageView } from './repo';

const escape = (s: string) => s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
const stamp = (iso: string) => iso.slice(0, 19).replace('T', ' ');

/** `[2026-12-06 18:01:02] Kim: Hello` lines. */
export function transcriptText(messages: ChatMessageView[]): string {
  return messages.map((m) => `[${stamp(m.createdAt)}] ${m.senderName}: ${m.text}`).join('\n');
}

/** The transcript as HTML (message bodies are already sanitised; names are escaped). */
export function transcriptHtml(messages: ChatMessageView[]): string {
  return messages
    .map((m) => `<p><small>${escape(stamp(m.createdAt))}</small> <strong>${escape(m.senderName)}</strong>${m.sender === 'system' ? ' ' : ': '}${m.sender === 'system' ? `<em>${escape(m.text)}</em>` : m.html}</p>`)
    .join('\n');
}

/** The transcript as a PDF document. */
export function transcriptPdf(title: string, messages: ChatMessageView[]): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 40, info: { Title: title } });
  const parts: Buffer[] = [];
  doc.on('data', (c: Buffer) => parts.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(parts)));
    doc.on('error', reject);
  });
  doc.font('Helvetica-Bold').fontSize(18).text(title).moveDown(0.5);
  for (const m of messages) {
    doc.font('Helvetica').fontSize(8).fillColor('#666').text(`${stamp(m.createdAt)}  ${m.senderName}`);
    doc.font(m.sender === 'system' ? 'Helvetica-Oblique' : 'Helvetica').fontSize(11).fillColor('black').text(m.text || ' ').moveDown(0.4);
  }
  doc.end();
  return done;
}
