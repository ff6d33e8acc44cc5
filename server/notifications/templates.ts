/**
 * Notification templates: the shipped defaults (`events.ts`) with the administrators' overrides
 * (`notification_templates`), and rendering. Texts take OTRS tags and `{{…}}` templates: the tags
 * notifications add (`<OTRS_CUSTOMER_REALNAME>`, `<OTRS_NOTIFICATION_RECIPIENT_UserFirstname>`,
 * `<OTRS_CURRENT_UserFullname>`, `<OTRS_AGENT_BODY>`, …) become templates here, the ticket tags
 * through the OTOBO converter, and the result is rendered by the engine's one template renderer.
 */
import type { Kysely } from 'kysely';
import { convertTags } from '../../engine/otobo/tags';
import { render, validateTemplate, type TemplateContext } from '../../engine/model/templates';
import type { DB } from '../db/schema';
import type { Language } from '../i18n/languages';
import { NOTIFICATION_DEFINITIONS, type NotificationKey, type RecipientGroup } from './events';
import { NOTIFICATION_TEXTS_DE } from './texts-de';

export interface NotificationTemplate {
  key: NotificationKey;
  enabled: boolean;
  recipients: RecipientGroup[];
  subject: string;
  body: string;
  /** Whether an administrator changed it (false: the shipped default). */
  custom: boolean;
  /** Subject and body per language other than English: an administrator's (`notification_template_texts`), else shipped. */
  texts?: Partial<Record<Language, { subject: string; body: string }>>;
}

/** The shipped texts per language besides English. */
const SHIPPED_TEXTS: Partial<Record<Language, Record<NotificationKey, { subject: string; body: string }>>> = { de: NOTIFICATION_TEXTS_DE };

/**
 * Subject and body of a template for a recipient who reads `language`: the administrator's text in
 * that language, else (unless the administrator rewrote the notification, whose own wording then
 * wins) the shipped text in that language, else the template's own (English) text.
 *
 * @example
 * textFor(templates.get('owner-changed')!, 'de').subject // 'Sie sind Besitzer von [<OTRS_TICKET_TicketNumber>] …'
 */
export function textFor(tpl: NotificationTemplate, language: Language): { subject: string; body: string } {
  const own = tpl.texts?.[language];
  if (own) return own;
  const shipped = tpl.custom ? undefined : SHIPPED_TEXTS[language]?.[tpl.key];
  return shipped ?? { subject: tpl.subject, body: tpl.body };
}

const PERSON: Record<string, string> = { UserFirstname: 'firstName', UserLastname: 'lastName', UserFullname: 'fullName', UserLogin: 'login', UserEmail: 'email' };

/** Tags of OTRS notifications that the ticket-tag converter does not know. */
const NOTIFICATION_TAG = /<(?:OTRS|OTOBO)_(NOTIFICATION_RECIPIENT|CURRENT)_(UserFirstname|UserLastname|UserFullname|UserLogin|UserEmail)>|<(?:OTRS|OTOBO)_CUSTOMER_REALNAME>|<(?:OTRS|OTOBO)_(?:CUSTOMER|AGENT)_(SUBJECT|BODY|Subject|Body)(?:\[\d+\])?>/g;

/**
 * A text's OTRS tags as `{{…}}` templates; `unknown` lists tags that have no equivalent.
 *
 * @example
 * toTemplate('Hi <OTRS_NOTIFICATION_RECIPIENT_UserFirstname>, <OTRS_TICKET_TicketNumber>');
 * // { text: 'Hi {{vars.recipient.firstName}}, {{ticket.number}}', unknown: [] }
 */
export function toTemplate(text: string): { text: string; unknown: string[] } {
  const own = text.replace(NOTIFICATION_TAG, (tag, who?: string, prop?: string, part?: string) => {
    if (who && prop) return `{{vars.${who === 'CURRENT' ? 'actor' : 'recipient'}.${PERSON[prop]}}}`;
    if (part) return `{{vars.article.${part.toLowerCase()}}}`;
    return '{{customer.fullName}}';
  });
  return convertTags(own);
}

/** The problems of a template text as sentences (unknown tags, bad `{{…}}` references). */
export function templateProblems(text: string): string[] {
  const { text: converted, unknown } = toTemplate(text);
  return [...unknown.map((t) => `${t} is not a tag notifications know`), ...validateTemplate(converted)];
}

/**
 * Renders a notification text against the ticket snapshot and the event's values.
 *
 * @example
 * renderText('[<OTRS_TICKET_TicketNumber>] {{ticket.title}}', { ticket: { number: '2026…', title: 'Printer' } }); // '[2026…] Printer'
 */
export function renderText(text: string, context: TemplateContext): string {
  return render(toTemplate(text).text, context);
}

/** The shipped default of a notification. */
export function defaultTemplate(key: NotificationKey): NotificationTemplate {
  const d = NOTIFICATION_DEFINITIONS[key];
  return { key, enabled: true, recipients: [...d.recipients], subject: d.subject, body: d.body, custom: false };
}

/** Every notification's template in force (override or default), by key. */
export async function loadTemplates(db: Kysely<DB>, keys?: NotificationKey[]): Promise<Map<NotificationKey, NotificationTemplate>> {
  let q = db.selectFrom('notification_templates').select(['event', 'enabled', 'recipients', 'subject', 'body']);
  if (keys) {
    if (!keys.length) return new Map();
    q = q.where('event', 'in', keys);
  }
  const rows = await q.execute();
  const out = new Map<NotificationKey, NotificationTemplate>();
  for (const key of keys ?? (Object.keys(NOTIFICATION_DEFINITIONS) as NotificationKey[])) out.set(key, defaultTemplate(key));
  for (const r of rows) {
    if (!(r.event in NOTIFICATION_DEFINITIONS)) continue;
    const key = r.event as NotificationKey;
    out.set(key, { key, enabled: r.enabled, recipients: r.recipients as RecipientGroup[], subject: r.subject, body: r.body, custom: true });
  }
  let texts = db.selectFrom('notification_template_texts').select(['event', 'language', 'subject', 'body']);
  if (keys) texts = texts.where('event', 'in', keys);
  for (const r of await texts.execute()) {
    const tpl = out.get(r.event as NotificationKey);
    if (tpl) tpl.texts = { ...tpl.texts, [r.language]: { subject: r.subject, body: r.body } };
  }
  return out;
}
