/**
 * The simple ticket catalogues as specs for the generic catalogue (table.ts): states (with their
 * state type), priorities, ticket types, services (with `::` parents) and SLAs (escalation minutes).
 * States, priorities and types are readable by customer users too (the portal fills forms with them).
 */
import { slaExtraFields } from '../sla/schema';
import { commentField } from './table-routes';
import type { CatalogueSpec, UsageSpec } from './table';

const usedByTickets = (column: string): UsageSpec[] => [{ table: 'tickets', column, what: 'tickets' }];

export const stateSpec: CatalogueSpec = {
  table: 'states',
  base: '/states',
  tag: 'States',
  label: 'state',
  readers: 'everyone',
  fields: [commentField],
  refs: [{ idProp: 'stateTypeId', nameProp: 'stateType', column: 'type_id', table: 'state_types', label: 'state type', required: true }],
  createdAt: false,
  usedBy: usedByTickets('state_id'),
  deletable: true,
  protectedNames: { merged: 'merging tickets depends on it' },
};

export const prioritySpec: CatalogueSpec = {
  table: 'priorities',
  base: '/priorities',
  tag: 'Priorities',
  label: 'priority',
  readers: 'everyone',
  fields: [],
  createdAt: false,
  usedBy: usedByTickets('priority_id'),
  deletable: true,
};

export const typeSpec: CatalogueSpec = {
  table: 'ticket_types',
  base: '/types',
  tag: 'Types',
  label: 'ticket type',
  readers: 'everyone',
  fields: [],
  createdAt: false,
  usedBy: usedByTickets('type_id'),
  deletable: true,
};

export const serviceSpec: CatalogueSpec = {
  table: 'services',
  base: '/services',
  tag: 'Services',
  label: 'service',
  readers: 'agents',
  fields: [commentField],
  createdAt: true,
  hierarchical: true,
  usedBy: usedByTickets('service_id'),
  deletable: true,
};

const minutes = (description: string) => ({ type: ['integer', 'null'], minimum: 0, maximum: 5_256_000, description });

export const slaSpec: CatalogueSpec = {
  table: 'slas',
  base: '/slas',
  tag: 'SLAs',
  label: 'SLA',
  readers: 'agents',
  fields: [
    { prop: 'firstResponseMinutes', column: 'first_response_minutes', schema: minutes('working minutes from creation to the first customer-visible agent answer (null: none)') },
    { prop: 'updateMinutes', column: 'update_minutes', schema: minutes('working minutes between customer contacts, not counted while pending (null: none)') },
    { prop: 'solutionMinutes', column: 'solution_minutes', schema: minutes('working minutes from creation to close (null: none)') },
    ...slaExtraFields,
    commentField,
  ],
  createdAt: true,
  usedBy: usedByTickets('sla_id'),
  deletable: true,
};
