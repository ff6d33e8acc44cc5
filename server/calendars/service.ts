/**
 * Calendars: the list an agent may see, the administrators' changes, export and import of a
 * calendar's configuration (JSON, with its ticket appointment rules), the private iCal feed
 * tokens (one per calendar and agent, revocable), .ics import, and ticket appointment rules.
 */
import type { Kysely, Selectable } from 'kysely';
import { Access } from '../access/access';
import type { DB } from '../db/schema';
import type { CalendarsTable, TicketAppointmentRulesTable } from '../db/tables-calendars';
import { BadRequest, Conflict, NotFound } from '../errors';
import type { Services } from '../services';
import { calendarFeed, feedTokenHash, importIcs, newFeedToken } from './ical';
import type { CalendarConfig, CalendarInput, TicketRuleInput } from './schema';
import { ticketDateSource } from './ticket-dates';
import { syncRule } from './ticket-rules';

/** Where the feed of a token is served, below `/api/v1`. */
export const FEED_PATH = '/calendars/feed';

export interface CalendarView {
  id: number;
  name: string;
  color: string;
  groupId: number;
  group: string;
  valid: boolean;
  access: 'ro' | 'rw';
}

type Rule = Selectable<TicketAppointmentRulesTable>;

const ruleView = (r: Rule) => {
  const search = r.search as { states?: string[]; priorities?: string[]; types?: string[] };
  return { id: r.id, calendarId: r.calendar_id, name: r.name, queueIds: r.queue_ids, states: search.states ?? [], priorities: search.priorities ?? [], types: search.types ?? [], startFrom: r.start_from, durationMinutes: r.duration_minutes, title: r.title, valid: r.valid };
};

export class CalendarService {
  constructor(private readonly services: Services) {}

  private get db(): Kysely<DB> {
    return this.services.database.db;
  }

  private async views(access: Access, rows: Array<Selectable<CalendarsTable> & { group: string }>): Promise<CalendarView[]> {
    const rw = new Set(await access.calendarGroupIds('rw'));
    return rows.map((c) => ({ id: c.id, name: c.name, color: c.color, groupId: c.group_id, group: c.group, valid: c.valid, access: rw.has(c.group_id) ? 'rw' : 'ro' }));
  }

  private base(db: Kysely<DB> = this.db) {
    return db.selectFrom('calendars as c').innerJoin('groups as g', 'g.id', 'c.group_id').selectAll('c').select('g.name as group');
  }

  /** The calendars the caller may see (administrators: all, with invalid ones). */
  async list(access: Access): Promise<CalendarView[]> {
    access.requireAgent();
    const admin = await access.isAdmin();
    const groups = await access.calendarGroupIds('ro');
    let q = this.base().orderBy('c.name');
    if (!admin) {
      if (!groups.length) return [];
      q = q.where('c.group_id', 'in', groups).where('c.valid', '=', true);
    }
    return this.views(access, await q.execute());
  }

  /** One calendar the caller may see (404 otherwise). */
  async get(access: Access, id: number, permission: 'ro' | 'rw' = 'ro'): Promise<CalendarView> {
    const c = await this.base().where('c.id', '=', id).executeTakeFirst();
    if (!c) throw new NotFound('calendar');
    if (!(await access.isAdmin())) await access.assertCalendar(c, permission);
    return (await this.views(access, [c]))[0]!;
  }

  private async checkGroup(db: Kysely<DB>, groupId: number, path: string) {
    if (!(await db.selectFrom('groups').select('id').where('id', '=', groupId).executeTakeFirst())) throw new BadRequest(`group ${groupId} not found`, path, undefined, 'UNKNOWN_REFERENCE');
  }

  private async nameFree(db: Kysely<DB>, name: string, except?: number) {
    let q = db.selectFrom('calendars').select('id').where('name', '=', name);
    if (except) q = q.where('id', '<>', except);
    if (await q.executeTakeFirst()) throw new Conflict(`a calendar named ${JSON.stringify(name)} exists`, '/name', 'DUPLICATE_NAME');
  }

  async create(access: Access, input: CalendarInput): Promise<CalendarView> {
    const id = await this.db.transaction().execute(async (trx) => {
      await this.checkGroup(trx, input.groupId, '/groupId');
      await this.nameFree(trx, input.name);
      const now = this.services.now();
      return (await trx.insertInto('calendars').values({ name: input.name, color: input.color, group_id: input.groupId, valid: input.valid ?? true, created_at: now, changed_at: now }).returning('id').executeTakeFirstOrThrow()).id;
    });
    return this.get(access, id);
  }

  async update(access: Access, id: number, input: Partial<CalendarInput>): Promise<CalendarView> {
    await this.db.transaction().execute(async (trx) => {
      if (!(await trx.selectFrom('calendars').select('id').where('id', '=', id).executeTakeFirst())) throw new NotFound('calendar');
      if (input.groupId !== undefined) await this.checkGroup(trx, input.groupId, '/groupId');
      if (input.name !== undefined) await this.nameFree(trx, input.name, id);
      await trx
        .updateTable('calendars')
        .set({ ...(input.name !== undefined && { name: input.name }), ...(input.color !== undefined && { color: input.color }), ...(input.groupId !== undefined && { group_id: input.groupId }), ...(input.valid !== undefined && { valid: input.valid }), changed_at: this.services.now() })
        .where('id', '=', id)
        .execute();
    });
    return this.get(access, id);
  }

  /** A calendar's configuration (groups and queues by name), for `importConfig` on another system. */
  async exportConfig(access: Access, id: number): Promise<CalendarConfig> {
    const c = await this.get(access, id);
    const rules = await this.db.selectFrom('ticket_appointment_rules').selectAll().where('calendar_id', '=', id).orderBy('id').execute();
    const queues = new Map((await this.db.selectFrom('queues').select(['id', 'name']).execute()).map((q) => [q.id, q.name]));
    return {
      format: 'calendar/1',
      name: c.name,
      color: c.color,
      group: c.group,
      valid: c.valid,
      ticketRules: rules.map((r) => {
        const { id: _id, calendarId: _c, queueIds, ...rest } = ruleView(r);
        return { ...rest, queues: queueIds.map((q) => queues.get(q)!).filter(Boolean) };
      }),
    };
  }

  /** Creates or (by name) updates a calendar from its configuration; its rules are replaced. */
  async importConfig(access: Access, cfg: CalendarConfig): Promise<CalendarView> {
    const id = await this.db.transaction().execute(async (trx) => {
      const group = await trx.selectFrom('groups').select('id').where('name', '=', cfg.group).executeTakeFirst();
      if (!group) throw new BadRequest(`group ${JSON.stringify(cfg.group)} not found`, '/group', undefined, 'UNKNOWN_REFERENCE');
      const now = this.services.now();
      const existing = await trx.selectFrom('calendars').select('id').where('name', '=', cfg.name).executeTakeFirst();
      const values = { name: cfg.name, color: cfg.color, group_id: group.id, valid: cfg.valid ?? true, changed_at: now };
      const calId = existing
        ? (await trx.updateTable('calendars').set(values).where('id', '=', existing.id).returning('id').executeTakeFirstOrThrow()).id
        : (await trx.insertInto('calendars').values({ ...values, created_at: now }).returning('id').executeTakeFirstOrThrow()).id;
      await trx.deleteFrom('ticket_appointment_rules').where('calendar_id', '=', calId).execute();
      for (const [i, r] of (cfg.ticketRules ?? []).entries()) {
        const queueIds: number[] = [];
        for (const [j, name] of (r.queues ?? []).entries()) {
          const q = await trx.selectFrom('queues').select('id').where('name', '=', name).executeTakeFirst();
          if (!q) throw new BadRequest(`queue ${JSON.stringify(name)} not found`, `/ticketRules/${i}/queues/${j}`, undefined, 'UNKNOWN_REFERENCE');
          queueIds.push(q.id);
        }
        await this.writeRule(trx, calId, { ...r, durationMinutes: r.durationMinutes ?? 30, title: r.title ?? '{{ticket.number}} {{ticket.title}}', valid: r.valid ?? true, queueIds }, undefined, `/ticketRules/${i}`);
      }
      return calId;
    });
    return this.get(access, id);
  }

  // ---- feed ---------------------------------------------------------------------------------

  /** A new private feed URL for the caller and this calendar; any earlier one stops working. */
  async newFeed(access: Access, id: number, origin: string): Promise<{ url: string; path: string }> {
    const agent = access.requireAgent();
    await this.get(access, id);
    const token = newFeedToken();
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('calendar_feed_tokens').where('calendar_id', '=', id).where('agent_id', '=', agent.id).execute();
      await trx.insertInto('calendar_feed_tokens').values({ token_hash: feedTokenHash(token), calendar_id: id, agent_id: agent.id, created_at: this.services.now() }).execute();
    });
    const path = `/api/v1${FEED_PATH}/${token}.ics`;
    return { url: `${origin}${path}`, path };
  }

  /** Revokes the caller's feed URL of this calendar. */
  async revokeFeed(access: Access, id: number): Promise<void> {
    const agent = access.requireAgent();
    await this.db.deleteFrom('calendar_feed_tokens').where('calendar_id', '=', id).where('agent_id', '=', agent.id).execute();
  }

  /**
   * The feed of a token: its calendar, while the token's agent is valid and may still read the
   * calendar (404 otherwise, the same for an unknown token).
   */
  async feed(token: string): Promise<{ name: string; text: string }> {
    const row = await this.db
      .selectFrom('calendar_feed_tokens as f')
      .innerJoin('calendars as c', 'c.id', 'f.calendar_id')
      .innerJoin('agents as a', 'a.id', 'f.agent_id')
      .select(['c.id', 'c.name', 'c.group_id', 'c.valid', 'a.id as agent_id', 'a.login', 'a.valid as agent_valid'])
      .where('f.token_hash', '=', feedTokenHash(token))
      .executeTakeFirst();
    if (!row || !row.valid || !row.agent_valid) throw new NotFound('feed');
    const access = new Access(this.db, { kind: 'agent', id: row.agent_id, login: row.login, via: 'token' });
    if (!(await access.onGroup(row.group_id, 'ro'))) throw new NotFound('feed');
    return { name: row.name, text: await calendarFeed(this.db, row.id, this.services.now()) };
  }

  /** Imports an .ics file into a calendar the caller may change (all or nothing). */
  async importIcs(access: Access, id: number, text: string): Promise<{ created: number; updated: number }> {
    const agent = access.requireAgent();
    await this.get(access, id, 'rw');
    return this.db.transaction().execute((trx) => importIcs(trx, id, agent.id, text, this.services.now()));
  }

  // ---- ticket appointment rules ---------------------------------------------------------------

  async rules(access: Access, id: number) {
    await this.get(access, id);
    return (await this.db.selectFrom('ticket_appointment_rules').selectAll().where('calendar_id', '=', id).orderBy('id').execute()).map(ruleView);
  }

  private async writeRule(db: Kysely<DB>, calendarId: number, input: TicketRuleInput, ruleId?: number, path = ''): Promise<Rule> {
    await ticketDateSource(db, input.startFrom, `${path}/startFrom`);
    for (const [i, q] of (input.queueIds ?? []).entries()) {
      if (!(await db.selectFrom('queues').select('id').where('id', '=', q).executeTakeFirst())) throw new BadRequest(`queue ${q} not found`, `${path}/queueIds/${i}`, undefined, 'UNKNOWN_REFERENCE');
    }
    const values = {
      calendar_id: calendarId,
      name: input.name,
      queue_ids: JSON.stringify(input.queueIds ?? []),
      search: JSON.stringify({ states: input.states ?? [], priorities: input.priorities ?? [], types: input.types ?? [] }),
      start_from: input.startFrom,
      duration_minutes: input.durationMinutes,
      title: input.title,
      valid: input.valid,
    };
    const rule = ruleId
      ? await db.updateTable('ticket_appointment_rules').set(values).where('id', '=', ruleId).returningAll().executeTakeFirstOrThrow()
      : await db.insertInto('ticket_appointment_rules').values(values).returningAll().executeTakeFirstOrThrow();
    await syncRule(db, rule, this.services.now());
    return rule;
  }

  /** Adds (or with `ruleId` replaces) a rule and brings its appointments in line at once. */
  async saveRule(access: Access, calendarId: number, input: TicketRuleInput, ruleId?: number) {
    await this.get(access, calendarId);
    return ruleView(
      await this.db.transaction().execute(async (trx) => {
        if (ruleId && !(await trx.selectFrom('ticket_appointment_rules').select('id').where('id', '=', ruleId).where('calendar_id', '=', calendarId).executeTakeFirst())) throw new NotFound('ticket appointment rule');
        return this.writeRule(trx, calendarId, input, ruleId);
      }),
    );
  }

  /** Deletes a rule and its appointments. */
  async deleteRule(access: Access, calendarId: number, ruleId: number): Promise<void> {
    await this.get(access, calendarId);
    const r = await this.db.deleteFrom('ticket_appointment_rules').where('id', '=', ruleId).where('calendar_id', '=', calendarId).executeTakeFirst();
    if (!r.numDeletedRows) throw new NotFound('ticket appointment rule');
  }
}
