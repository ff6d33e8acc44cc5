/**
 * The escalation rules, as one pure function: given a ticket's SLA, calendar, state, creation time,
 * its customer-visible contacts and the clock state stored last time, the new clock state, the three
 * deadlines and the notices (warnings at the notify percentage, escalations) they imply.
 *
 * - First response: counted in working time from creation; met by the first customer-visible agent
 *   article (email, phone, portal, chat) — so an agent's email ticket is answered at creation, a
 *   phone ticket taken from a customer (sender "customer") starts the clock, as OTOBO does.
 * - Update: counts from the last customer-visible agent answer (or, as OTOBO, from the customer's
 *   first message after it; from creation when there is none); restarts with each; does not run
 *   while the ticket is pending (waits for the customer) and resumes where it stopped.
 * - Solution: counted from creation; stops (no deadline) while closed; a reopen is not a new start,
 *   the original deadline applies again.
 * - Closed, merged and removed tickets have no running deadline.
 */
import { addWorkingMinutes, workingMinutesBetween, type BusinessCalendar } from '../../engine/model/business-time';
import type { EscalationKind } from '../db/schema';

export interface SlaTimes {
  firstResponseMinutes: number | null;
  updateMinutes: number | null;
  solutionMinutes: number | null;
  firstResponseNotify: number | null;
  updateNotify: number | null;
  solutionNotify: number | null;
}

/** A customer-visible article by an agent or a customer, newest first. */
export interface Contact {
  sender: 'agent' | 'customer';
  at: Date;
}

export interface ClockState {
  firstResponseAt: Date | null;
  /** Start of the running update interval (null: stopped). */
  updateSince: Date | null;
  updateUsedSeconds: number;
  /** The contact the update clock counts from (its restart point). */
  updateBase: Date | null;
  solvedAt: Date | null;
}

export interface EscalationInput {
  now: Date;
  sla: SlaTimes | null;
  calendar: BusinessCalendar;
  stateType: string;
  createdAt: Date;
  /** Customer-visible agent/customer articles, newest first. */
  contacts: Contact[];
  clock: ClockState;
}

export interface Notice {
  kind: EscalationKind;
  level: 'warning' | 'escalation';
  /** The deadline it is about (part of its identity). */
  due: Date;
  /** When it is due to be sent. */
  at: Date;
}

export interface EscalationResult {
  clock: ClockState;
  firstResponseDue: Date | null;
  updateDue: Date | null;
  solutionDue: Date | null;
  escalationAt: Date | null;
  notices: Notice[];
}

const ENDED = ['closed', 'merged', 'removed'];
export const isPendingType = (t: string) => t.startsWith('pending');

/** The update clock's restart point: OTOBO's "last customer contact" rule over `contacts` (newest first). */
function updateBase(contacts: Contact[], createdAt: Date): Date {
  let base: Date | null = null;
  for (const c of contacts) {
    if (c.sender === 'agent') return base ?? c.at;
    base = c.at; // an older customer article of the same unanswered run
  }
  return base ?? createdAt;
}

const min = (ds: Array<Date | null>): Date | null => ds.reduce<Date | null>((m, d) => (d && (!m || d < m) ? d : m), null);

/**
 * @example
 * computeEscalation({ now, sla: { firstResponseMinutes: 60, ... }, calendar, stateType: 'new', createdAt, contacts: [], clock });
 */
export function computeEscalation(i: EscalationInput): EscalationResult {
  const { now, sla, calendar } = i;
  const clock: ClockState = { ...i.clock };
  const ended = ENDED.includes(i.stateType);
  const pending = isPendingType(i.stateType);

  // Facts, kept whether or not an SLA applies.
  if (!clock.firstResponseAt) {
    const answers = i.contacts.filter((c) => c.sender === 'agent');
    clock.firstResponseAt = answers.length ? answers[answers.length - 1]!.at : null;
  }
  if (i.stateType === 'closed' && !clock.solvedAt) clock.solvedAt = now;

  // Update clock: restart at a new base, stop while pending or ended, resume after.
  const base = updateBase(i.contacts, i.createdAt);
  if (!clock.updateBase || clock.updateBase.getTime() !== base.getTime()) {
    clock.updateBase = base;
    clock.updateUsedSeconds = 0;
    clock.updateSince = base;
  }
  if (pending || ended) {
    if (clock.updateSince) {
      clock.updateUsedSeconds += Math.round(workingMinutesBetween(calendar, clock.updateSince, now) * 60);
      clock.updateSince = null;
    }
  } else if (!clock.updateSince) {
    clock.updateSince = now;
  }

  const none: EscalationResult = { clock, firstResponseDue: null, updateDue: null, solutionDue: null, escalationAt: null, notices: [] };
  if (!sla || ended) return none;

  const notices: Notice[] = [];
  /** Deadline `minutes` after `start` (less `usedMin`), plus its notices. */
  const deadline = (kind: EscalationKind, start: Date, minutes: number | null, percent: number | null, usedMin = 0): Date | null => {
    if (minutes === null) return null;
    const due = addWorkingMinutes(calendar, start, Math.max(0, minutes - usedMin));
    if (!due) return null;
    notices.push({ kind, level: 'escalation', due, at: due });
    if (percent) {
      const warnMin = (minutes * percent) / 100 - usedMin;
      const at = warnMin > 0 ? addWorkingMinutes(calendar, start, warnMin) : start;
      if (at) notices.push({ kind, level: 'warning', due, at });
    }
    return due;
  };

  const firstResponseDue = clock.firstResponseAt ? null : deadline('firstResponse', i.createdAt, sla.firstResponseMinutes, sla.firstResponseNotify);
  const updateDue = clock.updateSince ? deadline('update', clock.updateSince, sla.updateMinutes, sla.updateNotify, clock.updateUsedSeconds / 60) : null;
  const solutionDue = deadline('solution', i.createdAt, sla.solutionMinutes, sla.solutionNotify);
  return { clock, firstResponseDue, updateDue, solutionDue, escalationAt: min([firstResponseDue, updateDue, solutionDue]), notices };
}
