/**
 * A statistic as a downloadable file (CSV, Excel, PDF). Lists stream every row from a cursor
 * into CSV, Excel and PDF (no row cap, flat memory) and tell the total up front (`X-Stat-Rows`) so the UI can show
 * progress; matrices and static statistics are small and written from their result.
 */
import { PassThrough, Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import type { Access } from '../access/access';
import { countList, effective, streamList } from './query';
import { csvStream, pdfBuffer, pdfListStream, resultSource, writeXlsx, type RowSource } from './output';
import { getStat, runDefinition } from './service';
import type { RunParams, StatDefinition } from './schema';

export const FORMATS = { csv: 'text/csv; charset=utf-8', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', pdf: 'application/pdf' } as const;
export type OutputFormat = keyof typeof FORMATS;

/** A safe file name from a statistic's name. */
export function fileName(name: string, format: OutputFormat): string {
  return `${name.replace(/[^A-Za-z0-9._ -]+/g, '_').trim().replace(/\s+/g, '-') || 'statistic'}.${format}`;
}

/** Runs statistic `id` as the caller and answers it as a file of `format`. */
export async function exportStat(db: Kysely<DB>, access: Access, id: number, format: OutputFormat, params: RunParams | undefined, now: Date): Promise<Response> {
  const stat = await getStat(db, access, id);
  const def: StatDefinition = effective(stat.definition, params);
  const headers: Record<string, string> = {
    'content-type': FORMATS[format],
    'content-disposition': `attachment; filename="${fileName(stat.name, format)}"`,
    'cache-control': 'no-store',
  };
  if (format === 'pdf' && def.kind === 'list') {
    await access.assertStats('ro');
    headers['x-stat-rows'] = String(await countList(db, access, def));
    return new Response(pdfListStream({ title: def.title ?? stat.name, preamble: def.description }, streamList(db, access, def)), { headers });
  }
  if (format === 'pdf') {
    const result = await runDefinition(db, access, stat.definition, params, now, { limit: 500 });
    const pdf = await pdfBuffer({ title: result.title, preamble: def.description, sections: [{ result, chart: def.chart ?? 'bar' }] });
    return new Response(new Uint8Array(pdf), { headers });
  }
  let source: RowSource;
  if (def.kind === 'list') {
    await access.assertStats('ro');
    headers['x-stat-rows'] = String(await countList(db, access, def));
    source = streamList(db, access, def);
  } else {
    const result = await runDefinition(db, access, stat.definition, params, now);
    headers['x-stat-rows'] = String(result.rows.length + (result.sumRow ? 1 : 0));
    source = resultSource(result);
  }
  if (format === 'csv') return new Response(csvStream(source), { headers });
  const out = new PassThrough();
  writeXlsx(out, [{ name: stat.name, title: def.title ?? stat.name, source }]).then(
    () => out.end(),
    (e: unknown) => out.destroy(e as Error),
  );
  return new Response(Readable.toWeb(out) as ReadableStream<Uint8Array>, { headers });
}
