/**
 * The simulator's in-memory ticket: the ticket a simulation starts with, writing a dialog field onto
 * it as the server's dialog submission would, reading a field back by either spelling, and the state
 * type the simulator guesses from a state name.
 */
import { isRecord } from '../model/json';
import type { JsonValue, Process, Scenario } from '../model/types';
import { TICKET_FIELD_PROPERTY, type TicketSnapshot } from '../runtime/snapshot';

const DF = 'DynamicField_';

/** Ticket field (dialog spelling) → snapshot property. */
const DIALOG_FIELD: Record<string, keyof TicketSnapshot> = { ...TICKET_FIELD_PROPERTY, CustomerID: 'customerId' };

/**
 * The state type of the default OTRS states (the server knows the real one; the simulator guesses by name).
 *
 * @example
 * stateTypeOf('pending reminder'); // 'pending reminder'
 * stateTypeOf('closed successful'); // 'closed'
 */
export function stateTypeOf(state: string): string {
  const s = state.toLowerCase();
  if (s.startsWith('closed')) return 'closed';
  if (s.startsWith('pending auto')) return 'pending auto';
  if (s.startsWith('pending')) return 'pending reminder';
  if (['new', 'open', 'merged', 'removed'].includes(s)) return s;
  return 'open';
}

/**
 * A ticket's value by condition spelling (`Queue`, `DynamicField_X`) or template spelling (`queue`, `dynamicFields.X`).
 *
 * @example
 * ticketValue({ queue: 'Raw', dynamicFields: { Approved: 'yes' } }, 'DynamicField_Approved'); // 'yes'
 * ticketValue({ queue: 'Raw' }, 'Queue'); // 'Raw'
 */
export function ticketValue(t: TicketSnapshot, field: string): JsonValue | undefined {
  if (field.startsWith(DF)) return t.dynamicFields?.[field.slice(DF.length)];
  if (field.startsWith('dynamicFields.')) return t.dynamicFields?.[field.slice('dynamicFields.'.length)];
  const prop = TICKET_FIELD_PROPERTY[field] ?? (field as keyof TicketSnapshot);
  return t[prop] as JsonValue | undefined;
}

/**
 * Writes one dialog field's value onto the in-memory ticket (as the server's dialog submission would);
 * an `Article` field is handed to `article` instead.
 *
 * @example
 * writeField(ticket, 'State', 'closed successful', () => undefined); // ticket.stateType === 'closed'
 * writeField(ticket, 'Article', { subject: 'Hi', body: 'Done' }, (a) => articles.push(a));
 */
export function writeField(ticket: TicketSnapshot, field: string, value: JsonValue, article: (a: { subject?: string; body: string }) => void): void {
  if (field.startsWith(DF)) {
    ticket.dynamicFields = { ...ticket.dynamicFields, [field.slice(DF.length)]: value };
    return;
  }
  if (field === 'Article') {
    const v = typeof value === 'string' ? { body: value } : isRecord(value) ? value : {};
    if (typeof v.body === 'string') article({ ...(typeof v.subject === 'string' ? { subject: v.subject } : {}), body: v.body });
    return;
  }
  const prop = DIALOG_FIELD[field];
  if (!prop) return;
  (ticket as Record<string, unknown>)[prop] = value;
  if (prop === 'state' && typeof value === 'string') ticket.stateType = stateTypeOf(value);
}

/**
 * The ticket at the start: a new ticket, the start dialog's defaults, then the scenario's fields.
 *
 * @example
 * initialTicket(process, { title: 'Leave', state: 'open' }, Date.parse('2026-01-05T09:00:00Z'));
 * // { state: 'open', stateType: 'open', priority: '3 normal', lock: 'unlock', title: 'Leave', created: '2026-01-05T09:00:00.000Z', ... }
 */
export function initialTicket(process: Process, given: Scenario['ticket'], now: number): TicketSnapshot {
  const at = new Date(now).toISOString();
  const ticket: TicketSnapshot = { state: 'new', stateType: 'new', priority: '3 normal', lock: 'unlock', created: at, changed: at };
  for (const f of process.start.dialog?.fields ?? []) {
    if (f.default !== undefined && f.default !== null) writeField(ticket, f.field, f.default as JsonValue, () => undefined);
  }
  const { dynamicFields, ...rest } = given ?? {};
  Object.assign(ticket, rest);
  if (dynamicFields) ticket.dynamicFields = { ...ticket.dynamicFields, ...dynamicFields };
  if (rest.state && !rest.stateType) ticket.stateType = stateTypeOf(rest.state);
  return ticket;
}
