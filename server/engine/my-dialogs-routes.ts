/** `GET /api/v1/me/dialogs` (agents): the open process dialogs assigned to the caller, newest first. */
import { itemsOf } from '../catalog/schema';
import { ApiRouter } from '../http/api';
import { MY_DIALOGS_LIMIT, myDialogs } from './my-dialogs';

const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;

export const myDialogsView = itemsOf({
  type: 'object',
  additionalProperties: false,
  required: ['ticketId', 'ticketNumber', 'ticketTitle', 'instanceId', 'nodeId', 'name', 'openedAt', 'assignedBy'],
  properties: {
    ticketId: int,
    ticketNumber: str,
    ticketTitle: str,
    instanceId: int,
    nodeId: str,
    name: { type: 'string', description: "the task's name, or its node id when it has none" },
    openedAt: { type: 'string', format: 'date-time' },
    assignedBy: { enum: ['agent', 'role', 'queue', 'owner'], description: 'agent: assigned to my login; role: to one of my roles; queue: to a queue I hold rw on; owner: unassigned, on a ticket I own or am responsible for' },
  },
}, MY_DIALOGS_LIMIT);

export function myDialogsRouter(): ApiRouter {
  const api = new ApiRouter('/me', 'Process tickets');
  api.get(
    '/dialogs',
    {
      summary: 'Open process dialogs assigned to me (newest first, at most 100)',
      description: 'Dialogs offered to agents and assigned to my login, one of my roles or a queue I hold rw on — or unassigned on a ticket I own or am responsible for — on tickets I may read.',
      auth: 'agent',
      responses: { 200: myDialogsView },
    },
    async (c) => myDialogs(c.get('services'), c.get('access')),
  );
  return api;
}
