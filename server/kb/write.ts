/**
 * Writing knowledge-base articles: every create, change and restore sanitises the sections with
 * the product's HTML sanitiser (in the render worker for large ones), rebuilds the article's
 * search document, and stores the result as a new revision (a full snapshot) in one transaction.
 */
import { sql, type Kysely } from 'kysely';
import { renderHtml } from '../articles/render';
import { decodeAttachments } from '../articles/attachments';
import type { DB, KbState } from '../db/schema';
import { BadRequest } from '../errors';
import { MARK_END, MARK_START } from './search';
import type { ArticleInput } from './schema';

export const SECTIONS = ['symptom', 'problem', 'solution', 'body'] as const;
export type Section = (typeof SECTIONS)[number];

/** What one revision records: the article as it was after that change. */
export interface Snapshot {
  title: string;
  categoryId: number;
  state: KbState;
  keywords: string;
  valid: boolean;
  language: string;
  symptom: string;
  problem: string;
  solution: string;
  body: string;
  comment: string;
  attachments: string[];
}

/** Sanitised sections and their plain text. */
export async function renderSections(input: Partial<Record<Section, string>>): Promise<{ html: Record<Section, string>; text: string }> {
  const html = {} as Record<Section, string>;
  const texts: string[] = [];
  for (const s of SECTIONS) {
    const r = await renderHtml(input[s] ?? '');
    html[s] = r.html;
    if (r.text) texts.push(r.text);
  }
  return { html, text: texts.join('\n\n') };
}

/** The search columns of an article: title and keywords weigh most. */
function documentOf(title: string, keywords: string, text: string) {
  const clean = (s: string) => s.replaceAll(MARK_START, ' ').replaceAll(MARK_END, ' ');
  const head = clean(`${title} ${keywords}`);
  const body = clean(text).slice(0, 512 * 1024);
  return {
    document: sql`setweight(to_tsvector('simple', ${head}), 'A') || to_tsvector('simple', ${body})`,
    content: `${head}\n${body}`,
  };
}

export interface WriteBy {
  agentId: number;
  now: Date;
  maxAttachmentBytes: number;
}

/**
 * Creates (`id` undefined) or changes an article from `input` and records the revision. Returns
 * the article id. Attachments named in `removeAttachments` must belong to the article.
 */
export async function writeArticle(trx: Kysely<DB>, id: number | undefined, input: ArticleInput, by: WriteBy): Promise<number> {
  const attachments = decodeAttachments(input.attachments, '/attachments', by.maxAttachmentBytes);
  const { html, text } = await renderSections(input);
  const keywords = (input.keywords ?? '').trim();
  const doc = documentOf(input.title, keywords, text);
  const values = {
    category_id: input.categoryId,
    title: input.title,
    keywords,
    state: input.state,
    valid: input.valid ?? true,
    language: input.language ?? 'en',
    ...html,
    comment: input.comment ?? '',
    document: doc.document,
    content: doc.content,
    changed_by: by.agentId,
    changed_at: by.now,
  };
  let articleId: number;
  let revision: number;
  if (id === undefined) {
    const row = await trx.insertInto('kb_articles').values({ ...values, created_by: by.agentId, created_at: by.now }).returning(['id', 'revision']).executeTakeFirstOrThrow();
    articleId = row.id;
    revision = row.revision;
  } else {
    const row = await trx.updateTable('kb_articles').set({ ...values, revision: sql`revision + 1` }).where('id', '=', id).returning(['id', 'revision']).executeTakeFirstOrThrow();
    articleId = row.id;
    revision = row.revision;
  }
  if (input.removeAttachments?.length) {
    const gone = await trx.deleteFrom('kb_attachments').where('article_id', '=', articleId).where('id', 'in', input.removeAttachments).execute();
    if (Number(gone[0]?.numDeletedRows ?? 0) !== new Set(input.removeAttachments).size) {
      throw new BadRequest('names an attachment this article does not have', '/removeAttachments', undefined, 'UNKNOWN_REFERENCE');
    }
  }
  if (attachments.length) {
    await trx
      .insertInto('kb_attachments')
      .values(attachments.map((a) => ({ article_id: articleId, filename: a.filename, content_type: a.contentType, content: a.content, size: a.content.length, sha256: a.sha256, inline: a.inline, content_id: a.contentId })))
      .execute();
  }
  const names = await trx.selectFrom('kb_attachments').select('filename').where('article_id', '=', articleId).orderBy('id').execute();
  const snapshot: Snapshot = { title: values.title, categoryId: values.category_id, state: values.state, keywords, valid: values.valid, language: values.language, ...html, comment: values.comment, attachments: names.map((n) => n.filename) };
  await trx
    .insertInto('kb_revisions')
    .values({ article_id: articleId, revision, snapshot: JSON.stringify(snapshot), changed_by: by.agentId, changed_at: by.now, note: input.note ?? (id === undefined ? 'Created.' : '') })
    .execute();
  return articleId;
}
