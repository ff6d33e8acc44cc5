/** Kysely types of the calendar tables (migration 0032); `DB` in schema.ts extends this. */
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, NullableTimestamp, Timestamp } from './columns';

export interface CalendarsTable {
  id: Generated<number>;
  name: string;
  /** `#rrggbb`. */
  color: string;
  /** The group whose `ro` / `rw` members may see / change the appointments. */
  group_id: number;
  valid: Generated<boolean>;
  created_at: CreatedAt;
  changed_at: CreatedAt;
}

export interface AppointmentsTable {
  id: Generated<number>;
  calendar_id: number;
  /** iCalendar UID (kept from an import, so a second import updates). */
  uid: string;
  /** The repeating appointment whose one occurrence (`recurrence_id`) this row replaces. */
  parent_id: number | null;
  recurrence_id: NullableTimestamp;
  title: string;
  description: Generated<string>;
  location: Generated<string>;
  all_day: Generated<boolean>;
  start_at: Timestamp;
  end_at: Timestamp;
  /** IANA zone the rule repeats in (wall-clock time survives DST). */
  time_zone: string;
  /** RFC 5545 RRULE value (`FREQ=WEEKLY;BYDAY=MO`), null for a single appointment. */
  rrule: string | null;
  /** End of the last occurrence; null when the rule never ends. Single appointments: `end_at`. */
  last_end_at: NullableTimestamp;
  /** Original start times (ISO) of the occurrences taken out. */
  exdates: ColumnType<string[], string | undefined, string>;
  reminder_minutes: number | null;
  rule_id: number | null;
  rule_ticket_id: number | null;
  created_by: number | null;
  created_at: CreatedAt;
  changed_at: CreatedAt;
}

export interface AppointmentTicketsTable {
  appointment_id: number;
  ticket_id: number;
}

export interface CalendarFeedTokensTable {
  /** sha256 of the token in the feed URL (the token itself is shown once). */
  token_hash: string;
  calendar_id: number;
  agent_id: number;
  created_at: CreatedAt;
}

export interface TicketAppointmentRulesTable {
  id: Generated<number>;
  calendar_id: number;
  name: string;
  /** Queue ids (JSON array); empty: every queue. */
  queue_ids: ColumnType<number[], string, string>;
  /** Search attributes (JSON): `{ states?: string[], priorities?: string[], types?: string[] }`. */
  search: ColumnType<Record<string, unknown>, string, string>;
  /** `pendingTime`, `dynamicField:<Name>`, or a source registered in `calendars/ticket-dates.ts`. */
  start_from: string;
  duration_minutes: number;
  /** Title template (`{{ticket.title}}`, `{{ticket.number}}`). */
  title: string;
  valid: Generated<boolean>;
}

export interface CalendarTables {
  calendars: CalendarsTable;
  appointments: AppointmentsTable;
  appointment_tickets: AppointmentTicketsTable;
  calendar_feed_tokens: CalendarFeedTokensTable;
  ticket_appointment_rules: TicketAppointmentRulesTable;
}
