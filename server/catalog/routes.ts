/**
 * Routers of the catalogue: queues, states, priorities, types, services, SLAs, groups, roles,
 * agents, customers, customer users and dynamic field definitions. Reads serve the forms of agents
 * (and, for states, priorities, types and dynamic fields, of customer users); writes are for
 * administrators.
 */
import { agentRouter } from '../agents/routes';
import { companyRouter, customerUserRouter } from '../customers/routes';
import { dynamicFieldRouter } from '../dynamic-fields/routes';
import { groupRouter, roleRouter } from '../groups/routes';
import type { ApiRouter } from '../http/api';
import { queueRouter } from '../queues/routes';
import { calendarRouter } from '../sla/routes';
import { prioritySpec, serviceSpec, slaSpec, stateSpec, typeSpec } from './definitions';
import { catalogueRouter } from './table-routes';

export function catalogRouters(): ApiRouter[] {
  return [
    queueRouter(),
    calendarRouter(),
    ...[stateSpec, prioritySpec, typeSpec, serviceSpec, slaSpec].map((spec) => catalogueRouter(spec).api),
    groupRouter(),
    roleRouter(),
    agentRouter(),
    companyRouter(),
    customerUserRouter(),
    dynamicFieldRouter(),
  ];
}
