/**
 * `/api/v1/queues`: queues with `::` parents (`Sales::Europe`), each belonging to a group whose
 * permissions decide who works its tickets. Agents list only the queues they hold `ro` on
 * (administrators see all); administrators create, rename (sub-queues follow), retire and delete
 * unused queues. Built on the generic catalogue.
 */
import { calendarIdField } from '../sla/schema';
import type { Access } from '../access/access';
import { commentField, catalogueRouter } from '../catalog/table-routes';
import type { CatalogueSpec } from '../catalog/table';
import type { ApiRouter } from '../http/api';

/** Administrators see every queue; other agents those they may read. */
async function readableQueues(access: Access): Promise<number[] | 'all'> {
  if (await access.isAdmin()) return 'all';
  return access.queueIds('ro');
}

export const queueSpec: CatalogueSpec = {
  table: 'queues',
  base: '/queues',
  tag: 'Queues',
  label: 'queue',
  readers: 'agents',
  fields: [
    commentField,
    {
      prop: 'followUp',
      column: 'follow_up',
      schema: { enum: ['possible', 'reject', 'new_ticket'], description: "a customer's reply to a closed ticket: reopens it (possible, the default), is refused (reject: by mail, kept on the ticket and answered with the queue's reject auto response) or, by mail, opens a new ticket (new_ticket)" },
    },
    {
      prop: 'unlockTimeout',
      column: 'unlock_timeout',
      schema: { type: ['integer', 'null'], minimum: 1, maximum: 525600, description: 'minutes after which a locked ticket nobody changed is unlocked again, telling its owner (null: never, the default)' },
    },
    calendarIdField("the business calendar SLA times of its tickets count in when the SLA names none (null: the default calendar)"),
  ],
  refs: [{ idProp: 'groupId', nameProp: 'group', column: 'group_id', table: 'groups', label: 'group', required: true }],
  createdAt: true,
  hierarchical: true,
  usedBy: [{ table: 'tickets', column: 'queue_id', what: 'tickets' }],
  deletable: true,
  visibleIds: readableQueues,
};

export function queueRouter(): ApiRouter {
  return catalogueRouter(queueSpec).api;
}
