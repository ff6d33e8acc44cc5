/**
 * Field names a process may use: the ticket fields a dialog can show, the fields a condition can
 * test, dynamic fields (`DynamicField_<Name>`) and process variables (`vars.<name>`), plus the
 * reference kind a ticket field's value names (a `Queue` value names a queue, ...).
 */

/** Ticket fields a user-task dialog can show, in OTOBO's spelling. */
export const DIALOG_TICKET_FIELDS = [
  'Title', 'Queue', 'State', 'Priority', 'Type', 'Owner', 'Responsible', 'PendingTime',
  'CustomerUser', 'CustomerID', 'Service', 'SLA', 'Lock', 'Article',
] as const;
export type DialogTicketField = (typeof DIALOG_TICKET_FIELDS)[number];

/** Ticket fields a condition can test. */
export const CONDITION_TICKET_FIELDS = [
  'Title', 'Queue', 'State', 'StateType', 'Priority', 'Type', 'Owner', 'Responsible', 'PendingTime',
  'CustomerUser', 'CustomerID', 'Service', 'SLA', 'Lock', 'TicketNumber',
] as const;

/**
 * The SLA escalation values a condition can test as `ticket.escalation.<name>`: the deadlines (ISO
 * date-times, null when not running), whether each has passed, and the minutes left to the earliest
 * (negative once escalated) at the step's reading of the ticket.
 */
export const ESCALATION_FIELDS = [
  'sla', 'escalationAt', 'escalated', 'minutesLeft', 'firstResponseDue', 'firstResponseEscalated',
  'updateDue', 'updateEscalated', 'solutionDue', 'solutionEscalated',
] as const;
export type EscalationField = (typeof ESCALATION_FIELDS)[number];

export const ESCALATION_PREFIX = 'ticket.escalation.';

/** Name rule of a dynamic field (as in OTOBO: letters and digits). */
export const DYNAMIC_FIELD_NAME = /^[A-Za-z0-9]+$/;
/** Name rule of a process variable. */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const DYNAMIC_FIELD_PREFIX = 'DynamicField_';

/** What a field name denotes. */
export type FieldRef =
  | { kind: 'ticket'; name: string }
  | { kind: 'dynamicField'; name: string }
  | { kind: 'variable'; name: string }
  | { kind: 'escalation'; name: EscalationField }
  | { kind: 'unknown'; name: string; reason: string };

/**
 * Classifies a field name as used by conditions (`Queue`, `DynamicField_Approved`, `vars.days`).
 *
 * @example
 * parseFieldName('DynamicField_Approved'); // { kind: 'dynamicField', name: 'Approved' }
 * parseFieldName('vars.days');             // { kind: 'variable', name: 'days' }
 * parseFieldName('vars.error.code');       // { kind: 'variable', name: 'error.code' } (a path into the value)
 * parseFieldName('Colour');                // { kind: 'unknown', ... }
 */
export function parseFieldName(field: string, allowed: readonly string[] = CONDITION_TICKET_FIELDS): FieldRef {
  if (field.startsWith(DYNAMIC_FIELD_PREFIX)) {
    const name = field.slice(DYNAMIC_FIELD_PREFIX.length);
    if (DYNAMIC_FIELD_NAME.test(name)) return { kind: 'dynamicField', name };
    return { kind: 'unknown', name: field, reason: 'a dynamic field name has letters and digits only' };
  }
  if (field.startsWith('vars.')) {
    const name = field.slice(5);
    if (name.split('.').every((part) => VARIABLE_NAME.test(part))) return { kind: 'variable', name };
    return { kind: 'unknown', name: field, reason: 'a variable name starts with a letter or "_" and has letters, digits and "_"' };
  }
  if (field.startsWith(ESCALATION_PREFIX) && allowed === CONDITION_TICKET_FIELDS) {
    const name = field.slice(ESCALATION_PREFIX.length);
    if ((ESCALATION_FIELDS as readonly string[]).includes(name)) return { kind: 'escalation', name: name as EscalationField };
    return { kind: 'unknown', name: field, reason: `the escalation values are ${ESCALATION_FIELDS.map((f) => ESCALATION_PREFIX + f).join(', ')}` };
  }
  if (allowed.includes(field)) return { kind: 'ticket', name: field };
  return { kind: 'unknown', name: field, reason: `known ticket fields are ${allowed.join(', ')}` };
}

/** The kinds of named things a process refers to; each must exist in the target installation. */
export type ReferenceKind =
  | 'queue' | 'state' | 'priority' | 'type' | 'service' | 'sla' | 'dynamicField' | 'role' | 'agent'
  | 'webservice' | 'script' | 'process' | 'emailTemplate' | 'calendar';

/** Which reference kind the value of a ticket field names (`Queue` → `queue`). */
export const TICKET_FIELD_REFERENCE: Readonly<Record<string, ReferenceKind>> = {
  Queue: 'queue',
  State: 'state',
  Priority: 'priority',
  Type: 'type',
  Service: 'service',
  SLA: 'sla',
  Owner: 'agent',
  Responsible: 'agent',
};
