/**
 * The calling agent's own settings: preferences stored per key in `agent_preferences` (defaults
 * filled in on read), the password change with a check of the current password, the dashboard's
 * ticket counts per queue and state, and which tickets of a list hold unread articles.
 */
import { sql, type Kysely } from 'kysely';
import type { Access } from '../access/access';
import { hashPassword, secretHash, verifyPassword } from '../auth/secrets';
import type { DB } from '../db/schema';
import { checkPassword } from '../portal/password-policy';
import { BadRequest } from '../errors';
import type { Services } from '../services';
import { isTimeZone } from './out-of-office';
import { DEFAULT_PREFERENCES, type PasswordInput, type Preferences, type PreferencesInput, type QueueOverviewRow } from './schema';

export class PreferenceService {
  constructor(private readonly services: Services) {}

  private get db(): Kysely<DB> {
    return this.services.database.db;
  }

  /**
   * The agent's preferences, each key its stored value or the default.
   *
   * @example
   * const prefs = await new PreferenceService(services).get(access); // { dateFormat: 'YYYY-MM-DD HH:mm', ... }
   */
  async get(access: Access): Promise<Preferences> {
    const agent = access.requireAgent();
    const rows = await this.db.selectFrom('agent_preferences').select(['key', 'value']).where('agent_id', '=', agent.id).execute();
    const out = structuredClone(DEFAULT_PREFERENCES) as unknown as Record<string, unknown>;
    for (const r of rows) if (r.key in out) out[r.key] = r.value;
    const prefs = out as unknown as Preferences;
    // Widgets added after the agent saved a layout are appended, shown.
    for (const w of DEFAULT_PREFERENCES.dashboard) if (!prefs.dashboard.some((d) => d.id === w.id)) prefs.dashboard.push({ ...w });
    prefs.notifications = { ...DEFAULT_PREFERENCES.notifications, ...prefs.notifications };
    prefs.notificationChannels = { ...DEFAULT_PREFERENCES.notificationChannels, ...prefs.notificationChannels };
    return prefs;
  }

  /**
   * Stores the given keys (null: back to the default) in one transaction and returns the result.
   * Queues in `myQueues` must exist and be readable by the agent (400 naming `/myQueues/<i>`).
   *
   * @example
   * await service.update(access, { myQueues: [3, 4], dateFormat: 'DD.MM.YYYY HH:mm' });
   */
  async update(access: Access, input: PreferencesInput): Promise<Preferences> {
    const agent = access.requireAgent();
    if (input.myQueues) {
      const readable = new Set(await access.queueIds('ro'));
      input.myQueues.forEach((q, i) => {
        if (!readable.has(q)) throw new BadRequest(`queue ${q} does not exist or you may not read it`, `/myQueues/${i}`, undefined, 'VALIDATION_FAILED');
      });
    }
    if (input.dashboard) {
      const seen = new Set<string>();
      input.dashboard.forEach((w, i) => {
        if (seen.has(w.id)) throw new BadRequest(`widget "${w.id}" is listed twice`, `/dashboard/${i}/id`, undefined, 'VALIDATION_FAILED');
        seen.add(w.id);
      });
    }
    if (input.timeZone && input.timeZone !== 'auto' && !isTimeZone(input.timeZone)) {
      throw new BadRequest(`"${input.timeZone}" is not a time zone this server knows (e.g. Europe/Berlin)`, '/timeZone', undefined, 'VALIDATION_FAILED');
    }
    if (input.outOfOffice && input.outOfOffice.until < input.outOfOffice.from) {
      throw new BadRequest('the last day away lies before the first', '/outOfOffice/until', undefined, 'VALIDATION_FAILED');
    }
    const now = this.services.now();
    await this.db.transaction().execute(async (trx) => {
      for (const [key, value] of Object.entries(input)) {
        if (value === undefined) continue;
        if (value === null) {
          await trx.deleteFrom('agent_preferences').where('agent_id', '=', agent.id).where('key', '=', key).execute();
          continue;
        }
        await trx
          .insertInto('agent_preferences')
          .values({ agent_id: agent.id, key, value: JSON.stringify(value), updated_at: now })
          .onConflict((oc) => oc.columns(['agent_id', 'key']).doUpdateSet({ value: JSON.stringify(value), updated_at: now }))
          .execute();
      }
    });
    return this.get(access);
  }

  /**
   * Changes the caller's password (agent or customer user) after checking the current one (400 `WRONG_PASSWORD` on
   * `/currentPassword`) and the password rules (400 `PASSWORD_RULES`). Other sessions end; the calling one stays.
   *
   * @example
   * await service.changePassword(access, { currentPassword: 'old', newPassword: 'a-longer-one' }, sessionId);
   */
  async changePassword(access: Access, input: PasswordInput, keepSessionId: string | undefined): Promise<void> {
    const actor = access.requireActor();
    const table = actor.kind === 'agent' ? 'agents' : 'customer_users';
    const row = await this.db.selectFrom(table).select('password_hash').where('id', '=', actor.id).executeTakeFirstOrThrow();
    if (!row.password_hash || !(await verifyPassword(input.currentPassword, row.password_hash))) {
      throw new BadRequest('the current password is not right', '/currentPassword', undefined, 'WRONG_PASSWORD');
    }
    if (input.newPassword === input.currentPassword) {
      throw new BadRequest('the new password must differ from the current one', '/newPassword', undefined, 'VALIDATION_FAILED');
    }
    checkPassword(input.newPassword, '/newPassword');
    const hash = await hashPassword(input.newPassword);
    await this.db.transaction().execute(async (trx) => {
      if (actor.kind === 'agent') await trx.updateTable('agents').set({ password_hash: hash, password_change_required: false }).where('id', '=', actor.id).execute();
      else await trx.updateTable('customer_users').set({ password_hash: hash }).where('id', '=', actor.id).execute();
      let del = trx.deleteFrom('sessions').where('subject_kind', '=', actor.kind).where('subject_id', '=', actor.id);
      if (keepSessionId) del = del.where('id_hash', '!=', secretHash(keepSessionId));
      await del.execute();
    });
  }

  /**
   * Open and closed ticket counts the agent may see, per queue and state (archived tickets left out).
   *
   * @example
   * const rows = await service.queueOverview(access); // [{ queue: 'Misc', state: 'new', count: 4, ... }]
   */
  async queueOverview(access: Access): Promise<QueueOverviewRow[]> {
    access.requireAgent();
    const visible = await access.ticketFilter('t');
    const rows = await this.db
      .selectFrom('tickets as t')
      .innerJoin('queues as q', 'q.id', 't.queue_id')
      .innerJoin('states as s', 's.id', 't.state_id')
      .innerJoin('state_types as st', 'st.id', 's.type_id')
      .where(visible)
      .where('t.archived', '=', false)
      .where('t.merged_into_id', 'is', null)
      .select(['q.id as queueId', 'q.name as queue', 's.id as stateId', 's.name as state', 'st.name as stateType', sql<number>`count(*)::int`.as('count')])
      .groupBy(['q.id', 'q.name', 's.id', 's.name', 'st.name'])
      .orderBy('q.name')
      .orderBy('s.id')
      .execute();
    return rows.map((r) => ({ ...r, count: Number(r.count) }));
  }

  /**
   * Which of the given tickets (those the agent may read) hold an article the agent has not seen.
   *
   * @example
   * await service.unread(access, [1, 2, 3]); // [2]
   */
  async unread(access: Access, ticketIds: number[]): Promise<number[]> {
    const agent = access.requireAgent();
    const visible = await access.ticketFilter('t');
    const rows = await this.db
      .selectFrom('tickets as t')
      .where('t.id', 'in', ticketIds)
      .where(visible)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('articles as a')
            .select('a.id')
            .whereRef('a.ticket_id', '=', 't.id')
            .where((eb2) => eb2.not(eb2.exists(eb2.selectFrom('article_flags as f').select('f.article_id').whereRef('f.article_id', '=', 'a.id').where('f.agent_id', '=', agent.id)))),
        ),
      )
      .select('t.id')
      .execute();
    return rows.map((r) => r.id).sort((a, b) => a - b);
  }
}
