/**
 * Attachments: decoding what clients send (base64, checked strictly, errors naming the JSON path),
 * limits per article (count, total size), storing as bytea with size and sha256, and the
 * download headers (`Content-Disposition` with an RFC 5987 UTF-8 file name).
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { BadRequest } from '../errors';
import { MAX_ATTACHMENTS, type AttachmentInput } from './schema';

export interface DecodedAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
  sha256: string;
  inline: boolean;
  contentId: string | null;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Decodes and checks attachments; `path` is where the list sits in the request
 * (`/article/attachments`). Total decoded size may not exceed `maxBytes`.
 */
export function decodeAttachments(list: AttachmentInput[] | undefined, path: string, maxBytes: number): DecodedAttachment[] {
  if (!list?.length) return [];
  if (list.length > MAX_ATTACHMENTS) throw new BadRequest(`an article may carry at most ${MAX_ATTACHMENTS} attachments`, path);
  let total = 0;
  return list.map((a, i) => {
    const raw = a.contentBase64.replace(/\s+/g, '');
    if (raw.length % 4 !== 0 || !BASE64.test(raw)) {
      throw new BadRequest('is not valid base64', `${path}/${i}/contentBase64`, undefined, 'INVALID_BASE64');
    }
    const content = Buffer.from(raw, 'base64');
    total += content.length;
    if (total > maxBytes) throw new BadRequest(`attachments exceed ${maxBytes} bytes in total`, `${path}/${i}`, undefined, 'ATTACHMENTS_TOO_LARGE');
    return {
      filename: a.filename,
      contentType: (a.contentType ?? 'application/octet-stream').toLowerCase(),
      content,
      sha256: createHash('sha256').update(content).digest('hex'),
      inline: a.inline ?? false,
      contentId: a.contentId ?? null,
    };
  });
}

/** Stores attachments of one article at positions 1, 2, … */
export async function insertAttachments(db: Kysely<DB>, articleId: number, list: DecodedAttachment[]): Promise<void> {
  if (!list.length) return;
  await db
    .insertInto('attachments')
    .values(
      list.map((a, i) => ({
        article_id: articleId,
        position: i + 1,
        filename: a.filename,
        content_type: a.contentType,
        size: a.content.length,
        sha256: a.sha256,
        content: a.content,
        inline: a.inline,
        content_id: a.contentId,
      })),
    )
    .execute();
}

/** Copies every attachment of one article to another (split). */
export async function copyAttachments(db: Kysely<DB>, fromArticleId: number, toArticleId: number): Promise<void> {
  const rows = await db.selectFrom('attachments').selectAll().where('article_id', '=', fromArticleId).orderBy('position').execute();
  if (!rows.length) return;
  await db
    .insertInto('attachments')
    .values(rows.map(({ id: _id, created_at: _c, article_id: _a, ...r }) => ({ ...r, article_id: toArticleId })))
    .execute();
}

/** Types a browser may show inline without running anything (no SVG: it can carry script). */
const INLINE_SAFE = /^image\/(png|gif|jpeg|webp|bmp)$/;

/** Response headers of a download. `wantInline` is honoured for safe images only. */
export function downloadHeaders(a: { filename: string; content_type: string; size: number; sha256: string }, wantInline: boolean): Record<string, string> {
  const type = a.content_type.split(';')[0]!.trim();
  const inline = wantInline && INLINE_SAFE.test(type);
  const ascii = a.filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(a.filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return {
    'Content-Type': a.content_type,
    'Content-Length': String(a.size),
    'Content-Disposition': `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encoded}`,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'private, no-store',
    ETag: `"${a.sha256}"`,
  };
}
