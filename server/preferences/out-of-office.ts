/**
 * Agents' out-of-office periods (preference `outOfOffice`: first and last day, a note), read in
 * each agent's own time zone (preference `timeZone`; `auto` reads UTC). Who is away today is shown
 * beside a ticket's owner and responsible, and notifications leave them out (as OTRS does unless a
 * notification says otherwise).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';

export interface OutOfOffice {
  /** First day away, `YYYY-MM-DD`. */
  from: string;
  /** Last day away, `YYYY-MM-DD`. */
  until: string;
  note?: string;
}

export interface Absence extends OutOfOffice {
  agentId: number;
}

/** Today's date (`YYYY-MM-DD`) in `timeZone` (`auto` or an unknown zone: UTC). */
export function dayIn(now: Date, timeZone: string | undefined): string {
  const zone = timeZone && timeZone !== 'auto' && isTimeZone(timeZone) ? timeZone : 'UTC';
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** Whether `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Whether `period` covers `day` (both ends included). */
export function covers(period: OutOfOffice | null | undefined, day: string): boolean {
  return !!period && period.from <= day && day <= period.until;
}

/**
 * The agents (among `ids`, or all) who are away today, each with their period.
 *
 * @example
 * const away = await absentAgents(db, new Date(), [3, 4]); // [{ agentId: 4, from: '2026-12-20', until: '2027-01-06' }]
 */
export async function absentAgents(db: Kysely<DB>, now: Date, ids?: number[]): Promise<Absence[]> {
  if (ids && !ids.length) return [];
  let q = db.selectFrom('agent_preferences').select(['agent_id', 'key', 'value']).where('key', 'in', ['outOfOffice', 'timeZone']);
  if (ids) q = q.where('agent_id', 'in', ids);
  const rows = await q.execute();
  const zones = new Map(rows.filter((r) => r.key === 'timeZone').map((r) => [r.agent_id, r.value as string]));
  const out: Absence[] = [];
  for (const r of rows) {
    if (r.key !== 'outOfOffice' || !r.value) continue;
    const period = r.value as OutOfOffice;
    if (covers(period, dayIn(now, zones.get(r.agent_id)))) out.push({ agentId: r.agent_id, ...period });
  }
  return out.sort((a, b) => a.agentId - b.agentId);
}
