/**
 * The notification service: the caller's web notifications (list with the unread count, mark one
 * or all read; agents and customer users alike) and the administrators' notification templates
 * (list with defaults, change, reset to the shipped default).
 */
import type { Kysely } from 'kysely';
import type { Access } from '../access/access';
import type { DB } from '../db/schema';
import { BadRequest, NotFound } from '../errors';
import type { Services } from '../services';
import { NOTIFICATION_DEFINITIONS, RECIPIENT_GROUPS, type NotificationDefinition, type NotificationKey, type RecipientGroup } from './events';
import { listNotifications, markRead, unreadCount, type NotificationView, type Recipient } from './repo';
import type { NotificationListQuery, TemplateInput } from './schema';
import { defaultTemplate, loadTemplates, templateProblems, type NotificationTemplate } from './templates';

/** Customer notifications go to the customer only; agents' notifications never to the customer (they carry internal notes). */
export function allowedRecipients(def: NotificationDefinition): RecipientGroup[] {
  return def.recipients.includes('customer') ? ['customer'] : RECIPIENT_GROUPS.filter((g) => g !== 'customer');
}

export class NotificationService {
  constructor(private readonly services: Services) {}

  private get db(): Kysely<DB> {
    return this.services.database.db;
  }

  private recipient(access: Access): Recipient {
    const a = access.requireActor();
    return { kind: a.kind, id: a.id };
  }

  /**
   * The caller's notifications, newest first, and how many are unread.
   *
   * @example
   * const { items, unread } = await service.list(access, { limit: 20 });
   */
  async list(access: Access, q: NotificationListQuery): Promise<{ items: NotificationView[]; unread: number }> {
    const who = this.recipient(access);
    const [items, unread] = await Promise.all([listNotifications(this.db, who, q), unreadCount(this.db, who)]);
    return { items, unread };
  }

  /** Marks one of the caller's notifications read (404 for another's or a missing one). */
  async read(access: Access, id: number): Promise<void> {
    if (!(await markRead(this.db, this.recipient(access), id, this.services.now()))) throw new NotFound('notification');
  }

  async readAll(access: Access): Promise<void> {
    await markRead(this.db, this.recipient(access), 'all', this.services.now());
  }

  /** Every notification template in force (administrators). */
  async templates(access: Access) {
    await access.assertAdmin();
    const all = await loadTemplates(this.db);
    return { items: [...all.values()].map((t) => this.view(t)) };
  }

  /**
   * Changes a template (the given keys; the rest stay); 400 naming `/subject` or `/body` for an
   * unknown tag or a bad `{{…}}` reference, `/recipients/<i>` for a group this notification cannot have.
   *
   * @example
   * await service.updateTemplate(access, 'follow-up-locked', { subject: 'Re: <OTRS_TICKET_TicketNumber>' });
   */
  async updateTemplate(access: Access, key: string, input: TemplateInput) {
    await access.assertAdmin();
    const k = this.key(key);
    const def = NOTIFICATION_DEFINITIONS[k] as NotificationDefinition;
    for (const field of ['subject', 'body'] as const) {
      const text = input[field];
      if (text === undefined) continue;
      const problems = templateProblems(text);
      if (problems.length) throw new BadRequest(problems.join(' '), `/${field}`, undefined, 'VALIDATION_FAILED');
      if (field === 'subject' && /[\r\n]/.test(text)) throw new BadRequest('a subject is one line', '/subject', undefined, 'VALIDATION_FAILED');
    }
    const allowed = allowedRecipients(def);
    input.recipients?.forEach((g, i) => {
      if (!allowed.includes(g)) throw new BadRequest(`"${g}" cannot receive this notification; use ${allowed.join(', ')}`, `/recipients/${i}`, undefined, 'VALIDATION_FAILED');
    });
    const current = (await loadTemplates(this.db, [k])).get(k)!;
    const next = { enabled: input.enabled ?? current.enabled, recipients: input.recipients ?? current.recipients, subject: input.subject ?? current.subject, body: input.body ?? current.body };
    const actor = access.requireAgent();
    const values = { ...next, recipients: JSON.stringify(next.recipients), changed_at: this.services.now(), changed_by: actor.id };
    await this.db
      .insertInto('notification_templates')
      .values({ event: k, ...values })
      .onConflict((oc) => oc.column('event').doUpdateSet(values))
      .execute();
    return this.view({ key: k, ...next, custom: true });
  }

  /** Back to the shipped default. */
  async resetTemplate(access: Access, key: string) {
    await access.assertAdmin();
    const k = this.key(key);
    await this.db.deleteFrom('notification_templates').where('event', '=', k).execute();
    return this.view(defaultTemplate(k));
  }

  private key(key: string): NotificationKey {
    if (!Object.prototype.hasOwnProperty.call(NOTIFICATION_DEFINITIONS, key)) throw new NotFound('notification template');
    return key as NotificationKey;
  }

  private view(t: NotificationTemplate) {
    const def = NOTIFICATION_DEFINITIONS[t.key] as NotificationDefinition;
    return {
      key: t.key,
      event: def.event,
      when: def.when ?? null,
      label: def.label,
      preference: def.preference,
      enabled: t.enabled,
      recipients: t.recipients,
      allowedRecipients: allowedRecipients(def),
      subject: t.subject,
      body: t.body,
      custom: t.custom,
    };
  }
}
