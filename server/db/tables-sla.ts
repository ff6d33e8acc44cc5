/**
 * Kysely types of service levels and time (migration 0027): business calendars, the escalation
 * notices sent, and the columns the migration adds to `slas`, `queues` and `tickets` (merged into
 * their interfaces here, so the other tables-*.ts files stay as they were).
 */
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, NullableTimestamp, Timestamp } from './columns';
import type { BusinessCalendar, Holiday, WorkingRange } from '../../engine/model/business-time';

type Json<T> = ColumnType<T, string | undefined, string>;

export interface BusinessCalendarsTable {
  id: Generated<number>;
  name: string;
  /** IANA time zone. */
  time_zone: Generated<string>;
  /** Working ranges by weekday (`"0"` Sunday … `"6"` Saturday). */
  week: Json<BusinessCalendar['week']>;
  holidays: Json<Holiday[]>;
  /** The calendar used when neither the SLA nor the queue names one. */
  is_default: Generated<boolean>;
  comment: Generated<string>;
  valid: Generated<boolean>;
  created_at: CreatedAt;
}

/** The conditions that select an SLA for a ticket without one (all given lists must match). */
export interface SlaConditions {
  queueIds?: number[];
  priorityIds?: number[];
  typeIds?: number[];
  customerIds?: string[];
}

export type EscalationKind = 'firstResponse' | 'update' | 'solution';

export interface TicketEscalationNoticesTable {
  ticket_id: number;
  kind: EscalationKind;
  level: 'warning' | 'escalation';
  due_at: Timestamp;
  sent_at: Timestamp;
}

declare module './tables-catalogue' {
  interface SlasTable {
    calendar_id: Generated<number | null>;
    first_response_notify: Generated<number | null>;
    update_notify: Generated<number | null>;
    solution_notify: Generated<number | null>;
    service_ids: Json<number[]>;
    conditions: ColumnType<SlaConditions | null, string | null | undefined, string | null>;
    portal_visible: Generated<boolean>;
  }
  interface QueuesTable {
    calendar_id: Generated<number | null>;
  }
}

declare module './tables-tickets' {
  interface TicketsTable {
    /** The SLA whose clocks run: the ticket's own, else the first whose conditions match. */
    escalation_sla_id: Generated<number | null>;
    /** The first customer-visible agent answer (first response met). */
    first_response_at: NullableTimestamp;
    first_response_due: NullableTimestamp;
    update_due: NullableTimestamp;
    /** The contact (or creation) the update clock counts from. */
    update_base: NullableTimestamp;
    /** Since when the update clock runs (null: stopped, e.g. pending). */
    update_since: NullableTimestamp;
    /** Working seconds the update clock had used before it was last stopped. */
    update_used_seconds: Generated<number>;
    solution_due: NullableTimestamp;
    /** The first close (solution time stops there and is not reset by a reopen). */
    solved_at: NullableTimestamp;
    /** The earliest running deadline. */
    escalation_at: NullableTimestamp;
    /** The next warning or escalation notice due (the escalation job's scan column). */
    escalation_notify_at: NullableTimestamp;
  }
}

export type { WorkingRange };

export interface SlaTables {
  business_calendars: BusinessCalendarsTable;
  ticket_escalation_notices: TicketEscalationNoticesTable;
}
