/**
 * iCalendar in and out. The feed renders a calendar's appointments with `ical-generator`: a
 * repeating appointment as one VEVENT with its RRULE and EXDATEs (in the appointment's time zone),
 * each changed occurrence as a VEVENT with the same UID and a RECURRENCE-ID. The import reads an
 * .ics file with `ical.js` and creates or updates appointments by UID, all in one transaction:
 * an event that does not make a valid appointment refuses the whole file, naming the event.
 */
import { createHash, randomBytes } from 'node:crypto';
import ical from 'ical-generator';
import ICAL from 'ical.js';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { BadRequest, Conflict, FieldTooLarge } from '../errors';
import { checkValues, type AppointmentValues } from './appointments';
import { fromWall, isTimeZone, toWall } from './recurrence';
import { scheduleAppointmentReminder } from './reminders';

/** Largest .ics file the import reads. */
export const MAX_ICS_BYTES = 2 * 1024 * 1024;
/** Most events one import holds. */
export const MAX_ICS_EVENTS = 5000;
/** Most appointments one feed answers (the newest series and everything still to come). */
const MAX_FEED_ROWS = 20_000;
const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/**
 * The iCalendar text of a calendar's appointments (those not ended more than a year ago).
 *
 * @example
 * const text = await calendarFeed(db, 3, new Date()); // "BEGIN:VCALENDAR\r\n..."
 */
export async function calendarFeed(db: Kysely<DB>, calendarId: number, now: Date): Promise<string> {
  const cal = await db.selectFrom('calendars').select(['name']).where('id', '=', calendarId).executeTakeFirstOrThrow();
  const since = new Date(now.getTime() - 366 * 86_400_000);
  const rows = await db
    .selectFrom('appointments')
    .selectAll()
    .where('calendar_id', '=', calendarId)
    .where((eb) => eb.or([eb('last_end_at', 'is', null), eb('last_end_at', '>=', since)]))
    .orderBy('parent_id', 'desc')
    .orderBy('start_at')
    .limit(MAX_FEED_ROWS)
    .execute();
  const options = { name: cal.name, prodId: { company: 'helpdesk', product: 'calendar', language: 'EN' } };
  // ical-generator folds the whole text with a TextEncoder per character (most of the feed's
  // time): render the calendar's frame and each event with it, and fold each event here.
  const frame = ical(options).toString();
  const end = frame.lastIndexOf('END:VCALENDAR');
  const parts = [frame.slice(0, end)];
  const out = ical(options);
  for (const r of rows) {
    const tz = r.all_day || r.time_zone === 'UTC' ? null : r.time_zone;
    // With a TZID, times are written as wall-clock times of the zone; all-day dates as the zone's dates.
    const at = (d: Date) => (r.all_day ? toWall(d, r.time_zone) : tz ? zoned(d) : d);
    const repeating = r.rrule ? [`RRULE:${r.rrule}`, ...(r.exdates.length ? [`EXDATE:${r.exdates.map((d) => stamp(new Date(d))).join(',')}`] : [])].join('\n') : null;
    const event = out.createEvent({
      id: r.uid,
      start: at(r.start_at),
      end: at(r.end_at),
      allDay: r.all_day,
      timezone: tz,
      summary: r.title,
      description: r.description || null,
      location: r.location || null,
      repeating,
      recurrenceId: r.recurrence_id && at(r.recurrence_id),
      stamp: r.changed_at,
      lastModified: r.changed_at,
      created: r.created_at,
    });
    parts.push(foldLines(event.toString()));
  }
  parts.push(frame.slice(end));
  return parts.join('');
}

/**
 * ical-generator's `foldLines` (lines broken after 74 octets of UTF-8, a space opening each
 * continuation), answering the same text without encoding every character on its own.
 */
export function foldLines(text: string): string {
  return text
    .split('\r\n')
    .map((line) => {
      if (Buffer.byteLength(line) <= 74) return line;
      let out = '';
      let n = 0;
      for (let i = 0; i < line.length; i++) {
        let ch = line.charAt(i);
        if (ch >= '\ud800' && ch <= '\udbff') ch += line.charAt(++i);
        const code = ch.charCodeAt(0);
        const bytes = code < 0x80 && ch.length === 1 ? 1 : code < 0x800 && ch.length === 1 ? 2 : Buffer.byteLength(ch);
        n += bytes;
        if (n > 74) {
          out += '\r\n ';
          n = bytes;
        }
        out += ch;
      }
      return out;
    })
    .join('\r\n');
}

/**
 * An instant ical-generator writes in the event's zone: it takes a date object with
 * `withTimeZone(tz)` (the shape of @date-fns/tz's TZDate) and reads the wall-clock fields of what
 * that answers through the local getters.
 */
function zoned(instant: Date): Date {
  const d = new Date(instant.getTime()) as Date & { internal: Date; withTimeZone(tz: string): Date; tzComponents(): unknown };
  d.internal = instant;
  d.tzComponents = () => ({});
  d.withTimeZone = (zone: string) => {
    const wall = toWall(instant, zone);
    const w = new Date(wall.getTime());
    w.getFullYear = () => wall.getUTCFullYear();
    w.getMonth = () => wall.getUTCMonth();
    w.getDate = () => wall.getUTCDate();
    w.getHours = () => wall.getUTCHours();
    w.getMinutes = () => wall.getUTCMinutes();
    w.getSeconds = () => wall.getUTCSeconds();
    return w;
  };
  return d;
}

interface ParsedEvent {
  uid: string;
  recurrenceId: Date | null;
  values: Omit<AppointmentValues, 'last_end_at' | 'calendar_id'>;
  exdates: string[];
}

/** The instant an ICAL.Time stands for: UTC (`Z`), wall time in a known TZID, else (dates, floating times, unknown zones) UTC. */
function instant(t: ICAL.Time, tzid: string | null): Date {
  if (!t.isDate && (t.zone === ICAL.Timezone.utcTimezone || t.zone?.tzid === 'UTC')) return t.toJSDate();
  const wall = new Date(Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second));
  return !t.isDate && tzid && isTimeZone(tzid) ? fromWall(wall, tzid) : wall;
}

function readEvents(text: string): ParsedEvent[] {
  let root: ICAL.Component;
  try {
    root = new ICAL.Component(ICAL.parse(text) as unknown[]);
  } catch (err) {
    throw new BadRequest(`the file is not valid iCalendar: ${(err as Error).message}`, '/ics', undefined, 'INVALID_ICS');
  }
  if (root.name !== 'vcalendar') throw new BadRequest('the file holds no VCALENDAR', '/ics', undefined, 'INVALID_ICS');
  const vevents = root.getAllSubcomponents('vevent');
  if (vevents.length > MAX_ICS_EVENTS) throw new BadRequest(`the file holds ${vevents.length} events; at most ${MAX_ICS_EVENTS} are read at once`, '/ics', undefined, 'ICS_TOO_MANY_EVENTS');
  return vevents.map((v, i) => {
    const where = `/ics/VEVENT[${i + 1}]`;
    try {
      const uid = String(v.getFirstPropertyValue('uid') ?? '').trim();
      if (!uid || uid.length > 500) throw new BadRequest('the event has no UID (or one longer than 500 characters)', where, undefined, 'INVALID_ICS');
      const dtstart = v.getFirstProperty('dtstart');
      if (!dtstart) throw new BadRequest(`the event ${uid} has no DTSTART`, where, undefined, 'INVALID_ICS');
      const start = dtstart.getFirstValue() as ICAL.Time;
      const tzid = (dtstart.getParameter('tzid') as string | undefined) ?? null;
      const allDay = start.isDate;
      const startAt = instant(start, tzid);
      const dtend = v.getFirstProperty('dtend');
      const duration = v.getFirstPropertyValue('duration') as ICAL.Duration | null;
      let endAt: Date;
      if (dtend) endAt = instant(dtend.getFirstValue() as ICAL.Time, (dtend.getParameter('tzid') as string | undefined) ?? tzid);
      else if (duration) endAt = new Date(startAt.getTime() + duration.toSeconds() * 1000);
      else endAt = new Date(startAt.getTime() + (allDay ? 86_400_000 : 0));
      const rrule = v.getFirstPropertyValue('rrule') as ICAL.Recur | null;
      const exdates = v.getAllProperties('exdate').flatMap((p) => (p.getValues() as ICAL.Time[]).map((t) => instant(t, (p.getParameter('tzid') as string | undefined) ?? tzid).toISOString()));
      const rid = v.getFirstPropertyValue('recurrence-id') as ICAL.Time | null;
      const timeZone = !allDay && tzid && isTimeZone(tzid) ? tzid : 'UTC';
      const text = (name: string, max: number) => String(v.getFirstPropertyValue(name) ?? '').slice(0, max);
      return {
        uid,
        recurrenceId: rid ? instant(rid, (v.getFirstProperty('recurrence-id')!.getParameter('tzid') as string | undefined) ?? tzid) : null,
        exdates,
        values: { title: text('summary', 300) || '(no title)', description: text('description', 20000), location: text('location', 500), all_day: allDay, start_at: startAt, end_at: endAt, time_zone: timeZone, rrule: rrule ? rrule.toString() : null, reminder_minutes: null },
      };
    } catch (err) {
      if (err instanceof BadRequest) throw err;
      throw new BadRequest(`the event cannot be read: ${(err as Error).message}`, where, undefined, 'INVALID_ICS');
    }
  });
}

/**
 * Imports an .ics file into a calendar: events whose UID the calendar has update that
 * appointment (its changed occurrences are replaced by the file's), others are created. All or
 * nothing, in the caller's transaction.
 *
 * @example
 * await importIcs(trx, calendarId, agentId, text, now); // { created: 3, updated: 1 }
 */
export async function importIcs(db: Kysely<DB>, calendarId: number, agentId: number, text: string, now: Date): Promise<{ created: number; updated: number }> {
  if (Buffer.byteLength(text) > MAX_ICS_BYTES) throw new FieldTooLarge(`the .ics file is larger than ${MAX_ICS_BYTES} bytes`, '/ics', 'ICS_TOO_LARGE');
  const events = readEvents(text);
  const masters = events.filter((e) => !e.recurrenceId);
  const counts = { created: 0, updated: 0 };
  const ids = new Map<string, number>();
  for (const [i, e] of masters.entries()) {
    const values = { ...checkValues({ ...e.values, calendar_id: calendarId }, `/ics/VEVENT[${events.indexOf(e) + 1}]`), exdates: JSON.stringify(e.exdates), changed_at: now };
    const existing = await db.selectFrom('appointments').select(['id', 'calendar_id', 'reminder_minutes']).where('uid', '=', e.uid).where('parent_id', 'is', null).executeTakeFirst();
    if (existing && existing.calendar_id !== calendarId) throw new Conflict(`the event ${e.uid} belongs to another calendar`, `/ics/VEVENT[${i + 1}]`, 'UID_IN_OTHER_CALENDAR');
    let row;
    if (existing) {
      row = await db.updateTable('appointments').set({ ...values, reminder_minutes: existing.reminder_minutes }).where('id', '=', existing.id).returningAll().executeTakeFirstOrThrow();
      await db.deleteFrom('appointments').where('parent_id', '=', existing.id).execute();
      counts.updated++;
    } else {
      row = await db.insertInto('appointments').values({ ...values, uid: e.uid, created_by: agentId, created_at: now }).returningAll().executeTakeFirstOrThrow();
      counts.created++;
    }
    ids.set(e.uid, row.id);
    await scheduleAppointmentReminder(db, row, now);
  }
  for (const e of events.filter((x) => x.recurrenceId)) {
    const where = `/ics/VEVENT[${events.indexOf(e) + 1}]`;
    const parent = ids.get(e.uid) ?? (await db.selectFrom('appointments').select('id').where('uid', '=', e.uid).where('calendar_id', '=', calendarId).where('parent_id', 'is', null).executeTakeFirst())?.id;
    if (!parent) throw new BadRequest(`the changed occurrence of ${e.uid} has no series in the file or the calendar`, where, undefined, 'INVALID_ICS');
    const values = checkValues({ ...e.values, rrule: null, calendar_id: calendarId }, where);
    await db.deleteFrom('appointments').where('parent_id', '=', parent).where('recurrence_id', '=', e.recurrenceId).execute();
    await db.insertInto('appointments').values({ ...values, uid: e.uid, parent_id: parent, recurrence_id: e.recurrenceId, exdates: '[]', created_by: agentId, created_at: now, changed_at: now }).execute();
  }
  return counts;
}

/** A new feed token: the secret in the feed URL (only its hash is stored). */
export function newFeedToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored of a feed token. */
export const feedTokenHash = (token: string) => createHash('sha256').update(token).digest('hex');
