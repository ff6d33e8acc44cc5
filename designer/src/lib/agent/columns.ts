/**
 * The columns a ticket list can show (chosen per agent in the preferences), with their header,
 * the sort field of the search API (when sortable) and the cell text.
 */
import { m, priorityName, stateName } from '$lib/i18n';
import { formatDate } from './prefs.svelte';
import type { TicketSummary } from './tickets';

export interface Column {
  id: string;
  /** The header in the interface language (read it where it is shown, so it follows a change). */
  readonly label: string;
  sort?: string;
  cell(t: TicketSummary): string;
}

export const COLUMNS: Column[] = [
  { id: 'tn', get label() { return m.col_tn(); }, sort: 'tn', cell: (t) => t.tn },
  { id: 'title', get label() { return m.col_title(); }, sort: 'title', cell: (t) => t.title },
  { id: 'queue', get label() { return m.col_queue(); }, sort: 'queue', cell: (t) => t.queue.name },
  { id: 'state', get label() { return m.col_state(); }, sort: 'state', cell: (t) => stateName(t.state.name) },
  { id: 'priority', get label() { return m.col_priority(); }, sort: 'priority', cell: (t) => priorityName(t.priority.name) },
  { id: 'type', get label() { return m.col_type(); }, cell: (t) => t.type.name },
  { id: 'owner', get label() { return m.col_owner(); }, sort: 'owner', cell: (t) => t.owner?.login ?? '' },
  { id: 'responsible', get label() { return m.col_responsible(); }, cell: (t) => t.responsible?.login ?? '' },
  { id: 'customer', get label() { return m.col_customer(); }, cell: (t) => t.customerUser?.login ?? t.customerId ?? '' },
  { id: 'locked', get label() { return m.col_locked(); }, cell: (t) => (t.locked ? m.col_locked_value() : '') },
  { id: 'created', get label() { return m.col_created(); }, sort: 'created', cell: (t) => formatDate(t.created) },
  { id: 'changed', get label() { return m.col_changed(); }, sort: 'changed', cell: (t) => formatDate(t.changed) },
  { id: 'pendingUntil', get label() { return m.col_pendingUntil(); }, sort: 'pendingUntil', cell: (t) => formatDate(t.pendingUntil) },
];

export const columnById = new Map(COLUMNS.map((c) => [c.id, c]));
