/** Kysely types of the language tables (migration 0025); `DB` in schema.ts extends this. */
import type { CreatedAt } from './columns';

/** An administrator's subject and body of a notification event in one language. */
export interface NotificationTemplateTextsTable {
  event: string;
  language: string;
  subject: string;
  body: string;
  changed_at: CreatedAt;
  changed_by: number | null;
}

export interface LanguageTables {
  notification_template_texts: NotificationTemplateTextsTable;
}
