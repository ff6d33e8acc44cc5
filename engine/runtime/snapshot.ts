/**
 * The ticket as the engine sees it: a plain snapshot the server loads before each event (with the
 * dialog's fields already written), plus the people templates may name. Condition field names in
 * OTOBO's spelling (`Queue`, `CustomerID`, `DynamicField_X`) map onto it with `ticketFieldValue`.
 */
import type { JsonValue } from '../model/types';

/** The ticket's fields, named as templates name them (`{{ticket.queue}}`). Missing means empty. */
export interface TicketSnapshot {
  id?: number | string;
  number?: string;
  title?: string;
  queue?: string | null;
  state?: string | null;
  stateType?: string | null;
  priority?: string | null;
  type?: string | null;
  owner?: string | null;
  responsible?: string | null;
  customerUser?: string | null;
  customerId?: string | null;
  service?: string | null;
  sla?: string | null;
  lock?: 'lock' | 'unlock' | null;
  /** ISO date-time or null. */
  pendingTime?: string | null;
  created?: string;
  changed?: string;
  /** Dynamic field name (without `DynamicField_`) → value. */
  dynamicFields?: Record<string, JsonValue>;
  /** SLA deadlines (`ticket.escalation.<name>` in conditions); absent or null when no SLA applies. */
  escalation?: EscalationSnapshot | null;
}

/** A ticket's SLA deadlines as conditions and expressions read them. */
export interface EscalationSnapshot {
  /** The SLA whose times run. */
  sla: string | null;
  /** The earliest running deadline (ISO), null when none runs. */
  escalationAt: string | null;
  escalated: boolean;
  /** Minutes to `escalationAt` when the snapshot was read (negative once passed); null when none runs. */
  minutesLeft: number | null;
  firstResponseDue: string | null;
  firstResponseEscalated: boolean;
  updateDue: string | null;
  updateEscalated: boolean;
  solutionDue: string | null;
  solutionEscalated: boolean;
}

/** A person templates can name (`{{customer.email}}`, `{{owner.fullName}}`). */
export interface PersonSnapshot {
  login?: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  fullName?: string;
  customerId?: string;
  phone?: string;
}

/** What an event tells the engine about the ticket. */
export interface Snapshot {
  ticket: TicketSnapshot;
  customer?: PersonSnapshot;
  owner?: PersonSnapshot;
  responsible?: PersonSnapshot;
}

/** Condition field name (OTOBO spelling) → snapshot property. */
export const TICKET_FIELD_PROPERTY: Readonly<Record<string, keyof TicketSnapshot>> = {
  Title: 'title',
  Queue: 'queue',
  State: 'state',
  StateType: 'stateType',
  Priority: 'priority',
  Type: 'type',
  Owner: 'owner',
  Responsible: 'responsible',
  PendingTime: 'pendingTime',
  CustomerUser: 'customerUser',
  CustomerID: 'customerId',
  Service: 'service',
  SLA: 'sla',
  Lock: 'lock',
  TicketNumber: 'number',
};

/**
 * A copy of a snapshot that can be changed without touching the caller's (one level deep, plus the
 * dynamic fields).
 *
 * @example
 * const working = copySnapshot(event.snapshot);
 * working.ticket.queue = 'HR'; // event.snapshot is unchanged
 */
export function copySnapshot(s: Snapshot): Snapshot {
  const ticket: TicketSnapshot = { ...s.ticket };
  if (s.ticket.dynamicFields) ticket.dynamicFields = { ...s.ticket.dynamicFields };
  if (s.ticket.escalation) ticket.escalation = { ...s.ticket.escalation };
  return { ...s, ticket };
}
