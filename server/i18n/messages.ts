/**
 * Server texts people read, per language: the labels of the ticket fields dialogs show, and names
 * the server gives when a process has none. Keys are stable; English is complete and every other
 * language has every key (checked by test/i18n/server-messages.test.ts).
 */
import type { Language } from './languages';
import { language } from './request';

const en = {
  field_Title: 'Title',
  field_Queue: 'Queue',
  field_State: 'State',
  field_Priority: 'Priority',
  field_Type: 'Type',
  field_Service: 'Service',
  field_SLA: 'SLA',
  field_Owner: 'Owner',
  field_Responsible: 'Responsible',
  field_CustomerUser: 'Customer user',
  field_CustomerID: 'Customer',
  field_PendingTime: 'Pending until',
  field_Article: 'Article',
  your_input: 'Your input',
};

export type MessageKey = keyof typeof en;

const de: Record<MessageKey, string> = {
  field_Title: 'Titel',
  field_Queue: 'Queue',
  field_State: 'Status',
  field_Priority: 'Priorität',
  field_Type: 'Typ',
  field_Service: 'Service',
  field_SLA: 'SLA',
  field_Owner: 'Besitzer',
  field_Responsible: 'Verantwortlich',
  field_CustomerUser: 'Kundenbenutzer',
  field_CustomerID: 'Kunde',
  field_PendingTime: 'Warten bis',
  field_Article: 'Artikel',
  your_input: 'Ihre Eingabe',
};

export const SERVER_MESSAGES: Record<Language, Record<MessageKey, string>> = { en, de };

/**
 * A server text in the reader's language (or the one given).
 *
 * @example
 * t('field_Title') // 'Titel' for a request with Accept-Language: de
 */
export function t(key: MessageKey, lang: Language = language()): string {
  return SERVER_MESSAGES[lang][key] ?? en[key];
}

/** Whether `key` is a server text (e.g. `field_<TicketField>`). */
export const isMessageKey = (key: string): key is MessageKey => Object.hasOwn(en, key);
