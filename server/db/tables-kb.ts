/** Kysely types of the knowledge-base tables (migration 0026); `DB` in schema.ts extends this. */
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Timestamp } from './columns';

/** Who may read an article: agents only, signed-in customers too, or everyone without login. */
export type KbState = 'internal' | 'external' | 'public';

export interface KbCategoriesTable {
  id: Generated<number>;
  parent_id: number | null;
  name: string;
  comment: Generated<string>;
  /** Agents need `ro` on this group to read the category's articles, `rw` to write them. */
  group_id: number;
  /** Whether customers (and the public) may see the category's external/public articles. */
  customer_visible: Generated<boolean>;
  valid: Generated<boolean>;
  created_at: CreatedAt;
}

export interface KbArticlesTable {
  id: Generated<number>;
  category_id: number;
  title: string;
  keywords: Generated<string>;
  state: KbState;
  valid: Generated<boolean>;
  language: Generated<string>;
  symptom: Generated<string>;
  problem: Generated<string>;
  solution: Generated<string>;
  body: Generated<string>;
  comment: Generated<string>;
  revision: Generated<number>;
  /** `simple` tsvector of title and keywords (weight A) and the sections' text. */
  document: ColumnType<unknown, unknown, unknown>;
  /** The same text, plain, for wildcard matching and highlighted excerpts. */
  content: string;
  helpful_yes: Generated<number>;
  helpful_no: Generated<number>;
  created_by: number | null;
  changed_by: number | null;
  created_at: Timestamp;
  changed_at: Timestamp;
}

export interface KbRevisionsTable {
  article_id: number;
  revision: number;
  snapshot: ColumnType<unknown, string, string>;
  changed_by: number | null;
  changed_at: Timestamp;
  note: Generated<string>;
}

export interface KbAttachmentsTable {
  id: Generated<number>;
  article_id: number;
  filename: string;
  content_type: string;
  content: Buffer;
  size: number;
  sha256: string;
  inline: Generated<boolean>;
  content_id: string | null;
}

export interface KbLinksTable {
  article_id: number;
  ticket_id: number | null;
  target_article_id: number | null;
  created_by: number | null;
  created_at: Timestamp;
}

export interface KbVotesTable {
  article_id: number;
  /** `agent:<id>`, `customer:<id>` or `session:<random>` (one vote per voter). */
  voter: string;
  helpful: boolean;
  voted_at: Timestamp;
}

export interface KbDeflectionsTable {
  id: Generated<number>;
  article_id: number;
  customer_user_id: number | null;
  subject: Generated<string>;
  created_at: Timestamp;
}

export interface KbTables {
  kb_categories: KbCategoriesTable;
  kb_articles: KbArticlesTable;
  kb_revisions: KbRevisionsTable;
  kb_attachments: KbAttachmentsTable;
  kb_links: KbLinksTable;
  kb_votes: KbVotesTable;
  kb_deflections: KbDeflectionsTable;
}
