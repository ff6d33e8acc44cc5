/**
 * Appointments: create, read, change and delete, and the occurrences in a window. A repeating
 * appointment is one row with its rule; changing one occurrence adds an override row (same UID,
 * `recurrence_id` = the occurrence's original start), "this and following" ends the series before
 * the occurrence and starts a new one there, "all" changes the series (moving its exceptions and
 * overrides along). Permissions come from the calendar's group (`Access.assertCalendar`).
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Access } from '../access/access';
import type { DB } from '../db/schema';
import type { AppointmentsTable } from '../db/tables-calendars';
import { BadRequest, Conflict, NotFound } from '../errors';
import { checkRule, isOccurrence, splitRule, TooManyOccurrences, windowOccurrences } from './recurrence';
import { scheduleAppointmentReminder, seriesOf } from './reminders';
import type { AppointmentDeleteQuery, AppointmentInput, AppointmentPatch, WindowQuery } from './schema';

export type AppointmentRow = Selectable<AppointmentsTable>;

/** `= any($1)` with the ids as one array parameter (a long IN list costs the server more than the query). */
const anyOf = (ids: number[]) => sql<number>`any(${ids}::int[])`;

/** Widest window a query may ask for. */
export const MAX_WINDOW_DAYS = 400;
/** Most occurrences one window query answers. */
export const MAX_WINDOW_OCCURRENCES = 20_000;
/** Longest single appointment. */
const MAX_DURATION_DAYS = 366;
const DAY = 86_400_000;

export interface AppointmentView {
  id: number;
  uid: string;
  calendarId: number;
  title: string;
  description: string;
  location: string;
  mapUrl: string | null;
  allDay: boolean;
  start: string;
  end: string;
  timeZone: string;
  rrule: string | null;
  exdates: string[];
  parentId: number | null;
  recurrenceId: string | null;
  reminderMinutes: number | null;
  ticketIds: number[];
  ruleId: number | null;
  access: 'ro' | 'rw';
}
export type OccurrenceView = AppointmentView & { occurrence: string | null };

/** A map search for a location (OpenStreetMap; no key, no tracking script). */
export const mapUrl = (location: string) => (location.trim() ? `https://www.openstreetmap.org/search?query=${encodeURIComponent(location.trim())}` : null);

/** The columns an appointment's view is made of (a window query reads only these). */
const VIEW_COLUMNS = ['id', 'uid', 'calendar_id', 'title', 'description', 'location', 'all_day', 'start_at', 'end_at', 'time_zone', 'rrule', 'exdates', 'parent_id', 'recurrence_id', 'reminder_minutes', 'rule_id'] as const;
type ViewRow = Pick<AppointmentRow, (typeof VIEW_COLUMNS)[number]>;

export function appointmentView(r: ViewRow, ticketIds: number[], access: 'ro' | 'rw'): AppointmentView {
  return {
    id: r.id,
    uid: r.uid,
    calendarId: r.calendar_id,
    title: r.title,
    description: r.description,
    location: r.location,
    mapUrl: mapUrl(r.location),
    allDay: r.all_day,
    start: r.start_at.toISOString(),
    end: r.end_at.toISOString(),
    timeZone: r.time_zone,
    rrule: r.rrule,
    exdates: r.exdates,
    parentId: r.parent_id,
    recurrenceId: r.recurrence_id?.toISOString() ?? null,
    reminderMinutes: r.reminder_minutes,
    ticketIds,
    ruleId: r.rule_id,
    access,
  };
}

/** One occurrence of a series (`occurrence`: its original start, for a repeating one). */
function occurrenceView(b: AppointmentView, start: Date, dur: number, repeating: boolean): OccurrenceView {
  const iso = start.toISOString();
  return {
    id: b.id, uid: b.uid, calendarId: b.calendarId, title: b.title, description: b.description, location: b.location, mapUrl: b.mapUrl, allDay: b.allDay,
    start: iso, end: new Date(start.getTime() + dur).toISOString(), timeZone: b.timeZone, rrule: b.rrule, exdates: b.exdates, parentId: b.parentId,
    recurrenceId: b.recurrenceId, reminderMinutes: b.reminderMinutes, ticketIds: b.ticketIds, ruleId: b.ruleId, access: b.access, occurrence: repeating ? iso : null,
  };
}

/** The stored values an input describes, checked (400 naming the field). */
export interface AppointmentValues {
  calendar_id: number;
  title: string;
  description: string;
  location: string;
  all_day: boolean;
  start_at: Date;
  end_at: Date;
  time_zone: string;
  rrule: string | null;
  last_end_at: Date | null;
  reminder_minutes: number | null;
}

/**
 * Checks and normalises appointment values: end not before start, a known time zone, a rule that
 * cannot run away (`checkRule`), and computes `last_end_at`.
 */
export function checkValues(v: Omit<AppointmentValues, 'last_end_at'>, path = ''): AppointmentValues {
  if (!(v.end_at >= v.start_at)) throw new BadRequest('the appointment ends before it starts', `${path}/end`, undefined, 'END_BEFORE_START');
  if (v.end_at.getTime() - v.start_at.getTime() > MAX_DURATION_DAYS * DAY) throw new BadRequest(`an appointment lasts at most ${MAX_DURATION_DAYS} days`, `${path}/end`);
  if (!isTimeZoneName(v.time_zone)) throw new BadRequest(`unknown time zone ${JSON.stringify(v.time_zone)}`, `${path}/timeZone`, undefined, 'UNKNOWN_TIME_ZONE');
  const rrule = v.rrule?.trim() ? v.rrule.trim().replace(/^RRULE:/i, '') : null;
  const last_end_at = checkRule({ start: v.start_at, end: v.end_at, timeZone: v.time_zone, rrule }, `${path}/rrule`);
  return { ...v, rrule, last_end_at };
}

function isTimeZoneName(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export class AppointmentService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly now: () => Date,
  ) {}

  /** The calendar, checked for the caller's `permission` (404 when it cannot be seen). */
  private async calendar(access: Access, db: Kysely<DB>, id: number, permission: 'ro' | 'rw') {
    const cal = await db.selectFrom('calendars').selectAll().where('id', '=', id).executeTakeFirst();
    if (!cal) throw new NotFound('calendar');
    await access.using(db).assertCalendar(cal, permission);
    if (permission === 'rw' && !cal.valid) throw new Conflict(`the calendar "${cal.name}" is not valid`, '/calendarId', 'CALENDAR_INVALID');
    return cal;
  }

  private async row(access: Access, db: Kysely<DB>, id: number, permission: 'ro' | 'rw'): Promise<AppointmentRow> {
    const r = await db.selectFrom('appointments').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw new NotFound('appointment');
    await this.calendar(access, db, r.calendar_id, permission);
    return r;
  }

  private async accessOn(access: Access, calendarId: number): Promise<'ro' | 'rw'> {
    const cal = await this.db.selectFrom('calendars').select('group_id').where('id', '=', calendarId).executeTakeFirstOrThrow();
    return (await access.onGroup(cal.group_id, 'rw')) ? 'rw' : 'ro';
  }

  private async ticketIds(db: Kysely<DB>, ids: number[]): Promise<Map<number, number[]>> {
    const map = new Map<number, number[]>();
    if (!ids.length) return map;
    const rows = await db.selectFrom('appointment_tickets').select(['appointment_id', 'ticket_id']).where('appointment_id', '=', anyOf(ids)).orderBy('ticket_id').execute();
    for (const r of rows) map.set(r.appointment_id, [...(map.get(r.appointment_id) ?? []), r.ticket_id]);
    return map;
  }

  /** Checks the caller may read each linked ticket (400 naming `/ticketIds/i` otherwise) and sets the links. */
  private async link(access: Access, db: Kysely<DB>, appointmentId: number, ticketIds: number[]): Promise<void> {
    for (const [i, id] of ticketIds.entries()) {
      const t = await db.selectFrom('tickets').select(['queue_id', 'owner_id', 'responsible_id', 'customer_user_id', 'customer_id']).where('id', '=', id).executeTakeFirst();
      if (!t || !(await access.using(db).onTicket(t, 'ro'))) throw new BadRequest(`ticket ${id} not found`, `/ticketIds/${i}`, undefined, 'UNKNOWN_REFERENCE');
    }
    await db.deleteFrom('appointment_tickets').where('appointment_id', '=', appointmentId).execute();
    if (ticketIds.length) await db.insertInto('appointment_tickets').values(ticketIds.map((ticket_id) => ({ appointment_id: appointmentId, ticket_id }))).execute();
  }

  private async view(access: Access, r: AppointmentRow): Promise<AppointmentView> {
    return appointmentView(r, (await this.ticketIds(this.db, [r.id])).get(r.id) ?? [], await this.accessOn(access, r.calendar_id));
  }

  /**
   * Creates an appointment in a calendar the caller may change.
   *
   * @example
   * await service.create(access, { calendarId: 1, title: 'Stand-up', start, end, timeZone: 'Europe/Berlin', rrule: 'FREQ=WEEKLY;BYDAY=MO,WE' });
   */
  async create(access: Access, input: AppointmentInput): Promise<AppointmentView> {
    const agent = access.requireAgent();
    const row = await this.db.transaction().execute(async (trx) => {
      await this.calendar(access, trx, input.calendarId, 'rw');
      const values = checkValues({
        calendar_id: input.calendarId,
        title: input.title,
        description: input.description ?? '',
        location: input.location ?? '',
        all_day: input.allDay ?? false,
        start_at: new Date(input.start),
        end_at: new Date(input.end),
        time_zone: input.timeZone ?? 'UTC',
        rrule: input.rrule ?? null,
        reminder_minutes: input.reminderMinutes ?? null,
      });
      const now = this.now();
      const r = await trx.insertInto('appointments').values({ ...values, uid: `${randomUUID()}@helpdesk`, exdates: '[]', created_by: agent.id, created_at: now, changed_at: now }).returningAll().executeTakeFirstOrThrow();
      await this.link(access, trx, r.id, input.ticketIds ?? []);
      await scheduleAppointmentReminder(trx, r, now);
      return r;
    });
    return this.view(access, row);
  }

  async get(access: Access, id: number): Promise<AppointmentView> {
    return this.view(access, await this.row(access, this.db, id, 'ro'));
  }

  /**
   * The occurrences in a window (bounded: at most MAX_WINDOW_DAYS wide, MAX_WINDOW_OCCURRENCES
   * answered) of the calendars the caller may see, sorted by start.
   */
  async window(access: Access, q: WindowQuery): Promise<OccurrenceView[]> {
    access.requireAgent();
    const from = q.from ? new Date(q.from) : this.now();
    const to = q.to ? new Date(q.to) : new Date(from.getTime() + 7 * DAY);
    if (!(to > from)) throw new BadRequest('the window ends before it starts', '/to', undefined, 'BAD_WINDOW');
    if (to.getTime() - from.getTime() > MAX_WINDOW_DAYS * DAY) throw new BadRequest(`the window is wider than ${MAX_WINDOW_DAYS} days`, '/to', undefined, 'WINDOW_TOO_LARGE');
    const ro = await access.calendarGroupIds('ro');
    if (!ro.length) return [];
    const rw = new Set(await access.calendarGroupIds('rw'));
    let query = this.db
      .selectFrom('appointments as a')
      .innerJoin('calendars as c', 'c.id', 'a.calendar_id')
      .select(VIEW_COLUMNS.map((k) => `a.${k}` as const))
      .select('c.group_id')
      .where('c.valid', '=', true)
      .where('c.group_id', 'in', ro)
      .where('a.start_at', '<', to)
      .where((eb) => eb.or([eb('a.last_end_at', 'is', null), eb('a.last_end_at', '>=', from)]));
    if (q.calendarIds?.length) query = query.where('a.calendar_id', 'in', q.calendarIds);
    if (q.ticketId) query = query.where('a.id', 'in', this.db.selectFrom('appointment_tickets').select('appointment_id').where('ticket_id', '=', q.ticketId));
    const rows = await query.execute();
    const masters = rows.filter((r) => r.rrule).map((r) => r.id);
    const overridden = new Map<number, string[]>();
    if (masters.length) {
      // One array parameter, not thousands of placeholders for the server to parse and plan.
      for (const o of await this.db.selectFrom('appointments').select(['parent_id', 'recurrence_id']).where('parent_id', '=', anyOf(masters)).execute()) {
        overridden.set(o.parent_id!, [...(overridden.get(o.parent_id!) ?? []), o.recurrence_id!.toISOString()]);
      }
    }
    const links = await this.ticketIds(this.db, rows.map((r) => r.id));
    // Occurrences of each series in this window (remembered across requests), then one view per
    // occurrence, built as a literal (a spread of the series' view costs several times more), and
    // sorted by their instants as numbers.
    const out: OccurrenceView[] = [];
    const at: number[] = [];
    try {
      for (const r of rows) {
        const exdates = overridden.get(r.id);
        const starts = windowOccurrences({ ...seriesOf(r), exdates: exdates ? [...r.exdates, ...exdates] : r.exdates }, from, to, MAX_WINDOW_OCCURRENCES - out.length);
        if (!starts.length) continue;
        const base = appointmentView(r, links.get(r.id) ?? [], rw.has(r.group_id) ? 'rw' : 'ro');
        const dur = r.end_at.getTime() - r.start_at.getTime();
        for (const start of starts) {
          out.push(occurrenceView(base, start, dur, r.rrule !== null));
          at.push(start.getTime());
        }
      }
    } catch (err) {
      if (err instanceof TooManyOccurrences) throw new BadRequest(`the window holds more than ${MAX_WINDOW_OCCURRENCES} occurrences; ask for a shorter window or fewer calendars`, '/to', undefined, 'WINDOW_TOO_LARGE');
      throw err;
    }
    const order = Array.from(out.keys()).sort((a, b) => at[a]! - at[b]! || out[a]!.id - out[b]!.id);
    return order.map((i) => out[i]!);
  }

  /** The occurrence named by `occurrence` of series `r`, checked (400 naming `/occurrence`). */
  private occurrenceOf(r: AppointmentRow, occurrence: string | undefined, scope: string): Date {
    if (!occurrence) throw new BadRequest(`scope "${scope}" needs the occurrence's original start`, '/occurrence', undefined, 'OCCURRENCE_REQUIRED');
    const at = new Date(occurrence);
    if (!isOccurrence(seriesOf(r), at)) throw new BadRequest(`${occurrence} is not an occurrence of this appointment`, '/occurrence', undefined, 'NOT_AN_OCCURRENCE');
    return at;
  }

  /**
   * Changes an appointment: for a repeating one, all occurrences, one (`this`) or one and every
   * later one (`following`). Answers the row that now holds the occurrence.
   *
   * @example
   * await service.update(access, 7, { scope: 'this', occurrence: '2026-05-04T07:00:00.000Z', title: 'Moved stand-up', start, end });
   */
  async update(access: Access, id: number, p: AppointmentPatch): Promise<AppointmentView> {
    const agent = access.requireAgent();
    const row = await this.db.transaction().execute(async (trx) => {
      const r = await this.row(access, trx, id, 'rw');
      if (r.rule_id !== null) throw new Conflict('this appointment follows its ticket through a ticket appointment rule; change the ticket instead', undefined, 'RULE_APPOINTMENT');
      if (p.calendarId !== undefined && p.calendarId !== r.calendar_id) await this.calendar(access, trx, p.calendarId, 'rw');
      const now = this.now();
      const scope = r.rrule ? p.scope : 'all';
      const occ = r.rrule && (scope !== 'all' || p.occurrence) ? this.occurrenceOf(r, p.occurrence, scope) : null;
      const dur = r.end_at.getTime() - r.start_at.getTime();
      // The new start and end of the occurrence (or of the single appointment) the change is about.
      const oldStart = occ ?? r.start_at;
      const newStart = p.start ? new Date(p.start) : oldStart;
      const newEnd = p.end ? new Date(p.end) : new Date(newStart.getTime() + dur);
      const delta = newStart.getTime() - oldStart.getTime();
      const fields = (start: Date, end: Date, rrule: string | null) =>
        checkValues({
          calendar_id: p.calendarId ?? r.calendar_id,
          title: p.title ?? r.title,
          description: p.description ?? r.description,
          location: p.location ?? r.location,
          all_day: p.allDay ?? r.all_day,
          start_at: start,
          end_at: end,
          time_zone: p.timeZone ?? r.time_zone,
          rrule,
          reminder_minutes: p.reminderMinutes === undefined ? r.reminder_minutes : p.reminderMinutes,
        });
      const links = p.ticketIds ?? (await this.ticketIds(trx, [r.id])).get(r.id) ?? [];
      let result: AppointmentRow;

      if (scope === 'this' && occ) {
        const values = fields(newStart, newEnd, null);
        result = await trx
          .insertInto('appointments')
          .values({ ...values, parent_id: r.id, recurrence_id: occ, uid: r.uid, exdates: '[]', created_by: agent.id, created_at: now, changed_at: now })
          .returningAll()
          .executeTakeFirstOrThrow();
      } else if (scope === 'following' && occ && occ > r.start_at) {
        const { before, after } = splitRule({ ...seriesOf(r), rrule: r.rrule! }, occ);
        const head = checkValues({ ...r, rrule: before });
        const shift = (iso: string) => new Date(new Date(iso).getTime() + delta).toISOString();
        await trx
          .updateTable('appointments')
          .set({ rrule: head.rrule, last_end_at: head.last_end_at, exdates: JSON.stringify(r.exdates.filter((d) => d < occ.toISOString())), changed_at: now })
          .where('id', '=', r.id)
          .execute();
        const values = fields(newStart, newEnd, p.rrule === undefined ? after : p.rrule);
        result = await trx
          .insertInto('appointments')
          .values({ ...values, uid: `${randomUUID()}@helpdesk`, exdates: JSON.stringify(r.exdates.filter((d) => d >= occ.toISOString()).map(shift)), created_by: agent.id, created_at: now, changed_at: now })
          .returningAll()
          .executeTakeFirstOrThrow();
        for (const o of await trx.selectFrom('appointments').select(['id', 'recurrence_id']).where('parent_id', '=', r.id).where('recurrence_id', '>=', occ).execute()) {
          await trx.updateTable('appointments').set({ parent_id: result.id, uid: result.uid, recurrence_id: new Date(o.recurrence_id!.getTime() + delta) }).where('id', '=', o.id).execute();
        }
      } else {
        // All occurrences (or a single appointment): the series moves by the occurrence's shift.
        const start = new Date(r.start_at.getTime() + delta);
        const end = new Date(start.getTime() + (newEnd.getTime() - newStart.getTime()));
        const values = fields(start, end, p.rrule === undefined ? r.rrule : p.rrule);
        const exdates = values.rrule ? r.exdates.map((d) => new Date(new Date(d).getTime() + delta).toISOString()) : [];
        result = await trx.updateTable('appointments').set({ ...values, exdates: JSON.stringify(exdates), changed_at: now }).where('id', '=', r.id).returningAll().executeTakeFirstOrThrow();
        if (delta !== 0 || !values.rrule) {
          const overrides = await trx.selectFrom('appointments').select(['id', 'recurrence_id']).where('parent_id', '=', r.id).execute();
          for (const o of overrides) {
            if (values.rrule) await trx.updateTable('appointments').set({ recurrence_id: new Date(o.recurrence_id!.getTime() + delta) }).where('id', '=', o.id).execute();
            else await trx.deleteFrom('appointments').where('id', '=', o.id).execute();
          }
        }
      }
      await this.link(access, trx, result.id, links);
      await scheduleAppointmentReminder(trx, result, now);
      return result;
    });
    return this.view(access, row);
  }

  /** Deletes an appointment: all of a series, one occurrence, or one and every later one. */
  async delete(access: Access, id: number, q: AppointmentDeleteQuery): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const r = await this.row(access, trx, id, 'rw');
      if (r.rule_id !== null) throw new Conflict('this appointment follows its ticket through a ticket appointment rule; change the ticket or the rule instead', undefined, 'RULE_APPOINTMENT');
      const scope = r.rrule ? q.scope : 'all';
      if (scope === 'all') {
        await trx.deleteFrom('appointments').where('id', '=', r.id).execute();
        return;
      }
      const occ = this.occurrenceOf(r, q.occurrence, scope);
      const now = this.now();
      if (scope === 'this') {
        await trx.deleteFrom('appointments').where('parent_id', '=', r.id).where('recurrence_id', '=', occ).execute();
        await trx.updateTable('appointments').set({ exdates: JSON.stringify([...r.exdates, occ.toISOString()].sort()), changed_at: now }).where('id', '=', r.id).execute();
        return;
      }
      const { before } = splitRule({ ...seriesOf(r), rrule: r.rrule! }, occ);
      if (!before) {
        await trx.deleteFrom('appointments').where('id', '=', r.id).execute();
        return;
      }
      const head = checkValues({ ...r, rrule: before });
      await trx.deleteFrom('appointments').where('parent_id', '=', r.id).where('recurrence_id', '>=', occ).execute();
      await trx.updateTable('appointments').set({ rrule: head.rrule, last_end_at: head.last_end_at, changed_at: now }).where('id', '=', r.id).execute();
    });
  }
}
