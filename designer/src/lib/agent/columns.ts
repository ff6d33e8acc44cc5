/**
 * The columns a ticket list can show (chosen per agent in the preferences), with their header,
 * the sort field of the search API (when sortable) and the cell text.
 */
import { formatDate } from './prefs.svelte';
import type { TicketSummary } from './tickets';

export interface Column {
  id: string;
  label: string;
  sort?: string;
  cell(t: TicketSummary): string;
}

export const COLUMNS: Column[] = [
  { id: 'tn', label: 'Ticket#', sort: 'tn', cell: (t) => t.tn },
  { id: 'title', label: 'Title', sort: 'title', cell: (t) => t.title },
  { id: 'queue', label: 'Queue', sort: 'queue', cell: (t) => t.queue.name },
  { id: 'state', label: 'State', sort: 'state', cell: (t) => t.state.name },
  { id: 'priority', label: 'Priority', sort: 'priority', cell: (t) => t.priority.name },
  { id: 'type', label: 'Type', cell: (t) => t.type.name },
  { id: 'owner', label: 'Owner', sort: 'owner', cell: (t) => t.owner?.login ?? '' },
  { id: 'responsible', label: 'Responsible', cell: (t) => t.responsible?.login ?? '' },
  { id: 'customer', label: 'Customer', cell: (t) => t.customerUser?.login ?? t.customerId ?? '' },
  { id: 'locked', label: 'Lock', cell: (t) => (t.locked ? 'locked' : '') },
  { id: 'created', label: 'Created', sort: 'created', cell: (t) => formatDate(t.created) },
  { id: 'changed', label: 'Changed', sort: 'changed', cell: (t) => formatDate(t.changed) },
  { id: 'pendingUntil', label: 'Pending until', sort: 'pendingUntil', cell: (t) => formatDate(t.pendingUntil) },
  { id: 'escalation', label: 'Escalation', sort: 'escalation', cell: (t) => formatDate(t.escalationAt) },
];

export const columnById = new Map(COLUMNS.map((c) => [c.id, c]));
