/**
 * Holidays from an iCalendar (.ics) holiday feed (ical.js): each VEVENT becomes holidays on the
 * local days it covers (all-day events: DTSTART up to the exclusive DTEND); an event repeating
 * yearly (RRULE FREQ=YEARLY without COUNT/UNTIL) becomes a recurring `MM-DD` holiday.
 */
import ICAL from 'ical.js';
import type { Holiday } from '../../engine/model/business-time';
import { BadRequest } from '../errors';

/** Most days one event may span. */
const MAX_EVENT_DAYS = 31;
export const MAX_ICS_CHARS = 1_000_000;

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * @example
 * holidaysFromIcs('BEGIN:VCALENDAR\r\n…'); // [{ date: '2026-12-25', name: 'Christmas Day' }, …]
 */
export function holidaysFromIcs(text: string, path = '/ics'): Holiday[] {
  let root: ICAL.Component;
  try {
    root = new ICAL.Component(ICAL.parse(text) as unknown[]);
  } catch (e) {
    throw new BadRequest(`not an iCalendar file: ${(e as Error).message}`, path);
  }
  if (root.name !== 'vcalendar') throw new BadRequest('not an iCalendar file: no VCALENDAR', path);
  const out: Holiday[] = [];
  root.getAllSubcomponents('vevent').forEach((vevent, i) => {
    const ev = new ICAL.Event(vevent);
    const start = ev.startDate;
    if (!start) throw new BadRequest(`event ${i + 1} has no DTSTART`, `${path}`);
    const name = ev.summary ?? '';
    const rule = vevent.getFirstPropertyValue('rrule') as ICAL.Recur | null;
    const yearly = !!rule && rule.freq === 'YEARLY' && !rule.count && !rule.until;
    const day = start.clone();
    const end = ev.endDate && ev.endDate.compare(start) > 0 ? ev.endDate : null;
    for (let n = 0; n < MAX_EVENT_DAYS; n++) {
      const md = `${pad(day.month)}-${pad(day.day)}`;
      out.push(yearly ? { date: md, recurring: true, name } : { date: `${day.year}-${md}`, name });
      day.adjust(1, 0, 0, 0);
      if (!end || day.compare(end) >= 0) break;
    }
  });
  return out;
}
