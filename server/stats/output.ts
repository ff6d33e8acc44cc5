/**
 * A statistic's result as a file: CSV and Excel are written row by row from a row source (a
 * streamed list holds one batch in memory at a time; exceljs's streaming writer commits each row),
 * PDF with pdfkit: the title, the chart (bar, stacked bar, line, pie, drawn as vectors) and the
 * table, its header repeated on every page; a list's PDF streams every row like the CSV.
 */
import { PassThrough, Readable, type Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import type { Cell, Chart, StatResult } from './schema';

/** Rows to write, a batch at a time; the first batch names the columns. */
export type RowSource = AsyncIterable<{ columns: string[]; rows: Cell[][] }>;

/** A finished result as a row source (its sum row last). */
export async function* resultSource(r: StatResult): RowSource {
  yield { columns: r.columns, rows: r.sumRow ? [...r.rows, r.sumRow] : r.rows };
}

function csvCell(v: Cell): string {
  if (v === null) return '';
  const s = String(v);
  // A leading =, +, - or @ would be a formula in a spreadsheet: quote it as text (OWASP CSV injection).
  const safe = typeof v === 'string' && /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * CSV text (RFC 4180, CRLF), a chunk per batch: the header once, then the rows.
 *
 * @example
 * for await (const chunk of csvChunks(resultSource(result))) out.write(chunk);
 */
export async function* csvChunks(source: RowSource, onRows?: (n: number) => void): AsyncGenerator<string> {
  let header = false;
  for await (const b of source) {
    let chunk = '';
    if (!header) {
      chunk += b.columns.map(csvCell).join(',') + '\r\n';
      header = true;
    }
    for (const r of b.rows) chunk += r.map(csvCell).join(',') + '\r\n';
    onRows?.(b.rows.length);
    yield chunk;
  }
}

/** A web stream of CSV bytes for a Response body: pulls the next batch only when the client reads. */
export function csvStream(source: RowSource): ReadableStream<Uint8Array> {
  const it = csvChunks(source)[Symbol.asyncIterator]();
  const enc = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const n = await it.next();
      if (n.done) controller.close();
      else controller.enqueue(enc.encode(n.value));
    },
    async cancel() {
      await it.return?.(undefined);
    },
  });
}

export interface Sheet {
  name: string;
  title: string;
  source: RowSource;
}

/** Writes an Excel workbook, a worksheet per sheet, row by row into `out` (exceljs streaming writer). */
export async function writeXlsx(out: Writable, sheets: Sheet[]): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const used = new Set<string>();
  for (const s of sheets) {
    let name = s.name.replace(/[[\]*?:/\\]/g, ' ').slice(0, 31) || 'Sheet';
    for (let i = 2; used.has(name); i++) name = `${name.slice(0, 28)} ${i}`;
    used.add(name);
    const ws = wb.addWorksheet(name);
    const title = ws.addRow([s.title]);
    title.font = { bold: true, size: 14 };
    title.commit();
    let header = false;
    for await (const b of s.source) {
      if (!header) {
        const h = ws.addRow(b.columns);
        h.font = { bold: true };
        h.commit();
        header = true;
      }
      for (const r of b.rows) ws.addRow(r).commit();
    }
    ws.commit();
  }
  await wb.commit();
}

/** The bytes of `stream` once it ends. */
async function collect(run: (out: PassThrough) => Promise<void>): Promise<Buffer> {
  const out = new PassThrough();
  const parts: Buffer[] = [];
  out.on('data', (c: Buffer) => parts.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  await run(out);
  out.end();
  await ended;
  return Buffer.concat(parts);
}

/** An Excel workbook in memory (report attachments). */
export function xlsxBuffer(sheets: Sheet[]): Promise<Buffer> {
  return collect((out) => writeXlsx(out, sheets));
}

export interface PdfDocumentSpec {
  title: string;
  headline?: string;
  preamble?: string;
  epilogue?: string;
  sections: Array<{ result: StatResult; chart: Chart }>;
  /** Most table rows per section (a PDF is for reading; the CSV/Excel export has them all). */
  maxRows?: number;
  /** Compress page content (default true; tests switch it off to read the text back). */
  compress?: boolean;
}

const COLOURS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

/** The chart series of a result: categories (x) and one series per row of a two-axis matrix. */
export function chartData(r: StatResult): { labels: string[]; series: Array<{ name: string; values: number[] }> } {
  if (r.sumColumn) {
    const labels = r.columns.slice(1, -1);
    return { labels, series: r.rows.map((row) => ({ name: String(row[0]), values: row.slice(1, -1).map((v) => Number(v) || 0) })) };
  }
  const numeric = r.columns.findIndex((_, i) => i > 0 && r.rows.every((row) => typeof row[i] === 'number' || row[i] === null));
  if (numeric < 0) return { labels: [], series: [] };
  return { labels: r.rows.map((row) => String(row[0])), series: [{ name: r.columns[numeric]!, values: r.rows.map((row) => Number(row[numeric]) || 0) }] };
}

function drawChart(doc: PDFKit.PDFDocument, r: StatResult, chart: Chart): void {
  const { labels, series } = chartData(r);
  if (chart === 'table' || !labels.length || !series.length) return;
  const x0 = doc.page.margins.left;
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const height = 180;
  if (doc.y + height + 40 > doc.page.height - doc.page.margins.bottom) doc.addPage();
  const top = doc.y;
  const bottom = top + height;
  doc.save();
  if (chart === 'pie') {
    const values = labels.map((_, i) => series.reduce((s, se) => s + (se.values[i] ?? 0), 0));
    const total = values.reduce((a, b) => a + b, 0) || 1;
    const cx = x0 + height / 2;
    const cy = top + height / 2;
    const rad = height / 2 - 5;
    let a = -Math.PI / 2;
    values.forEach((v, i) => {
      const b = a + (v / total) * 2 * Math.PI;
      const large = b - a > Math.PI ? 1 : 0;
      if (v > 0) {
        const p = v === total ? `M ${cx} ${cy - rad} A ${rad} ${rad} 0 1 1 ${cx - 0.01} ${cy - rad} Z` : `M ${cx} ${cy} L ${cx + rad * Math.cos(a)} ${cy + rad * Math.sin(a)} A ${rad} ${rad} 0 ${large} 1 ${cx + rad * Math.cos(b)} ${cy + rad * Math.sin(b)} Z`;
        doc.path(p).fill(COLOURS[i % COLOURS.length]!);
      }
      doc.rect(x0 + height + 20, top + i * 12, 8, 8).fill(COLOURS[i % COLOURS.length]!);
      doc.fillColor('black').fontSize(8).text(`${labels[i]}: ${v}`, x0 + height + 32, top + i * 12, { lineBreak: false });
      a = b;
    });
  } else {
    const stacked = chart === 'stackedBar';
    const max = Math.max(1, ...labels.map((_, i) => (stacked ? series.reduce((s, se) => s + (se.values[i] ?? 0), 0) : Math.max(...series.map((se) => se.values[i] ?? 0)))));
    const slot = width / labels.length;
    doc.moveTo(x0, bottom).lineTo(x0 + width, bottom).stroke('#888');
    labels.forEach((label, i) => {
      if (chart === 'line') return;
      let base = bottom;
      series.forEach((se, j) => {
        const v = se.values[i] ?? 0;
        const h = (v / max) * (height - 10);
        const bw = stacked ? slot * 0.7 : (slot * 0.8) / series.length;
        const bx = x0 + i * slot + slot * 0.1 + (stacked ? 0 : j * bw);
        doc.rect(bx, (stacked ? base : bottom) - h, bw, h).fill(COLOURS[j % COLOURS.length]!);
        if (stacked) base -= h;
      });
      doc.fillColor('black').fontSize(6).text(label, x0 + i * slot, bottom + 2, { width: slot, align: 'center', lineBreak: false, ellipsis: true });
    });
    if (chart === 'line') {
      series.forEach((se, j) => {
        se.values.forEach((v, i) => {
          const px = x0 + i * slot + slot / 2;
          const py = bottom - (v / max) * (height - 10);
          if (i === 0) doc.moveTo(px, py);
          else doc.lineTo(px, py);
        });
        doc.stroke(COLOURS[j % COLOURS.length]!);
      });
      labels.forEach((label, i) => doc.fillColor('black').fontSize(6).text(label, x0 + i * slot, bottom + 2, { width: slot, align: 'center', lineBreak: false, ellipsis: true }));
    }
    if (series.length > 1) {
      series.forEach((se, j) => {
        doc.rect(x0 + j * 90, bottom + 14, 8, 8).fill(COLOURS[j % COLOURS.length]!);
        doc.fillColor('black').fontSize(7).text(se.name, x0 + j * 90 + 11, bottom + 14, { width: 78, lineBreak: false, ellipsis: true });
      });
    }
  }
  doc.restore();
  doc.x = x0;
  doc.y = bottom + 30;
}

/**
 * Writes a table row by row; when a row does not fit on the page, a new page starts with the
 * header row again, so every page of a long list can be read on its own.
 */
class PdfTable {
  private readonly x0: number;
  private readonly width: number;
  private readonly colW: number;
  private static readonly rowH = 12;

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly columns: Cell[],
  ) {
    this.x0 = doc.page.margins.left;
    this.width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
    this.colW = this.width / Math.max(1, columns.length);
    this.line(columns, true);
  }

  row(cells: Cell[], bold = false): void {
    if (this.doc.y + PdfTable.rowH > this.doc.page.height - this.doc.page.margins.bottom) {
      this.doc.addPage();
      this.line(this.columns, true);
    }
    this.line(cells, bold);
  }

  private line(cells: Cell[], bold: boolean): void {
    const { doc, x0, colW } = this;
    const y = doc.y;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(7).fillColor('black');
    cells.forEach((c, i) => doc.text(c === null ? '' : String(c), x0 + i * colW + 2, y + 2, { width: colW - 4, lineBreak: false, ellipsis: true }));
    doc.moveTo(x0, y + PdfTable.rowH).lineTo(x0 + this.width, y + PdfTable.rowH).lineWidth(0.3).stroke('#ccc');
    doc.x = x0;
    doc.y = y + PdfTable.rowH;
  }

  note(text: string): void {
    this.doc.font('Helvetica-Oblique').fontSize(7).text(text, this.x0, this.doc.y + 2);
    this.doc.font('Helvetica');
  }
}

function drawTable(doc: PDFKit.PDFDocument, r: StatResult, maxRows: number): void {
  const table = new PdfTable(doc, r.columns);
  for (const cells of r.rows.slice(0, maxRows)) table.row(cells);
  if (r.sumRow) table.row(r.sumRow, true);
  if (r.rows.length > maxRows) table.note(`… ${r.rows.length - maxRows} more rows in the CSV or Excel export.`);
  else if (r.truncated) table.note('… more rows in the CSV or Excel export.');
}

function newPdf(title: string, compress = true): PDFKit.PDFDocument {
  return new PDFDocument({ size: 'A4', margin: 40, compress, info: { Title: title } });
}

function heading(doc: PDFKit.PDFDocument, spec: { title: string; headline?: string; preamble?: string }): void {
  if (spec.headline) doc.font('Helvetica').fontSize(10).fillColor('#555').text(spec.headline);
  doc.font('Helvetica-Bold').fontSize(18).fillColor('black').text(spec.title);
  doc.moveDown(0.5);
  if (spec.preamble) doc.font('Helvetica').fontSize(10).text(spec.preamble).moveDown();
}

/**
 * A list as a PDF, streamed: the title and a table written a batch at a time from the row source
 * (every row, the header repeated on each page), handed out as the pages are finished.
 *
 * @example
 * return new Response(pdfListStream({ title: 'All tickets' }, streamList(db, access, def)));
 */
export function pdfListStream(spec: { title: string; preamble?: string; compress?: boolean }, source: RowSource): ReadableStream<Uint8Array> {
  const doc = newPdf(spec.title, spec.compress);
  const out = new PassThrough();
  doc.pipe(out);
  void (async () => {
    heading(doc, spec);
    let table: PdfTable | undefined;
    for await (const b of source) {
      table ??= new PdfTable(doc, b.columns);
      for (const cells of b.rows) table.row(cells);
      // Let the reader catch up before the next batch (pdfkit itself does not wait).
      if (out.writableNeedDrain) await new Promise((resolve) => out.once('drain', resolve));
    }
    doc.end();
  })().catch((e: unknown) => out.destroy(e as Error));
  return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}

/**
 * A PDF with a headline, title, preamble, each statistic's chart and table, and an epilogue.
 *
 * @example
 * const pdf = await pdfBuffer({ title: 'New tickets', sections: [{ result, chart: 'bar' }] });
 */
export function pdfBuffer(spec: PdfDocumentSpec): Promise<Buffer> {
  const doc = newPdf(spec.title, spec.compress);
  const parts: Buffer[] = [];
  doc.on('data', (c: Buffer) => parts.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(parts)));
    doc.on('error', reject);
  });
  heading(doc, spec);
  for (const s of spec.sections) {
    if (spec.sections.length > 1 || s.result.title !== spec.title) doc.font('Helvetica-Bold').fontSize(13).text(s.result.title).moveDown(0.3);
    drawChart(doc, s.result, s.chart);
    drawTable(doc, s.result, spec.maxRows ?? 500);
    doc.moveDown();
  }
  if (spec.epilogue) doc.font('Helvetica').fontSize(10).text(spec.epilogue, doc.page.margins.left);
  doc.end();
  return done;
}
