/** The operation types this helpdesk provides, by OTOBO's type names, and the function that runs each. */
import type { OperationHandler } from '../operation';
import type { OperationType } from '../schema';
import { sessionCreate } from './session-create';
import { sessionGet } from './session-get';
import { sessionRemove } from './session-remove';
import { ticketCreate } from './ticket-create';
import { ticketDelete } from './ticket-delete';
import { ticketGet } from './ticket-get';
import { ticketHistoryGet } from './ticket-history-get';
import { ticketSearch } from './ticket-search';
import { ticketUpdate } from './ticket-update';

export const OPERATIONS: Record<OperationType, OperationHandler> = {
  'Session::SessionCreate': sessionCreate,
  'Session::SessionGet': sessionGet,
  'Session::SessionRemove': sessionRemove,
  'Ticket::TicketCreate': ticketCreate,
  'Ticket::TicketGet': ticketGet,
  'Ticket::TicketSearch': ticketSearch,
  'Ticket::TicketUpdate': ticketUpdate,
  'Ticket::TicketHistoryGet': ticketHistoryGet,
  'Ticket::TicketDelete': ticketDelete,
};
